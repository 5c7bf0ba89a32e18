/**
 * evaluate(): one observed exchange in, the browser's verdict out (Chrome's by default, Firefox's with
 * `{ browser: 'firefox' }`; the differences live in profile.ts). Never throws.
 *
 * 1. Classify: navigation, same-origin, no-cors or CORS (request mode is not observable; the `Origin`
 *    header and the preflight tell it — see docs/cors-failures.md §1.5).
 * 2. A `net::ERR_*` other than `ERR_FAILED` names a non-CORS failure (or Local Network Access).
 * 3. Otherwise replay Chrome's checks (reading.ts, simulate.ts) with and without credentials and keep
 *    the reading consistent with what happened.
 * 4. Explain it, with a fix and findings (explain/, findings.ts). For a CORS call these are built when
 *    first read (lazy-verdict.ts): the verdict itself needs only the checks.
 */
import { kindInfo, type Kind } from './catalogue';
import { explain } from './explain';
import { completeFix } from './explain/complete';
import { findingsFor, headerFindings, orbBodyFinding } from './findings';
import { getHeader } from './headers';
import { lazyVerdict } from './lazy-verdict';
import { orbCheck } from './orb';
import { originOf } from './origin';
import { normalizeMethod } from './safelist';
import { firefoxReasonOf, profileOf, type BrowserName, type BrowserProfile } from './profile';
import { otherBrowserNote } from './other-browser';
import { sanitizeExchange } from './sanitize';
import { netErrorToken, orbFacts, type Reading } from './read-network';
import { read } from './reading';
import type { Exchange, Verdict } from './types';

/** https://fetch.spec.whatwg.org/#concept-request-origin as webRequest shows it. */
function requestOriginOf(ex: Exchange): string {
  if (ex.initiator && ex.initiator !== 'null') {
    const o = originOf(ex.initiator);
    if (o !== 'null') return o;
  }
  if (ex.initiator === 'null') return 'null';
  // The `Origin` the first leg carried, read only when the initiator does not tell.
  const first = ex.legs[0];
  return (
    getHeader(first?.requestHeaders, 'origin') ??
    getHeader(first?.preflight?.requestHeaders, 'origin') ??
    'null'
  );
}

type Mode = 'cors' | 'no-cors' | 'ambiguous';

/** Resource types that load without CORS unless the element asks for it (`crossorigin`). */
const ELEMENT_TYPES: ReadonlySet<string> = new Set([
  'script',
  'stylesheet',
  'image',
  'imageset',
  'media',
  'ping',
  'beacon',
  'object',
  'csp_report',
]);

/**
 * Request mode, from what the browser put on the wire (docs/cors-failures.md §1.5):
 * 1. `Sec-Fetch-Mode` names it when the browser sent it (https://w3c.github.io/webappsec-fetch-metadata/
 *    #sec-fetch-mode-header: the request's mode); a preflight means CORS.
 * 2. Otherwise a cross-origin `GET`/`HEAD` carries `Origin` only in CORS mode, except from an opaque
 *    origin: a sandboxed frame's `<img>` and classic `<script>` carry `Origin: null` in mode "no-cors"
 *    (observed in Chromium 156), so `Origin: null` on an element's load proves nothing.
 * 3. Other methods always carry `Origin`.
 */
function requestMode(ex: Exchange, firstCross: number): Mode {
  // Whoever built the exchange may know the mode (a HAR's `Sec-Fetch-Mode` line, Fetch's "request mode").
  if (ex.mode === 'cors' || ex.mode === 'no-cors') return ex.mode;
  if (ex.legs.some((l) => l.preflight)) return 'cors';
  const fetchMode = sentFetchMode(ex)?.trim().toLowerCase();
  if (fetchMode === 'cors') return 'cors';
  if (fetchMode === 'no-cors') return 'no-cors';
  const h = ex.legs[firstCross]?.requestHeaders;
  if (!h) return 'ambiguous';
  const origin = getHeader(h, 'origin');
  const m = normalizeMethod(ex.method);
  if (m === 'GET' || m === 'HEAD') {
    if (origin === null) return 'no-cors';
    return origin.trim() === 'null' && ELEMENT_TYPES.has(ex.type) ? 'ambiguous' : 'cors';
  }
  return origin !== null ? 'ambiguous' : 'no-cors';
}

/** The `Sec-Fetch-Mode` of the first leg that carried one, or null. */
function sentFetchMode(ex: Exchange): string | null {
  for (const l of ex.legs) {
    const v = getHeader(l.requestHeaders, 'sec-fetch-mode');
    if (v !== null) return v;
  }
  return null;
}

function baseVerdict(ex: Exchange, requestOrigin: string, kind: Kind, extra: Partial<Verdict> = {}): Verdict {
  const info = kindInfo(kind);
  return {
    outcome: info.outcome,
    kind,
    step: info.step,
    legIndex: 0,
    title: info.label,
    explanation: [],
    facts: [],
    confidence: { level: 'certain' },
    credentials: 'unknown',
    requestOrigin,
    findings: [],
    ...extra,
  };
}

export interface EvaluateOptions {
  /** Whose rules to apply; default Chrome. */
  browser?: BrowserName;
}

/** The browser-specific parts of a verdict: which browser, Firefox's reason, the other browser's view. */
function withBrowser(ex: Exchange, v: Verdict, p: BrowserProfile): Verdict {
  v.browser = p.name;
  const blockedOrFailed = v.outcome === 'blocked' || v.outcome === 'failed';
  const reason = blockedOrFailed ? firefoxReasonOf(v.kind) : undefined;
  if (reason) v.firefoxReason = reason;
  // The browser's own console words, under the reason its own table names.
  const own = blockedOrFailed && p.consoleMessage ? p.reasonOf(v.kind) : undefined;
  if (own && p.consoleMessage) v.consoleMessage = p.consoleMessage(ex, v, own.name);
  const note = otherBrowserNote(ex, v, p);
  if (note) v.otherBrowser = note;
  return v;
}

export function evaluateExchange(input: Exchange, options: EvaluateOptions = {}): Verdict {
  const p = profileOf(options.browser);
  const ex = sanitizeExchange(input);
  const requestOrigin = requestOriginOf(ex);
  const notCors = notCorsVerdict(ex, requestOrigin, p);
  if (notCors) return withBrowser(ex, notCors, p);
  return corsVerdict(ex, requestOrigin, p, read(ex, requestOrigin, p));
}

function isNavigation(ex: Exchange): boolean {
  return ex.type === 'main_frame' || ex.type === 'sub_frame' || ex.type === 'outermost_frame';
}

/**
 * The verdict of a call that is not a CORS request: a navigation (request mode "navigate"), a
 * same-origin call, or a no-cors load that did not fail for CORP/ORB/network reasons. Undefined for a
 * CORS request (or one that may be).
 */
function notCorsVerdict(ex: Exchange, requestOrigin: string, p: BrowserProfile): Verdict | undefined {
  if (isNavigation(ex)) return plainVerdict(ex, requestOrigin, 'navigation');
  const firstCross = ex.legs.findIndex((l) => originOf(l.url) !== requestOrigin);
  if (firstCross < 0) return plainVerdict(ex, requestOrigin, 'same-origin');
  const mode = requestMode(ex, firstCross);
  const state = ex.outcome;
  const token = state.state === 'failed' ? netErrorToken(state.error) : undefined;
  if (mode !== 'no-cors' || (token && token !== 'net::ERR_FAILED')) return undefined;
  const kind = ex.type === 'xmlhttprequest' ? 'opaque-response' : 'no-cors-load';
  // Opaque Response Blocking: webRequest shows a no-cors fetch that ORB blocks as a completed load
  // (elements get net::ERR_BLOCKED_BY_ORB instead). Run ORB on its headers.
  if (state.state === 'completed' && ex.type === 'xmlhttprequest' && p.orbBlocksNoCorsFetch) {
    const v = opaqueFetchVerdict(ex, requestOrigin, kind);
    if (v) return v;
  }
  return plainVerdict(ex, requestOrigin, state.state === 'pending' ? 'pending' : kind);
}

/** The verdict of a kind that needs no reading: its explanation and the header findings. */
function plainVerdict(ex: Exchange, requestOrigin: string, kind: Kind): Verdict {
  return {
    ...baseVerdict(ex, requestOrigin, kind),
    ...explain({ ex, requestOrigin, kind }),
    findings: headerFindings(ex),
  };
}

/** A completed no-cors fetch, judged by ORB on its last response's headers. */
function opaqueFetchVerdict(ex: Exchange, requestOrigin: string, kind: Kind): Verdict | undefined {
  const legIndex = ex.legs.length - 1;
  const last = ex.legs[legIndex];
  if (!last?.response) return undefined;
  const malformed = headerFindings(ex);
  const orb = orbCheck(last.response);
  const facts = orbFacts(orb, last.response.headers);
  if (orb.decision === 'blocked') {
    const v = baseVerdict(ex, requestOrigin, 'orb-blocked', { legIndex, facts });
    return { ...v, ...explain({ ex, requestOrigin, kind: v.kind, verdict: v }), facts, findings: malformed };
  }
  const v = baseVerdict(ex, requestOrigin, kind, { legIndex });
  const findings = orb.decision === 'body' ? [orbBodyFinding(orb), ...malformed] : malformed;
  return { ...v, ...explain({ ex, requestOrigin, kind: v.kind }), facts, findings };
}

/**
 * The verdict of a CORS request from its reading. Its words (explanation, fix, findings, the other
 * browser's note) are built on first read, exactly as {@link completeVerdict} builds them.
 */
function corsVerdict(ex: Exchange, requestOrigin: string, p: BrowserProfile, r: Reading): Verdict {
  let reading = r;
  // A call with `Origin` but no preflight that completed although no reading passes was a no-cors
  // request (a form POST, sendBeacon, <img> with a non-GET...): the page cannot read the answer.
  if (
    reading.kind === 'allowed-contrary' &&
    requestMode(ex, firstCrossOf(ex, requestOrigin)) === 'ambiguous'
  ) {
    reading = { ...reading, kind: ex.type === 'xmlhttprequest' ? 'opaque-response' : 'no-cors-load' };
  }
  const info = kindInfo(reading.kind);
  const f = reading.failure;
  // One object literal with a fixed shape (no spreads, no deletes): this is the hot path.
  const work: Verdict = {
    outcome: info.outcome,
    kind: reading.kind,
    chromeError: f?.chromeError ?? info.chromeError,
    failedParameter: f?.chromeError ? (f.failedParameter ?? '') : undefined,
    netError: reading.netError,
    step: f?.step ?? info.step,
    legIndex: reading.legIndex,
    title: info.label,
    explanation: [],
    consoleMessage: undefined,
    facts: reading.sim?.facts ?? reading.facts ?? [],
    fix: undefined,
    confidence: reading.confidence,
    credentials: reading.credentials,
    requestOrigin,
    findings: [],
    browser: p.name,
  };
  const blockedOrFailed = work.outcome === 'blocked' || work.outcome === 'failed';
  const reason = blockedOrFailed ? firefoxReasonOf(work.kind) : undefined;
  if (reason) work.firefoxReason = reason;
  return lazyVerdict(work, () => completeVerdict(ex, work, reading, p));
}

function firstCrossOf(ex: Exchange, requestOrigin: string): number {
  return ex.legs.findIndex((l) => originOf(l.url) !== requestOrigin);
}

/**
 * Fills in a CORS verdict's words, in the order each reads the others: the explanation and console
 * message, the complete fix, the findings (an allowed call that should worry the developer says so in
 * its title), then the browser-specific parts.
 */
function completeVerdict(ex: Exchange, verdict: Verdict, reading: Reading, p: BrowserProfile): void {
  const { requestOrigin } = verdict;
  const malformed = headerFindings(ex);
  verdict.findings = malformed;
  const text = explain({
    ex,
    requestOrigin,
    kind: verdict.kind,
    verdict,
    sim: reading.sim,
    browser: p.label,
  });
  verdict.title = text.title;
  verdict.explanation = text.explanation;
  verdict.consoleMessage = text.consoleMessage;
  // The fix names every rule the call still fails once the first one is fixed (explain/complete.ts).
  verdict.fix =
    text.fix && verdict.outcome === 'blocked'
      ? completeFix({ ex, requestOrigin, verdict, browser: p.label }, text.fix).fix
      : text.fix;
  const found = findingsFor(ex, reading.sim, verdict, p);
  if (found.length) verdict.findings = malformed.length ? [...found, ...malformed] : found;
  if (verdict.outcome === 'allowed') {
    const top =
      verdict.findings.find((x) => x.severity === 'danger') ??
      verdict.findings.find((x) => x.severity === 'warning');
    if (top) verdict.title = `Allowed, but: ${top.title}`;
  }
  withBrowser(ex, verdict, p);
}

/** Public entry point: never throws. */
export function evaluate(input: Exchange, options: EvaluateOptions = {}): Verdict {
  try {
    return evaluateExchange(input, options);
  } catch (err) {
    const origin = typeof input?.initiator === 'string' ? input.initiator : 'null';
    return {
      outcome: 'failed',
      kind: 'malformed-input',
      step: 'none',
      legIndex: 0,
      title: 'CORS Lens could not read this request',
      explanation: [
        'The observed request could not be evaluated. This is a bug in CORS Lens, not in your server; the raw request is kept so it can be reported.',
        String(err instanceof Error ? err.message : err),
      ],
      facts: [],
      confidence: { level: 'inferred', reason: 'internal error while reading the request' },
      credentials: 'unknown',
      requestOrigin: origin,
      findings: [],
    };
  }
}
