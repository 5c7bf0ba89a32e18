/**
 * Scenarios where Chrome and Firefox decide differently on the same page and server, run in both
 * browsers with the extension loaded: each browser's own verdict (CDP in Chromium, the console in
 * Firefox) must match the extension's verdict for that browser, and the two must differ.
 *
 * The server answers every call with `Access-Control-Allow-Origin: *` and has no OPTIONS route (405
 * without CORS headers), so a call passes only if the browser sends no preflight:
 * - a page sets `User-Agent`: Chrome drops it (forbidden in Chromium), Firefox asks the preflight;
 * - a page sets `DPR: 2`: Chrome safelists the client hint, Firefox asks the preflight.
 */
import { test, expect } from '@playwright/test';
import type { Page as PwPage } from 'playwright-core';
import type { Page as PpPage } from 'puppeteer-core';
import {
  ChromeOracle,
  launchWithExtension,
  readEntries,
  send,
  startServers,
  waitFor,
  waitForListeners,
  type Extension,
  type Servers,
} from './harness';
import { FirefoxOracle, launchFirefox, type FirefoxExtension } from './firefox-harness';
import { listenersReady } from './driver';

interface Disagreement {
  name: string;
  headers: Record<string, string>;
  /** Firefox's reason (the preflight has no CORS headers). */
  firefoxReason: string;
}

const CASES: Disagreement[] = [
  {
    name: 'User-Agent set by the page',
    headers: { 'user-agent': 'my-agent/1.0' },
    firefoxReason: 'CORSMissingAllowOrigin',
  },
  { name: 'DPR client hint set by the page', headers: { dpr: '2' }, firefoxReason: 'CORSMissingAllowOrigin' },
];

function routes(s: Servers): void {
  s.api.route('/no-options', (req, res) =>
    req.method === 'OPTIONS'
      ? send(res, 405, {}, 'no OPTIONS here')
      : send(res, 200, { 'access-control-allow-origin': '*' }, '{}'),
  );
}

/**
 * A preflighted PUT that the API redirects (307) to the third origin, whose preflight allows the page's
 * origin and whose answer echoes `Origin`. Chrome sends `Origin: null` (tainted) on that preflight and
 * blocks it; Firefox sends the page's origin on the preflight and `null` on the request, and allows it
 * (profile.ts, `taintsPreflightedRedirects`).
 */
function redirectRoutes(s: Servers): void {
  const allow = {
    'access-control-allow-origin': s.page.origin,
    'access-control-allow-methods': 'PUT',
    'access-control-max-age': '0',
  };
  s.api.route('/put-307', (req, res, url) =>
    req.method === 'OPTIONS'
      ? send(res, 204, allow)
      : send(res, 307, { ...allow, location: s.third.url(`/put-307-target${url.search}`) }),
  );
  s.third.route('/put-307-target', (req, res) =>
    req.method === 'OPTIONS'
      ? send(res, 204, allow)
      : send(res, 200, { 'access-control-allow-origin': String(req.headers.origin) }, '{}'),
  );
}

const PUT = `(a) => fetch(a.url, { method: 'PUT' }).then((r) => r.text().then(() => 'ok'), (e) => String(e))`;

const FETCH = `(a) => fetch(a.url, { headers: a.headers }).then((r) => r.text().then(() => 'ok'), (e) => String(e))`;

test.describe('browsers disagree: Chromium', () => {
  test.describe.configure({ mode: 'serial' });
  let servers: Servers;
  let ext: Extension;
  let page: PwPage;
  let tabId: number;
  let oracle: ChromeOracle;

  test.beforeAll(async () => {
    test.setTimeout(90_000);
    servers = await startServers();
    routes(servers);
    redirectRoutes(servers);
    ext = await launchWithExtension();
    page = await ext.context.newPage();
    await page.goto(servers.page.url('/'));
    tabId = await waitForListeners(ext, page, servers);
    oracle = await ChromeOracle.attach(ext, page);
  });
  test.afterAll(async () => {
    await oracle?.detach();
    await ext?.close();
    await servers?.close();
  });

  for (const c of CASES) {
    test(`${c.name}: Chrome allows it`, async () => {
      const tag = `chrome-${c.name.split(' ')[0]}-${Date.now().toString(36)}`;
      const url = servers.api.url(`/no-options?run=${tag}`);
      const result = await page.evaluate(({ s, a }) => (0, eval)(s)(a) as Promise<string>, {
        s: FETCH,
        a: { url, headers: c.headers },
      });
      expect(result).toBe('ok');
      expect(await oracle.waitVerdict(tag)).toEqual({ outcome: 'allowed' });
      const entry = await waitFor(
        async () => (await readEntries(ext, tabId)).find((e) => e.exchange.legs[0]?.url.includes(tag)),
        10_000,
        'the recorded call',
      );
      expect(entry.verdict.browser).toBe('chrome');
      expect(entry.verdict.outcome).toBe('allowed');
      if (c.headers.dpr) {
        // Chrome sent the hint without a preflight: the extension sees it and warns about Firefox.
        expect(entry.verdict.otherBrowser).toMatchObject({ browser: 'firefox', agrees: 'unknown' });
        expect(entry.verdict.otherBrowser?.text).toMatch(/^Passes in Chrome, may fail in Firefox: .*`dpr`/);
      }
      // A script's User-Agent never reaches the network in Chrome, so nothing shows that the page set
      // it: the extension cannot warn about Firefox here (README, "What differs between browsers").
    });
  }

  test('a preflighted PUT, 307 to a third origin that allows the page: Chrome blocks it', async () => {
    const tag = `chrome-put307-${Date.now().toString(36)}`;
    const result = await page.evaluate(({ s, a }) => (0, eval)(s)(a) as Promise<string>, {
      s: PUT,
      a: { url: servers.api.url(`/put-307?run=${tag}`) },
    });
    expect(result).not.toBe('ok');
    expect(await oracle.waitVerdict(tag)).toMatchObject({
      outcome: 'blocked',
      corsError: 'PreflightAllowOriginMismatch',
    });
    const entry = await waitFor(
      async () =>
        (await readEntries(ext, tabId)).find(
          (e) => e.exchange.legs[0]?.url.includes(tag) && e.verdict.outcome !== 'pending',
        ),
      10_000,
      'the recorded call',
    );
    expect(entry.verdict.kind).toBe('preflight-redirect-tainted-origin');
    expect(entry.verdict.otherBrowser).toMatchObject({ browser: 'firefox', agrees: false });
    expect(entry.verdict.otherBrowser?.text).toMatch(
      /^Fails in Chrome, passes in Firefox as far as Chrome got/,
    );
  });
});

test.describe('browsers disagree: Firefox', () => {
  test.describe.configure({ mode: 'serial' });
  let servers: Servers;
  let ext: FirefoxExtension;
  let page: PpPage;
  let tabId: number;
  let oracle: FirefoxOracle;

  test.beforeAll(async () => {
    test.setTimeout(90_000);
    servers = await startServers();
    routes(servers);
    redirectRoutes(servers);
    ext = await launchFirefox();
    page = await ext.browser.newPage();
    oracle = new FirefoxOracle(page);
    await page.goto(servers.page.url('/'));
    tabId = await listenersReady(ext, page, servers);
  });
  test.afterAll(async () => {
    await ext?.close();
    await servers?.close();
  });

  for (const c of CASES) {
    test(`${c.name}: Firefox blocks it`, async () => {
      const tag = `firefox-${c.name.split(' ')[0]}-${Date.now().toString(36)}`;
      const url = servers.api.url(`/no-options?run=${tag}`);
      const result = await page.evaluate(
        (s: string, a: unknown) => (0, eval)(s)(a) as Promise<string>,
        FETCH,
        { url, headers: c.headers },
      );
      expect(result).not.toBe('ok');
      const logged = await waitFor(
        async () => oracle.about(tag).find((m) => m.reason !== 'CORSDidNotSucceed'),
        5_000,
        "Firefox's console reason",
      );
      expect(logged.reason).toBe(c.firefoxReason);
      const entry = await waitFor(
        async () =>
          (await ext.readEntries(tabId)).find(
            (e) => e.exchange.legs[0]?.url.includes(tag) && e.verdict.outcome !== 'pending',
          ),
        10_000,
        'the recorded call',
      );
      expect(entry.verdict.browser).toBe('firefox');
      expect(entry.verdict.outcome).toBe('blocked');
      expect(entry.verdict.firefoxReason?.name, JSON.stringify([entry.verdict.kind, entry.exchange])).toBe(
        logged.reason,
      );
      expect(entry.verdict.otherBrowser).toMatchObject({ browser: 'chrome', agrees: false });
      expect(entry.verdict.otherBrowser?.text).toMatch(/^Fails in Firefox, may pass in Chrome: /);
    });
  }

  test('a preflighted PUT, 307 to a third origin that allows the page: Firefox allows it', async () => {
    const tag = `firefox-put307-${Date.now().toString(36)}`;
    const result = await page.evaluate((s: string, a: unknown) => (0, eval)(s)(a) as Promise<string>, PUT, {
      url: servers.api.url(`/put-307?run=${tag}`),
    });
    expect(result).toBe('ok');
    const entry = await waitFor(
      async () =>
        (await ext.readEntries(tabId)).find(
          (e) => e.exchange.legs[0]?.url.includes(tag) && e.verdict.outcome !== 'pending',
        ),
      10_000,
      'the recorded call',
    );
    expect(entry.verdict.browser).toBe('firefox');
    expect(entry.verdict.outcome, JSON.stringify(entry.exchange)).toBe('allowed');
    expect(entry.verdict.otherBrowser).toMatchObject({
      browser: 'chrome',
      agrees: false,
      reason: 'PreflightAllowOriginMismatch',
    });
  });
});
