/**
 * The closed sets of names the engine answers with: its verdict kinds, Chrome's `Network.CorsError`
 * names and Firefox's reason keys. Each is an `as const` list with the union type derived from it, so
 * a misspelt or unknown name is a compile error. What each kind means lives in catalogue.ts.
 */

/** Every verdict kind, in catalogue order. The {@link Kind} union is derived from this list. */
export const KIND_IDS = [
  'missing-allow-origin',
  'missing-allow-origin.error-status',
  'missing-allow-origin.redirect-hop',
  'missing-allow-origin.cached-variant',
  'wildcard-origin-with-credentials',
  'allow-origin-mismatch',
  'allow-origin-mismatch.null-origin',
  'multiple-allow-origin-values',
  'invalid-allow-origin-value',
  'invalid-allow-credentials',
  'preflight-disallowed-redirect',
  'preflight-missing-allow-origin',
  'preflight-wildcard-origin-with-credentials',
  'preflight-allow-origin-mismatch',
  'preflight-multiple-allow-origin-values',
  'preflight-invalid-allow-origin-value',
  'preflight-invalid-allow-credentials',
  'preflight-invalid-status',
  'preflight-network-error',
  'invalid-allow-methods',
  'invalid-allow-headers',
  'method-not-allowed',
  'method-not-allowed.case',
  'method-not-allowed.wildcard-with-credentials',
  'header-not-allowed',
  'header-not-allowed.authorization-wildcard',
  'header-not-allowed.wildcard-with-credentials',
  'header-not-allowed.content-type',
  'header-not-allowed.oversized-safelisted',
  'redirect-contains-credentials',
  'redirect-tainted-origin',
  'preflight-redirect-tainted-origin',
  'redirect-to-non-http-scheme',
  'redirect-to-non-http-scheme.cors-disabled',
  'disallowed-by-mode',
  'lna-permission-denied',
  'lna-insecure-initiator',
  'lna-address-space-mismatch',
  'corp-not-same-origin',
  'corp-not-same-site',
  'coep-requires-corp',
  'orb-blocked',
  'blocked-by-client',
  'network-failure-not-cors',
  'unsafe-port',
  'too-many-redirects',
  'aborted',
  'opaque-response',
  'no-cors-load',
  'same-origin',
  'navigation',
  'allowed',
  'allowed-contrary',
  'unexplained-failure',
  'answer-not-recorded',
  'pending',
  'malformed-input',
] as const;

/** A verdict kind: a catalogue id. */
export type Kind = (typeof KIND_IDS)[number];

/**
 * Chrome's whole `Network.CorsError` enum (CDP, current spelling). Some values are not observable
 * through webRequest and have no kind; test/engine/catalogue.test.ts says which and why.
 */
export const CHROME_CORS_ERRORS = [
  'DisallowedByMode',
  'InvalidResponse',
  'WildcardOriginNotAllowed',
  'MissingAllowOriginHeader',
  'MultipleAllowOriginValues',
  'InvalidAllowOriginValue',
  'AllowOriginMismatch',
  'InvalidAllowCredentials',
  'CorsDisabledScheme',
  'PreflightInvalidStatus',
  'PreflightDisallowedRedirect',
  'PreflightWildcardOriginNotAllowed',
  'PreflightMissingAllowOriginHeader',
  'PreflightMultipleAllowOriginValues',
  'PreflightInvalidAllowOriginValue',
  'PreflightAllowOriginMismatch',
  'PreflightInvalidAllowCredentials',
  'PreflightMissingAllowExternal',
  'PreflightInvalidAllowExternal',
  'InvalidAllowMethodsPreflightResponse',
  'InvalidAllowHeadersPreflightResponse',
  'MethodDisallowedByPreflightResponse',
  'HeaderDisallowedByPreflightResponse',
  'RedirectContainsCredentials',
  'InsecureLocalNetwork',
  'InvalidLocalNetworkAccess',
  'NoCorsRedirectModeNotFollow',
  'LocalNetworkAccessPermissionDenied',
] as const;

/** A `Network.CorsError` name (CDP), current spelling. */
export type ChromeCorsError = (typeof CHROME_CORS_ERRORS)[number];

/** The Firefox `security.properties` reason keys the catalogue maps kinds to (MDN reason pages). */
export const FIREFOX_REASONS = [
  'CORSMissingAllowOrigin',
  'CORSNotSupportingCredentials',
  'CORSAllowOriginNotMatchingOrigin',
  'CORSMultipleAllowOriginNotAllowed',
  'CORSMissingAllowCredentials',
  'CORSExternalRedirectNotAllowed',
  'CORSPreflightDidNotSucceed',
  'CORSDidNotSucceed',
  'CORSInvalidAllowMethod',
  'CORSInvalidAllowHeader',
  'CORSMethodNotFound',
  'CORSMissingAllowHeaderFromPreflight',
] as const;

export type FirefoxReason = (typeof FIREFOX_REASONS)[number];

const KIND_SET: ReadonlySet<string> = new Set(KIND_IDS);
const CHROME_SET: ReadonlySet<string> = new Set(CHROME_CORS_ERRORS);

export function isKind(x: unknown): x is Kind {
  return typeof x === 'string' && KIND_SET.has(x);
}

export function isChromeCorsError(x: unknown): x is ChromeCorsError {
  return typeof x === 'string' && CHROME_SET.has(x);
}
