/**
 * What a browser puts on the wire for one `fetch()` in mode "cors": the preflight decision, the
 * preflight's headers, the actual request's headers, and how a redirect changes the next request.
 * Pure (no I/O): the command line sends what this module plans, the tests pin it.
 *
 * Sources: Fetch standard §4.1 main fetch, §4.4 HTTP-redirect fetch, §4.8 CORS-preflight fetch;
 * Chromium's CorsURLLoader / PreflightController (see docs/reference: cors-failures.md §2).
 */
import { lineValue } from './headers';
import { originOf } from './origin';
import { nonHttpRedirect } from './simulate';
import { siteOf } from './site';
import { isRedirectStatus, redirectMethod } from './status';
import {
  corsUnsafeRequestHeaderNames,
  isForbiddenMethod,
  isForbiddenRequestHeaderName,
  normalizeMethod,
} from './safelist';
import type { HeaderLine } from './types';

/** https://fetch.spec.whatwg.org/#concept-method: a token. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** Chrome's redirect limit (https://fetch.spec.whatwg.org/#http-redirect-fetch step 5: more than 20). */
export const MAX_REDIRECTS = 20;

/** The origin of an http(s) URL (`scheme://host[:port]`), or `null` for anything else. */
export function httpOrigin(url: string): string | null {
  // originOf parses each URL once (memoized) and serializes only http(s) origins; the rest are "null".
  const o = originOf(url);
  return o === 'null' ? null : o;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

/**
 * A page origin as the user types it: `https://app.example` (a trailing `/` is tolerated) or `null`.
 * Anything with a path, query, fragment, user info or a non-http(s) scheme is refused with the reason.
 */
export function parseOrigin(input: string): Parsed<string> {
  const s = input.trim();
  if (s === 'null') return { ok: true, value: 'null' };
  let u: URL;
  try {
    u = new URL(s);
  } catch {
    return {
      ok: false,
      error: `"${input}" is not an origin (expected scheme://host[:port], e.g. https://app.example)`,
    };
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:')
    return { ok: false, error: `"${input}" is not an http(s) origin` };
  if (u.username || u.password) return { ok: false, error: `an origin has no user:password ("${input}")` };
  if ((u.pathname !== '/' && u.pathname !== '') || u.search || u.hash || /[?#]/.test(s))
    return {
      ok: false,
      error: `"${input}" has a path, query or fragment: an origin is only scheme://host[:port]`,
    };
  if (/^[a-z]+:\/\/[^/]*\/./i.test(s)) return { ok: false, error: `"${input}" is not an origin` };
  return { ok: true, value: u.origin };
}

/** A request URL: http or https only (browsers refuse CORS for other schemes). */
export function parseRequestUrl(input: string): Parsed<string> {
  let u: URL;
  try {
    u = new URL(input);
  } catch {
    return { ok: false, error: `"${input}" is not a URL` };
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:')
    return { ok: false, error: `"${input}" is not an http(s) URL (CORS applies to http and https only)` };
  return { ok: true, value: u.href };
}

/** A method as `fetch()` accepts it: a token, not CONNECT/TRACE/TRACK; normalized like the browser. */
export function parseMethod(input: string): Parsed<string> {
  if (!TOKEN.test(input)) return { ok: false, error: `"${input}" is not an HTTP method` };
  if (isForbiddenMethod(input))
    return { ok: false, error: `browsers refuse the method ${input.toUpperCase()}` };
  return { ok: true, value: normalizeMethod(input) };
}

/** `Name: value` as given on the command line. */
export function parseHeaderArg(input: string): Parsed<HeaderLine> {
  const i = input.indexOf(':');
  if (i <= 0) return { ok: false, error: `"${input}" is not a header (expected 'Name: value')` };
  const name = input.slice(0, i).trim();
  const value = input.slice(i + 1).replace(/^[\t ]+|[\t ]+$/g, '');
  if (!TOKEN.test(name)) return { ok: false, error: `"${name}" is not a valid header name` };
  if (/[\0\r\n]/.test(value))
    return { ok: false, error: `the value of ${name} contains a line break or NUL` };
  return { ok: true, value: { name, value } };
}

export interface CallSpec {
  url: string;
  /** The page's origin, serialized (`null` allowed). */
  origin: string;
  /** Already normalized (see {@link parseMethod}). */
  method: string;
  /** Headers the page's script sets. */
  headers: readonly HeaderLine[];
  /** `credentials: "include"`. */
  credentials: boolean;
}

export interface PlannedCall {
  /** Headers the script set that the browser sends (forbidden ones removed). */
  headers: HeaderLine[];
  /** Names the browser silently drops (forbidden request headers). */
  dropped: string[];
}

/**
 * The script's headers as the browser keeps them: forbidden names (`Origin`, `Host`, `Sec-…`, …) are
 * dropped silently by `fetch()`. `Cookie` is kept only with credentials, as the stand-in for the
 * browser's cookie jar (the command line has none).
 */
export function planCall(spec: CallSpec): PlannedCall {
  const headers: HeaderLine[] = [];
  const dropped: string[] = [];
  for (const h of spec.headers) {
    const n = h.name.toLowerCase();
    if (n === 'cookie' && spec.credentials) headers.push(h);
    else if (isForbiddenRequestHeaderName(n)) dropped.push(h.name);
    else headers.push(h);
  }
  return { headers, dropped };
}

/** The CORS-unsafe names that go into `Access-Control-Request-Headers`: lower-cased, sorted, unique. */
export function unsafeHeaderNames(headers: readonly HeaderLine[]): string[] {
  return corsUnsafeRequestHeaderNames(headers.filter((h) => h.name.toLowerCase() !== 'cookie'));
}

/**
 * https://fetch.spec.whatwg.org/#main-fetch step 12 (use-CORS-preflight): a preflight is needed when
 * the method is not GET/HEAD/POST or a CORS-unsafe header is set. Chrome's CorsURLLoader does the same.
 */
export function needsPreflight(method: string, headers: readonly HeaderLine[]): boolean {
  const m = normalizeMethod(method);
  return !(m === 'GET' || m === 'HEAD' || m === 'POST') || unsafeHeaderNames(headers).length > 0;
}

/**
 * `Sec-Fetch-Site` for a request from `origin` to `url`
 * (https://w3c.github.io/webappsec-fetch-metadata/#sec-fetch-site-header): same-origin, else same-site
 * when the schemes match and the registrable domains do (schemeful same site, {@link siteOf}).
 */
export function fetchSite(origin: string, url: string): 'same-origin' | 'same-site' | 'cross-site' {
  const target = httpOrigin(url);
  if (origin === 'null' || !target) return 'cross-site';
  if (target === origin) return 'same-origin';
  if (new URL(origin).protocol !== new URL(url).protocol) return 'cross-site';
  return siteOf(origin) === siteOf(url) ? 'same-site' : 'cross-site';
}

/** Browser defaults on every fetch (Chrome's; `User-Agent` names this tool). */
export interface BrowserDefaults {
  userAgent: string;
}

/**
 * The preflight Chrome sends (PreflightController::CreatePreflightRequest): OPTIONS, no body, no
 * cookies, `Accept: *\/*`, `Access-Control-Request-Method`, `Access-Control-Request-Headers` (only when
 * non-empty: lower-cased, sorted, comma-joined without spaces), `Origin`, the `Sec-Fetch-*` trio.
 */
export function preflightHeaders(
  url: string,
  origin: string,
  method: string,
  scriptHeaders: readonly HeaderLine[],
  site: 'same-origin' | 'same-site' | 'cross-site',
  defaults: BrowserDefaults,
): HeaderLine[] {
  const out: HeaderLine[] = [
    { name: 'Accept', value: '*/*' },
    { name: 'Access-Control-Request-Method', value: method },
  ];
  const names = unsafeHeaderNames(scriptHeaders);
  if (names.length) out.push({ name: 'Access-Control-Request-Headers', value: names.join(',') });
  out.push(
    { name: 'Origin', value: origin },
    { name: 'User-Agent', value: defaults.userAgent },
    { name: 'Sec-Fetch-Mode', value: 'cors' },
    { name: 'Sec-Fetch-Site', value: site },
    { name: 'Sec-Fetch-Dest', value: 'empty' },
  );
  void url;
  return out;
}

/**
 * The actual request's headers: the script's, plus `Accept: *\/*` unless set, `Origin` (always on a
 * cross-origin CORS request; on a same-origin one only for methods other than GET/HEAD,
 * https://fetch.spec.whatwg.org/#append-a-request-origin-header), and the browser's defaults.
 */
export function actualHeaders(
  url: string,
  origin: string,
  method: string,
  scriptHeaders: readonly HeaderLine[],
  site: 'same-origin' | 'same-site' | 'cross-site',
  defaults: BrowserDefaults,
  bodyLength: number | null,
): HeaderLine[] {
  const out: HeaderLine[] = [];
  const has = (n: string) => scriptHeaders.some((h) => h.name.toLowerCase() === n);
  if (!has('accept')) out.push({ name: 'Accept', value: '*/*' });
  out.push(...scriptHeaders.map((h) => ({ name: h.name, value: lineValue(h) })));
  const m = normalizeMethod(method);
  const crossOrigin = httpOrigin(url) !== origin;
  if (crossOrigin || (m !== 'GET' && m !== 'HEAD')) out.push({ name: 'Origin', value: origin });
  if (bodyLength !== null) out.push({ name: 'Content-Length', value: String(bodyLength) });
  out.push(
    { name: 'User-Agent', value: defaults.userAgent },
    { name: 'Sec-Fetch-Mode', value: 'cors' },
    { name: 'Sec-Fetch-Site', value: site },
    { name: 'Sec-Fetch-Dest', value: 'empty' },
  );
  return out;
}

/** Headers removed when a redirect turns the request into a GET (request-body-header names). */
/** https://fetch.spec.whatwg.org/#cors-non-wildcard-request-header-name */
const CORS_NON_WILDCARD_REQUEST_HEADER_NAMES = new Set(['authorization']);

const BODY_HEADERS = new Set(['content-encoding', 'content-language', 'content-location', 'content-type']);

export interface HopState {
  url: string;
  method: string;
  headers: HeaderLine[];
  /** Whether a body is still sent. */
  hasBody: boolean;
  /** The serialized origin this hop sends (`null` once tainted). */
  origin: string;
  /** Once a hop left the page's origin, every later hop is a CORS request (Chrome's CORS flag). */
  corsFlag: boolean;
}

export type RedirectResult =
  | { kind: 'follow'; next: HopState }
  | { kind: 'error'; netError: string; reason: string }
  | { kind: 'final' };

/**
 * https://fetch.spec.whatwg.org/#http-redirect-fetch for mode "cors", redirect "follow":
 * - no `Location` (or a status that is not a redirect): the response is final;
 * - an unparsable Location or a non-http(s) one is a network error;
 * - more than 20 redirects: `net::ERR_TOO_MANY_REDIRECTS`;
 * - 301/302 with POST, and 303 with anything but GET/HEAD, become GET without body;
 * - a redirect to another origin drops `Authorization` (step 13);
 * - the origin is tainted (`null`) when the new URL's origin differs from the current URL's and the
 *   request's origin differs from the current URL's (https://fetch.spec.whatwg.org/#concept-request-tainted-origin).
 * A Location with user:password is followed here; the CORS rules (the engine) decide that it fails.
 */
export function followRedirect(
  hop: HopState,
  status: number,
  location: string | null,
  requestOrigin: string,
  redirectsSoFar: number,
): RedirectResult {
  if (!isRedirectStatus(status) || location === null) return { kind: 'final' };
  let target: URL;
  try {
    target = new URL(location, hop.url);
  } catch {
    return {
      kind: 'error',
      netError: 'net::ERR_INVALID_REDIRECT',
      reason: `unparsable Location "${location}"`,
    };
  }
  // Chrome's network layer refuses some schemes itself (simulate.ts, as measured); the others reach
  // the CORS check, which the caller has judged before it asks where the redirect leads.
  if (target.protocol !== 'http:' && target.protocol !== 'https:')
    return {
      kind: 'error',
      netError: nonHttpRedirect(target.href).netError ?? 'net::ERR_UNSAFE_REDIRECT',
      reason: `redirect to ${target.protocol} URL`,
    };
  if (redirectsSoFar + 1 > MAX_REDIRECTS)
    return {
      kind: 'error',
      netError: 'net::ERR_TOO_MANY_REDIRECTS',
      reason: `more than ${MAX_REDIRECTS} redirects`,
    };
  const { method, rewritten } = redirectMethod(hop.method, status);
  let headers = hop.headers;
  let hasBody = hop.hasBody;
  if (rewritten) {
    hasBody = false;
    headers = headers.filter((h) => !BODY_HEADERS.has(h.name.toLowerCase()));
  }
  const current = httpOrigin(hop.url);
  const next = target.href;
  // Step 13: "If request's current URL's origin is not same origin with locationURL's origin, then
  // for each headerName of CORS non-wildcard request-header name, delete headerName from request's
  // header list" (https://fetch.spec.whatwg.org/#http-redirect-fetch): the next hop, and its
  // preflight, no longer carry Authorization.
  if (httpOrigin(next) !== current)
    headers = headers.filter((h) => !CORS_NON_WILDCARD_REQUEST_HEADER_NAMES.has(h.name.toLowerCase()));
  const tainted = hop.origin === 'null' || (httpOrigin(next) !== current && requestOrigin !== current);
  return {
    kind: 'follow',
    next: {
      url: next,
      method,
      headers,
      hasBody,
      origin: tainted ? 'null' : requestOrigin,
      corsFlag: hop.corsFlag || httpOrigin(next) !== requestOrigin,
    },
  };
}
