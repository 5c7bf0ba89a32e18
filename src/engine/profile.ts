/**
 * Browser profiles: the one place where Chrome's and Firefox's CORS behaviour differ. The engine judges
 * an exchange by one profile's rules (`evaluate(exchange, { browser })`); nothing else in the engine, the
 * capture layer or the panel checks which browser it is.
 *
 * Every difference cites its source; test/engine/profile.test.ts has a table row per difference.
 * Sources: Gecko `netwerk/protocol/http/nsCORSListenerProxy.cpp` (FF-cors), Gecko
 * `dom/locales/en-US/chrome/security/security.properties` as shipped in Firefox 153 (FF-props), MDN's
 * CORS error pages (MDN-err), Chromium `services/network/cors/preflight_result.cc` (C-pfr),
 * `services/network/public/cpp/cors/cors.cc` (C-cors), `net/http/http_util.cc` (C-http), and what both
 * browsers did on loopback (Firefox 153 ESR, Chromium 156).
 */

import { kindInfo } from './catalogue';
import { firefoxConsoleMessage } from './firefox-console';
import type { Kind } from './kinds';
import type { BrowserName, Exchange, FirefoxReasonLink, Verdict } from './types';

export type { BrowserName, FirefoxReasonLink } from './types';

export const BROWSERS: readonly BrowserName[] = ['chrome', 'firefox'];

/** A reason name a browser logs, with the page that explains it when there is one. */
export interface ReasonLink {
  name: string;
  url?: string;
}

/** Builds the console message for a verdict the browser logs under `reason`; undefined: none known. */
export type ConsoleFormatter = (ex: Exchange, v: Verdict, reason: string) => string | undefined;

export interface BrowserProfile {
  name: BrowserName;
  label: 'Chrome' | 'Firefox';
  /**
   * This browser's reason table: the reason it names for a verdict kind (Chrome: its CorsError name,
   * the catalogue's `chromeError`; Firefox: its security.properties key, {@link firefoxReasonOf}).
   * Undefined: it names none. The other browser's note reads it through the other profile.
   */
  reasonOf(kind: Kind): ReasonLink | undefined;
  /**
   * How this browser's console words a blocked or failed call under its reason, where it is not
   * Chrome's (explain/console.ts builds Chrome's for every verdict); undefined: none of its own.
   */
  consoleMessage: ConsoleFormatter | undefined;
  /**
   * `Access-Control-Max-Age` upper bound in seconds. Chrome: 7,200 (C-pfr `kMaxTimeout`); Firefox:
   * 86,400 (FF-cors, `nsPreflightCache` clamps to 24 hours).
   */
  maxAgeCap: number;
  /**
   * Request headers a script may not set, beyond the Fetch standard's forbidden list. Chrome keeps
   * `user-agent` on its forbidden list (C-http `kForbiddenHeaderFields`) and drops it silently; Firefox
   * lets a page set it (the Fetch standard removed it from the list), so it is then a CORS-unsafe
   * header that needs the preflight's approval (observed: Firefox 153 asks for `user-agent` in
   * `Access-Control-Request-Headers`, Chromium 156 sends no preflight).
   */
  extraForbiddenHeaders: readonly string[];
  /**
   * Request headers safelisted beyond the Fetch standard's five. Chrome safelists `intervention` and
   * the client hints `device-memory`, `dpr`, `downlink`, `ect`, `rtt`, `save-data`, `viewport-width`,
   * `width` with valid values (C-cors `IsCorsSafelistedHeader`); Firefox does not (observed: Firefox
   * 153 preflights `dpr: 2`, `width: 100`, `save-data: on`, `device-memory: 8`, `ect: 4g`,
   * `intervention: x`; Chromium 156 sends them without one).
   */
  extraSafelistedHeaders: readonly string[];
  /**
   * `Authorization` under `Access-Control-Allow-Headers: *` (no credentials). The Fetch standard says
   * `*` never covers it; both browsers still let it through and warn.
   */
  authorizationByWildcard: { allowed: true; warning: string };
  /**
   * Does the preflight of a hop after a tainting redirect carry the tainted origin (`Origin: null`,
   * https://fetch.spec.whatwg.org/#concept-request-tainted-origin)? Chrome: yes. Firefox: no; it sends
   * and checks the page's origin on that preflight, and `null` on the request itself (measured in
   * Firefox 153 ESR, test/e2e/browsers-disagree.spec.ts: a PUT redirected with 307 to a third origin
   * whose preflight allows the page's origin and whose answer echoes `Origin` is allowed; Chromium
   * blocks it with PreflightAllowOriginMismatch).
   */
  taintsPreflightedRedirects: boolean;
  /**
   * In webRequest, does a request that completed (`onCompleted`) prove the page could read it? Chrome
   * fails a CORS-blocked request (`net::ERR_FAILED`); Firefox completes it with its status and runs the
   * CORS check after, so only the headers tell (observed: Firefox 153, `onCompleted` 200 for a response
   * without `Access-Control-Allow-Origin`).
   */
  completionProvesReadable: boolean;
  /**
   * `onErrorOccurred.error` values that mean "blocked by CORS (or unknown)", where the headers must
   * decide; any other error is a failure of its own (network, client, ...). Chrome: `net::ERR_FAILED`.
   * Firefox 153: `NS_ERROR_DOM_BAD_URI` for a failed preflight, `NS_ERROR_UNEXPECTED` for a redirect it
   * refused (observed).
   */
  corsErrors: readonly string[];
  /**
   * Does any other `onErrorOccurred.error` name a failure of its own? Chrome: yes (`net::ERR_*`).
   * Firefox: not reliably (observed: the same rejected redirect ended as `NS_ERROR_UNEXPECTED` in one
   * run and another `NS_ERROR_NET_*` name in the next), so the headers are checked first and the error
   * name counts only when every observed header passes.
   */
  errorNamesDecide: boolean;
  /**
   * Does Opaque Response Blocking withhold a no-cors `fetch()` response that its headers refuse (JSON
   * with `X-Content-Type-Options: nosniff`, ...)? Chrome: yes, the fetch rejects (ORB step 3.4, observed
   * in Chromium 156). Firefox: no, the page gets its opaque response with no error (observed: Firefox
   * 153 ESR, test/e2e/firefox-busy-page.spec.ts), so Chrome's ORB verdict is not applied there.
   */
  orbBlocksNoCorsFetch: boolean;
}

const MDN = 'https://developer.mozilla.org/en-US/docs/Web/HTTP/Guides/CORS/Errors/';

/** Firefox's reason names (FF-props keys without their number), each with its MDN page (MDN-err). */
/** All 15 reasons with an MDN page (kinds.ts lists the ones the catalogue maps kinds to). */
export const FIREFOX_REASON_NAMES = [
  'CORSDisabled',
  'CORSDidNotSucceed',
  'CORSOriginHeaderNotAdded',
  'CORSExternalRedirectNotAllowed',
  'CORSRequestNotHttp',
  'CORSMissingAllowOrigin',
  'CORSMultipleAllowOriginNotAllowed',
  'CORSAllowOriginNotMatchingOrigin',
  'CORSNotSupportingCredentials',
  'CORSMethodNotFound',
  'CORSMissingAllowCredentials',
  'CORSPreflightDidNotSucceed',
  'CORSInvalidAllowMethod',
  'CORSInvalidAllowHeader',
  'CORSMissingAllowHeaderFromPreflight',
] as const;

export type FirefoxReasonName = (typeof FIREFOX_REASON_NAMES)[number];

/** MDN's page for a Firefox reason name (its slug is the lower-cased name). */
export function firefoxReason(name: string): FirefoxReasonLink | undefined {
  if (!(FIREFOX_REASON_NAMES as readonly string[]).includes(name)) return undefined;
  return { name, url: `${MDN}${name}` };
}

export const CHROME: BrowserProfile = {
  name: 'chrome',
  label: 'Chrome',
  reasonOf(kind) {
    const name = kindInfo(kind).chromeError;
    return name ? { name } : undefined;
  },
  consoleMessage: undefined,
  maxAgeCap: 7_200,
  extraForbiddenHeaders: ['user-agent'],
  extraSafelistedHeaders: [
    'device-memory',
    'dpr',
    'downlink',
    'ect',
    'intervention',
    'rtt',
    'save-data',
    'viewport-width',
    'width',
  ],
  authorizationByWildcard: {
    allowed: true,
    warning:
      'Chrome lets it through for now and reports a deprecation issue ("Authorization will not be covered by the wildcard symbol (*) in CORS Access-Control-Allow-Headers handling"); it will block it when it follows the standard.',
  },
  taintsPreflightedRedirects: true,
  completionProvesReadable: true,
  corsErrors: ['net::ERR_FAILED'],
  errorNamesDecide: true,
  orbBlocksNoCorsFetch: true,
};

export const FIREFOX: BrowserProfile = {
  name: 'firefox',
  label: 'Firefox',
  reasonOf: (kind) => firefoxReasonOf(kind),
  consoleMessage: firefoxConsoleMessage,
  maxAgeCap: 86_400,
  extraForbiddenHeaders: [],
  extraSafelistedHeaders: [],
  authorizationByWildcard: {
    allowed: true,
    warning:
      'Firefox lets it through for now and logs "Cross-Origin Request Warning: The Same Origin Policy will disallow reading the remote resource … soon. (Reason: When the `Access-Control-Allow-Headers` is `*`, the `Authorization` header is not covered …)" (CORSAllowHeaderFromPreflightDeprecation); the preference network.cors_preflight.authorization_covered_by_wildcard turns the leniency off.',
  },
  taintsPreflightedRedirects: false,
  completionProvesReadable: false,
  corsErrors: ['NS_ERROR_DOM_BAD_URI', 'NS_ERROR_UNEXPECTED'],
  errorNamesDecide: false,
  orbBlocksNoCorsFetch: false,
};

export const PROFILES: Record<BrowserName, BrowserProfile> = { chrome: CHROME, firefox: FIREFOX };

/** The profile for a browser name; Chrome for anything unknown (the engine never throws). */
export function profileOf(browser: unknown): BrowserProfile {
  return browser === 'firefox' ? FIREFOX : CHROME;
}

/** The other browser's profile. */
export function otherProfile(p: BrowserProfile): BrowserProfile {
  return p.name === 'chrome' ? FIREFOX : CHROME;
}

/**
 * Firefox's reason for a verdict kind where Firefox 153 logs a different one than the catalogue's
 * reference column (which follows MDN and Gecko's source names):
 * - several `Access-Control-Allow-Origin` lines: Firefox joins them and reports
 *   CORSAllowOriginNotMatchingOrigin ("does not match 'a, b'"), not CORSMultipleAllowOriginNotAllowed;
 * - a redirect to a URL with user:password, a network failure of the call or its preflight: only
 *   "CORS request did not succeed" (CORSDidNotSucceed).
 * All observed on loopback in Firefox 153 ESR (test/e2e/firefox-verdicts.spec.ts).
 */
export const FIREFOX_OBSERVED_REASONS: Readonly<Partial<Record<Kind, FirefoxReasonName>>> = {
  'multiple-allow-origin-values': 'CORSAllowOriginNotMatchingOrigin',
  'preflight-multiple-allow-origin-values': 'CORSAllowOriginNotMatchingOrigin',
  'redirect-contains-credentials': 'CORSDidNotSucceed',
  'preflight-network-error': 'CORSDidNotSucceed',
  'network-failure-not-cors': 'CORSDidNotSucceed',
};

/** Is `error` (an `onErrorOccurred.error`) one that the headers must explain, for this browser? */
export function isCorsFamilyError(p: BrowserProfile, error: string): boolean {
  return p.corsErrors.some((e) => error.includes(e));
}

/** Firefox's reason for a verdict kind, with its MDN page; undefined when Firefox logs none. */
export function firefoxReasonOf(kind: Kind): FirefoxReasonLink | undefined {
  const name = FIREFOX_OBSERVED_REASONS[kind] ?? kindInfo(kind).firefox;
  return name ? firefoxReason(name) : undefined;
}
