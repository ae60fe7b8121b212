/** Where a command writes; tests pass their own. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
}

export const processIo: Io = {
  out: text => process.stdout.write(text),
  err: text => process.stderr.write(text),
};
