import { defineConfig } from '@playwright/test';
import { generateProjects } from '@backstage/e2e-test-utils/playwright';

/**
 * Browser tests: every package with an `e2e-tests/` folder. They run against `yarn start` (frontend :3000,
 * backend :7007) unless PLAYWRIGHT_URL points at a portal that is already running. The browser is a system
 * Chromium (PAVED_CHROMIUM, default /usr/bin/chromium): Playwright's own browser download is not used.
 */
export default defineConfig({
  timeout: 90_000,

  expect: {
    timeout: 30_000,
  },

  webServer: process.env.PLAYWRIGHT_URL
    ? []
    : [
        {
          command: 'yarn dev',
          url: 'http://localhost:3000',
          reuseExistingServer: !process.env.CI,
          timeout: 240_000,
          stdout: 'ignore',
          stderr: 'pipe',
        },
      ],

  forbidOnly: !!process.env.CI,

  retries: process.env.CI ? 1 : 0,

  workers: 1,

  reporter: [
    ['list'],
    ['html', { open: 'never', outputFolder: 'e2e-artifacts/report' }],
    // scripts/test.sh reads this file for its closing summary.
    ...(process.env.PLAYWRIGHT_JSON_OUTPUT_NAME ? [['json'] as ['json']] : []),
  ],

  use: {
    actionTimeout: 0,
    baseURL: process.env.PLAYWRIGHT_URL ?? 'http://localhost:3000',
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env.PAVED_CHROMIUM ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
        '--disable-sync',
      ],
    },
  },

  outputDir: 'e2e-artifacts/results',

  // One project per package with an e2e-tests/ folder, on the configured Chromium (not a `chrome` channel).
  projects: (generateProjects() ?? []).map(project => ({
    ...project,
    use: {},
  })),
});
