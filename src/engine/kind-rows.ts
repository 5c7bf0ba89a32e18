/**
 * The rows of the verdict catalogue (catalogue.ts), one per {@link Kind}, in docs/cors-failures.md
 * §3A–3H order: its outcome, the step that decides it, the reference section, a short label, Chrome's
 * `Network.CorsError` name and Firefox's reason key when the browsers report one.
 */
import type { ChromeCorsError, FirefoxReason, Kind } from './kinds';
import type { Outcome, Step } from './types';

/** One row per {@link Kind}, named fields: a kind without a row, or a row for no kind, does not compile. */
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

/** A row of the catalogue: everything about a kind but its id (the key). */
export type KindRow = Omit<KindInfo, 'id'>;

export const KIND_ROWS = {
  // §3A CORS check on the actual response
  'missing-allow-origin': {
    outcome: 'blocked',
    step: 'actual',
    section: '3A',
    label: 'No Access-Control-Allow-Origin',
    chromeError: 'MissingAllowOriginHeader',
    firefox: 'CORSMissingAllowOrigin',
  },
  'missing-allow-origin.error-status': {
    outcome: 'blocked',
    step: 'actual',
    section: '3A',
    label: 'Error response without CORS headers',
    chromeError: 'MissingAllowOriginHeader',
    firefox: 'CORSMissingAllowOrigin',
  },
  'missing-allow-origin.redirect-hop': {
    outcome: 'blocked',
    step: 'redirect',
    section: '3A',
    label: 'Redirect without CORS headers',
    chromeError: 'MissingAllowOriginHeader',
    firefox: 'CORSMissingAllowOrigin',
  },
  'missing-allow-origin.cached-variant': {
    outcome: 'blocked',
    step: 'actual',
    section: '3A',
    label: 'Cached copy without CORS headers',
    chromeError: 'MissingAllowOriginHeader',
    firefox: 'CORSMissingAllowOrigin',
  },
  'wildcard-origin-with-credentials': {
    outcome: 'blocked',
    step: 'actual',
    section: '3A',
    label: '`*` with credentials',
    chromeError: 'WildcardOriginNotAllowed',
    firefox: 'CORSNotSupportingCredentials',
  },
  'allow-origin-mismatch': {
    outcome: 'blocked',
    step: 'actual',
    section: '3A',
    label: 'Allowed origin does not match',
    chromeError: 'AllowOriginMismatch',
    firefox: 'CORSAllowOriginNotMatchingOrigin',
  },
  'allow-origin-mismatch.null-origin': {
    outcome: 'blocked',
    step: 'actual',
    section: '3A',
    label: 'Page has a null origin',
    chromeError: 'AllowOriginMismatch',
    firefox: 'CORSAllowOriginNotMatchingOrigin',
  },
  'multiple-allow-origin-values': {
    outcome: 'blocked',
    step: 'actual',
    section: '3A',
    label: 'Several allowed origins',
    chromeError: 'MultipleAllowOriginValues',
    firefox: 'CORSMultipleAllowOriginNotAllowed',
  },
  'invalid-allow-origin-value': {
    outcome: 'blocked',
    step: 'actual',
    section: '3A',
    label: 'Allowed origin is not an origin',
    chromeError: 'InvalidAllowOriginValue',
    firefox: 'CORSAllowOriginNotMatchingOrigin',
  },
  'invalid-allow-credentials': {
    outcome: 'blocked',
    step: 'actual',
    section: '3A',
    label: 'Credentials not allowed',
    chromeError: 'InvalidAllowCredentials',
    firefox: 'CORSMissingAllowCredentials',
  },
  // §3B preflight
  'preflight-disallowed-redirect': {
    outcome: 'blocked',
    step: 'preflight',
    section: '3B',
    label: 'Preflight was redirected',
    chromeError: 'PreflightDisallowedRedirect',
    firefox: 'CORSExternalRedirectNotAllowed',
  },
  'preflight-missing-allow-origin': {
    outcome: 'blocked',
    step: 'preflight',
    section: '3B',
    label: 'Preflight without Access-Control-Allow-Origin',
    chromeError: 'PreflightMissingAllowOriginHeader',
    firefox: 'CORSMissingAllowOrigin',
  },
  'preflight-wildcard-origin-with-credentials': {
    outcome: 'blocked',
    step: 'preflight',
    section: '3B',
    label: 'Preflight: `*` with credentials',
    chromeError: 'PreflightWildcardOriginNotAllowed',
    firefox: 'CORSNotSupportingCredentials',
  },
  'preflight-allow-origin-mismatch': {
    outcome: 'blocked',
    step: 'preflight',
    section: '3B',
    label: 'Preflight: allowed origin does not match',
    chromeError: 'PreflightAllowOriginMismatch',
    firefox: 'CORSAllowOriginNotMatchingOrigin',
  },
  'preflight-multiple-allow-origin-values': {
    outcome: 'blocked',
    step: 'preflight',
    section: '3B',
    label: 'Preflight: several allowed origins',
    chromeError: 'PreflightMultipleAllowOriginValues',
    firefox: 'CORSMultipleAllowOriginNotAllowed',
  },
  'preflight-invalid-allow-origin-value': {
    outcome: 'blocked',
    step: 'preflight',
    section: '3B',
    label: 'Preflight: allowed origin is not an origin',
    chromeError: 'PreflightInvalidAllowOriginValue',
    firefox: 'CORSAllowOriginNotMatchingOrigin',
  },
  'preflight-invalid-allow-credentials': {
    outcome: 'blocked',
    step: 'preflight',
    section: '3B',
    label: 'Preflight: credentials not allowed',
    chromeError: 'PreflightInvalidAllowCredentials',
    firefox: 'CORSMissingAllowCredentials',
  },
  'preflight-invalid-status': {
    outcome: 'blocked',
    step: 'preflight',
    section: '3B',
    label: 'Preflight answered with an error status',
    chromeError: 'PreflightInvalidStatus',
    firefox: 'CORSPreflightDidNotSucceed',
  },
  'preflight-network-error': {
    outcome: 'failed',
    step: 'preflight',
    section: '3B',
    label: 'Preflight could not reach the server',
    firefox: 'CORSDidNotSucceed',
  },
  'invalid-allow-methods': {
    outcome: 'blocked',
    step: 'preflight',
    section: '3B',
    label: 'Access-Control-Allow-Methods cannot be parsed',
    chromeError: 'InvalidAllowMethodsPreflightResponse',
    firefox: 'CORSInvalidAllowMethod',
  },
  'invalid-allow-headers': {
    outcome: 'blocked',
    step: 'preflight',
    section: '3B',
    label: 'Access-Control-Allow-Headers cannot be parsed',
    chromeError: 'InvalidAllowHeadersPreflightResponse',
    firefox: 'CORSInvalidAllowHeader',
  },
  'method-not-allowed': {
    outcome: 'blocked',
    step: 'preflight',
    section: '3B',
    label: 'Method not allowed',
    chromeError: 'MethodDisallowedByPreflightResponse',
    firefox: 'CORSMethodNotFound',
  },
  'method-not-allowed.case': {
    outcome: 'blocked',
    step: 'preflight',
    section: '3B',
    label: 'Method allowed in another case',
    chromeError: 'MethodDisallowedByPreflightResponse',
    firefox: 'CORSMethodNotFound',
  },
  'method-not-allowed.wildcard-with-credentials': {
    outcome: 'blocked',
    step: 'preflight',
    section: '3B',
    label: '`*` methods ignored with credentials',
    chromeError: 'MethodDisallowedByPreflightResponse',
    firefox: 'CORSMethodNotFound',
  },
  'header-not-allowed': {
    outcome: 'blocked',
    step: 'preflight',
    section: '3B',
    label: 'Request header not allowed',
    chromeError: 'HeaderDisallowedByPreflightResponse',
    firefox: 'CORSMissingAllowHeaderFromPreflight',
  },
  'header-not-allowed.authorization-wildcard': {
    outcome: 'blocked',
    step: 'preflight',
    section: '3B',
    label: '`*` does not cover Authorization',
    chromeError: 'HeaderDisallowedByPreflightResponse',
    firefox: 'CORSMissingAllowHeaderFromPreflight',
  },
  'header-not-allowed.wildcard-with-credentials': {
    outcome: 'blocked',
    step: 'preflight',
    section: '3B',
    label: '`*` headers ignored with credentials',
    chromeError: 'HeaderDisallowedByPreflightResponse',
    firefox: 'CORSMissingAllowHeaderFromPreflight',
  },
  'header-not-allowed.content-type': {
    outcome: 'blocked',
    step: 'preflight',
    section: '3B',
    label: 'Content-Type not allowed',
    chromeError: 'HeaderDisallowedByPreflightResponse',
    firefox: 'CORSMissingAllowHeaderFromPreflight',
  },
  'header-not-allowed.oversized-safelisted': {
    outcome: 'blocked',
    step: 'preflight',
    section: '3B',
    label: 'Over-long header needs permission',
    chromeError: 'HeaderDisallowedByPreflightResponse',
    firefox: 'CORSMissingAllowHeaderFromPreflight',
  },
  // §3C redirects
  'redirect-contains-credentials': {
    outcome: 'blocked',
    step: 'redirect',
    section: '3C',
    label: 'Redirect to a URL with user:password',
    chromeError: 'RedirectContainsCredentials',
  },
  'redirect-tainted-origin': {
    outcome: 'blocked',
    step: 'actual',
    section: '3C',
    label: 'Origin became null after a redirect',
    chromeError: 'AllowOriginMismatch',
    firefox: 'CORSAllowOriginNotMatchingOrigin',
  },
  'preflight-redirect-tainted-origin': {
    outcome: 'blocked',
    step: 'preflight',
    section: '3C',
    label: 'Origin became null after a redirect (preflight)',
    chromeError: 'PreflightAllowOriginMismatch',
    firefox: 'CORSAllowOriginNotMatchingOrigin',
  },
  // Firefox ESR logs "CORS request did not succeed" for these redirects (measured), not "not http".
  'redirect-to-non-http-scheme': {
    outcome: 'failed',
    step: 'redirect',
    section: '3C',
    label: 'Redirect to a non-HTTP(S) URL',
    firefox: 'CORSDidNotSucceed',
  },
  // The same rule, where Chrome's network layer lets the redirect through (schemes it has no handler
  // for: ftp:, javascript:, custom app schemes) and its CORS check stops it instead.
  'redirect-to-non-http-scheme.cors-disabled': {
    outcome: 'blocked',
    step: 'redirect',
    section: '3C',
    label: 'Redirect to a scheme CORS does not support',
    chromeError: 'CorsDisabledScheme',
    firefox: 'CORSDidNotSucceed',
  },
  // §3D mode / scheme (observable only after a redirect)
  'disallowed-by-mode': {
    outcome: 'blocked',
    step: 'redirect',
    section: '3D',
    label: 'Request mode forbids cross-origin',
    chromeError: 'DisallowedByMode',
  },
  // §3F Local Network Access
  'lna-permission-denied': {
    outcome: 'blocked',
    step: 'network',
    section: '3F',
    label: 'Local network access denied',
    chromeError: 'LocalNetworkAccessPermissionDenied',
  },
  'lna-insecure-initiator': {
    outcome: 'blocked',
    step: 'network',
    section: '3F',
    label: 'Local network access from an insecure page',
    chromeError: 'InsecureLocalNetwork',
  },
  'lna-address-space-mismatch': {
    outcome: 'blocked',
    step: 'network',
    section: '3F',
    label: 'Target address space mismatch',
    chromeError: 'InvalidLocalNetworkAccess',
  },
  // §3G close cousins
  'corp-not-same-origin': {
    outcome: 'failed',
    step: 'actual',
    section: '3G',
    label: 'Cross-Origin-Resource-Policy: same-origin',
  },
  'corp-not-same-site': {
    outcome: 'failed',
    step: 'actual',
    section: '3G',
    label: 'Cross-Origin-Resource-Policy: same-site',
  },
  'coep-requires-corp': {
    outcome: 'failed',
    step: 'actual',
    section: '3G',
    label: 'Embedder policy requires CORP',
  },
  'orb-blocked': { outcome: 'failed', step: 'actual', section: '3G', label: 'Opaque Response Blocking' },
  'blocked-by-client': {
    outcome: 'failed',
    step: 'network',
    section: '3G',
    label: 'Blocked by an extension or DevTools',
  },
  'network-failure-not-cors': {
    outcome: 'failed',
    step: 'network',
    section: '3G',
    label: 'Network error (not CORS)',
    firefox: 'CORSDidNotSucceed',
  },
  'unsafe-port': { outcome: 'failed', step: 'network', section: '3G', label: 'Port blocked by the browser' },
  'too-many-redirects': { outcome: 'failed', step: 'redirect', section: '3G', label: 'Too many redirects' },
  aborted: {
    outcome: 'failed',
    step: 'network',
    section: '3G',
    label: 'Cancelled by the page or a navigation',
  },
  // §3H not blocked, but looks like CORS; and the not-CORS outcomes
  'opaque-response': {
    outcome: 'not-cors',
    step: 'none',
    section: '3H',
    label: 'no-cors: response unreadable (opaque)',
  },
  'no-cors-load': {
    outcome: 'not-cors',
    step: 'none',
    section: '3H',
    label: 'No-CORS load (image, script, form…)',
  },
  'same-origin': { outcome: 'not-cors', step: 'none', section: '—', label: 'Same-origin request' },
  navigation: { outcome: 'not-cors', step: 'none', section: '—', label: 'Navigation' },
  allowed: { outcome: 'allowed', step: 'none', section: '—', label: 'Allowed' },
  'allowed-contrary': {
    outcome: 'allowed',
    step: 'none',
    section: '—',
    label: 'Allowed, though the headers say it should not be',
  },
  'unexplained-failure': {
    outcome: 'blocked',
    step: 'none',
    section: '—',
    label: 'Blocked; reason not visible to extensions',
  },
  'answer-not-recorded': {
    outcome: 'blocked',
    step: 'none',
    section: '—',
    label: "Blocked: the file does not hold the server's answer",
  },
  pending: { outcome: 'pending', step: 'none', section: '—', label: 'In flight' },
  'malformed-input': {
    outcome: 'failed',
    step: 'none',
    section: '—',
    label: 'Could not read the observed request',
  },
} satisfies Record<Kind, KindRow>;
