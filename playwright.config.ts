import { defineConfig } from '@playwright/test';

/**
 * End-to-end tests: real Chromium (CHROME_PATH, default /usr/bin/chromium) with the built extension
 * (dist/chrome; `npm run test:e2e` builds first), and real Firefox (FIREFOX_PATH, default
 * /usr/bin/firefox-esr) with dist/firefox in the firefox-*.spec.ts and browsers-disagree specs, which
 * launch it through puppeteer-core. One worker: browsers are heavy on 2 cores, and the specs share one
 * browser per file.
 */
export default defineConfig({
  testDir: 'test/e2e',
  testMatch: '**/*.spec.ts',
  workers: 1,
  fullyParallel: false,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  // On CI a test that fails is run once more: one that then passes is listed as flaky at the end of the
  // log (skip-reporter.ts), one that fails twice fails the run.
  retries: process.env.CI ? 1 : 0,
  // Says which optional recipe proofs were skipped and how to enable them.
  globalTeardown: './test/e2e/global-teardown.ts',
  // 'list', and a line per skipped test with its reason (test/e2e/skip-reporter.ts).
  reporter: [
    ['list'],
    ['./test/e2e/skip-reporter.ts'],
    ...(process.env.CI ? [['html', { open: 'never' }] as ['html', { open: 'never' }]] : []),
  ],
  use: { trace: 'off' },
});
