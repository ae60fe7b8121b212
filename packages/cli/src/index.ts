import { Command, CommanderError } from 'commander';
import { TemplateError } from '@paved/plugin-template-sync-node';
import { sandboxCommand } from './commands/sandbox';
import { templateCommand } from './commands/template';
import { Io, processIo } from './io';

/**
 * Runs the `paved` CLI with `argv` (without node and script) and resolves to the exit code.
 * Errors the user can act on are printed as one line; nothing else is thrown.
 * @public
 */
export async function runCli(
  argv: string[],
  io: Io = processIo,
): Promise<number> {
  let exitCode = 0;
  const program = new Command('paved')
    .description('Paved: golden-path templates, kept in step')
    .addCommand(templateCommand(io, code => (exitCode = code)))
    .addCommand(sandboxCommand(io));
  const configure = (command: Command) => {
    command.exitOverride().configureOutput({
      writeOut: text => io.out(text),
      writeErr: text => io.err(text),
    });
    command.commands.forEach(configure);
  };
  configure(program);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    const message =
      error instanceof TemplateError || error instanceof Error
        ? error.message
        : String(error);
    io.err(`paved: ${message}\n`);
    return 1;
  }
}
