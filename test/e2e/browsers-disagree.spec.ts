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
import type { Page as PwPage } from 'playwright-core';
import type { Page as PpPage } from 'puppeteer-core';
import type { LogEntry } from '../../src/shared/protocol';
import { ChromeOracle, send, type Servers } from './harness';
import { FirefoxOracle } from './firefox-harness';
import { waitFor, watchedPage, type BrowserDriver } from './driver';
import { test as base, expect } from './fixtures';

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

/** Runs the function whose source is `src` with `arg` in the page; returns what it returned. */
const runSource = <P>(driver: BrowserDriver<P>, page: P, src: string, arg: unknown): Promise<string> =>
  driver.evaluate(page, ({ s, a }) => (0, eval)(s)(a) as Promise<string>, { s: src, a: arg });

/** The extension's entry for the call whose URL holds `tag`, once it is no longer pending. */
const recorded = <P>(driver: BrowserDriver<P>, tabId: number, tag: string): Promise<LogEntry> =>
  waitFor(
    async () =>
      (await driver.readEntries(tabId)).find(
        (e) => e.exchange.legs[0]?.url.includes(tag) && e.verdict.outcome !== 'pending',
      ),
    10_000,
    'the recorded call',
  );

interface Side<P, O> {
  page: P;
  tabId: number;
  oracle: O;
}

/** Per browser, a watched tab with the browser's own verdicts, on servers with this file's routes. */
const test = base.extend<
  object,
  { chromeSide: Side<PwPage, ChromeOracle>; firefoxSide: Side<PpPage, FirefoxOracle> }
>({
  chromeSide: [
    async ({ servers, chromium }, use) => {
      routes(servers);
      redirectRoutes(servers);
      const { page, tabId } = await watchedPage(chromium.driver, servers);
      const oracle = await ChromeOracle.attach(chromium.ext, page);
      await use({ page, tabId, oracle });
      await oracle.detach();
      await page.close();
    },
    { scope: 'worker', timeout: 90_000 },
  ],
  firefoxSide: [
    async ({ servers, firefox }, use) => {
      routes(servers);
      redirectRoutes(servers);
      let oracle: FirefoxOracle | undefined;
      const { page, tabId } = await watchedPage(firefox, servers, (p) => {
        oracle = new FirefoxOracle(p);
      });
      await use({ page, tabId, oracle: oracle! });
      await page.close();
    },
    { scope: 'worker', timeout: 90_000 },
  ],
});

test.describe('browsers disagree: Chromium', () => {
  test.describe.configure({ mode: 'serial' });
  for (const c of CASES) {
    test(`${c.name}: Chrome allows it`, async ({
      servers,
      chromium,
      chromeSide: { page, tabId, oracle },
    }) => {
      const tag = `chrome-${c.name.split(' ')[0]}-${Date.now().toString(36)}`;
      const url = servers.api.url(`/no-options?run=${tag}`);
      const result = await runSource(chromium.driver, page, FETCH, { url, headers: c.headers });
      expect(result).toBe('ok');
      expect(await oracle.waitVerdict(tag)).toEqual({ outcome: 'allowed' });
      const entry = await recorded(chromium.driver, tabId, tag);
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

  test('a preflighted PUT, 307 to a third origin that allows the page: Chrome blocks it', async ({
    servers,
    chromium,
    chromeSide: { page, tabId, oracle },
  }) => {
    const tag = `chrome-put307-${Date.now().toString(36)}`;
    const result = await runSource(chromium.driver, page, PUT, {
      url: servers.api.url(`/put-307?run=${tag}`),
    });
    expect(result).not.toBe('ok');
    expect(await oracle.waitVerdict(tag)).toMatchObject({
      outcome: 'blocked',
      corsError: 'PreflightAllowOriginMismatch',
    });
    const entry = await recorded(chromium.driver, tabId, tag);
    expect(entry.verdict.kind).toBe('preflight-redirect-tainted-origin');
    expect(entry.verdict.otherBrowser).toMatchObject({ browser: 'firefox', agrees: false });
    expect(entry.verdict.otherBrowser?.text).toMatch(
      /^Fails in Chrome, passes in Firefox as far as Chrome got/,
    );
  });
});

test.describe('browsers disagree: Firefox', () => {
  test.describe.configure({ mode: 'serial' });
  for (const c of CASES) {
    test(`${c.name}: Firefox blocks it`, async ({
      servers,
      firefox,
      firefoxSide: { page, tabId, oracle },
    }) => {
      const tag = `firefox-${c.name.split(' ')[0]}-${Date.now().toString(36)}`;
      const url = servers.api.url(`/no-options?run=${tag}`);
      const result = await runSource(firefox, page, FETCH, { url, headers: c.headers });
      expect(result).not.toBe('ok');
      const logged = await waitFor(
        async () => oracle.about(tag).find((m) => m.reason !== 'CORSDidNotSucceed'),
        5_000,
        "Firefox's console reason",
      );
      expect(logged.reason).toBe(c.firefoxReason);
      const entry = await recorded(firefox, tabId, tag);
      expect(entry.verdict.browser).toBe('firefox');
      expect(entry.verdict.outcome).toBe('blocked');
      expect(entry.verdict.firefoxReason?.name, JSON.stringify([entry.verdict.kind, entry.exchange])).toBe(
        logged.reason,
      );
      expect(entry.verdict.otherBrowser).toMatchObject({ browser: 'chrome', agrees: false });
      expect(entry.verdict.otherBrowser?.text).toMatch(/^Fails in Firefox, may pass in Chrome: /);
    });
  }

  test('a preflighted PUT, 307 to a third origin that allows the page: Firefox allows it', async ({
    servers,
    firefox,
    firefoxSide: { page, tabId },
  }) => {
    const tag = `firefox-put307-${Date.now().toString(36)}`;
    const result = await runSource(firefox, page, PUT, { url: servers.api.url(`/put-307?run=${tag}`) });
    expect(result).toBe('ok');
    const entry = await recorded(firefox, tabId, tag);
    expect(entry.verdict.browser).toBe('firefox');
    expect(entry.verdict.outcome, JSON.stringify(entry.exchange)).toBe('allowed');
    expect(entry.verdict.otherBrowser).toMatchObject({
      browser: 'chrome',
      agrees: false,
      reason: 'PreflightAllowOriginMismatch',
    });
  });
});
