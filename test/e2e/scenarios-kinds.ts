/**
 * Scenarios for the verdict kinds that are not a CORS header rule, or that need a page other than the
 * plain one: a redirect loop, a port on Chrome's blocked list, an aborted call, redirects to data:,
 * ftp: and custom-scheme URLs, a page with an opaque origin (a sandboxed iframe, `Origin: null`), Cross-Origin-Resource-Policy
 * on no-cors loads, and a response replayed from the HTTP cache.
 *
 * Same conventions as scenarios.ts: Chrome's verdict (its CORS error, or for a failure that is not CORS
 * its net error) is read from CDP at run time; nothing here states the expected result.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { send, type Servers } from './harness';
import type { Scenario } from './scenarios';

type H = Record<string, string | string[]>;

let seq = 0;
function path(name: string): string {
  seq++;
  return `/k-${name}-${seq}`;
}

const u = (s: Servers, p: string, tag: string): string => s.api.url(`${p}?run=${tag}`);

/** A 1×1 GIF: an image body, so that no-cors loads are not blocked by ORB. */
const GIF = Buffer.from('R0lGODlhAQABAAAAACw=', 'base64');

function image(s: Servers, p: string, headers: H): void {
  s.api.route(p, (_req: IncomingMessage, res: ServerResponse) => {
    res.statusCode = 200;
    for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
    res.setHeader('content-type', 'image/gif');
    if (!res.hasHeader('cache-control')) res.setHeader('cache-control', 'no-store');
    res.end(GIF);
  });
}

/**
 * Ports on Chrome's restricted list (net/base/port_util.cc, the Fetch standard's "bad port" list):
 * 6000 (X11) and 6665 (IRC). Chrome refuses them before connecting, so nothing needs to listen.
 */
const BAD_PORTS = [6000, 6665];

/** The cached URL's path, from the cache scenario's `before` to its `setup`. */
let cachedPath = '';

export const kindScenarios: Scenario[] = [
  {
    name: 'redirect loop: 302 to itself on every hop, each with Access-Control-Allow-Origin *',
    setup(s, tag) {
      const p = path('loop');
      s.api.route(p, (_req, res, url) =>
        send(res, 302, { 'access-control-allow-origin': '*', location: s.api.url(p + url.search) }),
      );
      return [{ url: u(s, p, tag) }];
    },
  },
  {
    name: 'blocked port: fetch to ports 6000 and 6665 (not CORS)',
    setup(_s, tag) {
      return BAD_PORTS.map((port) => ({ url: `http://127.0.0.1:${port}/bad-port?run=${tag}` }));
    },
  },
  {
    name: 'aborted: AbortController aborts while the server holds the response',
    setup(s, tag) {
      const p = path('hold');
      s.api.route(p, (req, res) => {
        // Answer only long after the abort, unless the browser hung up first.
        const timer = setTimeout(() => send(res, 200, { 'access-control-allow-origin': '*' }, 'late'), 5_000);
        req.socket.once('close', () => clearTimeout(timer));
      });
      return [{ url: u(s, p, tag), abortAfterMs: 500 }];
    },
  },
  {
    name: 'redirect to a data: URL (302 with Access-Control-Allow-Origin *)',
    setup(s, tag) {
      const p = path('to-data');
      s.api.route(p, (_req, res) =>
        send(res, 302, { 'access-control-allow-origin': '*', location: 'data:text/plain,hello' }),
      );
      return [{ url: u(s, p, tag) }];
    },
  },
  {
    name: 'redirect to ftp: and to a custom app scheme (302 with Access-Control-Allow-Origin *)',
    setup(s, tag) {
      return ['ftp://127.0.0.1/file', 'myapp://callback?code=1'].map((location, i) => {
        const p = path(`to-scheme-${i}`);
        s.api.route(p, (_req, res) => send(res, 302, { 'access-control-allow-origin': '*', location }));
        return { url: u(s, p, tag) };
      });
    },
  },
  // ------------------------------------------------------------------ opaque origin (Origin: null)
  {
    name: 'sandboxed iframe (Origin null): Access-Control-Allow-Origin null (allowed)',
    context: 'sandbox',
    setup(s, tag) {
      const p = path('null-allowed');
      s.api.route(p, (_req, res) => send(res, 200, { 'access-control-allow-origin': 'null' }, 'body'));
      return [{ url: u(s, p, tag) }];
    },
  },
  {
    name: 'sandboxed iframe (Origin null): no Access-Control-Allow-Origin',
    context: 'sandbox',
    setup(s, tag) {
      const p = path('null-missing');
      s.api.route(p, (_req, res) => send(res, 200, {}, 'body'));
      return [{ url: u(s, p, tag) }];
    },
  },
  {
    name: "sandboxed iframe (Origin null): Access-Control-Allow-Origin names the page's origin",
    context: 'sandbox',
    setup(s, tag) {
      const p = path('null-mismatch');
      s.api.route(p, (_req, res) => send(res, 200, { 'access-control-allow-origin': s.page.origin }, 'body'));
      return [{ url: u(s, p, tag) }];
    },
  },
  // ------------------------------------------------------------------ Cross-Origin-Resource-Policy
  {
    name: 'CORP same-origin: no-cors fetch of an image from another origin',
    setup(s, tag) {
      const p = path('corp-fetch');
      image(s, p, { 'cross-origin-resource-policy': 'same-origin' });
      return [{ url: u(s, p, tag), mode: 'no-cors' }];
    },
  },
  {
    name: 'CORP same-origin: <img> without crossorigin from another origin',
    setup(s, tag) {
      const p = path('corp-img');
      image(s, p, { 'cross-origin-resource-policy': 'same-origin' });
      return [{ url: u(s, p, tag), kind: 'img', crossOrigin: null }];
    },
  },
  {
    name: 'CORP same-site: no-cors fetch from another site (localhost vs 127.0.0.1)',
    setup(s, tag) {
      const p = path('corp-site');
      image(s, p, { 'cross-origin-resource-policy': 'same-site' });
      return [{ url: `http://localhost:${s.api.port}${p}?run=${tag}`, mode: 'no-cors' }];
    },
  },
  // ------------------------------------------------------------------ HTTP cache
  {
    name: 'HTTP cache: a no-cors copy without Access-Control-Allow-Origin (no Vary: Origin) replayed to a CORS fetch',
    // The first fetch (no-cors, no Origin) stores the response, which has no ACAO; the CORS fetch of
    // the same URL is then answered from the cache (the server sees one request).
    before(s, tag) {
      cachedPath = path('cached');
      image(s, cachedPath, { 'cache-control': 'max-age=600' });
      return [{ url: u(s, cachedPath, tag), mode: 'no-cors' }];
    },
    setup(s, tag) {
      return [{ url: u(s, cachedPath, tag) }];
    },
    sequential: true,
  },
];
