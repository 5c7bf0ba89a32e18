/**
 * Playwright fixtures for the end-to-end specs, in place of each file's `beforeAll`/`afterAll`:
 *
 * - `servers`: the loopback page, API and third origins (test/e2e/harness.ts `startServers`);
 * - `chromium`: Chromium with dist/chrome ({@link launchWithExtension}) and `chromiumDriver` over it;
 * - `firefox`: Firefox with dist/firefox ({@link launchFirefox}), itself a {@link BrowserDriver}.
 *
 * All three are worker-scoped: started once for the worker (the suite runs with one) on first use and
 * closed when it ends, since a browser launch per test would be slow on 2 cores. A spec that needs a
 * browser of its own (other flags, a worker it stops) launches it itself. Specs keep to their own tab
 * (`watchedPage`) and their own URLs, so they do not see each other's calls.
 */
import { test as base } from '@playwright/test';
import type { Page } from 'playwright-core';
import type { BrowserDriver } from './driver';
import { chromiumDriver, launchWithExtension, startServers, type Extension, type Servers } from './harness';
import { launchFirefox, type FirefoxExtension } from './firefox-harness';

export interface Chromium {
  ext: Extension;
  driver: BrowserDriver<Page>;
}

export interface WorkerFixtures {
  servers: Servers;
  chromium: Chromium;
  firefox: FirefoxExtension;
}

export const test = base.extend<object, WorkerFixtures>({
  servers: [
    // eslint-disable-next-line no-empty-pattern -- Playwright requires the object pattern
    async ({}, use) => {
      const servers = await startServers();
      await use(servers);
      await servers.close();
    },
    { scope: 'worker' },
  ],
  chromium: [
    // eslint-disable-next-line no-empty-pattern -- Playwright requires the object pattern
    async ({}, use) => {
      const ext = await launchWithExtension();
      await use({ ext, driver: chromiumDriver(ext) });
      await ext.close();
    },
    { scope: 'worker', timeout: 60_000 },
  ],
  firefox: [
    // eslint-disable-next-line no-empty-pattern -- Playwright requires the object pattern
    async ({}, use) => {
      const ext = await launchFirefox();
      await use(ext);
      await ext.close();
    },
    { scope: 'worker', timeout: 90_000 },
  ],
});

export { expect } from '@playwright/test';
