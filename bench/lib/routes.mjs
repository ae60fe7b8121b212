// The runtime-health benchmarks' shared method: each route warmed once, then 10 s at 200 requests per second over 10
// connections (autocannon), reported as p50 / p99 / requests / non-2xx, and the kubernetes-backend ratio.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const autocannon = require('autocannon');

/** Measures each `{ url, method, body? }` with the same headers; answers one row per route. */
export async function measureRoutes(targets, headers) {
  const rows = [];
  for (const [name, target] of Object.entries(targets)) {
    await fetch(target.url, {
      method: target.method,
      headers,
      body: target.body,
    });
    const r = await autocannon({
      ...target,
      headers,
      connections: 10,
      overallRate: 200,
      duration: 10,
    });
    rows.push([name, r.latency.p50, r.latency.p99, r.requests.total, r.non2xx]);
  }
  return rows;
}

/** Prints the rows as a Markdown table, then the warm p50 ratio of the last route over the first. */
export function printRoutes(title, rows, goal) {
  console.log(`| ${title} | p50 ms | p99 ms | requests | non-2xx |`);
  console.log('| --- | --- | --- | --- | --- |');
  for (const row of rows) console.log(`| ${row.join(' | ')} |`);
  console.log(
    `\nwarm p50 ratio (kubernetes-backend / runtime-health): ${(
      rows[rows.length - 1][1] / Math.max(rows[0][1], 0.1)
    ).toFixed(1)}× (${goal})`,
  );
}
