/**
 * Header helpers for capture: lookups, and the trimming that keeps a stored exchange small while
 * keeping every header the engine or a fix recipe can use.
 *
 * Kept in full (up to {@link LONG_VALUE} characters): `Access-Control-*`, `Origin`, `Vary`,
 * `Location`, `Content-Type`, `Timing-Allow-Origin`, `Cross-Origin-*`.
 * Kept with a shorter cap ({@link SHORT_VALUE}): anything not on the drop lists, which keeps stack hints
 * such as `Server`, `X-Powered-By`, `Via`, `cf-ray`, `x-amz-*`.
 * Redacted to names: `Cookie` and `Set-Cookie` values (presence, cookie names and attributes stay).
 * Dropped: headers no rule or recipe reads and that are large or identifying (user agent hints,
 * CSP, reporting endpoints, dates, validators).
 */
import { type HeaderLine, type ObservedResponse, splitList } from '../engine';
import type { WebRequestEvent } from './events';

export const LONG_VALUE = 4096;
export const SHORT_VALUE = 300;
export const MAX_LINES = 64;

const DROP_REQUEST: ReadonlySet<string> = new Set([
  'user-agent',
  'accept-encoding',
  'connection',
  'upgrade-insecure-requests',
  'priority',
  'dnt',
  'referer',
  'sec-ch-ua',
  'sec-ch-ua-mobile',
  'sec-ch-ua-platform',
  'if-none-match',
  'if-modified-since',
]);

const DROP_RESPONSE: ReadonlySet<string> = new Set([
  'date',
  'expires',
  'last-modified',
  'etag',
  'age',
  'keep-alive',
  'connection',
  'transfer-encoding',
  'accept-ranges',
  'content-security-policy',
  'content-security-policy-report-only',
  'report-to',
  'reporting-endpoints',
  'nel',
  'permissions-policy',
  'feature-policy',
  'strict-transport-security',
  'alt-svc',
  'link',
  'x-xss-protection',
  'server-timing',
  'accept-ch',
  'critical-ch',
  'origin-trial',
  'content-disposition',
  'p3p',
]);

function keepLong(lower: string): boolean {
  return (
    lower.startsWith('access-control-') ||
    lower === 'origin' ||
    lower === 'vary' ||
    lower === 'location' ||
    lower === 'content-type' ||
    lower === 'timing-allow-origin' ||
    lower.startsWith('cross-origin-')
  );
}

/** `a=1; b=2` -> `a=…; b=…` */
function redactCookie(value: string): string {
  return value
    .split(';')
    .map((p) => p.trim())
    .filter((p) => p.length > 0)
    .map((p) => {
      const eq = p.indexOf('=');
      return `${eq < 0 ? p : p.slice(0, eq)}=…`;
    })
    .join('; ');
}

/** `sid=abc; Path=/; SameSite=None; Secure` -> `sid=…; Path=/; SameSite=None; Secure` */
function redactSetCookie(value: string): string {
  const semi = value.indexOf(';');
  const first = semi < 0 ? value : value.slice(0, semi);
  const eq = first.indexOf('=');
  const name = (eq < 0 ? first : first.slice(0, eq)).trim();
  return `${name}=…${semi < 0 ? '' : value.slice(semi)}`;
}

function cap(value: string, max: number): string {
  return value.length > max ? value.slice(0, max) : value;
}

function trim(headers: readonly HeaderLine[] | undefined, drop: ReadonlySet<string>): HeaderLine[] {
  const out: HeaderLine[] = [];
  if (!headers) return out;
  for (const h of headers) {
    if (out.length >= MAX_LINES) break;
    if (typeof h?.name !== 'string') continue;
    const lower = h.name.toLowerCase();
    if (drop.has(lower) || lower.startsWith('sec-ch-')) continue;
    const max = keepLong(lower) ? LONG_VALUE : SHORT_VALUE;
    if (typeof h.value === 'string') {
      let value = h.value;
      if (lower === 'cookie') value = redactCookie(value);
      else if (lower === 'set-cookie') value = redactSetCookie(value);
      out.push({ name: h.name, value: cap(value, max) });
    } else if (Array.isArray(h.binaryValue)) {
      out.push({ name: h.name, binaryValue: h.binaryValue.slice(0, max) });
    } else {
      out.push({ name: h.name });
    }
  }
  return out;
}

export function trimRequestHeaders(headers: readonly HeaderLine[] | undefined): HeaderLine[] {
  return trim(headers, DROP_REQUEST);
}

export function trimResponseHeaders(headers: readonly HeaderLine[] | undefined): HeaderLine[] {
  return trim(headers, DROP_RESPONSE);
}

/** The response an event carries (status, trimmed headers, cache and IP). */
export function responseOf(ev: WebRequestEvent): ObservedResponse {
  const response: ObservedResponse = {
    statusCode: ev.statusCode ?? 0,
    headers: trimResponseHeaders(ev.responseHeaders),
  };
  if (ev.statusLine !== undefined) response.statusLine = ev.statusLine;
  if (ev.fromCache !== undefined) response.fromCache = ev.fromCache;
  if (ev.ip !== undefined) response.ip = ev.ip;
  return response;
}

/** Fills in what a later event of the same response adds (cache, IP, headers when none were seen). */
export function mergeResponse(response: ObservedResponse, ev: WebRequestEvent): void {
  if (ev.fromCache !== undefined) response.fromCache = ev.fromCache;
  if (ev.ip !== undefined) response.ip = ev.ip;
  if (response.headers.length === 0 && ev.responseHeaders)
    response.headers = trimResponseHeaders(ev.responseHeaders);
}

/** Request headers never shown to `onSendHeaders`, even with 'extraHeaders' (webRequest docs). */
const INVISIBLE: ReadonlySet<string> = new Set([
  'authorization',
  'cache-control',
  'connection',
  'content-length',
  'host',
  'if-modified-since',
  'if-none-match',
  'if-range',
  'partial-data',
  'pragma',
  'proxy-authorization',
  'proxy-connection',
  'transfer-encoding',
]);

/** Headers the browser adds itself, or that are safelisted by name, so never in ACRH by name alone. */
const BROWSER_OR_SAFE: ReadonlySet<string> = new Set([
  'accept',
  'accept-language',
  'content-language',
  'content-type',
  'range',
  'origin',
  'referer',
  'user-agent',
  'accept-encoding',
  'cookie',
  'dnt',
  'priority',
  'upgrade-insecure-requests',
]);

/** Parses `Access-Control-Request-Headers` (`a,b`) into lower-case names. */
export function parseNameList(value: string | null | undefined): string[] {
  return splitList(value).map((s) => s.toLowerCase());
}

/**
 * How well a preflight's `Access-Control-Request-Headers` fits the headers its actual request was
 * sent with: 2 = every visible requested name is there and every custom header was requested,
 * 1 = only the first holds, 0 = a requested visible name is absent (cannot be this request's preflight).
 */
export function acrhFit(acrh: readonly string[], sent: readonly HeaderLine[]): 0 | 1 | 2 {
  const names = new Set<string>();
  for (const h of sent) if (typeof h?.name === 'string') names.add(h.name.toLowerCase());
  for (const n of acrh) {
    if (INVISIBLE.has(n)) continue;
    if (!names.has(n)) return 0;
  }
  const requested = new Set(acrh);
  for (const n of names) {
    if (BROWSER_OR_SAFE.has(n) || n.startsWith('sec-') || INVISIBLE.has(n)) continue;
    if (!requested.has(n)) return 1;
  }
  return 2;
}

/** True when `url` is on the origin `origin` (both as webRequest serialises them: no default port). */
export function sameOrigin(url: string, origin: string): boolean {
  if (!url.startsWith(origin)) return false;
  if (url.length === origin.length) return true;
  const c = url.charCodeAt(origin.length);
  return c === 47 /* / */ || c === 63 /* ? */ || c === 35; /* # */
}
