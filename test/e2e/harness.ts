/**
 * End-to-end test library: real Chromium with the built extension, loopback test servers, Chrome's own
 * CORS verdict from CDP, and the extension's stored log.
 *
 * Typical use (see test/e2e/verdicts.spec.ts):
 *
 * ```ts
 * const servers = await startServers();                 // page, api and third origin on ephemeral ports
 * const ext = await launchWithExtension();             // headless Chromium + dist/chrome
 * const page = await ext.context.newPage();
 * await page.goto(servers.page.url('/'));
 * const tabId = await waitForListeners(ext, page, servers); // also learns the page's tab id
 * servers.api.route('/thing', (req, res) => send(res, 200, { 'access-control-allow-origin': '*' }));
 * await page.evaluate((u) => fetch(u), servers.api.url('/thing?run=1'));
 * const log = await readLog(ext, tabId);                  // what the worker stored (chrome.storage.session)
 * ```
 *
 * Everything listens on 127.0.0.1 port 0 (never a fixed port: several engineers run tests at once).
 * `127.0.0.1:<a>` and `127.0.0.1:<b>` are different origins, so page and API are cross-origin.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type CDPSession, type Page, type Worker } from 'playwright-core';
import type { LogEntry } from '../../src/shared/protocol';
import type { StoredEntry } from '../../src/capture';
import { listenersReady, storedLogOf, waitFor, type BrowserDriver, type StoredLog } from './driver';

export { waitFor, type StoredLog } from './driver';

export const ROOT = resolve(import.meta.dirname, '..', '..');
export const DIST = join(ROOT, 'dist', 'chrome');
export const CHROME_PATH = process.env.CHROME_PATH ?? '/usr/bin/chromium';

// ---------------------------------------------------------------------------------------------
// Browser

export interface Extension {
  context: BrowserContext;
  /** The extension's service worker (Playwright keeps the same handle across a worker restart). */
  worker: Worker;
  extensionId: string;
  /** Closes the browser and removes the temporary profile and extension copy. */
  close(): Promise<void>;
}

export interface LaunchOptions {
  /** Unpacked extension directory; default dist/chrome. `null` launches without any extension. */
  extensionPath?: string | null;
  headless?: boolean;
  args?: string[];
}

const BASE_ARGS = [
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/**
 * Launches Chromium (`CHROME_PATH`, default /usr/bin/chromium) with a fresh profile and the unpacked
 * extension. The extension directory is copied first, so a concurrent `npm run build` cannot change it
 * under a running test.
 */
export async function launchWithExtension(options: LaunchOptions = {}): Promise<Extension> {
  const tmp = mkdtempSync(join(tmpdir(), 'cors-lens-e2e-'));
  const source = options.extensionPath === undefined ? DIST : options.extensionPath;
  const args = [...BASE_ARGS, ...(options.args ?? [])];
  let extDir: string | undefined;
  if (source !== null) {
    extDir = join(tmp, 'extension');
    cpSync(source, extDir, { recursive: true });
    args.push(`--disable-extensions-except=${extDir}`, `--load-extension=${extDir}`);
  }
  const context = await chromium.launchPersistentContext(join(tmp, 'profile'), {
    executablePath: CHROME_PATH,
    headless: options.headless ?? true,
    args,
  });
  const close = async (): Promise<void> => {
    await context.close().catch(() => undefined);
    rmSync(tmp, { recursive: true, force: true });
  };
  if (source === null) {
    return { context, worker: undefined as unknown as Worker, extensionId: '', close };
  }
  let worker = context.serviceWorkers().find((w) => w.url().startsWith('chrome-extension://'));
  worker ??= await context.waitForEvent('serviceworker', {
    predicate: (w) => w.url().startsWith('chrome-extension://'),
    timeout: 15_000,
  });
  const extensionId = new URL(worker.url()).host;
  await worker.evaluate(
    () => (globalThis as unknown as { __corsLens?: { ready: Promise<void> } }).__corsLens?.ready,
  );
  return { context, worker, extensionId, close };
}

/**
 * Waits until the worker's webRequest listeners are live (see {@link listenersReady}); returns the
 * page's tab id, with that tab's log cleared.
 */
export async function waitForListeners(ext: Extension, page: Page, servers: Servers): Promise<number> {
  return listenersReady(chromiumDriver(ext), page, servers);
}

/** The tab id of the exchange whose URL contains `marker`, polling the worker for up to `timeoutMs`. */
export async function findTabId(
  ext: Extension,
  marker: string,
  timeoutMs = 5_000,
): Promise<number | undefined> {
  const deadline = Date.now() + timeoutMs;
  do {
    const found = await ext.worker.evaluate((m) => {
      const api = (
        globalThis as unknown as { __corsLens: { tabIds(): number[]; stored(t: number): StoredEntry[] } }
      ).__corsLens;
      for (const t of api.tabIds()) {
        if (api.stored(t).some((e) => e.exchange.legs.some((l) => l.url.includes(m)))) return t;
      }
      return undefined;
    }, marker);
    if (found !== undefined) return found;
    await new Promise((r) => setTimeout(r, 50));
  } while (Date.now() < deadline);
  return undefined;
}

export async function clearLog(ext: Extension, tabId: number): Promise<void> {
  await ext.worker.evaluate(
    (t) => (globalThis as unknown as { __corsLens: { clear(t: number): void } }).__corsLens.clear(t),
    tabId,
  );
}

/**
 * The tab's log as the worker stored it in `chrome.storage.session` (the durable copy a restarted
 * worker restores from): exchanges with their verdict summaries, and the tab's counters.
 */
export async function readLog(ext: Extension, tabId: number): Promise<StoredLog> {
  return storedLogOf(await ext.worker.evaluate(() => chrome.storage.session.get(null)), tabId);
}

/** The tab's log with full verdicts, straight from the worker's memory (what a panel snapshot carries). */
export async function readEntries(ext: Extension, tabId: number): Promise<LogEntry[]> {
  return ext.worker.evaluate(
    (t) =>
      (globalThis as unknown as { __corsLens: { entries(t: number): LogEntry[] } }).__corsLens.entries(t),
    tabId,
  );
}

/** The badge text and tooltip the extension set for a tab. */
export async function readBadge(ext: Extension, tabId: number): Promise<{ text: string; title: string }> {
  return ext.worker.evaluate(async (t) => {
    const [text, title] = await Promise.all([
      chrome.action.getBadgeText({ tabId: t }),
      chrome.action.getTitle({ tabId: t }),
    ]);
    return { text, title };
  }, tabId);
}

/** The {@link BrowserDriver} over a Chromium launched by {@link launchWithExtension}. */
export function chromiumDriver(ext: Extension): BrowserDriver<Page> {
  return {
    name: 'chromium',
    newPage: () => ext.context.newPage(),
    goto: async (page, url) => {
      await page.goto(url);
    },
    evaluate: <A, R>(page: Page, fn: (arg: A) => R | Promise<R>, arg: A) =>
      page.evaluate(fn as (arg: unknown) => R | Promise<R>, arg as unknown),
    findTabId: (marker) => findTabId(ext, marker, 0),
    clearLog: (tabId) => clearLog(ext, tabId),
    readEntries: (tabId) => readEntries(ext, tabId),
    readLog: (tabId) => readLog(ext, tabId),
    badgeText: async (tabId) => (await readBadge(ext, tabId)).text,
    clearCookies: () => ext.context.clearCookies(),
    close: () => ext.close(),
  };
}

/**
 * Stops the extension's service worker the way Chrome does when it is idle (Playwright otherwise keeps it
 * alive): `Target.closeTarget` on its target. The next event restarts it; `ext.worker` keeps working.
 * By default it first waits until the worker has no storage write pending, as an idle worker would.
 */
export async function stopServiceWorker(ext: Extension, options: { whenIdle?: boolean } = {}): Promise<void> {
  if (options.whenIdle !== false) {
    // Chrome stops only a worker that has been idle (30 s without events), by which time its batched
    // storage writes (at most 15 ms old) are done: model that. `whenIdle: false` is a forced stop.
    await waitFor(
      () =>
        ext.worker.evaluate(() =>
          (globalThis as unknown as { __corsLens: { idle(): boolean } }).__corsLens.idle(),
        ),
      5_000,
      'the worker to be idle',
    );
  }
  const browser = ext.context.browser();
  if (!browser) throw new Error('no browser handle');
  const cdp = await browser.newBrowserCDPSession();
  try {
    const { targetInfos } = (await cdp.send('Target.getTargets')) as {
      targetInfos: { targetId: string; type: string; url: string }[];
    };
    const target = targetInfos.find(
      (t) => t.type === 'service_worker' && t.url.startsWith(`chrome-extension://${ext.extensionId}/`),
    );
    if (!target) throw new Error('extension service worker target not found');
    await cdp.send('Target.closeTarget', { targetId: target.targetId });
    // Wait until the target is gone.
    await waitFor(
      async () => {
        const r = (await cdp.send('Target.getTargets')) as { targetInfos: { targetId: string }[] };
        return !r.targetInfos.some((t) => t.targetId === target.targetId);
      },
      10_000,
      'the service worker to stop',
    );
  } finally {
    await cdp.detach().catch(() => undefined);
  }
}

/** Wakes the worker (any extension API event does) and waits until it has restored its log. */
export async function workerReady(ext: Extension): Promise<void> {
  await ext.worker.evaluate(
    () => (globalThis as unknown as { __corsLens: { ready: Promise<void> } }).__corsLens.ready,
  );
}

// ---------------------------------------------------------------------------------------------
// Chrome's verdict over CDP

/** Chrome's own verdict for one request, normalised: CDP's empty `failedParameter` becomes undefined. */
export interface ChromeVerdict {
  outcome: 'blocked' | 'allowed' | 'failed';
  corsError?: string;
  failedParameter?: string;
  errorText?: string;
  /** `Network.loadingFailed.blockedReason` (e.g. `corp-not-same-origin`), when Chrome gave one. */
  blockedReason?: string;
}

/** One non-preflight request as CDP saw it. */
export interface CdpRequest {
  url: string;
  method: string;
  /** Request header names as the page set them (lower case). */
  headerNames: string[];
  preflight: boolean;
  done?: ChromeVerdict;
}

type Send = (method: string, params?: Record<string, unknown>) => Promise<unknown>;

/**
 * Collects Chrome's verdicts from CDP (Network + Audits) for a page, its dedicated workers (auto-attach)
 * and, with {@link ChromeOracle.watchServiceWorkers}, the service workers of an origin. Look a request
 * up by a unique marker in its URL (the scenario's `?run=` tag).
 */
export class ChromeOracle {
  private readonly requests = new Map<string, CdpRequest>();
  private readonly sessions: CDPSession[] = [];
  private nextId = 1;
  private readonly pending = new Map<number, (v: unknown) => void>();

  private constructor(private readonly ext: Extension) {}

  static async attach(ext: Extension, page: Page): Promise<ChromeOracle> {
    const o = new ChromeOracle(ext);
    const cdp = await ext.context.newCDPSession(page);
    o.sessions.push(cdp);
    const send: Send = (m, p) => cdp.send(m as 'Network.enable', p);
    o.listen(cdp, '');
    await send('Network.enable');
    await send('Audits.enable');
    // Dedicated workers (and the cross-origin iframe when site-isolated) are child targets.
    await send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: true, flatten: false });
    return o;
  }

  /** Also watch the service workers registered for `origin` (their requests have tabId -1). */
  async watchServiceWorkers(origin: string): Promise<void> {
    const browser = this.ext.context.browser();
    if (!browser) throw new Error('no browser handle');
    const cdp = await browser.newBrowserCDPSession();
    this.sessions.push(cdp);
    this.listen(cdp, '');
    const attached = new Set<string>();
    const attach = async (t: { targetId: string; type: string; url: string }): Promise<void> => {
      if (t.type !== 'service_worker' || !t.url.startsWith(origin) || attached.has(t.targetId)) return;
      attached.add(t.targetId);
      const { sessionId } = await cdp.send('Target.attachToTarget', { targetId: t.targetId, flatten: false });
      await this.child(cdp, sessionId);
    };
    cdp.on('Target.targetCreated', (e: { targetInfo: { targetId: string; type: string; url: string } }) => {
      void attach(e.targetInfo).catch(() => undefined);
    });
    cdp.on(
      'Target.targetInfoChanged',
      (e: { targetInfo: { targetId: string; type: string; url: string } }) => {
        void attach(e.targetInfo).catch(() => undefined);
      },
    );
    await cdp.send('Target.setDiscoverTargets', { discover: true });
    const { targetInfos } = (await cdp.send('Target.getTargets')) as {
      targetInfos: { targetId: string; type: string; url: string }[];
    };
    for (const t of targetInfos) await attach(t).catch(() => undefined);
  }

  private listen(cdp: CDPSession, prefix: string): void {
    cdp.on('Network.requestWillBeSent', (e: Record<string, unknown>) =>
      this.onEvent(prefix, 'Network.requestWillBeSent', e),
    );
    cdp.on('Network.loadingFinished', (e: Record<string, unknown>) =>
      this.onEvent(prefix, 'Network.loadingFinished', e),
    );
    cdp.on('Network.loadingFailed', (e: Record<string, unknown>) =>
      this.onEvent(prefix, 'Network.loadingFailed', e),
    );
    cdp.on('Target.attachedToTarget', (e: { sessionId: string; targetInfo: { type: string } }) => {
      void this.child(cdp, e.sessionId, true).catch(() => undefined);
    });
    cdp.on('Target.receivedMessageFromTarget', (e: { sessionId: string; message: string }) => {
      this.onChildMessage(cdp, e.sessionId, e.message);
    });
  }

  /** A non-flattened child session (worker): speak to it through Target.sendMessageToTarget. */
  private async child(parent: CDPSession, sessionId: string, resume = false): Promise<void> {
    const send: Send = (method, params) => {
      const id = this.nextId++;
      const p = new Promise((r) => this.pending.set(id, r));
      void parent
        .send('Target.sendMessageToTarget', {
          sessionId,
          message: JSON.stringify({ id, method, params: params ?? {} }),
        })
        .catch(() => this.pending.get(id)?.(undefined));
      return p;
    };
    await send('Network.enable');
    await send('Audits.enable').catch(() => undefined);
    await send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: true, flatten: false });
    if (resume) await send('Runtime.runIfWaitingForDebugger');
  }

  private onChildMessage(parent: CDPSession, sessionId: string, message: string): void {
    let m: { id?: number; method?: string; params?: Record<string, unknown> };
    try {
      m = JSON.parse(message) as typeof m;
    } catch {
      return;
    }
    if (m.id !== undefined) {
      const r = this.pending.get(m.id);
      this.pending.delete(m.id);
      r?.(m);
      return;
    }
    if (!m.method || !m.params) return;
    if (m.method === 'Target.attachedToTarget') {
      // A grandchild (e.g. a worker inside an out-of-process iframe): nested sessions are rare; resume it.
      return;
    }
    if (m.method === 'Target.receivedMessageFromTarget') return;
    this.onEvent(sessionId, m.method, m.params);
    void parent;
  }

  private onEvent(prefix: string, method: string, e: Record<string, unknown>): void {
    // CDP request ids are unique browser-wide; the same request can reach two sessions (e.g. a service
    // worker seen through two targets): merge them.
    const key = String(e.requestId);
    void prefix;
    if (method === 'Network.requestWillBeSent') {
      const request = e.request as { url: string; method: string; headers?: Record<string, string> };
      const initiator = e.initiator as { type?: string } | undefined;
      if (!this.requests.has(key)) {
        this.requests.set(key, {
          url: request.url,
          method: request.method,
          headerNames: Object.keys(request.headers ?? {}).map((h) => h.toLowerCase()),
          preflight: initiator?.type === 'preflight' || e.type === 'Preflight',
        });
      }
      return;
    }
    const r = this.requests.get(key);
    if (!r || r.done) return;
    if (method === 'Network.loadingFinished') r.done = { outcome: 'allowed' };
    else if (method === 'Network.loadingFailed') {
      const cors = e.corsErrorStatus as { corsError: string; failedParameter?: string } | undefined;
      if (cors) {
        r.done = { outcome: 'blocked', corsError: cors.corsError, errorText: String(e.errorText) };
        if (cors.failedParameter) r.done.failedParameter = cors.failedParameter;
      } else r.done = { outcome: 'failed', errorText: String(e.errorText) };
      if (typeof e.blockedReason === 'string') r.done.blockedReason = e.blockedReason;
    }
  }

  /** Chrome's verdict for the (non-preflight) request whose first URL contains `marker`, once it ended. */
  verdict(marker: string): ChromeVerdict | undefined {
    for (const r of this.requests.values())
      if (!r.preflight && r.url.includes(marker) && r.done) return r.done;
    return undefined;
  }

  /** Every non-preflight request whose first URL contains `marker`, in the order they started. */
  requestsWith(marker: string): CdpRequest[] {
    return [...this.requests.values()].filter((r) => !r.preflight && r.url.includes(marker));
  }

  async waitVerdict(marker: string, timeoutMs = 10_000): Promise<ChromeVerdict> {
    return waitFor(async () => this.verdict(marker), timeoutMs, `Chrome's verdict for ${marker}`);
  }

  async detach(): Promise<void> {
    for (const s of this.sessions) await s.detach().catch(() => undefined);
  }
}

// ---------------------------------------------------------------------------------------------
// Servers

export interface RequestRecord {
  method: string;
  path: string;
  origin?: string;
  acrm?: string;
  acrh?: string;
}

export type Handler = (req: IncomingMessage, res: ServerResponse, url: URL) => void;

export interface TestServer {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  port: number;
  url(pathAndQuery: string): string;
  /** Installs (or replaces) the handler for an exact path. Unrouted paths answer 404 without CORS headers. */
  route(path: string, handler: Handler): void;
  /** Every request that reached this server. */
  log: RequestRecord[];
  close(): Promise<void>;
}

export interface Servers {
  /** The page's origin. Serves `/` (a blank page), `/worker.js`, `/sw.js` and `/frame.html` by default. */
  page: TestServer;
  /**
   * With `startServers({ tls: true })`: an https page origin (same pages as `page`) and an https API,
   * both with a self-signed certificate made at start (launch Chromium with `--ignore-certificate-errors`).
   */
  tls?: { page: TestServer; api: TestServer };
  /** The API origin. */
  api: TestServer;
  /** A third origin: redirect targets and a cross-origin iframe. */
  third: TestServer;
  /** A URL on a port nothing listens on (connection refused). */
  refusedUrl(pathAndQuery: string): string;
  close(): Promise<void>;
}

/** Writes a response: `headers` values may be arrays (one header line each). */
export function send(
  res: ServerResponse,
  status: number,
  headers: Record<string, string | string[]> = {},
  body = '',
): void {
  res.statusCode = status;
  for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
  if (!res.hasHeader('content-type') && body) res.setHeader('content-type', 'text/plain');
  if (!res.hasHeader('cache-control')) res.setHeader('cache-control', 'no-store');
  res.end(body);
}

/** A key and self-signed certificate for 127.0.0.1 and localhost, made with openssl (valid two days). */
export function selfSignedCertificate(): { key: Buffer; cert: Buffer } {
  const dir = mkdtempSync(join(tmpdir(), 'cors-lens-tls-'));
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-days',
        '2',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1,DNS:localhost',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
      ],
      { stdio: 'pipe' },
    );
    return { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) };
  } catch (e) {
    throw new Error(`could not make a self-signed certificate with openssl (is it installed?): ${String(e)}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function listen(tls?: { key: Buffer; cert: Buffer }): Promise<TestServer> {
  const routes = new Map<string, Handler>();
  const log: RequestRecord[] = [];
  const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const h = (n: string): string | undefined => {
      const v = req.headers[n];
      return Array.isArray(v) ? v.join(', ') : v;
    };
    const rec: RequestRecord = { method: req.method ?? '', path: url.pathname + url.search };
    const origin = h('origin');
    if (origin !== undefined) rec.origin = origin;
    const acrm = h('access-control-request-method');
    if (acrm !== undefined) rec.acrm = acrm;
    const acrh = h('access-control-request-headers');
    if (acrh !== undefined) rec.acrh = acrh;
    log.push(rec);
    const handler = routes.get(url.pathname);
    // Drain the body before answering.
    req.resume();
    req.on('end', () => {
      if (!handler) return send(res, 404, {}, 'not found');
      try {
        handler(req, res, url);
      } catch (e) {
        if (!res.headersSent) send(res, 500, {}, String(e));
      }
    });
  };
  const server = tls ? createTlsServer(tls, onRequest) : createServer(onRequest);
  server.keepAliveTimeout = 1000;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  const origin = `${tls ? 'https' : 'http'}://127.0.0.1:${port}`;
  return {
    origin,
    port,
    url: (p) => origin + p,
    route: (path, handler) => routes.set(path, handler),
    log,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

const HTML =
  '<!doctype html><html><head><meta charset="utf-8"><title>CORS Lens test page</title></head><body>test</body></html>';

/**
 * A dedicated worker script: runs the function source it is sent and posts back its result. Scenarios
 * use it to make requests from a worker context.
 */
const WORKER_JS = `onmessage = async (e) => {
  try { const f = (0, eval)('(' + e.data.fn + ')'); postMessage({ ok: true, value: await f(e.data.arg) }); }
  catch (err) { postMessage({ ok: false, value: String(err) }); }
};`;

/** The page's service worker: same protocol as the dedicated worker, over clients.postMessage. */
const SW_JS = `self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (e) => e.waitUntil(self.clients.claim()));
self.addEventListener('message', (e) => {
  e.waitUntil((async () => {
    let reply;
    try { const f = (0, eval)('(' + e.data.fn + ')'); reply = { id: e.data.id, ok: true, value: await f(e.data.arg) }; }
    catch (err) { reply = { id: e.data.id, ok: false, value: String(err) }; }
    e.source.postMessage(reply);
  })());
});`;

/**
 * Starts the page, API and third-origin servers, each on an ephemeral loopback port; with `tls`, also an
 * https page and an https API (see {@link Servers.tls}).
 */
export async function startServers(options: { tls?: boolean } = {}): Promise<Servers> {
  const [page, api, third] = await Promise.all([listen(), listen(), listen()]);
  const cert = options.tls ? selfSignedCertificate() : undefined;
  const tls = cert ? { page: await listen(cert), api: await listen(cert) } : undefined;
  const refused = await freePort();
  for (const s of [page, third, ...(tls ? [tls.page] : [])]) {
    s.route('/', (_q, res) => send(res, 200, { 'content-type': 'text/html' }, HTML));
    s.route('/frame.html', (_q, res) =>
      send(
        res,
        200,
        { 'content-type': 'text/html' },
        `<!doctype html><script>
addEventListener('message', async (e) => {
  try { const f = (0, eval)('(' + e.data.fn + ')'); parent.postMessage({ id: e.data.id, ok: true, value: await f(e.data.arg) }, '*'); }
  catch (err) { parent.postMessage({ id: e.data.id, ok: false, value: String(err) }, '*'); }
});
</script>`,
      ),
    );
  }
  for (const s of [page, ...(tls ? [tls.page] : [])]) {
    s.route('/worker.js', (_q, res) => send(res, 200, { 'content-type': 'text/javascript' }, WORKER_JS));
    s.route('/sw.js', (_q, res) => send(res, 200, { 'content-type': 'text/javascript' }, SW_JS));
  }
  const servers: Servers = {
    page,
    api,
    third,
    refusedUrl: (p) => `http://127.0.0.1:${refused}${p}`,
    close: async () => {
      await Promise.all([page, api, third, ...(tls ? [tls.page, tls.api] : [])].map((s) => s.close()));
    },
  };
  if (tls) servers.tls = tls;
  return servers;
}

// ---------------------------------------------------------------------------------------------
// Running code in other contexts of the page

/** Runs `fn(arg)` in a dedicated worker of `page` (created once per page). */
export async function runInWorker<A>(page: Page, fn: (arg: A) => unknown, arg: A): Promise<unknown> {
  return page.evaluate(
    async ({ src, a }) => {
      const w = ((globalThis as unknown as { __w?: globalThis.Worker }).__w ??= new globalThis.Worker(
        '/worker.js',
      ));
      return new Promise((resolve) => {
        w.onmessage = (e: MessageEvent<{ value: unknown }>) => resolve(e.data.value);
        w.postMessage({ fn: src, arg: a });
      });
    },
    { src: fn.toString(), a: arg },
  );
}

/** Registers the page's service worker (`/sw.js`) and waits until it controls the page. */
export async function installServiceWorker(page: Page): Promise<void> {
  await page.evaluate(async () => {
    await navigator.serviceWorker.register('/sw.js');
    await navigator.serviceWorker.ready;
  });
}

/** Runs `fn(arg)` in the page's service worker (see {@link installServiceWorker}). */
export async function runInServiceWorker<A>(page: Page, fn: (arg: A) => unknown, arg: A): Promise<unknown> {
  return page.evaluate(
    async ({ src, a }) => {
      const reg = await navigator.serviceWorker.ready;
      const id = Math.random().toString(36).slice(2);
      return new Promise((resolve) => {
        const onMsg = (e: MessageEvent<{ id: string; value: unknown }>): void => {
          if (e.data?.id !== id) return;
          navigator.serviceWorker.removeEventListener('message', onMsg);
          resolve(e.data.value);
        };
        navigator.serviceWorker.addEventListener('message', onMsg);
        reg.active?.postMessage({ id, fn: src, arg: a });
      });
    },
    { src: fn.toString(), a: arg },
  );
}

export interface FrameOptions {
  /**
   * A sandboxed frame (`sandbox="allow-scripts"`, no `allow-same-origin`): its document has an opaque
   * origin, so its CORS calls send `Origin: null`. Served as `<origin>/frame.html?sandboxed`, so it
   * can sit beside the plain frame of the same origin.
   */
  sandbox?: boolean;
}

const frameSrc = (origin: string, options: FrameOptions): string =>
  `${origin}/frame.html${options.sandbox ? '?sandboxed' : ''}`;

/** Adds an iframe (`<origin>/frame.html`) to the page once and waits for it to load. */
export async function addFrame(page: Page, origin: string, options: FrameOptions = {}): Promise<void> {
  await page.evaluate(
    async ({ src, sandbox }) => {
      if (document.querySelector(`iframe[src="${src}"]`)) return;
      const f = document.createElement('iframe');
      if (sandbox) f.setAttribute('sandbox', 'allow-scripts');
      f.src = src;
      const loaded = new Promise((r) => f.addEventListener('load', r, { once: true }));
      document.body.append(f);
      await loaded;
    },
    { src: frameSrc(origin, options), sandbox: options.sandbox === true },
  );
}

/** Runs `fn(arg)` in the iframe added by {@link addFrame} (with the same `options`). */
export async function runInFrame<A>(
  page: Page,
  origin: string,
  fn: (arg: A) => unknown,
  arg: A,
  options: FrameOptions = {},
): Promise<unknown> {
  return page.evaluate(
    async ({ src, a, frameSrc }) => {
      const f = document.querySelector<HTMLIFrameElement>(`iframe[src="${frameSrc}"]`);
      if (!f?.contentWindow) throw new Error('no frame');
      const id = Math.random().toString(36).slice(2);
      return new Promise((resolve) => {
        const onMsg = (e: MessageEvent<{ id: string; value: unknown }>): void => {
          if (e.data?.id !== id) return;
          removeEventListener('message', onMsg);
          resolve(e.data.value);
        };
        addEventListener('message', onMsg);
        f.contentWindow?.postMessage({ id, fn: src, arg: a }, '*');
      });
    },
    { src: fn.toString(), a: arg, frameSrc: frameSrc(origin, options) },
  );
}
