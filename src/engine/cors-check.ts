/**
 * The CORS rules, named as the Fetch standard names them, checked in Chrome's order.
 * Every function cites its spec step; Chrome's classification of failures follows
 * services/network/public/cpp/cors/cors.cc (`CheckAccess`) and services/network/cors/preflight_result.cc.
 */
import { getHeader, isToken } from './headers';
import { parseUrl } from './origin';
import { isCorsSafelistedMethod } from './safelist';
import type { ChromeCorsError } from './kinds';
import type { HeaderList } from './types';

/** A failed rule: Chrome's CorsError name (actual-response spelling) and its failedParameter. */
export interface RuleFailure<E extends ChromeCorsError = ChromeCorsError> {
  chromeError: E;
  failedParameter: string;
}

/** The failures of the CORS check itself (actual-response spelling). */
export type CorsCheckError =
  | 'MissingAllowOriginHeader'
  | 'WildcardOriginNotAllowed'
  | 'MultipleAllowOriginValues'
  | 'InvalidAllowOriginValue'
  | 'AllowOriginMismatch'
  | 'InvalidAllowCredentials';

/**
 * https://fetch.spec.whatwg.org/#concept-cors-check — CORS check for `origin` against a response.
 *  1. Let originHeader be the result of getting `Access-Control-Allow-Origin` from the response.
 *  2. If originHeader is null, return failure.                       → MissingAllowOriginHeader
 *  3. If credentials mode is not "include" and originHeader is `*`, return success.
 *  4. If the byte-serialized request origin is not originHeader, return failure.
 *     Chrome splits this failure: `*` with credentials → WildcardOriginNotAllowed; a value with `,` or
 *     space → MultipleAllowOriginValues; not `null` and not a valid URL → InvalidAllowOriginValue;
 *     otherwise AllowOriginMismatch. failedParameter is the header value.
 *  5. If credentials mode is not "include", return success.
 *  6. Let credentials be the result of getting `Access-Control-Allow-Credentials`.
 *  7. If credentials is `true`, return success.
 *  8. Return failure.                                                → InvalidAllowCredentials
 */
export function corsCheck(
  headers: HeaderList,
  origin: string,
  credentials: boolean,
): RuleFailure<CorsCheckError> | null {
  return corsCheckWith(getHeader(headers, 'access-control-allow-origin'), headers, origin, credentials);
}

/** {@link corsCheck} given step 1's result, `acao` (for a caller that has read it already). */
export function corsCheckWith(
  acao: string | null,
  headers: HeaderList,
  origin: string,
  credentials: boolean,
): RuleFailure<CorsCheckError> | null {
  // Step 2.
  if (acao === null) return { chromeError: 'MissingAllowOriginHeader', failedParameter: '' };
  // Step 3.
  if (acao === '*') {
    if (!credentials) return null;
    return { chromeError: 'WildcardOriginNotAllowed', failedParameter: '' };
  }
  // Step 4.
  if (acao !== origin) {
    if (/[ ,]/.test(acao)) return { chromeError: 'MultipleAllowOriginValues', failedParameter: acao };
    if (acao !== 'null' && !parseUrl(acao)) {
      return { chromeError: 'InvalidAllowOriginValue', failedParameter: acao };
    }
    return { chromeError: 'AllowOriginMismatch', failedParameter: acao };
  }
  // Step 5.
  if (!credentials) return null;
  // Steps 6–8.
  const acac = getHeader(headers, 'access-control-allow-credentials');
  if (acac === 'true') return null;
  return { chromeError: 'InvalidAllowCredentials', failedParameter: acac ?? '' };
}

/** Chrome reports the preflight's CORS-check failures under their `Preflight…` names. */
export function asPreflightFailure(f: RuleFailure<CorsCheckError>): RuleFailure {
  return { ...f, chromeError: `Preflight${f.chromeError}` as const };
}

/**
 * https://fetch.spec.whatwg.org/#concept-header-extract-mime-type's sibling for lists:
 * "extract header list values" for `Access-Control-Allow-Methods` / `-Headers` (`#method` /
 * `#field-name`). Chrome (`PreflightResult::Parse`) splits on `,`, trims, skips empty elements and
 * rejects the whole header if any element is not a token. Returns `null` on a parse failure.
 */
export function extractHeaderListValues(value: string | null): string[] | null {
  if (value === null) return [];
  const out: string[] = [];
  for (const raw of value.split(',')) {
    const item = trimTabsAndSpaces(raw);
    if (item === '') continue;
    if (!isToken(item)) return null;
    out.push(item);
  }
  return out;
}

/** `s` without leading and trailing tabs and spaces (a copy only when there are some). */
function trimTabsAndSpaces(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && (s.charCodeAt(a) === 0x20 || s.charCodeAt(a) === 0x09)) a++;
  while (b > a && (s.charCodeAt(b - 1) === 0x20 || s.charCodeAt(b - 1) === 0x09)) b--;
  return a === 0 && b === s.length ? s : s.slice(a, b);
}

export interface PreflightLists {
  methods: string[];
  /** Lower-cased. */
  headers: string[];
}

/**
 * https://fetch.spec.whatwg.org/#cors-preflight-fetch step 7.1–7.3: parse the allow lists.
 * Failures: InvalidAllowMethodsPreflightResponse, then InvalidAllowHeadersPreflightResponse.
 */
export function parsePreflightLists(headers: HeaderList): PreflightLists | RuleFailure {
  return parsePreflightListValues(
    getHeader(headers, 'access-control-allow-methods'),
    getHeader(headers, 'access-control-allow-headers'),
  );
}

/** {@link parsePreflightLists} given the two headers' values (for a caller that has read them already). */
export function parsePreflightListValues(
  acam: string | null,
  acah: string | null,
): PreflightLists | RuleFailure {
  const methods = extractHeaderListValues(acam);
  if (methods === null) return { chromeError: 'InvalidAllowMethodsPreflightResponse', failedParameter: '' };
  const hs = extractHeaderListValues(acah);
  if (hs === null) return { chromeError: 'InvalidAllowHeadersPreflightResponse', failedParameter: '' };
  return { methods, headers: hs.map((h) => h.toLowerCase()) };
}

/**
 * https://fetch.spec.whatwg.org/#cors-preflight-fetch step 7.5: if request's method is not in
 * methods, request's method is not a CORS-safelisted method, and either credentials mode is "include"
 * or methods does not contain `*`, return a network error. Methods compare case-sensitively
 * (Chrome: `AccessControlAllowMethodsInCORSPreflightSpecConformant`, on by default).
 */
export function checkMethod(method: string, lists: PreflightLists, credentials: boolean): RuleFailure | null {
  if (lists.methods.includes(method) || isCorsSafelistedMethod(method)) return null;
  if (!credentials && lists.methods.includes('*')) return null;
  return { chromeError: 'MethodDisallowedByPreflightResponse', failedParameter: method };
}

export interface HeaderCheck {
  failure: RuleFailure | null;
  /** Set when `*` let `Authorization` through: allowed by Chrome today, not by the standard. */
  authorizationByWildcard: boolean;
}

/**
 * https://fetch.spec.whatwg.org/#cors-preflight-fetch steps 7.6–7.7, as Chromium 156 ships them
 * (`PreflightResult::EnsureAllowedCrossOriginHeaders`):
 * - without credentials, `*` in the list allows every header. The standard excludes `Authorization`
 *   (a CORS non-wildcard request-header name, step 7.6) but Chrome enforces that only behind the
 *   `CorsNonWildcardRequestHeadersSupport` feature; stock Chrome allows it with a deprecation issue.
 * - otherwise each CORS-unsafe request-header name, in sorted order, must be in the list
 *   (case-insensitively); the first missing one is the failedParameter.
 */
export function checkHeaders(
  unsafeNames: readonly string[],
  lists: PreflightLists,
  credentials: boolean,
): HeaderCheck {
  const allowed = new Set(lists.headers);
  if (!credentials && allowed.has('*')) {
    return {
      failure: null,
      authorizationByWildcard: unsafeNames.includes('authorization') && !allowed.has('authorization'),
    };
  }
  for (const name of unsafeNames) {
    if (!allowed.has(name)) {
      return {
        failure: { chromeError: 'HeaderDisallowedByPreflightResponse', failedParameter: name },
        authorizationByWildcard: false,
      };
    }
  }
  return { failure: null, authorizationByWildcard: false };
}

export interface MaxAge {
  /** Seconds Chrome caches the preflight for. */
  chrome: number;
  /** The raw value, `null` when absent. */
  raw: string | null;
  /** Not a `delta-seconds` value. */
  invalid: boolean;
}

/**
 * https://fetch.spec.whatwg.org/#http-access-control-max-age (default 5 s). Chrome: not an integer →
 * 5 s; negative → 0; capped at 7200 s (preflight_result.cc). Firefox caps at 86400 s.
 */
export function parseMaxAge(headers: HeaderList): MaxAge {
  const raw = getHeader(headers, 'access-control-max-age');
  if (raw === null) return { chrome: 5, raw, invalid: false };
  if (!/^-?\d+$/.test(raw)) return { chrome: 5, raw, invalid: true };
  const n = Number(raw);
  return { chrome: n < 0 ? 0 : Math.min(n, 7200), raw, invalid: n < 0 };
}
