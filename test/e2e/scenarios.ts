/**
 * CORS scenarios for the end-to-end verdict spec: each installs its routes on the loopback servers and
 * says which requests the page (or a worker, iframe, service worker) makes. Chrome's verdict is read
 * from CDP at run time; nothing here states the expected result.
 *
 * Conventions: every request URL carries the scenario's unique `run=<tag>` query (redirects keep it);
 * every preflight response sends `Access-Control-Max-Age: 0` except in the cache scenarios; custom
 * request headers are named `x-…` and identify a request when several share a URL.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { send, type Servers } from './harness';
import { kindScenarios } from './scenarios-kinds';
import { wideScenarios } from './scenarios-wide';

export interface Req {
  url: string;
  method?: string;
  headers?: Record<string, string>;
  credentials?: 'include' | 'omit' | 'same-origin';
  body?: string;
  /** fetch's `keepalive` option. */
  keepalive?: boolean;
  /**
   * What makes the request, default `fetch`. Elements need a document (page context): `img` an
   * `<img crossorigin>`, `font` an `@font-face` rule, `module` a `<script type=module>`. `import` is a
   * dynamic `import()`, `eventsource` an `EventSource` (both also in a dedicated worker).
   */
  kind?: 'fetch' | 'img' | 'font' | 'module' | 'import' | 'eventsource';
  /**
   * `img`: the crossorigin attribute (default `anonymous`; `null`: none, a no-cors load);
   * `eventsource`: `use-credentials` = withCredentials.
   */
  crossOrigin?: 'anonymous' | 'use-credentials' | null;
  /** fetch's `mode` option (default `cors`). */
  mode?: 'cors' | 'no-cors' | 'same-origin';
  /** fetch: abort it (AbortController) this many milliseconds after it starts. */
  abortAfterMs?: number;
}

export type Context = 'page' | 'worker' | 'frame' | 'sw' | 'sandbox';

export interface Scenario {
  name: string;
  /**
   * Where the requests are made; default the page. `frame` = a cross-origin iframe on the third origin;
   * `sandbox` = a sandboxed iframe of the page's origin (an opaque origin: `Origin: null`).
   */
  context?: Context;
  /** Run in the https page (its own tab; `frame` is not available there). */
  secure?: boolean;
  /** Uses the https servers (`startServers({ tls: true })`, Chromium with `--ignore-certificate-errors`). */
  tls?: boolean;
  /** Installs routes; returns the requests to make. `tag` is unique to this run. */
  setup(s: Servers, tag: string): Req[];
  /** Requests made first and not checked (e.g. to set a cookie). */
  before?(s: Servers, tag: string): Req[];
  /** Make the requests one after another (default: all at once). */
  sequential?: boolean;
}

type H = Record<string, string | string[]>;

const isPreflight = (req: IncomingMessage): boolean =>
  req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined;

/** A route answering preflights with `pre` and everything else with `actual` (both add Max-Age 0 unless set). */
function api(
  s: Servers,
  path: string,
  pre: (req: IncomingMessage) => [number, H],
  actual: (req: IncomingMessage) => [number, H],
  server: 'api' | 'third' = 'api',
): void {
  s[server].route(path, (req: IncomingMessage, res: ServerResponse) => {
    if (isPreflight(req)) {
      const [status, headers] = pre(req);
      send(res, status, { 'access-control-max-age': '0', ...headers });
    } else {
      const [status, headers] = actual(req);
      send(res, status, headers, 'body');
    }
  });
}

const acao = (s: Servers): H => ({ 'access-control-allow-origin': s.page.origin });
const goodPreflight = (s: Servers, methods = 'PUT', headers = 'x-test, content-type'): H => ({
  ...acao(s),
  'access-control-allow-methods': methods,
  'access-control-allow-headers': headers,
});
const credPreflight = (s: Servers, methods = 'PUT', headers = 'x-test'): H => ({
  ...goodPreflight(s, methods, headers),
  'access-control-allow-credentials': 'true',
});

/** A preflighted PUT with a custom header (`x-test`). */
const put = (url: string, extra: Partial<Req> = {}): Req => ({
  url,
  method: 'PUT',
  headers: { 'x-test': '1' },
  body: '{}',
  ...extra,
});

let seq = 0;
function path(name: string): string {
  seq++;
  return `/${name}-${seq}`;
}

/** The request URL for a path on a server, tagged. */
const u = (s: Servers, p: string, tag: string, server: 'api' | 'third' = 'api'): string =>
  s[server].url(`${p}?run=${tag}`);

const baseScenarios: Scenario[] = [
  // ------------------------------------------------------------------ preflight failures
  {
    name: 'preflight: 204 without Access-Control-Allow-Origin',
    setup(s, tag) {
      const p = path('pf-no-acao');
      api(
        s,
        p,
        () => [204, { 'access-control-allow-methods': 'PUT', 'access-control-allow-headers': 'x-test' }],
        () => [200, acao(s)],
      );
      return [put(u(s, p, tag))];
    },
  },
  {
    name: 'preflight: 404 without CORS headers (no OPTIONS route)',
    setup(s, tag) {
      const p = path('pf-404-bare');
      api(
        s,
        p,
        () => [404, {}],
        () => [200, acao(s)],
      );
      return [put(u(s, p, tag))];
    },
  },
  {
    name: 'preflight: 404 with CORS headers',
    setup(s, tag) {
      const p = path('pf-404-cors');
      api(
        s,
        p,
        () => [404, goodPreflight(s)],
        () => [200, acao(s)],
      );
      return [put(u(s, p, tag))];
    },
  },
  {
    name: 'preflight: 401 without CORS headers (auth middleware before CORS)',
    setup(s, tag) {
      const p = path('pf-401-bare');
      api(
        s,
        p,
        () => [401, { 'www-authenticate': 'Bearer' }],
        () => [200, acao(s)],
      );
      return [put(u(s, p, tag), { headers: { authorization: 'Bearer t' } })];
    },
  },
  {
    name: 'preflight: 401 with CORS headers',
    setup(s, tag) {
      const p = path('pf-401-cors');
      api(
        s,
        p,
        () => [401, goodPreflight(s, 'PUT', 'authorization')],
        () => [200, acao(s)],
      );
      return [put(u(s, p, tag), { headers: { authorization: 'Bearer t' } })];
    },
  },
  {
    name: 'preflight: 500 with CORS headers',
    setup(s, tag) {
      const p = path('pf-500-cors');
      api(
        s,
        p,
        () => [500, goodPreflight(s)],
        () => [200, acao(s)],
      );
      return [put(u(s, p, tag))];
    },
  },
  {
    name: 'preflight: redirected (307)',
    setup(s, tag) {
      const p = path('pf-redirect');
      api(
        s,
        p,
        () => [307, { ...goodPreflight(s), location: u(s, '/elsewhere', tag) }],
        () => [200, acao(s)],
      );
      return [put(u(s, p, tag))];
    },
  },
  {
    name: 'preflight: Access-Control-Allow-Origin * with credentials',
    setup(s, tag) {
      const p = path('pf-star-cred');
      api(
        s,
        p,
        () => [204, { ...credPreflight(s), 'access-control-allow-origin': '*' }],
        () => [200, { ...acao(s), 'access-control-allow-credentials': 'true' }],
      );
      return [put(u(s, p, tag), { credentials: 'include' })];
    },
  },
  {
    name: 'preflight: Access-Control-Allow-Origin mismatch',
    setup(s, tag) {
      const p = path('pf-mismatch');
      api(
        s,
        p,
        () => [204, { ...goodPreflight(s), 'access-control-allow-origin': 'http://localhost:3000' }],
        () => [200, acao(s)],
      );
      return [put(u(s, p, tag))];
    },
  },
  {
    name: 'preflight: two Access-Control-Allow-Origin lines',
    setup(s, tag) {
      const p = path('pf-multiple');
      api(
        s,
        p,
        () => [
          204,
          { ...goodPreflight(s), 'access-control-allow-origin': [s.page.origin, 'http://other.example'] },
        ],
        () => [200, acao(s)],
      );
      return [put(u(s, p, tag))];
    },
  },
  {
    name: 'preflight: invalid Access-Control-Allow-Origin value',
    setup(s, tag) {
      const p = path('pf-invalid-acao');
      api(
        s,
        p,
        () => [204, { ...goodPreflight(s), 'access-control-allow-origin': 'example.com' }],
        () => [200, acao(s)],
      );
      return [put(u(s, p, tag))];
    },
  },
  {
    name: 'preflight: Access-Control-Allow-Credentials "True" with credentials',
    setup(s, tag) {
      const p = path('pf-acac-True');
      api(
        s,
        p,
        () => [204, { ...credPreflight(s), 'access-control-allow-credentials': 'True' }],
        () => [200, { ...acao(s), 'access-control-allow-credentials': 'true' }],
      );
      return [put(u(s, p, tag), { credentials: 'include' })];
    },
  },
  {
    name: 'preflight: Access-Control-Allow-Credentials missing with credentials',
    setup(s, tag) {
      const p = path('pf-acac-missing');
      api(
        s,
        p,
        () => [204, goodPreflight(s)],
        () => [200, { ...acao(s), 'access-control-allow-credentials': 'true' }],
      );
      return [put(u(s, p, tag), { credentials: 'include' })];
    },
  },
  {
    name: 'preflight: unparsable Access-Control-Allow-Methods',
    setup(s, tag) {
      const p = path('pf-bad-acam');
      api(
        s,
        p,
        () => [204, goodPreflight(s, 'PUT;DELETE')],
        () => [200, acao(s)],
      );
      return [put(u(s, p, tag))];
    },
  },
  {
    name: 'preflight: unparsable Access-Control-Allow-Headers',
    setup(s, tag) {
      const p = path('pf-bad-acah');
      api(
        s,
        p,
        () => [204, goodPreflight(s, 'PUT', 'x-test;content-type')],
        () => [200, acao(s)],
      );
      return [put(u(s, p, tag))];
    },
  },
  {
    name: 'preflight: method not allowed (PUT vs GET, POST)',
    setup(s, tag) {
      const p = path('pf-method');
      api(
        s,
        p,
        () => [204, goodPreflight(s, 'GET, POST')],
        () => [200, acao(s)],
      );
      return [put(u(s, p, tag))];
    },
  },
  {
    name: 'preflight: lower-case patch vs allowed PATCH',
    setup(s, tag) {
      const p = path('pf-patch-lower');
      api(
        s,
        p,
        () => [204, goodPreflight(s, 'PATCH')],
        () => [200, acao(s)],
      );
      return [put(u(s, p, tag), { method: 'patch' })];
    },
  },
  {
    name: 'preflight: PATCH allowed (upper case matches)',
    setup(s, tag) {
      const p = path('pf-patch-upper');
      api(
        s,
        p,
        () => [204, goodPreflight(s, 'PATCH')],
        () => [200, acao(s)],
      );
      return [put(u(s, p, tag), { method: 'PATCH' })];
    },
  },
  {
    name: 'preflight: request header not allowed',
    setup(s, tag) {
      const p = path('pf-header');
      api(
        s,
        p,
        () => [204, goodPreflight(s, 'PUT', 'content-type')],
        () => [200, acao(s)],
      );
      return [put(u(s, p, tag))];
    },
  },
  {
    name: 'preflight: Authorization not listed',
    setup(s, tag) {
      const p = path('pf-authz');
      api(
        s,
        p,
        () => [204, goodPreflight(s, 'PUT', 'x-test')],
        () => [200, acao(s)],
      );
      return [put(u(s, p, tag), { headers: { 'x-test': '1', authorization: 'Bearer t' } })];
    },
  },
  {
    name: 'preflight: Authorization covered by Allow-Headers * (Chromium 156: allowed, deprecated)',
    setup(s, tag) {
      const p = path('pf-authz-star');
      api(
        s,
        p,
        () => [204, goodPreflight(s, 'PUT', '*')],
        () => [200, acao(s)],
      );
      return [put(u(s, p, tag), { headers: { 'x-test': '1', authorization: 'Bearer t' } })];
    },
  },
  {
    name: 'preflight: Allow-Headers * with credentials does not cover x-test',
    setup(s, tag) {
      const p = path('pf-acah-star-cred');
      api(
        s,
        p,
        () => [204, credPreflight(s, 'PUT', '*')],
        () => [200, { ...acao(s), 'access-control-allow-credentials': 'true' }],
      );
      return [put(u(s, p, tag), { credentials: 'include' })];
    },
  },
  {
    name: 'preflight: Allow-Methods * with credentials does not cover PUT',
    setup(s, tag) {
      const p = path('pf-acam-star-cred');
      api(
        s,
        p,
        () => [204, credPreflight(s, '*', 'x-test')],
        () => [200, { ...acao(s), 'access-control-allow-credentials': 'true' }],
      );
      return [put(u(s, p, tag), { credentials: 'include' })];
    },
  },
  {
    name: 'preflight: oversized safelisted header (Accept-Language > 128 bytes)',
    setup(s, tag) {
      const p = path('pf-oversized');
      api(
        s,
        p,
        () => [204, goodPreflight(s, 'GET', 'x-test')],
        () => [200, acao(s)],
      );
      return [{ url: u(s, p, tag), headers: { 'accept-language': 'en'.repeat(70) } }];
    },
  },
  {
    name: 'preflight: JSON content type not allowed',
    setup(s, tag) {
      const p = path('pf-json');
      api(
        s,
        p,
        () => [204, goodPreflight(s, 'POST', 'x-test')],
        () => [200, acao(s)],
      );
      return [
        { url: u(s, p, tag), method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' },
      ];
    },
  },
  {
    name: 'preflight: network error (connection refused)',
    setup(s, tag) {
      return [put(s.refusedUrl(`/pf-refused?run=${tag}`))];
    },
  },
  {
    name: 'preflighted PUT allowed',
    setup(s, tag) {
      const p = path('pf-ok');
      api(
        s,
        p,
        () => [204, goodPreflight(s)],
        () => [200, acao(s)],
      );
      return [put(u(s, p, tag))];
    },
  },
  {
    name: 'preflight ok, actual response lacks Access-Control-Allow-Origin',
    setup(s, tag) {
      const p = path('pf-ok-actual-bare');
      api(
        s,
        p,
        () => [204, goodPreflight(s)],
        () => [200, {}],
      );
      return [put(u(s, p, tag))];
    },
  },
  {
    name: 'preflight ok, actual 500 lacks Access-Control-Allow-Origin',
    setup(s, tag) {
      const p = path('pf-ok-actual-500');
      api(
        s,
        p,
        () => [204, goodPreflight(s)],
        () => [500, {}],
      );
      return [put(u(s, p, tag))];
    },
  },
  // ------------------------------------------------------------------ actual response
  {
    name: 'simple GET: no Access-Control-Allow-Origin',
    setup(s, tag) {
      const p = path('get-bare');
      api(
        s,
        p,
        () => [204, {}],
        () => [200, {}],
      );
      return [{ url: u(s, p, tag) }];
    },
  },
  {
    name: 'simple GET: 502 without Access-Control-Allow-Origin',
    setup(s, tag) {
      const p = path('get-502');
      api(
        s,
        p,
        () => [204, {}],
        () => [502, { server: 'nginx/1.25.3' }],
      );
      return [{ url: u(s, p, tag) }];
    },
  },
  {
    name: 'simple GET: Access-Control-Allow-Origin * with credentials',
    setup(s, tag) {
      const p = path('get-star-cred');
      api(
        s,
        p,
        () => [204, {}],
        () => [200, { 'access-control-allow-origin': '*' }],
      );
      return [{ url: u(s, p, tag), credentials: 'include' }];
    },
  },
  {
    name: 'simple GET: Access-Control-Allow-Origin mismatch',
    setup(s, tag) {
      const p = path('get-mismatch');
      api(
        s,
        p,
        () => [204, {}],
        () => [200, { 'access-control-allow-origin': 'http://localhost:3000' }],
      );
      return [{ url: u(s, p, tag) }];
    },
  },
  {
    name: 'simple GET: Access-Control-Allow-Origin with a trailing slash',
    setup(s, tag) {
      const p = path('get-slash');
      api(
        s,
        p,
        () => [204, {}],
        () => [200, { 'access-control-allow-origin': `${s.page.origin}/` }],
      );
      return [{ url: u(s, p, tag) }];
    },
  },
  {
    name: 'simple GET: two Access-Control-Allow-Origin lines',
    setup(s, tag) {
      const p = path('get-multiple');
      api(
        s,
        p,
        () => [204, {}],
        () => [200, { 'access-control-allow-origin': [s.page.origin, 'http://other.example'] }],
      );
      return [{ url: u(s, p, tag) }];
    },
  },
  {
    name: 'simple GET: comma list in one Access-Control-Allow-Origin line',
    setup(s, tag) {
      const p = path('get-list');
      api(
        s,
        p,
        () => [204, {}],
        () => [200, { 'access-control-allow-origin': `${s.page.origin}, http://other.example` }],
      );
      return [{ url: u(s, p, tag) }];
    },
  },
  {
    name: 'simple GET: invalid Access-Control-Allow-Origin value',
    setup(s, tag) {
      const p = path('get-invalid');
      api(
        s,
        p,
        () => [204, {}],
        () => [200, { 'access-control-allow-origin': 'example.com' }],
      );
      return [{ url: u(s, p, tag) }];
    },
  },
  {
    name: 'simple GET with credentials: Access-Control-Allow-Credentials missing',
    setup(s, tag) {
      const p = path('get-acac-missing');
      api(
        s,
        p,
        () => [204, {}],
        () => [200, acao(s)],
      );
      return [{ url: u(s, p, tag), credentials: 'include' }];
    },
  },
  {
    name: 'simple GET with credentials: Access-Control-Allow-Credentials "True"',
    setup(s, tag) {
      const p = path('get-acac-True');
      api(
        s,
        p,
        () => [204, {}],
        () => [200, { ...acao(s), 'access-control-allow-credentials': 'True' }],
      );
      return [{ url: u(s, p, tag), credentials: 'include' }];
    },
  },
  // ------------------------------------------------------------------ allowed (must not be flagged)
  {
    name: 'allowed: simple GET, Access-Control-Allow-Origin *',
    setup(s, tag) {
      const p = path('ok-star');
      api(
        s,
        p,
        () => [204, {}],
        () => [200, { 'access-control-allow-origin': '*' }],
      );
      return [{ url: u(s, p, tag) }];
    },
  },
  {
    name: 'allowed: credentialed GET with exact origin and credentials',
    setup(s, tag) {
      const p = path('ok-cred');
      api(
        s,
        p,
        () => [204, {}],
        () => [200, { ...acao(s), 'access-control-allow-credentials': 'true', vary: 'Origin' }],
      );
      return [{ url: u(s, p, tag), credentials: 'include' }];
    },
  },
  {
    name: 'allowed: 404 with Access-Control-Allow-Origin (readable error)',
    setup(s, tag) {
      const p = path('ok-404');
      api(
        s,
        p,
        () => [204, {}],
        () => [404, acao(s)],
      );
      return [{ url: u(s, p, tag) }];
    },
  },
  {
    name: 'allowed: text/plain POST without preflight',
    setup(s, tag) {
      const p = path('ok-post');
      api(
        s,
        p,
        () => [204, {}],
        () => [200, { 'access-control-allow-origin': '*' }],
      );
      return [{ url: u(s, p, tag), method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'hi' }];
    },
  },
  {
    name: 'allowed: HEAD with Access-Control-Allow-Origin',
    setup(s, tag) {
      const p = path('ok-head');
      api(
        s,
        p,
        () => [204, {}],
        () => [200, acao(s)],
      );
      return [{ url: u(s, p, tag), method: 'HEAD' }];
    },
  },
  // ------------------------------------------------------------------ redirects
  {
    name: 'redirect: 302 hop without Access-Control-Allow-Origin',
    setup(s, tag) {
      const p = path('rd-hop-bare');
      s.api.route(p, (_q, res) => send(res, 302, { location: u(s, '/rd-target', tag, 'third') }));
      s.third.route('/rd-target', (_q, res) => send(res, 200, { 'access-control-allow-origin': '*' }, 'x'));
      return [{ url: u(s, p, tag) }];
    },
  },
  {
    name: 'redirect: cross-origin, target allows the page origin but Origin is now null',
    setup(s, tag) {
      const p = path('rd-tainted');
      s.api.route(p, (_q, res) =>
        send(res, 302, { ...acao(s), location: u(s, `${p}-target`, tag, 'third') }),
      );
      s.third.route(`${p}-target`, (_q, res) => send(res, 200, acao(s), 'x'));
      return [{ url: u(s, p, tag) }];
    },
  },
  {
    name: 'redirect: cross-origin, target Access-Control-Allow-Origin * (allowed)',
    setup(s, tag) {
      const p = path('rd-ok');
      s.api.route(p, (_q, res) =>
        send(res, 302, { ...acao(s), location: u(s, `${p}-target`, tag, 'third') }),
      );
      s.third.route(`${p}-target`, (_q, res) => send(res, 200, { 'access-control-allow-origin': '*' }, 'x'));
      return [{ url: u(s, p, tag) }];
    },
  },
  {
    name: 'redirect: Location with user:password',
    setup(s, tag) {
      const p = path('rd-userinfo');
      const target = new URL(u(s, `${p}-target`, tag, 'third'));
      target.username = 'user';
      target.password = 'secret';
      s.api.route(p, (_q, res) => send(res, 302, { ...acao(s), location: target.href }));
      s.third.route(`${p}-target`, (_q, res) => send(res, 200, { 'access-control-allow-origin': '*' }, 'x'));
      return [{ url: u(s, p, tag) }];
    },
  },
  {
    name: 'redirect: A -> B -> A, final response allows the page origin (Origin null)',
    setup(s, tag) {
      const p = path('rd-aba');
      s.api.route(p, (_q, res) => send(res, 302, { ...acao(s), location: u(s, `${p}-b`, tag, 'third') }));
      s.third.route(`${p}-b`, (_q, res) =>
        send(res, 302, { 'access-control-allow-origin': '*', location: u(s, `${p}-back`, tag) }),
      );
      s.api.route(`${p}-back`, (_q, res) => send(res, 200, acao(s), 'x'));
      return [{ url: u(s, p, tag) }];
    },
  },
  {
    name: 'redirect: preflighted PUT 307 cross-origin, second preflight (Origin null) allowed',
    setup(s, tag) {
      const p = path('rd-pf-ok');
      api(
        s,
        p,
        () => [204, goodPreflight(s)],
        () => [307, { ...acao(s), location: u(s, `${p}-t`, tag, 'third') }],
      );
      api(
        s,
        `${p}-t`,
        () => [204, { ...goodPreflight(s), 'access-control-allow-origin': '*' }],
        () => [200, { 'access-control-allow-origin': '*' }],
        'third',
      );
      return [put(u(s, p, tag))];
    },
  },
  {
    name: 'redirect: preflighted PUT 307 cross-origin, second preflight lacks Access-Control-Allow-Origin',
    setup(s, tag) {
      const p = path('rd-pf-bad');
      api(
        s,
        p,
        () => [204, goodPreflight(s)],
        () => [307, { ...acao(s), location: u(s, `${p}-t`, tag, 'third') }],
      );
      api(
        s,
        `${p}-t`,
        () => [204, { 'access-control-allow-methods': 'PUT' }],
        () => [200, {}],
        'third',
      );
      return [put(u(s, p, tag))];
    },
  },
  {
    name: 'redirect: same-origin URL redirected to the API without Access-Control-Allow-Origin',
    setup(s, tag) {
      const p = path('rd-same-origin');
      s.page.route(p, (_q, res) => send(res, 302, { location: u(s, `${p}-api`, tag) }));
      s.api.route(`${p}-api`, (_q, res) => send(res, 200, {}, 'x'));
      return [{ url: s.page.url(`${p}?run=${tag}`) }];
    },
  },
  // ------------------------------------------------------------------ cookies
  {
    name: 'credentials: cookie sent, Access-Control-Allow-Origin *',
    before(s, tag) {
      s.api.route('/set-cookie', (_q, res) =>
        send(res, 200, {
          ...acao(s),
          'access-control-allow-credentials': 'true',
          'set-cookie': 'sid=abc123; Path=/',
        }),
      );
      return [{ url: s.api.url(`/set-cookie?setup=${tag}`), credentials: 'include' }];
    },
    setup(s, tag) {
      const p = path('cookie-star');
      api(
        s,
        p,
        () => [204, {}],
        () => [200, { 'access-control-allow-origin': '*' }],
      );
      return [{ url: u(s, p, tag), credentials: 'include' }];
    },
  },
  {
    name: 'credentials: cookie sent, exact origin and credentials allowed',
    setup(s, tag) {
      const p = path('cookie-ok');
      api(
        s,
        p,
        () => [204, {}],
        () => [200, { ...acao(s), 'access-control-allow-credentials': 'true' }],
      );
      return [{ url: u(s, p, tag), credentials: 'include' }];
    },
  },
  // ------------------------------------------------------------------ concurrency
  {
    name: 'concurrency: six calls in flight to one URL, different methods and headers, some fail',
    setup(s, tag) {
      const p = path('conc');
      // Preflights answer in a different order than they arrive.
      s.api.route(p, (req, res) => {
        if (isPreflight(req)) {
          const acrh = String(req.headers['access-control-request-headers'] ?? '');
          const delay = acrh.includes('x-ok-1') ? 120 : acrh.includes('x-bad-1') ? 60 : 10;
          setTimeout(
            () =>
              send(res, 204, {
                ...acao(s),
                'access-control-allow-methods': 'PUT, PATCH',
                'access-control-allow-headers': 'x-ok-1, x-ok-2, x-ok-3, x-ok-4',
                'access-control-max-age': '0',
              }),
            delay,
          );
          return;
        }
        send(res, 200, acao(s), 'ok');
      });
      const url = u(s, p, tag);
      return [
        { url, method: 'PUT', headers: { 'x-ok-1': '1' }, body: '1' },
        { url, method: 'PUT', headers: { 'x-bad-1': '1' }, body: '2' },
        { url, method: 'DELETE', headers: { 'x-ok-2': '1' } },
        { url, method: 'PATCH', headers: { 'x-ok-3': '1' }, body: '4' },
        { url, method: 'PUT', headers: { 'x-ok-4': '1' }, body: '5' },
        { url },
      ];
    },
  },
  {
    name: 'concurrency: same method to one URL, the failing preflight answers first',
    setup(s, tag) {
      const p = path('conc2');
      s.api.route(p, (req, res) => {
        if (isPreflight(req)) {
          const acrh = String(req.headers['access-control-request-headers'] ?? '');
          const ok = !acrh.includes('x-no');
          setTimeout(
            () =>
              send(res, 204, {
                ...acao(s),
                'access-control-allow-methods': 'PUT',
                'access-control-allow-headers': ok ? acrh : 'x-other',
                'access-control-max-age': '0',
              }),
            ok ? 80 : 5,
          );
          return;
        }
        send(res, 200, acao(s), 'ok');
      });
      const url = u(s, p, tag);
      return [
        { url, method: 'PUT', headers: { 'x-yes-1': '1' }, body: '1' },
        { url, method: 'PUT', headers: { 'x-no-1': '1' }, body: '2' },
        { url, method: 'PUT', headers: { 'x-yes-2': '1' }, body: '3' },
        { url, method: 'PUT', headers: { 'x-no-2': '1' }, body: '4' },
      ];
    },
  },
  // ------------------------------------------------------------------ other contexts
  {
    name: 'dedicated worker: no Access-Control-Allow-Origin',
    context: 'worker',
    setup(s, tag) {
      const p = path('worker-bare');
      api(
        s,
        p,
        () => [204, {}],
        () => [200, {}],
      );
      return [{ url: u(s, p, tag) }];
    },
  },
  {
    name: 'dedicated worker: preflighted PUT allowed',
    context: 'worker',
    setup(s, tag) {
      const p = path('worker-pf');
      api(
        s,
        p,
        () => [204, goodPreflight(s)],
        () => [200, acao(s)],
      );
      return [put(u(s, p, tag))];
    },
  },
  {
    name: 'cross-origin iframe: Access-Control-Allow-Origin names the parent page',
    context: 'frame',
    setup(s, tag) {
      const p = path('frame-mismatch');
      api(
        s,
        p,
        () => [204, {}],
        () => [200, acao(s)],
      );
      return [{ url: u(s, p, tag) }];
    },
  },
  {
    name: 'cross-origin iframe: Access-Control-Allow-Origin *',
    context: 'frame',
    setup(s, tag) {
      const p = path('frame-ok');
      api(
        s,
        p,
        () => [204, {}],
        () => [200, { 'access-control-allow-origin': '*' }],
      );
      return [{ url: u(s, p, tag) }];
    },
  },
  {
    name: "page's service worker: no Access-Control-Allow-Origin",
    context: 'sw',
    setup(s, tag) {
      const p = path('sw-bare');
      api(
        s,
        p,
        () => [204, {}],
        () => [200, {}],
      );
      return [{ url: u(s, p, tag) }];
    },
  },
  {
    name: "page's service worker: preflight method not allowed",
    context: 'sw',
    setup(s, tag) {
      const p = path('sw-pf');
      api(
        s,
        p,
        () => [204, goodPreflight(s, 'POST')],
        () => [200, acao(s)],
      );
      return [put(u(s, p, tag))];
    },
  },
  {
    name: "page's service worker: Access-Control-Allow-Origin * (allowed)",
    context: 'sw',
    setup(s, tag) {
      const p = path('sw-ok');
      api(
        s,
        p,
        () => [204, {}],
        () => [200, { 'access-control-allow-origin': '*' }],
      );
      return [{ url: u(s, p, tag) }];
    },
  },
  {
    name: 'image with crossorigin: no Access-Control-Allow-Origin',
    setup(s, tag) {
      const p = path('img-bare');
      s.api.route(p, (_q, res) =>
        res
          .writeHead(200, { 'content-type': 'image/gif' })
          .end(Buffer.from('R0lGODlhAQABAAAAACw=', 'base64')),
      );
      return [{ url: u(s, p, tag), kind: 'img' }];
    },
  },
  // ------------------------------------------------------------------ network, cache
  {
    name: 'network: connection refused (not CORS)',
    setup(s, tag) {
      return [{ url: s.refusedUrl(`/refused?run=${tag}`) }];
    },
  },
  {
    name: 'preflight cache: second PUT answered from the cache (no OPTIONS seen)',
    sequential: true,
    setup(s, tag) {
      const p = path('cache-ok');
      api(
        s,
        p,
        () => [204, { ...goodPreflight(s), 'access-control-max-age': '600' }],
        () => [200, acao(s)],
      );
      const url = u(s, p, tag);
      return [put(url), put(url)];
    },
  },
  {
    name: 'preflight cache: cached preflight, then the actual response lacks Access-Control-Allow-Origin',
    sequential: true,
    setup(s, tag) {
      const p = path('cache-then-bare');
      let n = 0;
      s.api.route(p, (req, res) => {
        if (isPreflight(req)) return send(res, 204, { ...goodPreflight(s), 'access-control-max-age': '600' });
        n++;
        send(res, 200, n === 1 ? acao(s) : {}, 'x');
      });
      const url = u(s, p, tag);
      return [put(url), put(url)];
    },
  },
];

export const scenarios: Scenario[] = [...baseScenarios, ...wideScenarios, ...kindScenarios];
