/**
 * The wider matrix of the verdict spec: every resource type that makes a CORS request (fonts, images
 * with `crossorigin`, module scripts, `import()`, EventSource, keepalive fetch, HEAD, Range), HTTPS
 * (an https page and an https API with a certificate made at test time), redirects that change the
 * method (303), and preflighted calls from workers and service workers on these paths.
 *
 * Same conventions as scenarios.ts: Chrome's verdict is read from CDP at run time; nothing here states
 * the expected result.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { send, type Servers, type TestServer } from './harness';
import type { Req, Scenario } from './scenarios';

type H = Record<string, string | string[]>;
type Where = 'api' | 'third' | 'tls-api';

/** The https servers; a clear error when the spec started the servers without `tls`. */
function tls(s: Servers): NonNullable<Servers['tls']> {
  if (!s.tls) throw new Error('this scenario needs startServers({ tls: true })');
  return s.tls;
}

function server(s: Servers, where: Where): TestServer {
  return where === 'tls-api' ? tls(s).api : s[where];
}

/** The origin of the page a scenario runs in. */
const pageOf = (s: Servers, secure = false): string => (secure ? tls(s).page.origin : s.page.origin);

let seq = 0;
function path(name: string): string {
  seq++;
  return `/w-${name}-${seq}`;
}

const u = (s: Servers, p: string, tag: string, where: Where = 'api'): string =>
  server(s, where).url(`${p}?run=${tag}`);

const isPreflight = (req: IncomingMessage): boolean =>
  req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined;

/** Preflights get `pre` (plus Max-Age 0), everything else `status` + `headers` with `body`. */
function route(
  s: Servers,
  where: Where,
  p: string,
  headers: H,
  options: { status?: number; body?: string | Buffer; type?: string; pre?: [number, H] } = {},
): void {
  server(s, where).route(p, (req: IncomingMessage, res: ServerResponse) => {
    if (isPreflight(req)) {
      const [status, h] = options.pre ?? [204, {}];
      send(res, status, { 'access-control-max-age': '0', ...h });
      return;
    }
    res.statusCode = options.status ?? 200;
    for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
    res.setHeader('content-type', options.type ?? 'text/plain');
    res.setHeader('cache-control', 'no-store');
    res.end(options.body ?? 'body');
  });
}

const star: H = { 'access-control-allow-origin': '*' };
const exact = (origin: string): H => ({ 'access-control-allow-origin': origin });
const exactCred = (origin: string): H => ({
  ...exact(origin),
  'access-control-allow-credentials': 'true',
  vary: 'Origin',
});
const goodPreflight = (origin: string, methods = 'PUT', headers = 'x-test, content-type'): H => ({
  ...exact(origin),
  'access-control-allow-methods': methods,
  'access-control-allow-headers': headers,
});

// Bodies for the resource types (the verdict is about the network load; a font that does not parse
// still loaded).
const FONT = Buffer.from('d09GMgABAAAAAAAA', 'base64');
const GIF = Buffer.from('R0lGODlhAQABAAAAACw=', 'base64');
const MODULE = 'export default 1;\n';
/** One event, then a retry delay of an hour, so the EventSource does not reconnect during the test. */
const EVENTS = 'retry: 3600000\ndata: hello\n\n';

const font = (s: Servers, where: Where, p: string, headers: H) =>
  route(s, where, p, headers, { body: FONT, type: 'font/woff2' });
const image = (s: Servers, where: Where, p: string, headers: H) =>
  route(s, where, p, headers, { body: GIF, type: 'image/gif' });
const moduleScript = (s: Servers, where: Where, p: string, headers: H) =>
  route(s, where, p, headers, { body: MODULE, type: 'text/javascript' });
const events = (s: Servers, where: Where, p: string, headers: H) =>
  route(s, where, p, headers, { body: EVENTS, type: 'text/event-stream' });

/** A preflighted PUT with a custom header. */
const put = (url: string, extra: Partial<Req> = {}): Req => ({
  url,
  method: 'PUT',
  headers: { 'x-test': '1' },
  body: '{}',
  ...extra,
});

/** A route answering 303 (after the preflight `pre`) to `location`. */
function seeOther(s: Servers, where: Where, p: string, location: string, pre: H, headers: H): void {
  server(s, where).route(p, (req, res) => {
    if (isPreflight(req)) return send(res, 204, { 'access-control-max-age': '0', ...pre });
    send(res, 303, { ...headers, location });
  });
}

/** A 303 target: answers preflights with `pre` and GET with `headers`. */
function target(s: Servers, where: Where, p: string, headers: H, pre: H = {}): void {
  route(s, where, p, headers, { pre: [204, pre] });
}

// ---------------------------------------------------------------------------------------------

const resourceTypes: Scenario[] = [
  {
    name: 'font (@font-face): no Access-Control-Allow-Origin',
    setup(s, tag) {
      const p = path('font-bare');
      font(s, 'api', p, {});
      return [{ url: u(s, p, tag), kind: 'font' }];
    },
  },
  {
    name: 'font (@font-face): Access-Control-Allow-Origin * (allowed)',
    setup(s, tag) {
      const p = path('font-star');
      font(s, 'api', p, star);
      return [{ url: u(s, p, tag), kind: 'font' }];
    },
  },
  {
    name: 'font (@font-face): Access-Control-Allow-Origin names another origin',
    setup(s, tag) {
      const p = path('font-mismatch');
      font(s, 'api', p, exact(s.third.origin));
      return [{ url: u(s, p, tag), kind: 'font' }];
    },
  },
  {
    name: 'image crossorigin=anonymous: Access-Control-Allow-Origin * (allowed)',
    setup(s, tag) {
      const p = path('img-star');
      image(s, 'api', p, star);
      return [{ url: u(s, p, tag), kind: 'img' }];
    },
  },
  {
    name: 'image crossorigin=anonymous: two Access-Control-Allow-Origin lines',
    setup(s, tag) {
      const p = path('img-two');
      image(s, 'api', p, { 'access-control-allow-origin': [s.page.origin, s.page.origin] });
      return [{ url: u(s, p, tag), kind: 'img' }];
    },
  },
  {
    name: 'image crossorigin=use-credentials: Access-Control-Allow-Origin *',
    setup(s, tag) {
      const p = path('img-cred-star');
      image(s, 'api', p, star);
      return [{ url: u(s, p, tag), kind: 'img', crossOrigin: 'use-credentials' }];
    },
  },
  {
    name: 'image crossorigin=use-credentials: exact origin, Access-Control-Allow-Credentials missing',
    setup(s, tag) {
      const p = path('img-cred-noacac');
      image(s, 'api', p, exact(s.page.origin));
      return [{ url: u(s, p, tag), kind: 'img', crossOrigin: 'use-credentials' }];
    },
  },
  {
    name: 'image crossorigin=use-credentials: exact origin and credentials (allowed)',
    setup(s, tag) {
      const p = path('img-cred-ok');
      image(s, 'api', p, exactCred(s.page.origin));
      return [{ url: u(s, p, tag), kind: 'img', crossOrigin: 'use-credentials' }];
    },
  },
  {
    name: 'module script: no Access-Control-Allow-Origin',
    setup(s, tag) {
      const p = path('module-bare');
      moduleScript(s, 'api', p, {});
      return [{ url: u(s, p, tag), kind: 'module' }];
    },
  },
  {
    name: 'module script: Access-Control-Allow-Origin * (allowed)',
    setup(s, tag) {
      const p = path('module-star');
      moduleScript(s, 'api', p, star);
      return [{ url: u(s, p, tag), kind: 'module' }];
    },
  },
  {
    name: 'dynamic import(): Access-Control-Allow-Origin with a trailing slash',
    setup(s, tag) {
      const p = path('import-slash');
      moduleScript(s, 'api', p, exact(`${s.page.origin}/`));
      return [{ url: u(s, p, tag), kind: 'import' }];
    },
  },
  {
    name: 'dynamic import(): exact origin (allowed)',
    setup(s, tag) {
      const p = path('import-ok');
      moduleScript(s, 'api', p, exact(s.page.origin));
      return [{ url: u(s, p, tag), kind: 'import' }];
    },
  },
  {
    name: 'dedicated worker: dynamic import() without Access-Control-Allow-Origin',
    context: 'worker',
    setup(s, tag) {
      const p = path('worker-import');
      moduleScript(s, 'api', p, {});
      return [{ url: u(s, p, tag), kind: 'import' }];
    },
  },
  {
    name: 'EventSource: no Access-Control-Allow-Origin',
    setup(s, tag) {
      const p = path('es-bare');
      events(s, 'api', p, {});
      return [{ url: u(s, p, tag), kind: 'eventsource' }];
    },
  },
  {
    name: 'EventSource: Access-Control-Allow-Origin * (allowed)',
    setup(s, tag) {
      const p = path('es-star');
      events(s, 'api', p, star);
      return [{ url: u(s, p, tag), kind: 'eventsource' }];
    },
  },
  {
    name: 'EventSource withCredentials: Access-Control-Allow-Origin *',
    setup(s, tag) {
      const p = path('es-cred-star');
      events(s, 'api', p, star);
      return [{ url: u(s, p, tag), kind: 'eventsource', crossOrigin: 'use-credentials' }];
    },
  },
  {
    name: 'EventSource withCredentials: exact origin and credentials (allowed)',
    setup(s, tag) {
      const p = path('es-cred-ok');
      events(s, 'api', p, exactCred(s.page.origin));
      return [{ url: u(s, p, tag), kind: 'eventsource', crossOrigin: 'use-credentials' }];
    },
  },
  {
    name: 'dedicated worker: EventSource without Access-Control-Allow-Origin',
    context: 'worker',
    setup(s, tag) {
      const p = path('worker-es');
      events(s, 'api', p, {});
      return [{ url: u(s, p, tag), kind: 'eventsource' }];
    },
  },
  {
    name: 'fetch keepalive: preflighted PUT allowed',
    setup(s, tag) {
      const p = path('keepalive-pf');
      route(s, 'api', p, exact(s.page.origin), { pre: [204, goodPreflight(s.page.origin)] });
      return [put(u(s, p, tag), { keepalive: true })];
    },
  },
  {
    name: 'fetch keepalive: preflight header not allowed',
    setup(s, tag) {
      const p = path('keepalive-hdr');
      route(s, 'api', p, exact(s.page.origin), {
        pre: [204, goodPreflight(s.page.origin, 'PUT', 'x-other')],
      });
      return [put(u(s, p, tag), { keepalive: true })];
    },
  },
  {
    name: 'fetch keepalive: text/plain POST without Access-Control-Allow-Origin',
    setup(s, tag) {
      const p = path('keepalive-post');
      route(s, 'api', p, {});
      return [
        {
          url: u(s, p, tag),
          method: 'POST',
          headers: { 'content-type': 'text/plain' },
          body: 'beacon',
          keepalive: true,
        },
      ];
    },
  },
  {
    name: 'HEAD: no Access-Control-Allow-Origin',
    setup(s, tag) {
      const p = path('head-bare');
      route(s, 'api', p, {});
      return [{ url: u(s, p, tag), method: 'HEAD' }];
    },
  },
  {
    name: 'HEAD with a custom header: preflight does not list it (HEAD itself needs no listing)',
    setup(s, tag) {
      const p = path('head-pf');
      route(s, 'api', p, exact(s.page.origin), {
        pre: [204, goodPreflight(s.page.origin, 'GET', 'x-other')],
      });
      return [{ url: u(s, p, tag), method: 'HEAD', headers: { 'x-test': '1' } }];
    },
  },
  {
    name: 'Range bytes=0-9 (safelisted, no preflight): 206 without Access-Control-Allow-Origin',
    setup(s, tag) {
      const p = path('range-bare');
      route(
        s,
        'api',
        p,
        { 'content-range': 'bytes 0-9/100', 'accept-ranges': 'bytes' },
        {
          status: 206,
          body: '0123456789',
        },
      );
      return [{ url: u(s, p, tag), headers: { range: 'bytes=0-9' } }];
    },
  },
  {
    name: 'Range bytes=0-9 (safelisted): 206 with Access-Control-Allow-Origin * (allowed)',
    setup(s, tag) {
      const p = path('range-ok');
      route(
        s,
        'api',
        p,
        { ...star, 'content-range': 'bytes 0-9/100', 'accept-ranges': 'bytes' },
        {
          status: 206,
          body: '0123456789',
        },
      );
      return [{ url: u(s, p, tag), headers: { range: 'bytes=0-9' } }];
    },
  },
  {
    name: 'Range bytes=-5 (suffix, not safelisted): preflight does not allow range',
    setup(s, tag) {
      const p = path('range-suffix');
      route(s, 'api', p, exact(s.page.origin), {
        status: 206,
        body: '56789',
        pre: [204, goodPreflight(s.page.origin, 'GET', 'x-test')],
      });
      return [{ url: u(s, p, tag), headers: { range: 'bytes=-5' } }];
    },
  },
  {
    name: 'Range with two ranges (not safelisted): preflight allows range (allowed)',
    setup(s, tag) {
      const p = path('range-multi');
      route(s, 'api', p, exact(s.page.origin), {
        status: 206,
        body: '0134',
        pre: [204, goodPreflight(s.page.origin, 'GET', 'range')],
      });
      return [{ url: u(s, p, tag), headers: { range: 'bytes=0-1,3-4' } }];
    },
  },
];

const seeOtherScenarios: Scenario[] = [
  {
    name: '303: preflighted JSON PUT, 303 to a GET the API allows (allowed)',
    setup(s, tag) {
      const p = path('303-ok');
      const o = s.page.origin;
      seeOther(s, 'api', p, u(s, `${p}-result`, tag), goodPreflight(o), exact(o));
      target(s, 'api', `${p}-result`, exact(o));
      return [put(u(s, p, tag), { headers: { 'content-type': 'application/json' } })];
    },
  },
  {
    name: '303: preflighted PUT, the 303 itself lacks Access-Control-Allow-Origin',
    setup(s, tag) {
      const p = path('303-hop-bare');
      const o = s.page.origin;
      seeOther(s, 'api', p, u(s, `${p}-result`, tag), goodPreflight(o), {});
      target(s, 'api', `${p}-result`, exact(o));
      return [put(u(s, p, tag), { headers: { 'content-type': 'application/json' } })];
    },
  },
  {
    name: '303: JSON POST, 303 to a GET without Access-Control-Allow-Origin',
    setup(s, tag) {
      const p = path('303-target-bare');
      const o = s.page.origin;
      seeOther(s, 'api', p, u(s, `${p}-result`, tag), goodPreflight(o, 'POST'), exact(o));
      target(s, 'api', `${p}-result`, {});
      return [
        { url: u(s, p, tag), method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' },
      ];
    },
  },
  {
    name: '303: PUT with a custom header, 303 to a GET that still needs a preflight, which lacks the header',
    setup(s, tag) {
      const p = path('303-repreflight');
      const o = s.page.origin;
      seeOther(s, 'api', p, u(s, `${p}-result`, tag), goodPreflight(o), exact(o));
      target(s, 'api', `${p}-result`, exact(o), goodPreflight(o, 'GET', 'x-other'));
      return [put(u(s, p, tag))];
    },
  },
  {
    name: '303: PUT with a custom header, 303 to a GET whose second preflight allows it (allowed)',
    setup(s, tag) {
      const p = path('303-repreflight-ok');
      const o = s.page.origin;
      seeOther(s, 'api', p, u(s, `${p}-result`, tag), goodPreflight(o), exact(o));
      target(s, 'api', `${p}-result`, exact(o), goodPreflight(o, 'GET', 'x-test'));
      return [put(u(s, p, tag))];
    },
  },
  {
    name: '303: cross-origin 303 to a GET that allows only the page origin (Origin is now null)',
    setup(s, tag) {
      const p = path('303-tainted');
      const o = s.page.origin;
      seeOther(s, 'api', p, u(s, `${p}-result`, tag, 'third'), goodPreflight(o), exact(o));
      target(s, 'third', `${p}-result`, exact(o));
      return [put(u(s, p, tag), { headers: { 'content-type': 'application/json' } })];
    },
  },
  {
    name: 'dedicated worker: preflighted PUT, 303 to a GET the API allows (allowed)',
    context: 'worker',
    setup(s, tag) {
      const p = path('worker-303');
      const o = s.page.origin;
      seeOther(s, 'api', p, u(s, `${p}-result`, tag), goodPreflight(o), exact(o));
      target(s, 'api', `${p}-result`, exact(o));
      return [put(u(s, p, tag), { headers: { 'content-type': 'application/json' } })];
    },
  },
  {
    name: "page's service worker: preflighted PUT, 303 to a GET without Access-Control-Allow-Origin",
    context: 'sw',
    setup(s, tag) {
      const p = path('sw-303');
      const o = s.page.origin;
      seeOther(s, 'api', p, u(s, `${p}-result`, tag), goodPreflight(o), exact(o));
      target(s, 'api', `${p}-result`, {});
      return [put(u(s, p, tag), { headers: { 'content-type': 'application/json' } })];
    },
  },
];

const https: Scenario[] = [
  {
    name: 'https page to https API: preflighted PUT allowed',
    tls: true,
    secure: true,
    setup(s, tag) {
      const p = path('tls-pf-ok');
      const o = pageOf(s, true);
      route(s, 'tls-api', p, exact(o), { pre: [204, goodPreflight(o)] });
      return [put(u(s, p, tag, 'tls-api'))];
    },
  },
  {
    name: 'https page to https API: no Access-Control-Allow-Origin',
    tls: true,
    secure: true,
    setup(s, tag) {
      const p = path('tls-bare');
      route(s, 'tls-api', p, {});
      return [{ url: u(s, p, tag, 'tls-api') }];
    },
  },
  {
    name: 'https page to https API: Access-Control-Allow-Origin names the http page origin',
    tls: true,
    secure: true,
    setup(s, tag) {
      const p = path('tls-scheme');
      route(s, 'tls-api', p, exact(s.page.origin));
      return [{ url: u(s, p, tag, 'tls-api') }];
    },
  },
  {
    name: 'https page to https API: Secure; SameSite=None cookie sent, Access-Control-Allow-Origin *',
    tls: true,
    secure: true,
    before(s, tag) {
      const o = pageOf(s, true);
      tls(s).api.route('/set-secure-cookie', (_q, res) =>
        send(res, 200, { ...exactCred(o), 'set-cookie': 'ssid=s3cr3t; Path=/; Secure; SameSite=None' }),
      );
      return [{ url: tls(s).api.url(`/set-secure-cookie?setup=${tag}`), credentials: 'include' }];
    },
    setup(s, tag) {
      const p = path('tls-cookie-star');
      route(s, 'tls-api', p, star);
      return [{ url: u(s, p, tag, 'tls-api'), credentials: 'include' }];
    },
  },
  {
    name: 'https page to https API: Secure cookie sent, exact origin and credentials (allowed)',
    tls: true,
    secure: true,
    setup(s, tag) {
      const p = path('tls-cookie-ok');
      route(s, 'tls-api', p, exactCred(pageOf(s, true)));
      return [{ url: u(s, p, tag, 'tls-api'), credentials: 'include' }];
    },
  },
  {
    name: 'https page to https API: credentialed preflighted PUT, preflight lacks Access-Control-Allow-Credentials',
    tls: true,
    secure: true,
    setup(s, tag) {
      const p = path('tls-cred-pf');
      const o = pageOf(s, true);
      route(s, 'tls-api', p, exactCred(o), { pre: [204, goodPreflight(o)] });
      return [put(u(s, p, tag, 'tls-api'), { credentials: 'include' })];
    },
  },
  {
    name: 'https page to https API: font without Access-Control-Allow-Origin',
    tls: true,
    secure: true,
    setup(s, tag) {
      const p = path('tls-font');
      font(s, 'tls-api', p, {});
      return [{ url: u(s, p, tag, 'tls-api'), kind: 'font' }];
    },
  },
  {
    name: 'https page to https API: preflighted PUT, 303 to a GET the API allows (allowed)',
    tls: true,
    secure: true,
    setup(s, tag) {
      const p = path('tls-303');
      const o = pageOf(s, true);
      seeOther(s, 'tls-api', p, u(s, `${p}-result`, tag, 'tls-api'), goodPreflight(o), exact(o));
      target(s, 'tls-api', `${p}-result`, exact(o));
      return [put(u(s, p, tag, 'tls-api'), { headers: { 'content-type': 'application/json' } })];
    },
  },
  {
    name: 'https page to the http API on loopback: no Access-Control-Allow-Origin',
    tls: true,
    secure: true,
    setup(s, tag) {
      const p = path('tls-to-http');
      route(s, 'api', p, {});
      return [{ url: u(s, p, tag) }];
    },
  },
  {
    name: 'https dedicated worker to https API: preflight method not allowed',
    tls: true,
    secure: true,
    context: 'worker',
    setup(s, tag) {
      const p = path('tls-worker-pf');
      const o = pageOf(s, true);
      route(s, 'tls-api', p, exact(o), { pre: [204, goodPreflight(o, 'POST')] });
      return [put(u(s, p, tag, 'tls-api'))];
    },
  },
  {
    name: "https page's service worker to https API: preflighted PUT allowed",
    tls: true,
    secure: true,
    context: 'sw',
    setup(s, tag) {
      const p = path('tls-sw-pf');
      const o = pageOf(s, true);
      route(s, 'tls-api', p, exact(o), { pre: [204, goodPreflight(o)] });
      return [put(u(s, p, tag, 'tls-api'))];
    },
  },
  {
    name: "https page's service worker to https API: 303 to a GET without Access-Control-Allow-Origin",
    tls: true,
    secure: true,
    context: 'sw',
    setup(s, tag) {
      const p = path('tls-sw-303');
      const o = pageOf(s, true);
      seeOther(s, 'tls-api', p, u(s, `${p}-result`, tag, 'tls-api'), goodPreflight(o), exact(o));
      target(s, 'tls-api', `${p}-result`, {});
      return [put(u(s, p, tag, 'tls-api'), { headers: { 'content-type': 'application/json' } })];
    },
  },
  {
    name: 'http page to https API: Access-Control-Allow-Origin grants the http origin (allowed)',
    tls: true,
    setup(s, tag) {
      const p = path('http-to-tls-ok');
      route(s, 'tls-api', p, exactCred(s.page.origin));
      return [{ url: u(s, p, tag, 'tls-api'), credentials: 'include' }];
    },
  },
  {
    name: 'http page to https API: Access-Control-Allow-Origin names the https twin of the page origin',
    tls: true,
    setup(s, tag) {
      const p = path('http-to-tls-scheme');
      route(s, 'tls-api', p, exact(s.page.origin.replace('http:', 'https:')));
      return [{ url: u(s, p, tag, 'tls-api') }];
    },
  },
  {
    name: 'http page to https API: preflighted PUT, preflight without Access-Control-Allow-Origin',
    tls: true,
    setup(s, tag) {
      const p = path('http-to-tls-pf');
      route(s, 'tls-api', p, exact(s.page.origin), {
        pre: [204, { 'access-control-allow-methods': 'PUT', 'access-control-allow-headers': 'x-test' }],
      });
      return [put(u(s, p, tag, 'tls-api'))];
    },
  },
];

export const wideScenarios: Scenario[] = [...resourceTypes, ...seeOtherScenarios, ...https];
