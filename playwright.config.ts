import { defineConfig } from '@playwright/test';

/**
 * End-to-end tests: real Chromium (CHROME_PATH, default /usr/bin/chromium) with the built extension
 * (dist/chrome; `npm run test:e2e` builds first). One worker: Chromium is heavy on 2 cores, and the
 * specs share one browser per file.
 */
export default defineConfig({
  testDir: 'test/e2e',
  testMatch: '**/*.spec.ts',
  workers: 1,
  fullyParallel: false,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  retries: 0,
  // Says which optional recipe proofs were skipped and how to enable them.
  globalTeardown: './test/e2e/global-teardown.ts',
  reporter: process.env.CI ? [['list'], ['html', { open: 'never' }]] : 'list',
  use: { trace: 'off' },
});
