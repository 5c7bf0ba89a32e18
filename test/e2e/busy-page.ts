/**
 * A busy page, as ordinary sites are: well over a hundred no-cors loads from a CDN-like origin
 * (stylesheets, images, classic scripts, a favicon), a beacon, a no-cors fetch, three sandboxed ad
 * frames (`sandbox="allow-scripts"`: opaque origin) that load their own image and script and make
 * fetches, an allowed PUT whose server hard-codes `Access-Control-Allow-Origin` to the page origin
 * (no `Vary`), two correct calls, and a handful of calls the browser really blocks. The routes live on
 * the harness's loopback servers: the page on `page`, the API on `api`, the CDN on `third`.
 *
 * The page states no expected verdicts: the specs compare the extension with the browser's own.
 */
import type { LogEntry } from '../../src/shared/protocol';
import { waitFor, watchedPage, type BrowserDriver } from './driver';
import { send, type Servers } from './harness';

export const BUSY_PATH = '/busy.html';
export const AD_FRAMES = 3;
/** The no-cors loads of the page itself: stylesheets, images and classic scripts from the CDN. */
export const CDN_LOADS = { stylesheets: 20, images: 70, scripts: 20 };
/** Markers of the calls the browser blocks (each in its URL). */
export const BLOCKED_MARKERS = [
  'b-no-acao',
  'b-other-origin',
  'b-auth-header',
  'b-wildcard-credentials',
  'b-delete',
  'b-img-crossorigin',
];

const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=',
  'base64',
);

function page(s: Servers): string {
  const cdn = s.third.origin;
  const api = s.api.origin;
  const { stylesheets, images, scripts } = CDN_LOADS;
  const n = (count: number, f: (i: number) => string) =>
    Array.from({ length: count }, (_, i) => f(i)).join('');
  const frames = n(
    AD_FRAMES,
    (i) => `<iframe sandbox="allow-scripts" width="120" height="40" src="/ad.html?slot=${i}"></iframe>`,
  );
  return `<!doctype html><html><head><meta charset="utf-8"><title>Busy page</title>
<link rel="icon" href="${cdn}/favicon.ico">
${n(stylesheets, (i) => `<link rel="stylesheet" href="${cdn}/cdn/style.css?n=${i}">`)}
${n(scripts, (i) => `<script src="${cdn}/cdn/lib.js?n=${i}"></script>`)}
</head><body>
${n(images, (i) => `<img width="4" height="4" alt="" src="${cdn}/cdn/pic.png?n=${i}">`)}
${frames}
<script>
window.__busy = (async () => {
  const api = ${JSON.stringify(api)};
  const cdn = ${JSON.stringify(cdn)};
  const go = (u, init) => fetch(u, init).then(() => 'ok', () => 'failed');
  const img = (u) => new Promise((r) => {
    const i = new Image();
    i.crossOrigin = 'anonymous';
    i.onload = () => r('ok');
    i.onerror = () => r('failed');
    i.src = u;
  });
  // A session cookie, as signed-in pages have: sent on the credentialed call (cookies ignore ports,
  // and the loopback origins are one site), so the browser's credentials mode shows on the wire.
  document.cookie = 'session=busy; path=/; SameSite=Lax';
  navigator.sendBeacon(api + '/beacon?run=beacon', 'event=view');
  const results = await Promise.all([
    go(cdn + '/cdn/pixel.gif?run=no-cors-fetch', { mode: 'no-cors' }),
    go(api + '/items/1?run=put-hard-coded', {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json' },
      body: '{"name":"x"}',
    }),
    go(api + '/ok?run=ok-1'),
    go(api + '/ok?run=ok-2'),
    go(api + '/plain?run=b-no-acao'),
    go(api + '/other-origin?run=b-other-origin'),
    go(api + '/auth?run=b-auth-header', { method: 'PUT', headers: { Authorization: 'Bearer t' }, body: '{}' }),
    go(api + '/star?run=b-wildcard-credentials', { credentials: 'include' }),
    go(api + '/only-get?run=b-delete', { method: 'DELETE' }),
    img(cdn + '/cdn/plain.png?run=b-img-crossorigin'),
    // JSON with nosniff, fetched no-cors: Chrome's ORB blocks it; Firefox 153 hands it over opaque.
    go(api + '/data.json?run=no-cors-json', { mode: 'no-cors' }),
  ]);
  return results;
})();
</script>
</body></html>`;
}

function ad(s: Servers, slot: string): string {
  const cdn = s.third.origin;
  const api = s.api.origin;
  return `<!doctype html><meta charset="utf-8">
<img width="4" height="4" alt="" src="${cdn}/cdn/ad.png?slot=${slot}">
<script src="${cdn}/cdn/ad.js?slot=${slot}"></script>
<script>
fetch(${JSON.stringify(api)} + '/bid?slot=${slot}').catch(() => undefined);
fetch(${JSON.stringify(cdn)} + '/cdn/pixel.gif?ad-slot=${slot}', { mode: 'no-cors' }).catch(() => undefined);
</script>`;
}

/** Installs the busy page and its routes on the harness's servers. */
export function busyRoutes(s: Servers): void {
  const pageOrigin = s.page.origin;
  const file =
    (type: string, body: string | Buffer) =>
    (_q: unknown, res: Parameters<typeof send>[0]): void => {
      res.statusCode = 200;
      res.setHeader('content-type', type);
      res.setHeader('cache-control', 'no-store');
      res.end(body);
    };
  s.page.route(BUSY_PATH, (_q, res) => send(res, 200, { 'content-type': 'text/html' }, page(s)));
  s.page.route('/ad.html', (_q, res, url) =>
    send(res, 200, { 'content-type': 'text/html' }, ad(s, url.searchParams.get('slot') ?? '0')),
  );
  // The CDN: no CORS headers at all, as most CDNs serve page assets.
  s.third.route('/favicon.ico', file('image/png', PNG));
  s.third.route('/cdn/style.css', file('text/css', 'body{margin:0}'));
  s.third.route('/cdn/lib.js', file('text/javascript', 'void 0;'));
  s.third.route('/cdn/pic.png', file('image/png', PNG));
  s.third.route('/cdn/ad.png', file('image/png', PNG));
  s.third.route('/cdn/ad.js', file('text/javascript', 'void 0;'));
  s.third.route('/cdn/pixel.gif', file('image/png', PNG));
  s.third.route('/cdn/plain.png', file('image/png', PNG));
  // The API.
  const pre = (req: { method?: string; headers: Record<string, unknown> }) =>
    req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined;
  s.api.route('/beacon', (_q, res) => send(res, 204));
  // Hard-coded to the page origin (nginx `add_header ... always;`), no Vary: correct for this server.
  s.api.route('/items/1', (req, res) =>
    pre(req)
      ? send(res, 204, {
          'access-control-allow-origin': pageOrigin,
          'access-control-allow-methods': 'GET, PUT',
          'access-control-allow-headers': 'content-type',
          'access-control-max-age': '0',
        })
      : send(
          res,
          200,
          { 'access-control-allow-origin': pageOrigin, 'content-type': 'application/json' },
          '{}',
        ),
  );
  s.api.route('/ok', (_q, res) =>
    send(res, 200, { 'access-control-allow-origin': pageOrigin, vary: 'Origin' }, '{}'),
  );
  s.api.route('/bid', (_q, res) => send(res, 200, { 'access-control-allow-origin': '*' }, '{}'));
  s.api.route('/plain', (_q, res) => send(res, 200, {}, '{}'));
  s.api.route('/data.json', (_q, res) =>
    send(res, 200, { 'content-type': 'application/json', 'x-content-type-options': 'nosniff' }, '{"a":1}'),
  );
  s.api.route('/other-origin', (_q, res) =>
    send(res, 200, { 'access-control-allow-origin': 'https://app.example.com' }, '{}'),
  );
  s.api.route('/auth', (req, res) =>
    pre(req)
      ? send(res, 204, {
          'access-control-allow-origin': pageOrigin,
          'access-control-allow-methods': 'PUT',
          'access-control-allow-headers': 'content-type',
          'access-control-max-age': '0',
        })
      : send(res, 200, { 'access-control-allow-origin': pageOrigin }, '{}'),
  );
  s.api.route('/star', (_q, res) => send(res, 200, { 'access-control-allow-origin': '*' }, '{}'));
  s.api.route('/only-get', (req, res) =>
    pre(req)
      ? send(res, 204, {
          'access-control-allow-origin': pageOrigin,
          'access-control-allow-methods': 'GET',
          'access-control-max-age': '0',
        })
      : send(res, 200, { 'access-control-allow-origin': pageOrigin }, '{}'),
  );
}

/** At least this many no-cors loads: the page's own CDN loads. */
export const NO_CORS_MIN = CDN_LOADS.images + CDN_LOADS.scripts + CDN_LOADS.stylesheets;

export interface BusySite<P> {
  page: P;
  tabId: number;
  /** The page script's own view of its calls, in order (`ok`, `failed`…). */
  results: string[];
  /** The extension's log once settled: nothing pending, the ad frames' calls in. */
  entries: LogEntry[];
}

export interface BusyOptions<P> {
  /** Runs on the watched tab before it loads the busy page (attach the browser's own oracle here). */
  watch?(page: P): Promise<void> | void;
  /** Runs once the page script is done, before the log is read (wait for the oracle here). */
  loaded?(page: P): Promise<void>;
  /** How long the log may take to settle. */
  settleMs: number;
  /** A pause between two reads of the log, so that "settled" means unchanged for a while. */
  pauseMs?: number;
}

/**
 * The busy page in a tab the extension watches, in any browser: installs the routes, opens the tab,
 * loads the page, waits for its script and for the extension's log to settle.
 */
export async function openBusySite<P>(
  driver: BrowserDriver<P>,
  servers: Servers,
  options: BusyOptions<P>,
): Promise<BusySite<P>> {
  busyRoutes(servers);
  const { page, tabId } = await watchedPage(driver, servers);
  await options.watch?.(page);
  await driver.goto(page, servers.page.url(BUSY_PATH));
  const results = await driver.evaluate(
    page,
    () => (window as unknown as { __busy: Promise<string[]> }).__busy,
    undefined,
  );
  await options.loaded?.(page);
  let last = -1;
  const entries = await waitFor(
    async () => {
      const e = await driver.readEntries(tabId);
      const settled =
        e.length > NO_CORS_MIN &&
        e.length === last &&
        e.every((x) => x.verdict.outcome !== 'pending') &&
        e.filter((x) => x.exchange.legs[0]?.url.includes('/bid?')).length === AD_FRAMES;
      last = e.length;
      if (options.pauseMs) await new Promise((r) => setTimeout(r, options.pauseMs));
      return settled && e;
    },
    options.settleMs,
    `the busy page settled in ${driver.name}`,
  );
  return { page, tabId, results, entries };
}
