/**
 * Capture's memory and storage footprint: 100,000 synthetic webRequest events (simple GETs, preflighted
 * PUTs, blocked calls, redirects, over 4 tabs, with realistic header sets) folded by the pure capture
 * module with the worker's bounds and the real engine, as in the service worker.
 *
 * Prints the heap after a full gc (target <= 30 MB for the worker) and the size of what the worker keeps
 * in chrome.storage.session for a full bounded log (target <= 5 MB; storage.session's quota is 10 MB).
 * BENCH_EVENTS overrides the event count.
 */
import {
  Capture,
  DEFAULT_MAX_PER_TAB,
  DEFAULT_MAX_TOTAL,
  type Changes,
  type WebRequestEvent,
} from '../src/capture';
import { evaluate } from '../src/engine';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 100_000);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc (npm run bench does)');

const PAGE = 'https://app.example.com';
const API = 'https://api.example.com';
const reqHeaders = (extra: { name: string; value: string }[] = []) => [
  { name: 'Accept', value: 'application/json, text/plain, */*' },
  { name: 'Accept-Language', value: 'en-US,en;q=0.9,fr;q=0.8' },
  { name: 'Origin', value: PAGE },
  { name: 'Referer', value: `${PAGE}/dashboard/projects/42?tab=settings` },
  {
    name: 'User-Agent',
    value:
      'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36',
  },
  { name: 'sec-ch-ua', value: '"Chromium";v="156", "Not)A;Brand";v="24"' },
  { name: 'sec-ch-ua-mobile', value: '?0' },
  { name: 'sec-ch-ua-platform', value: '"Linux"' },
  { name: 'Sec-Fetch-Site', value: 'same-site' },
  { name: 'Sec-Fetch-Mode', value: 'cors' },
  { name: 'Sec-Fetch-Dest', value: 'empty' },
  { name: 'Accept-Encoding', value: 'gzip, deflate, br, zstd' },
  {
    name: 'Cookie',
    value: 'session=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.abc; theme=dark; _ga=GA1.2.123456.7890',
  },
  ...extra,
];
const resHeaders = (acao: boolean) => [
  ...(acao
    ? [
        { name: 'Access-Control-Allow-Origin', value: PAGE },
        { name: 'Access-Control-Allow-Credentials', value: 'true' },
      ]
    : []),
  { name: 'Vary', value: 'Origin, Accept-Encoding' },
  { name: 'Content-Type', value: 'application/json; charset=utf-8' },
  { name: 'Content-Length', value: '2048' },
  { name: 'Date', value: 'Sat, 28 Nov 2026 03:00:00 GMT' },
  { name: 'Server', value: 'nginx/1.25.3' },
  { name: 'X-Powered-By', value: 'Express' },
  { name: 'Set-Cookie', value: 'session=eyJhbGciOiJIUzI1NiJ9.new; Path=/; HttpOnly; Secure; SameSite=None' },
  { name: 'Cache-Control', value: 'no-store' },
  { name: 'Strict-Transport-Security', value: 'max-age=63072000; includeSubDomains; preload' },
  {
    name: 'Content-Security-Policy',
    value: "default-src 'self'; script-src 'self' https://cdn.example.com; object-src 'none'",
  },
  { name: 'ETag', value: 'W/"800-abcdef0123456789"' },
];
const preflightRes = [
  { name: 'Access-Control-Allow-Origin', value: PAGE },
  { name: 'Access-Control-Allow-Methods', value: 'GET, POST, PUT, DELETE, PATCH' },
  { name: 'Access-Control-Allow-Headers', value: 'authorization, content-type, x-request-id' },
  { name: 'Access-Control-Allow-Credentials', value: 'true' },
  { name: 'Access-Control-Max-Age', value: '600' },
  { name: 'Server', value: 'nginx/1.25.3' },
];

/** Yields the events of one synthetic call (i decides the kind and the tab). */
function* call(i: number, t: number): Generator<WebRequestEvent> {
  const tabId = 100 + (i % 4);
  const id = String(i * 3);
  const url = `${API}/v1/projects/${i % 50}/items?page=${i}&filter=recent`;
  const base = { type: 'xmlhttprequest', tabId, frameId: 0, documentId: `DOC${tabId}`, initiator: PAGE };
  const e = (
    event: WebRequestEvent['event'],
    requestId: string,
    method: string,
    extra: Partial<WebRequestEvent> = {},
    u = url,
  ): WebRequestEvent => ({
    event,
    requestId,
    url: u,
    method,
    timeStamp: t++,
    ...base,
    ...extra,
  });
  const kind = i % 4;
  if (kind === 0 || kind === 2) {
    yield e('beforeRequest', id, 'GET');
    yield e('sendHeaders', id, 'GET', { requestHeaders: reqHeaders() });
    yield e('headersReceived', id, 'GET', { statusCode: 200, responseHeaders: resHeaders(kind === 0) });
    if (kind === 0) yield e('completed', id, 'GET', { statusCode: 200, responseHeaders: resHeaders(true) });
    else yield e('errorOccurred', id, 'GET', { error: 'net::ERR_FAILED' });
  } else if (kind === 1) {
    const pf = String(i * 3 + 1);
    const h = reqHeaders([
      { name: 'Content-Type', value: 'application/json' },
      { name: 'X-Request-Id', value: `req-${i}` },
    ]);
    yield e('beforeRequest', id, 'PUT');
    yield e('beforeRequest', pf, 'OPTIONS');
    yield e('sendHeaders', pf, 'OPTIONS', {
      requestHeaders: [
        { name: 'Access-Control-Request-Method', value: 'PUT' },
        { name: 'Access-Control-Request-Headers', value: 'authorization,content-type,x-request-id' },
        { name: 'Origin', value: PAGE },
      ],
    });
    yield e('headersReceived', pf, 'OPTIONS', { statusCode: 204, responseHeaders: preflightRes });
    yield e('completed', pf, 'OPTIONS', { statusCode: 204, responseHeaders: preflightRes });
    yield e('sendHeaders', id, 'PUT', { requestHeaders: h });
    yield e('headersReceived', id, 'PUT', { statusCode: 200, responseHeaders: resHeaders(true) });
    yield e('completed', id, 'PUT', { statusCode: 200, responseHeaders: resHeaders(true) });
  } else {
    const target = `https://cdn.example.net/assets/${i}.json`;
    yield e('beforeRequest', id, 'GET');
    yield e('sendHeaders', id, 'GET', { requestHeaders: reqHeaders() });
    yield e('headersReceived', id, 'GET', {
      statusCode: 302,
      responseHeaders: [...resHeaders(true), { name: 'Location', value: target }],
    });
    yield e('beforeRedirect', id, 'GET', { statusCode: 302, redirectUrl: target });
    yield e('beforeRequest', id, 'GET', {}, target);
    yield e('sendHeaders', id, 'GET', { requestHeaders: reqHeaders() }, target);
    yield e('headersReceived', id, 'GET', { statusCode: 200, responseHeaders: resHeaders(false) }, target);
    yield e('errorOccurred', id, 'GET', { error: 'net::ERR_FAILED' }, target);
  }
}

function mb(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

// The worker's storage mirror, as chrome.storage.session would hold it (key -> serialised value).
const stored = new Map<string, number>();
function mirror(ch: Changes | undefined): void {
  if (!ch) return;
  for (const [k, v] of Object.entries(ch.put)) stored.set(k, k.length + JSON.stringify(v).length);
  for (const k of ch.remove) stored.delete(k);
}

gc();
const heapBefore = process.memoryUsage().heapUsed;
const capture = new Capture({ evaluate });
let n = 0;
let calls = 0;
const t0 = performance.now();
// Navigations first, so each tab has a page.
for (let tab = 100; tab < 104; tab++) {
  mirror(
    capture.handle({
      event: 'responseStarted',
      requestId: `nav${tab}`,
      url: `${PAGE}/`,
      method: 'GET',
      type: 'main_frame',
      tabId: tab,
      frameId: 0,
      statusCode: 200,
      timeStamp: 0,
    }),
  );
}
outer: for (let i = 0; ; i++) {
  for (const ev of call(i, i * 20)) {
    mirror(capture.handle(ev));
    if (++n >= EVENTS) break outer;
  }
  calls++;
}
const ms = performance.now() - t0;
gc();
const heapAfter = process.memoryUsage().heapUsed;
const storageBytes = [...stored.values()].reduce((a, b) => a + b, 0);
const perTab = [100, 101, 102, 103].map((t) => capture.tab(t));
console.log(
  `capture-memory: ${n} events (${calls} calls over 4 tabs), bounds ${DEFAULT_MAX_PER_TAB}/tab, ${DEFAULT_MAX_TOTAL} total`,
);
console.log(
  `  throughput:            ${Math.round(n / (ms / 1000)).toLocaleString('en')} events/s (with the engine's verdict per finished call)`,
);
console.log(
  `  records kept:          ${capture.size} (dropped per tab: ${perTab.map((t) => t.dropped).join(', ')})`,
);
console.log(
  `  capture heap:          ${mb(heapAfter - heapBefore)} retained after gc (process heap ${mb(heapAfter)})   (target <= 30 MB)`,
);
console.log(
  `  storage.session:       ${mb(storageBytes)} for the full bounded log, ${stored.size} keys (target <= 5 MB)`,
);
console.log(
  `  per stored exchange:   ${(storageBytes / Math.max(1, capture.size) / 1024).toFixed(2)} KB on average`,
);
console.log(`  pending bookkeeping:   ${JSON.stringify(capture.pendingSizes)}`);
