#!/usr/bin/env node
// First full page load of a running portal (default: scripts/start.sh's, http://localhost:7007), as a new user meets
// it: a fresh browser profile each time (nothing cached), from navigation to the sign-in page's "Enter" button being
// visible; then the same page again in that profile (cached assets). Also the JavaScript the first load transfers.
// Needs Chromium (PAVED_CHROMIUM or /usr/bin/chromium). Not part of `yarn bench`: it needs the portal up.
//   node bench/portal-load/load.mjs [url] [runs]
import { chromium } from '@playwright/test';

const url = process.argv[2] ?? 'http://localhost:7007/';
const runs = Number(process.argv[3] ?? 7);
const browser = await chromium.launch({
  executablePath: process.env.PAVED_CHROMIUM ?? '/usr/bin/chromium',
});
const median = xs => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const cold = [];
const warm = [];
let jsBytes = 0;
for (let i = 0; i < runs; i++) {
  const context = await browser.newContext();
  const page = await context.newPage();
  let bytes = 0;
  page.on('response', async response => {
    if (response.request().resourceType() === 'script') {
      const body = await response.body().catch(() => Buffer.alloc(0));
      bytes += body.length;
    }
  });
  for (const into of [cold, warm]) {
    const started = Date.now();
    await page.goto(url, { waitUntil: 'commit' });
    await page
      .getByRole('button', { name: 'Enter' })
      .waitFor({ state: 'visible', timeout: 120_000 });
    into.push(Date.now() - started);
  }
  jsBytes = Math.max(jsBytes, bytes);
  await context.close();
}
await browser.close();
console.log(`| ${url} | ${runs} runs |`);
console.log('| --- | --- |');
console.log(
  `| first load, empty cache (median, min–max) | ${median(cold)} ms (${Math.min(
    ...cold,
  )}–${Math.max(...cold)}) |`,
);
console.log(`| again, cached (median) | ${median(warm)} ms |`);
console.log(
  `| JavaScript decoded on the first load | ${(jsBytes / 1e6).toFixed(1)} MB |`,
);
