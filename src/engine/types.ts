/**
 * The engine's input and output.
 *
 * Input: one observed exchange, exactly as `chrome.webRequest` (with `'extraHeaders'`) shows it.
 * Output: a {@link Verdict} that says what Chrome decided and why.
 *
 * These types are plain data (JSON-serialisable) so that they can be stored in
 * `chrome.storage.session`, recorded as fixtures and sent over a port.
 */
import type { ChromeCorsError, Kind } from './kinds';
import type { StackId } from './fix/stack-id';

export type { StackId };

/** The browsers whose rules the engine knows (each has a profile: profile.ts). */
export type BrowserName = 'chrome' | 'firefox';

export interface FirefoxReasonLink {
  /** The reason name (security.properties key without its version number), as MDN titles it. */
  name: string;
  /** MDN's page for it. */
  url: string;
}

/** One header line as webRequest reports it (`chrome.webRequest.HttpHeader`). */
export interface HeaderLine {
  name: string;
  value?: string;
  /** webRequest gives this instead of `value` when the bytes are not UTF-8. */
  binaryValue?: number[];
}

export type HeaderList = readonly HeaderLine[];

/** A response as `onHeadersReceived` (or `onCompleted`) shows it. */
export interface ObservedResponse {
  statusCode: number;
  statusLine?: string;
  headers: HeaderList;
  fromCache?: boolean;
  ip?: string;
  /**
   * The start of the body (at most {@link BODY_START_LIMIT} characters), where it can be read: the
   * command line and a HAR with content. webRequest never shows bodies.
   */
  bodyStart?: string;
}

/** How much of a body is kept in {@link ObservedResponse.bodyStart}. */
export const BODY_START_LIMIT = 2048;

/** A CORS-preflight request (OPTIONS with `Access-Control-Request-Method`) and what came of it. */
export interface ObservedPreflight {
  url: string;
  /** Headers the browser sent on the OPTIONS request (Origin, Access-Control-Request-*). */
  requestHeaders?: HeaderList;
  /** The OPTIONS response, if one arrived. A 3xx here is a redirect Chrome refuses to follow. */
  response?: ObservedResponse;
  /** `net::ERR_*` if the OPTIONS request itself failed below HTTP. */
  error?: string;
}

/**
 * One URL of the actual request's redirect chain. `legs[0]` is the URL the page asked for; every
 * followed redirect adds a leg.
 */
export interface Leg {
  url: string;
  /** The preflight Chrome made before sending this leg, if webRequest saw one (a cache hit shows none). */
  preflight?: ObservedPreflight;
  /** Request headers as sent on this leg; absent when the leg was never sent (e.g. its preflight failed). */
  requestHeaders?: HeaderList;
  /** The response to this leg, if one arrived (also for responses Chrome then blocked). */
  response?: ObservedResponse;
  /** Set when Chrome followed this leg's redirect (`onBeforeRedirect`). */
  redirectUrl?: string;
}

export type ExchangeState =
  { state: 'pending' } | { state: 'completed'; statusCode: number } | { state: 'failed'; error: string };

/** The resource type webRequest reports (`xmlhttprequest` for fetch and XHR). */
export type ResourceType = string;

export interface Exchange {
  /** Stable id (the actual request's webRequest requestId). */
  id: string;
  method: string;
  /** `details.initiator`: the origin of the document or worker that made the request, `"null"` if opaque. */
  initiator?: string;
  type: ResourceType;
  tabId: number;
  frameId?: number;
  documentId?: string;
  /** Epoch milliseconds of the first event. */
  startTime: number;
  /** Epoch milliseconds of the last event. */
  endTime?: number;
  legs: Leg[];
  outcome: ExchangeState;
  /**
   * The request's credentials mode, when whoever built the exchange knows it (the command line sends
   * the call itself). Absent for observed traffic: webRequest and HAR files do not carry it, so the
   * engine infers it (a `Cookie` header proves "include"; otherwise both readings are tried).
   */
  credentialsMode?: 'include' | 'omit';
  /**
   * The request's mode (Fetch's "request mode"), when whoever built the exchange knows it: a HAR whose
   * request carries `Sec-Fetch-Mode`. Absent: inferred from `Origin` and the preflight (§1.5).
   */
  mode?: 'cors' | 'no-cors';
}

// ---------------------------------------------------------------------------------------------
// Verdict

/** What happened, in the developer's terms. */
export type Outcome =
  /** Chrome refused to hand the response to the page because of CORS. */
  | 'blocked'
  /** The page could read the response. */
  | 'allowed'
  /** The call failed for a reason that is not CORS (network error, blocked by a client, CORP, ORB...). */
  | 'failed'
  /** Not a CORS request: same-origin, a navigation, or a no-cors load. */
  | 'not-cors'
  /** Still in flight. */
  | 'pending';

/** Where in the exchange the decisive rule was applied. */
export type Step = 'preflight' | 'actual' | 'redirect' | 'network' | 'none';

export type Severity = 'danger' | 'warning' | 'info';

export interface Fact {
  /** Which request or response it is about. */
  step: Step;
  /** Header name (lower case) or a pseudo-name such as `status` or `method`. */
  name: string;
  /** What the rule needed, in words or as a value. */
  expected: string;
  /** What was observed; `null` when the header was absent. */
  received: string | null;
  /** True for the fact that decided the verdict. */
  decisive: boolean;
  /** Whether this fact satisfied the rule. */
  ok: boolean;
}

export interface Finding {
  /** Stable id from the findings catalogue (e.g. `credentialed-origin-grant`). */
  id: string;
  severity: Severity;
  title: string;
  detail: string;
  /** What to change, in words. */
  advice?: string;
}

export type Confidence = { level: 'certain' } | { level: 'inferred'; reason: string };

/** What the server must send (or stop sending) for the call to pass, independent of the stack. */
export interface FixPlan {
  /** The origin to allow, byte-exact (`null` never recommended). */
  origin: string;
  /** Whether the call carries credentials (cookies, client certificates, HTTP auth). */
  credentials: boolean;
  /**
   * The credentials mode was not observable and nothing suggests cookies or HTTP authentication:
   * recipes show the credentials line as a marked option (commented out) instead of leaving it out.
   */
  credentialsOptional?: boolean;
  /** Methods to allow on the preflight (empty when no preflight is involved). */
  methods: string[];
  /** Request headers to allow on the preflight (lower case). */
  headers: string[];
  /** The server must answer OPTIONS itself with a 2xx and the CORS headers. */
  handlePreflight: boolean;
  /** The server must send the CORS headers on error responses too. */
  errorResponses: boolean;
  /** Redirects must go (preflight redirects, credentialed redirects, cross-origin chains). */
  avoidRedirect?: { from: string; to: string };
  /** Headers the server sends that must be removed or corrected. */
  remove?: { name: string; value: string; why: string }[];
  /** The URL path the recipe applies to. */
  path: string;
  /**
   * Other origins that belong on the allowlist next to `origin`, e.g. the dev origin the server
   * answered with in an origin mismatch (`http://localhost:3000`). Never `*` or `null`.
   */
  alsoAllow?: string[];
  /** The API origin (for stacks configured per host). */
  apiOrigin: string;
  /** When the server has to do something that is not a header (e.g. fix a 5xx), in words. */
  note?: string;
}

export interface HeaderChange {
  /** Which response must carry it. */
  on: 'preflight' | 'actual' | 'both';
  name: string;
  /** The value to send, or `null` to remove the header. */
  value: string | null;
}

export interface Recipe {
  /** Stack id, e.g. `express`, `nginx`. */
  stack: StackId;
  /** Display name, e.g. `Express (cors package)`. */
  label: string;
  /** Code language for highlighting, e.g. `js`, `nginx`, `python`. */
  language: string;
  code: string;
  /** Traps of this stack that are relevant to this verdict. */
  notes: string[];
}

export interface Fix {
  /** One sentence: the change in plain words. */
  summary: string;
  /** The header-level change, stack-independent. */
  headers: HeaderChange[];
  plan: FixPlan;
  recipes: Recipe[];
  /**
   * The server stacks the responses point at, most likely first, each with the evidence that was seen.
   * Empty: the stack is unknown, and the recipes follow a fixed order (the user picks; no guess).
   */
  detected?: StackEvidence[];
}

export interface StackEvidence {
  stack: StackId;
  confidence: 'high' | 'medium' | 'low';
  /** What gave it away, quoted from the responses (a header line, a status and body type…). */
  evidence: string;
}

/** What the other browser would decide on the same exchange (src/engine/other-browser.ts). */
export interface OtherBrowserNote {
  browser: BrowserName;
  /** Same outcome (`true`), a different one (`false`), or it depends on something never observed. */
  agrees: boolean | 'unknown';
  /** One sentence: "Firefox would also block this: …", "Fails in Firefox, may pass in Chrome: …". */
  text: string;
  /** The other browser's name for the failure (CDP `Network.CorsError` or Firefox's reason). */
  reason?: string;
}

export interface Verdict {
  /** Whose rules this verdict applies (absent in reports written before Firefox support: Chrome). */
  browser?: BrowserName;
  outcome: Outcome;
  /** Stable id from the catalogue (src/engine/catalogue.ts). */
  kind: Kind;
  /** Chrome's name for it (`Network.CorsError`), current spelling. */
  chromeError?: ChromeCorsError;
  /** Chrome's `failedParameter`, as CDP reports it. */
  failedParameter?: string;
  /** The `net::ERR_*` token of the failure, when there was one. */
  netError?: string;
  /** Where the decisive rule was applied. */
  step: Step;
  /** Index into `exchange.legs` of the decisive leg. */
  legIndex: number;
  /** One line. */
  title: string;
  /** Plain explanation built from the concrete values; one paragraph per entry. */
  explanation: string[];
  /** The console message the browser printed (reconstructed), so users can search it. */
  consoleMessage?: string;
  /** Firefox's reason name and its MDN page, when Firefox logs one for this verdict. */
  firefoxReason?: FirefoxReasonLink;
  /** What the other browser would decide. */
  otherBrowser?: OtherBrowserNote;
  facts: Fact[];
  fix?: Fix;
  confidence: Confidence;
  /** The credentials mode the verdict assumes. */
  credentials: 'include' | 'omit' | 'unknown';
  /** The serialized origin the browser sent (`Origin`), or the initiator. */
  requestOrigin: string;
  findings: Finding[];
}
