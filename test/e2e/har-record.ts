/**
 * One page, recorded by every producer we can run in a test, with Chromium's own verdicts from the same
 * run (CDP): Playwright's `recordHar`, chrome-har (`harFromMessages` over the page's raw CDP `Network.*`
 * and `Page.*` events, as Puppeteer users feed it), and a Playwright trace with snapshots on. Firefox's
 * DevTools records the same page with Firefox's own verdicts in ./har-record-firefox.ts.
 *
 * The page makes: blocked simple calls (no ACAO, a mismatch, `*` with credentials), blocked preflights
 * (404, no ACAO, a method and a header not allowed), allowed calls (simple and preflighted), a redirect
 * chain to a third origin, and a no-cors image. Each call's URL carries a unique tag.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type CDPSession, type Page } from 'playwright-core';
import { harFromMessages } from 'chrome-har';
import {
  CHROME_PATH,
  ChromeOracle,
  launchWithExtension,
  ROOT,
  send,
  waitFor,
  type Extension,
  type Servers,
} from './harness';

export interface PageCall {
  name: string;
  tag: string;
  kind: 'fetch' | 'img';
  url: string;
  init?: { method?: string; headers?: Record<string, string>; credentials?: 'include' };
}

/** Chrome's verdict on one call, from CDP. */
export interface ChromeRow {
  name: string;
  tag: string;
  outcome: 'blocked' | 'allowed' | 'failed' | 'pending';
  chromeError?: string;
}

export interface Recording {
  dir: string;
  files: { playwright: string; chromeHar: string; trace: string };
  chrome: ChromeRow[];
  calls: PageCall[];
  versions: { chromium: string; playwright: string; chromeHar: string };
}

/** Installs the routes and returns the calls, each with its own tag. */
export function pageCalls(servers: Servers, run: string): PageCall[] {
  const { api, third, page } = servers;
  const app = page.origin;
  const calls: PageCall[] = [];
  const add = (
    name: string,
    kind: PageCall['kind'],
    handler: (method: string, res: Parameters<typeof send>[0]) => void,
    init?: PageCall['init'],
    server = api,
  ): string => {
    const tag = `${run}-${calls.length}`;
    const path = `/${tag}`;
    server.route(path, (req, res) => handler(req.method ?? 'GET', res));
    calls.push({ name, tag, kind, url: server.url(`${path}?t=${tag}`), ...(init ? { init } : {}) });
    return tag;
  };
  const preflightOk = (methods: string, headers: string) => ({
    'access-control-allow-origin': app,
    'access-control-allow-methods': methods,
    'access-control-allow-headers': headers,
  });
  add('simple GET without Access-Control-Allow-Origin', 'fetch', (_m, res) => send(res, 200, {}, 'data'));
  add('simple GET, Access-Control-Allow-Origin names another origin', 'fetch', (_m, res) =>
    send(res, 200, { 'access-control-allow-origin': 'http://other.example' }, 'data'),
  );
  add(
    'credentialed GET answered with *',
    'fetch',
    (_m, res) => send(res, 200, { 'access-control-allow-origin': '*' }, 'data'),
    { credentials: 'include' },
  );
  add('preflight answered 404', 'fetch', (m, res) => send(res, m === 'OPTIONS' ? 404 : 200, {}, ''), {
    method: 'PUT',
    headers: { 'X-Test': '1' },
  });
  add(
    'preflight without Access-Control-Allow-Origin',
    'fetch',
    (m, res) =>
      send(
        res,
        m === 'OPTIONS' ? 204 : 200,
        { 'access-control-allow-methods': 'PUT', 'access-control-allow-headers': 'x-test' },
        '',
      ),
    { method: 'PUT', headers: { 'X-Test': '1' } },
  );
  add(
    'preflight does not allow the method',
    'fetch',
    (m, res) => send(res, m === 'OPTIONS' ? 204 : 200, preflightOk('GET, POST', 'x-test'), ''),
    { method: 'DELETE' },
  );
  add(
    'preflight does not allow the header',
    'fetch',
    (m, res) => send(res, m === 'OPTIONS' ? 204 : 200, preflightOk('PUT', 'x-other'), ''),
    { method: 'PUT', headers: { 'X-Test': '1' } },
  );
  add('allowed simple GET', 'fetch', (_m, res) =>
    send(res, 200, { 'access-control-allow-origin': app }, 'data'),
  );
  add(
    'allowed preflighted PUT',
    'fetch',
    (m, res) =>
      send(
        res,
        m === 'OPTIONS' ? 204 : 200,
        m === 'OPTIONS' ? preflightOk('PUT', 'x-test') : preflightOk('', ''),
        '',
      ),
    { method: 'PUT', headers: { 'X-Test': '1' } },
  );
  // A redirect chain: the API sends the call on to a third origin, which allows any origin.
  const end = `${run}-end`;
  third.route(`/${end}`, (_q, res) => send(res, 200, { 'access-control-allow-origin': '*' }, 'end'));
  add('redirect chain to a third origin (allowed, Origin null)', 'fetch', (_m, res) =>
    send(res, 302, { location: third.url(`/${end}?t=${end}`), 'access-control-allow-origin': '*' }),
  );
  add('no-cors image without Access-Control-Allow-Origin', 'img', (_m, res) => {
    // A 1x1 GIF, as bytes: Firefox's image fails to load (error event) when the body does not decode.
    res.writeHead(200, { 'content-type': 'image/gif', 'cache-control': 'no-store' });
    res.end(Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64'));
  });
  return calls;
}

/** The CDP events chrome-har reads. */
const CHROME_HAR_EVENTS = [
  'Page.frameStartedLoading',
  'Page.frameRequestedNavigation',
  'Page.navigatedWithinDocument',
  'Page.loadEventFired',
  'Page.domContentEventFired',
  'Page.frameAttached',
  'Network.requestWillBeSent',
  'Network.requestServedFromCache',
  'Network.requestWillBeSentExtraInfo',
  'Network.responseReceivedExtraInfo',
  'Network.responseReceived',
  'Network.dataReceived',
  'Network.loadingFinished',
  'Network.loadingFailed',
  'Network.resourceChangedPriority',
];

async function collectEvents(cdp: CDPSession): Promise<{ method: string; params: unknown }[]> {
  const messages: { method: string; params: unknown }[] = [];
  for (const method of CHROME_HAR_EVENTS)
    cdp.on(method as 'Network.requestWillBeSent', (params: unknown) => messages.push({ method, params }));
  await cdp.send('Page.enable');
  await cdp.send('Network.enable');
  return messages;
}

/**
 * In the page: makes every call at once and says, per call, whether the page could read it (a fetch
 * that resolved and whose body was read; an image that loaded). Blocked calls end in the catch.
 */
export async function makeCalls(list: PageCall[]): Promise<boolean[]> {
  return Promise.all(
    list.map(async (c) => {
      if (c.kind === 'img') {
        const img = new Image();
        return new Promise<boolean>((resolve) => {
          img.onload = () => resolve(true);
          img.onerror = () => resolve(false);
          img.src = c.url;
        });
      }
      try {
        const res = await fetch(c.url, c.init);
        await res.text();
        return true;
      } catch {
        return false;
      }
    }),
  );
}

/** Makes the page's calls (Chrome's verdict comes from CDP). */
async function runCalls(page: Page, calls: PageCall[]): Promise<void> {
  await page.evaluate(makeCalls, calls);
}

async function chromeVerdicts(oracle: ChromeOracle, calls: PageCall[]): Promise<ChromeRow[]> {
  const rows = await waitFor(
    async () => {
      const list = calls.map((c) => ({ c, r: oracle.requestsWith(c.tag)[0] }));
      return list.every((x) => x.r?.done) ? list : undefined;
    },
    20_000,
    "Chrome's verdicts for the producers' page",
  );
  return rows.map(({ c, r }) => {
    const row: ChromeRow = { name: c.name, tag: c.tag, outcome: r?.done?.outcome ?? 'pending' };
    if (r?.done?.corsError) row.chromeError = r.done.corsError;
    return row;
  });
}

/**
 * Chrome DevTools' own HAR of the same page: Chromium with DevTools open on the tab
 * (`--auto-open-devtools-for-tabs`) and a small extension whose DevTools page hands the result of
 * `chrome.devtools.network.getHAR()` to the test (test/e2e/devtools-har/).
 */
export async function recordDevTools(
  servers: Servers,
  file: string,
): Promise<{ chrome: ChromeRow[]; calls: PageCall[] }> {
  const ext = await launchWithExtension({
    extensionPath: join(ROOT, 'test', 'e2e', 'devtools-har'),
    args: ['--auto-open-devtools-for-tabs'],
  });
  try {
    const page = await ext.context.newPage();
    await waitFor(
      async () => (await ext.worker.evaluate<boolean>('devtoolsReady()')) || undefined,
      20_000,
      'the DevTools page of the HAR extension',
    );
    const oracle = await ChromeOracle.attach(ext, page);
    await page.goto(servers.page.url('/'));
    const ask = () => ext.worker.evaluate(`devtoolsHar(${JSON.stringify(servers.page.origin)})`);
    // DevTools records a tab's requests from when it opened on it: the calls start once this tab's
    // DevTools page answers (the ready one above may be another tab's).
    await waitFor(
      async () => ((await ask()) ? true : undefined),
      30_000,
      "the DevTools page of the test's tab",
    );
    const calls = pageCalls(servers, `d${Date.now().toString(36)}`);
    await runCalls(page, calls);
    const chrome = await chromeVerdicts(oracle, calls);
    // getHAR gives the HAR's `log`; DevTools' "Save all as HAR" writes it as `{ "log": … }`. DevTools
    // lists a request some time after it ended (later on a loaded machine), and the DevTools page of
    // this tab may not answer at first (each ask gives up after 3 s with null: sw.js): ask until every
    // call's tag is in the log, for at most 30 s, then take what it holds (a call still missing fails
    // the test).
    const complete = (log: unknown) => {
      const text = JSON.stringify(log);
      return calls.every((c) => text.includes(c.tag));
    };
    let log: unknown = await ask();
    for (const deadline = Date.now() + 30_000; !complete(log) && Date.now() < deadline;) {
      await page.waitForTimeout(250);
      log = await ask();
    }
    writeFileSync(file, `${JSON.stringify({ log }, null, 1)}\n`);
    await oracle.detach();
    return { chrome, calls };
  } finally {
    await ext.close();
  }
}

/** Runs the page once under every producer and writes their files into `dir`. */
export async function recordProducers(servers: Servers, dir: string): Promise<Recording> {
  const browser = await chromium.launch({
    executablePath: CHROME_PATH,
    args: [
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-quic',
    ],
  });
  const files = {
    playwright: join(dir, 'playwright.har'),
    chromeHar: join(dir, 'chrome-har.har'),
    trace: join(dir, 'trace.zip'),
  };
  try {
    const context = await browser.newContext({ recordHar: { path: files.playwright, content: 'omit' } });
    await context.tracing.start({ snapshots: true, screenshots: false });
    const page = await context.newPage();
    const oracle = await ChromeOracle.attach({ context } as unknown as Extension, page);
    const messages = await collectEvents(await context.newCDPSession(page));
    await page.goto(servers.page.url('/'));
    const calls = pageCalls(servers, `h${Date.now().toString(36)}`);
    await runCalls(page, calls);
    const chrome = await chromeVerdicts(oracle, calls);
    // Let the last events (loadingFinished of the image, ExtraInfo) arrive before the files are written.
    await page.waitForTimeout(300);
    await oracle.detach();
    await context.tracing.stop({ path: files.trace });
    await context.close();
    const chromeHar = harFromMessages(messages, { includeTextFromResponseBody: false });
    writeFileSync(files.chromeHar, `${JSON.stringify(chromeHar, null, 1)}\n`);
    const version = (pkg: string) =>
      (
        JSON.parse(readFileSync(join(ROOT, 'node_modules', pkg, 'package.json'), 'utf8')) as {
          version: string;
        }
      ).version;
    return {
      dir,
      files,
      calls,
      chrome,
      versions: {
        chromium: browser.version(),
        playwright: version('playwright-core'),
        chromeHar: version('chrome-har'),
      },
    };
  } finally {
    await browser.close();
  }
}
