// Browser tests of the SPA, run by scripts/e2e.sh against a real API server (E2E_BASE_URL)
// with the demo accounts. Debian's Chromium: never `npx playwright install`.
import { defineConfig } from '@playwright/test';

const artifacts = process.env.E2E_ARTIFACTS || '../target/e2e-artifacts';

export default defineConfig({
  testDir: './e2e',
  outputDir: `${artifacts}/test-results`,
  fullyParallel: false,
  workers: 1,
  retries: 0,
  // A whole journey (orient: three attempts, a diagnostic, two viewports with axe) takes
  // 47 s at load 13 (stop 19, five builds beside it): the guard is for a hung page only.
  timeout: 120_000,
  expect: { timeout: 10_000 },
  reporter: [
    ['list'],
    ['json', { outputFile: `${artifacts}/results.json` }],
  ],
  use: {
    baseURL: process.env.E2E_BASE_URL || 'http://127.0.0.1:8080',
    locale: 'fr-FR',
    timezoneId: 'Europe/Paris',
    viewport: { width: 1280, height: 900 },
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
      args: [
        '--lang=fr-FR', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync',
      ],
    },
  },
});
