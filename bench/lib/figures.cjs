// A benchmark's headline figures, for the summary table `yarn bench` (bench/run.mjs) prints after every benchmark
// has printed its own. Each figure is one JSON line appended to $PAVED_BENCH_FIGURES; without it nothing is written.
const fs = require('node:fs');

/**
 * @param {string} benchmark
 * @param {string} name what was measured
 * @param {string} measured the figure, with its unit
 * @param {string} goal what the issue asked for ('' when it asked for none)
 * @param {boolean | undefined} met whether the measurement reached the goal
 */
function figure(benchmark, name, measured, goal = '', met = undefined) {
  const file = process.env.PAVED_BENCH_FIGURES;
  if (!file) return;
  fs.appendFileSync(
    file,
    `${JSON.stringify({ benchmark, name, measured, goal, met })}\n`,
  );
}

module.exports = { figure };
