/**
 * Methods and request headers the CORS protocol lets through without a preflight.
 * Fetch standard §2.2.1 (methods) and §2.2.2 (headers); Chrome's additions from
 * services/network/public/cpp/cors/cors.cc and services/network/cors/cors_util.cc.
 */
import { MIMEType } from 'whatwg-mimetype';
import { lineValue } from './headers';
import type { HeaderList } from './types';

/** https://fetch.spec.whatwg.org/#cors-safelisted-method */
export function isCorsSafelistedMethod(method: string): boolean {
  return method === 'GET' || method === 'HEAD' || method === 'POST';
}

const NORMALIZED = new Set(['DELETE', 'GET', 'HEAD', 'OPTIONS', 'POST', 'PUT']);

/**
 * https://fetch.spec.whatwg.org/#concept-method-normalize — only these six are upper-cased; every
 * other method keeps its case (`patch` stays `patch`) and is compared case-sensitively.
 */
export function normalizeMethod(method: string): string {
  if (NORMALIZED.has(method)) return method; // already upper case: nothing to copy
  const up = method.toUpperCase();
  return NORMALIZED.has(up) ? up : method;
}

/** https://fetch.spec.whatwg.org/#forbidden-method */
export function isForbiddenMethod(method: string): boolean {
  const up = method.toUpperCase();
  return up === 'CONNECT' || up === 'TRACE' || up === 'TRACK';
}

/** https://fetch.spec.whatwg.org/#cors-unsafe-request-header-byte */
export function hasCorsUnsafeRequestHeaderByte(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09) || c === 0x7f) return true;
    // " ( ) : < > ? @ [ \ ] { }
    if ('"():<>?@[\\]{}'.includes(value[i] ?? '')) return true;
  }
  return false;
}

const LANGUAGE_BYTES = /^[0-9A-Za-z *,\-.;=]*$/;
const SAFELISTED_CONTENT_TYPES = new Set([
  'application/x-www-form-urlencoded',
  'multipart/form-data',
  'text/plain',
]);

/** https://fetch.spec.whatwg.org/#simple-range-header-value — `bytes=start-[end]`, no whitespace. */
function isSimpleRangeHeaderValue(value: string): boolean {
  const m = /^bytes=(\d+)-(\d*)$/.exec(value);
  if (!m) return false;
  if (m[2] === '') return true;
  return Number(m[1]) <= Number(m[2]);
}

/** Chrome's extra safelisted names (cors.cc `IsCorsSafelistedHeader`). */
function chromeExtraSafelisted(name: string, value: string): boolean | undefined {
  switch (name) {
    case 'intervention':
      return true;
    case 'device-memory':
    case 'dpr':
    case 'downlink':
    case 'width':
    case 'viewport-width':
      return /^\d+(\.\d+)?$/.test(value);
    case 'rtt':
      return /^\d+$/.test(value);
    case 'ect':
      return ['slow-2g', '2g', '3g', '4g'].includes(value);
    case 'save-data':
      return value === 'on';
    default:
      return undefined;
  }
}

/**
 * https://fetch.spec.whatwg.org/#cors-safelisted-request-header
 * 1. If value's length is greater than 128, then return false.
 * 2. Byte-lowercase name and switch on the result.
 */
export function isCorsSafelistedRequestHeader(name: string, value: string): boolean {
  // Step 1: a value over 128 bytes is never safelisted.
  if (value.length > 128) return false;
  const n = name.toLowerCase();
  switch (n) {
    case 'accept':
      return !hasCorsUnsafeRequestHeaderByte(value);
    case 'accept-language':
    case 'content-language':
      return LANGUAGE_BYTES.test(value);
    case 'content-type': {
      if (hasCorsUnsafeRequestHeaderByte(value)) return false;
      // Strict "parse a MIME type", not the lenient extraction: `a, b` fails.
      const mime = MIMEType.parse(value);
      return !!mime && SAFELISTED_CONTENT_TYPES.has(mime.essence);
    }
    case 'range':
      return isSimpleRangeHeaderValue(value);
    default:
      return chromeExtraSafelisted(n, value) ?? false;
  }
}

/** Chromium's forbidden request-header list (net/http/http_util.cc `kForbiddenHeaderFields`). */
const FORBIDDEN = new Set([
  'accept-charset',
  'accept-encoding',
  'access-control-request-headers',
  'access-control-request-method',
  'access-control-request-private-network',
  'connection',
  'content-length',
  'cookie',
  'cookie2',
  'date',
  'dnt',
  'expect',
  'host',
  'keep-alive',
  'origin',
  'referer',
  'set-cookie',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'user-agent',
  'via',
]);

/** https://fetch.spec.whatwg.org/#forbidden-request-header (Chromium's list). */
export function isForbiddenRequestHeaderName(name: string): boolean {
  const n = name.toLowerCase();
  return FORBIDDEN.has(n) || n.startsWith('proxy-') || n.startsWith('sec-');
}

/** Headers Chrome adds itself on revalidation; not counted as unsafe (cors_util.cc). */
const REVALIDATION = new Set(['if-modified-since', 'if-none-match', 'cache-control']);

/**
 * https://fetch.spec.whatwg.org/#cors-unsafe-request-header-names, as Chromium computes it
 * (`CorsUnsafeNotForbiddenRequestHeaderNames`): over non-forbidden headers only.
 * 1–3. Every header that is not CORS-safelisted is unsafe.
 * 4. If the safelisted values together exceed 1024 bytes, all of them become unsafe too.
 * 5. Return the names, byte-lowercased, de-duplicated and sorted.
 */
export function corsUnsafeRequestHeaderNames(headers: HeaderList, isRevalidating = false): string[] {
  const unsafe = new Set<string>();
  const safelisted: string[] = [];
  let safelistedSize = 0;
  for (const line of headers) {
    const name = (line?.name ?? '').toLowerCase();
    if (!name || isForbiddenRequestHeaderName(name)) continue;
    if (isRevalidating && REVALIDATION.has(name)) continue;
    const value = lineValue(line);
    if (isCorsSafelistedRequestHeader(name, value)) {
      safelisted.push(name);
      safelistedSize += value.length;
    } else {
      unsafe.add(name);
    }
  }
  if (safelistedSize > 1024) for (const n of safelisted) unsafe.add(n);
  return [...unsafe].sort();
}

/**
 * https://fetch.spec.whatwg.org/#cors-safelisted-response-header-name — readable by script without
 * `Access-Control-Expose-Headers`.
 */
export const CORS_SAFELISTED_RESPONSE_HEADERS = new Set([
  'cache-control',
  'content-language',
  'content-length',
  'content-type',
  'expires',
  'last-modified',
  'pragma',
]);
