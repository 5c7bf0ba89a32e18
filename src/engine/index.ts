/**
 * CORS Lens verdict engine: observed exchange in, Chrome's verdict out. Pure: no browser globals.
 *
 * The engine's one public entry: everything outside src/engine imports from here, never from a file
 * inside it (eslint.config.js says so). Add an export here when another module needs one; tests may
 * still import internals to unit-test them.
 */
export type * from './types';
export { BODY_START_LIMIT } from './types';
export type { LogEntry } from './log-entry';

// Verdicts.
export { evaluate } from './evaluate';
export { simulate } from './simulate';
export { BROWSERS, profileOf, type BrowserName, type BrowserProfile } from './profile';
export { isChromeCorsError, isKind } from './catalogue';
export { explain } from './explain';
export { mergePlans, planHeaderChanges } from './explain/complete';
export { annotateLog, CrossCallEvidence, crossCallKeys, ECHO_FINDING_ID, withFindings } from './cross-call';
export type { CrossCallKeys } from './cross-call';

// Fix recipes.
export { detectStacks, recipesFor, responseHeadersOf, sharedNotes, STACKS } from './fix';
export { scopeOf, titleCase } from './fix/common';

// Header, origin, request and status helpers (the Fetch standard's parsers).
export { getHeader, lineValue, splitList } from './headers';
export { isHttpScheme, originOf, parseUrl } from './origin';
export {
  actualHeaders,
  fetchSite,
  followRedirect,
  needsPreflight,
  planCall,
  preflightHeaders,
  type CallSpec,
  type HopState,
  httpOrigin,
  parseHeaderArg,
  parseMethod,
  parseOrigin,
  parseRequestUrl,
  type BrowserDefaults,
  type Parsed,
} from './request';
export { corsUnsafeRequestHeaderNames, isForbiddenRequestHeaderName, normalizeMethod } from './safelist';
export { siteOf, siteOfHost } from './site';
export { isOkStatus, redirectMethod } from './status';
