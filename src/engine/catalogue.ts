/**
 * The one catalogue of verdict kinds. Every id is stable (reports and tests key on it) and maps to
 * Chrome's `Network.CorsError` name (CDP) and Firefox's reason key, so users can search either.
 * Rows follow docs/cors-failures.md §3A–3H.
 */
import type { ChromeCorsError, FirefoxReason, Kind } from './kinds';
import type { Outcome, Step } from './types';

export {
  CHROME_CORS_ERRORS,
  FIREFOX_REASONS,
  KIND_IDS,
  isChromeCorsError,
  isKind,
  type ChromeCorsError,
  type FirefoxReason,
  type Kind,
} from './kinds';

export interface KindInfo {
  id: Kind;
  /** The outcome this kind always has. */
  outcome: Outcome;
  /** Current CDP `Network.CorsError` name, when Chrome reports one. */
  chromeError?: ChromeCorsError;
  /** Firefox `security.properties` key (MDN reason page). */
  firefox?: FirefoxReason;
  /** Reference section. */
  section: string;
  /** Short label for lists. */
  label: string;
  /** Where the check happens. */
  step: Step;
}

const k = (
  id: Kind,
  outcome: Outcome,
  step: Step,
  section: string,
  label: string,
  chromeError?: ChromeCorsError,
  firefox?: FirefoxReason,
): KindInfo => ({ id, outcome, step, section, label, chromeError, firefox });

export const KINDS: readonly KindInfo[] = [
  // §3A CORS check on the actual response
  k(
    'missing-allow-origin',
    'blocked',
    'actual',
    '3A',
    'No Access-Control-Allow-Origin',
    'MissingAllowOriginHeader',
    'CORSMissingAllowOrigin',
  ),
  k(
    'missing-allow-origin.error-status',
    'blocked',
    'actual',
    '3A',
    'Error response without CORS headers',
    'MissingAllowOriginHeader',
    'CORSMissingAllowOrigin',
  ),
  k(
    'missing-allow-origin.redirect-hop',
    'blocked',
    'redirect',
    '3A',
    'Redirect without CORS headers',
    'MissingAllowOriginHeader',
    'CORSMissingAllowOrigin',
  ),
  k(
    'missing-allow-origin.cached-variant',
    'blocked',
    'actual',
    '3A',
    'Cached copy without CORS headers',
    'MissingAllowOriginHeader',
    'CORSMissingAllowOrigin',
  ),
  k(
    'wildcard-origin-with-credentials',
    'blocked',
    'actual',
    '3A',
    '`*` with credentials',
    'WildcardOriginNotAllowed',
    'CORSNotSupportingCredentials',
  ),
  k(
    'allow-origin-mismatch',
    'blocked',
    'actual',
    '3A',
    'Allowed origin does not match',
    'AllowOriginMismatch',
    'CORSAllowOriginNotMatchingOrigin',
  ),
  k(
    'allow-origin-mismatch.null-origin',
    'blocked',
    'actual',
    '3A',
    'Page has a null origin',
    'AllowOriginMismatch',
    'CORSAllowOriginNotMatchingOrigin',
  ),
  k(
    'multiple-allow-origin-values',
    'blocked',
    'actual',
    '3A',
    'Several allowed origins',
    'MultipleAllowOriginValues',
    'CORSMultipleAllowOriginNotAllowed',
  ),
  k(
    'invalid-allow-origin-value',
    'blocked',
    'actual',
    '3A',
    'Allowed origin is not an origin',
    'InvalidAllowOriginValue',
    'CORSAllowOriginNotMatchingOrigin',
  ),
  k(
    'invalid-allow-credentials',
    'blocked',
    'actual',
    '3A',
    'Credentials not allowed',
    'InvalidAllowCredentials',
    'CORSMissingAllowCredentials',
  ),
  // §3B preflight
  k(
    'preflight-disallowed-redirect',
    'blocked',
    'preflight',
    '3B',
    'Preflight was redirected',
    'PreflightDisallowedRedirect',
    'CORSExternalRedirectNotAllowed',
  ),
  k(
    'preflight-missing-allow-origin',
    'blocked',
    'preflight',
    '3B',
    'Preflight without Access-Control-Allow-Origin',
    'PreflightMissingAllowOriginHeader',
    'CORSMissingAllowOrigin',
  ),
  k(
    'preflight-wildcard-origin-with-credentials',
    'blocked',
    'preflight',
    '3B',
    'Preflight: `*` with credentials',
    'PreflightWildcardOriginNotAllowed',
    'CORSNotSupportingCredentials',
  ),
  k(
    'preflight-allow-origin-mismatch',
    'blocked',
    'preflight',
    '3B',
    'Preflight: allowed origin does not match',
    'PreflightAllowOriginMismatch',
    'CORSAllowOriginNotMatchingOrigin',
  ),
  k(
    'preflight-multiple-allow-origin-values',
    'blocked',
    'preflight',
    '3B',
    'Preflight: several allowed origins',
    'PreflightMultipleAllowOriginValues',
    'CORSMultipleAllowOriginNotAllowed',
  ),
  k(
    'preflight-invalid-allow-origin-value',
    'blocked',
    'preflight',
    '3B',
    'Preflight: allowed origin is not an origin',
    'PreflightInvalidAllowOriginValue',
    'CORSAllowOriginNotMatchingOrigin',
  ),
  k(
    'preflight-invalid-allow-credentials',
    'blocked',
    'preflight',
    '3B',
    'Preflight: credentials not allowed',
    'PreflightInvalidAllowCredentials',
    'CORSMissingAllowCredentials',
  ),
  k(
    'preflight-invalid-status',
    'blocked',
    'preflight',
    '3B',
    'Preflight answered with an error status',
    'PreflightInvalidStatus',
    'CORSPreflightDidNotSucceed',
  ),
  k(
    'preflight-network-error',
    'failed',
    'preflight',
    '3B',
    'Preflight could not reach the server',
    undefined,
    'CORSDidNotSucceed',
  ),
  k(
    'invalid-allow-methods',
    'blocked',
    'preflight',
    '3B',
    'Access-Control-Allow-Methods cannot be parsed',
    'InvalidAllowMethodsPreflightResponse',
    'CORSInvalidAllowMethod',
  ),
  k(
    'invalid-allow-headers',
    'blocked',
    'preflight',
    '3B',
    'Access-Control-Allow-Headers cannot be parsed',
    'InvalidAllowHeadersPreflightResponse',
    'CORSInvalidAllowHeader',
  ),
  k(
    'method-not-allowed',
    'blocked',
    'preflight',
    '3B',
    'Method not allowed',
    'MethodDisallowedByPreflightResponse',
    'CORSMethodNotFound',
  ),
  k(
    'method-not-allowed.case',
    'blocked',
    'preflight',
    '3B',
    'Method allowed in another case',
    'MethodDisallowedByPreflightResponse',
    'CORSMethodNotFound',
  ),
  k(
    'method-not-allowed.wildcard-with-credentials',
    'blocked',
    'preflight',
    '3B',
    '`*` methods ignored with credentials',
    'MethodDisallowedByPreflightResponse',
    'CORSMethodNotFound',
  ),
  k(
    'header-not-allowed',
    'blocked',
    'preflight',
    '3B',
    'Request header not allowed',
    'HeaderDisallowedByPreflightResponse',
    'CORSMissingAllowHeaderFromPreflight',
  ),
  k(
    'header-not-allowed.authorization-wildcard',
    'blocked',
    'preflight',
    '3B',
    '`*` does not cover Authorization',
    'HeaderDisallowedByPreflightResponse',
    'CORSMissingAllowHeaderFromPreflight',
  ),
  k(
    'header-not-allowed.wildcard-with-credentials',
    'blocked',
    'preflight',
    '3B',
    '`*` headers ignored with credentials',
    'HeaderDisallowedByPreflightResponse',
    'CORSMissingAllowHeaderFromPreflight',
  ),
  k(
    'header-not-allowed.content-type',
    'blocked',
    'preflight',
    '3B',
    'Content-Type not allowed',
    'HeaderDisallowedByPreflightResponse',
    'CORSMissingAllowHeaderFromPreflight',
  ),
  k(
    'header-not-allowed.oversized-safelisted',
    'blocked',
    'preflight',
    '3B',
    'Over-long header needs permission',
    'HeaderDisallowedByPreflightResponse',
    'CORSMissingAllowHeaderFromPreflight',
  ),
  // §3C redirects
  k(
    'redirect-contains-credentials',
    'blocked',
    'redirect',
    '3C',
    'Redirect to a URL with user:password',
    'RedirectContainsCredentials',
  ),
  k(
    'redirect-tainted-origin',
    'blocked',
    'actual',
    '3C',
    'Origin became null after a redirect',
    'AllowOriginMismatch',
    'CORSAllowOriginNotMatchingOrigin',
  ),
  k(
    'preflight-redirect-tainted-origin',
    'blocked',
    'preflight',
    '3C',
    'Origin became null after a redirect (preflight)',
    'PreflightAllowOriginMismatch',
    'CORSAllowOriginNotMatchingOrigin',
  ),
  k(
    'redirect-to-non-http-scheme',
    'failed',
    'redirect',
    '3C',
    'Redirect to a non-HTTP(S) URL',
    undefined,
    // Firefox ESR logs "CORS request did not succeed" for these redirects (measured), not "not http".
    'CORSDidNotSucceed',
  ),
  // The same rule, where Chrome's network layer lets the redirect through (schemes it has no handler
  // for: ftp:, javascript:, custom app schemes) and its CORS check stops it instead.
  k(
    'redirect-to-non-http-scheme.cors-disabled',
    'blocked',
    'redirect',
    '3C',
    'Redirect to a scheme CORS does not support',
    'CorsDisabledScheme',
    'CORSDidNotSucceed',
  ),
  // §3D mode / scheme (observable only after a redirect)
  k(
    'disallowed-by-mode',
    'blocked',
    'redirect',
    '3D',
    'Request mode forbids cross-origin',
    'DisallowedByMode',
  ),
  // §3F Local Network Access
  k(
    'lna-permission-denied',
    'blocked',
    'network',
    '3F',
    'Local network access denied',
    'LocalNetworkAccessPermissionDenied',
  ),
  k(
    'lna-insecure-initiator',
    'blocked',
    'network',
    '3F',
    'Local network access from an insecure page',
    'InsecureLocalNetwork',
  ),
  k(
    'lna-address-space-mismatch',
    'blocked',
    'network',
    '3F',
    'Target address space mismatch',
    'InvalidLocalNetworkAccess',
  ),
  // §3G close cousins
  k('corp-not-same-origin', 'failed', 'actual', '3G', 'Cross-Origin-Resource-Policy: same-origin'),
  k('corp-not-same-site', 'failed', 'actual', '3G', 'Cross-Origin-Resource-Policy: same-site'),
  k('coep-requires-corp', 'failed', 'actual', '3G', 'Embedder policy requires CORP'),
  k('orb-blocked', 'failed', 'actual', '3G', 'Opaque Response Blocking'),
  k('blocked-by-client', 'failed', 'network', '3G', 'Blocked by an extension or DevTools'),
  k(
    'network-failure-not-cors',
    'failed',
    'network',
    '3G',
    'Network error (not CORS)',
    undefined,
    'CORSDidNotSucceed',
  ),
  k('unsafe-port', 'failed', 'network', '3G', 'Port blocked by the browser'),
  k('too-many-redirects', 'failed', 'redirect', '3G', 'Too many redirects'),
  k('aborted', 'failed', 'network', '3G', 'Cancelled by the page or a navigation'),
  // §3H not blocked, but looks like CORS; and the not-CORS outcomes
  k('opaque-response', 'not-cors', 'none', '3H', 'no-cors: response unreadable (opaque)'),
  k('no-cors-load', 'not-cors', 'none', '3H', 'No-CORS load (image, script, form…)'),
  k('same-origin', 'not-cors', 'none', '—', 'Same-origin request'),
  k('navigation', 'not-cors', 'none', '—', 'Navigation'),
  k('allowed', 'allowed', 'none', '—', 'Allowed'),
  k('allowed-contrary', 'allowed', 'none', '—', 'Allowed, though the headers say it should not be'),
  k('unexplained-failure', 'blocked', 'none', '—', 'Blocked; reason not visible to extensions'),
  k('answer-not-recorded', 'blocked', 'none', '—', "Blocked: the file does not hold the server's answer"),
  k('pending', 'pending', 'none', '—', 'In flight'),
  k('malformed-input', 'failed', 'none', '—', 'Could not read the observed request'),
];

const BY_ID: ReadonlyMap<Kind, KindInfo> = new Map(KINDS.map((x) => [x.id, x]));

export function kindInfo(id: Kind): KindInfo {
  return BY_ID.get(id) ?? { id, outcome: 'failed', step: 'none', section: '—', label: id };
}

/**
 * Old CDP / Chromium spellings mapped to the current ones (CDP r1581282, 2026-02 renamed the private
 * network names; `InvalidResponse` is only used in warnings and maps to the preflight network error).
 */
const RENAMED: Record<string, string> = {
  InsecurePrivateNetwork: 'InsecureLocalNetwork',
  InvalidPrivateNetworkAccess: 'InvalidLocalNetworkAccess',
  PrivateNetworkAccessPermissionDenied: 'LocalNetworkAccessPermissionDenied',
};

/** Accepts `kFooBar`, old and new CDP names; returns the current CDP name. */
export function normalizeChromeError(name: string): string {
  const n = name.startsWith('k') && /^k[A-Z]/.test(name) ? name.slice(1) : name;
  return RENAMED[n] ?? n;
}

/** The catalogue ids that Chrome reports under a given CorsError name (old or new spelling). */
export function kindsForChromeError(name: string): Kind[] {
  const n = normalizeChromeError(name);
  return KINDS.filter((x) => x.chromeError === n).map((x) => x.id);
}
