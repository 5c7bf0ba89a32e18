/**
 * evaluate(): one observed exchange in, the browser's verdict out (Chrome's by default, Firefox's with
 * `{ browser: 'firefox' }`; the differences live in profile.ts). Never throws.
 *
 * 1. Classify: navigation, same-origin, no-cors or CORS (request mode is not observable; the `Origin`
 *    header and the preflight tell it — see docs/cors-failures.md §1.5).
 * 2. A `net::ERR_*` other than `ERR_FAILED` names a non-CORS failure (or Local Network Access).
 * 3. Otherwise replay Chrome's checks (simulate.ts) with and without credentials — the credentials
 *    mode is never visible — and keep the reading consistent with what happened: a `Cookie` header
 *    proves credentials; a failure needs a failing reading; a completed call needs a passing one.
 * 4. Explain it, with a fix and findings (explain.ts, findings.ts).
 */
import { kindInfo, type Kind } from './catalogue';
import { explain } from './explain';
import { completeFix } from './explain/complete';
import { findingsFor, headerFindings } from './findings';
import { getHeader, hasHeader } from './headers';
import { kindOf } from './kind-of';
import { orbCheck } from './orb';
import { originOf } from './origin';
import { simulate, type Simulation } from './simulate';
import { normalizeMethod } from './safelist';
import { isCorsFamilyError, profileOf, type BrowserName, type BrowserProfile } from './profile';
import { firefoxReasonOf, otherBrowserNote } from './other-browser';
import { firefoxConsoleMessage } from './firefox-console';
import { sanitizeExchange } from './sanitize';
import {
  netErrorToken,
  orbFacts,
  readLocalNetworkFailure,
  readNetError,
  readUnexplainedFailure,
  type Reading,
} from './read-network';
import type { Confidence, Exchange, Finding, Verdict } from './types';

/** https://fetch.spec.whatwg.org/#concept-request-origin as webRequest shows it. */
function requestOriginOf(ex: Exchange): string {
  const first = ex.legs[0];
  const seen =
    getHeader(first?.requestHeaders, 'origin') ?? getHeader(first?.preflight?.requestHeaders, 'origin');
  if (ex.initiator && ex.initiator !== 'null') {
    const o = originOf(ex.initiator);
    if (o !== 'null') return o;
  }
  if (ex.initiator === 'null') return 'null';
  return seen ?? 'null';
}

/** A `Cookie` header on any leg proves credentials mode "include" (its absence proves nothing). */
function cookieSent(ex: Exchange): boolean {
  return ex.legs.some((l) => hasHeader(l.requestHeaders, 'cookie'));
}

/**
 * The credentials mode when it is known: given by whoever built the exchange (the command line), or
 * proven by a `Cookie` header. `undefined`: unknown, and both readings are tried.
 */
function knownCredentialsMode(ex: Exchange): 'include' | 'omit' | undefined {
  return ex.credentialsMode ?? (cookieSent(ex) ? 'include' : undefined);
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
  const sent = ex.legs.find((l) => getHeader(l.requestHeaders, 'sec-fetch-mode') !== null);
  const fetchMode = getHeader(sent?.requestHeaders, 'sec-fetch-mode')?.trim().toLowerCase();
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

function inferredCredentials(outcome: 'failed' | 'completed', p: BrowserProfile): Confidence {
  if (outcome === 'completed' && !p.completionProvesReadable) {
    return {
      level: 'inferred',
      reason: `The headers pass only for a request without credentials. ${p.label} does not tell extensions whether it blocked a response, nor whether the page asked for credentials (cookies, HTTP authentication): this call is allowed if it was sent without them (the fetch default for cross-origin calls), and blocked if the page used credentials: "include" or withCredentials.`,
    };
  }
  if (outcome === 'failed') {
    return {
      level: 'inferred',
      reason: `${p.label} blocked this call, and the headers fail only for a request that carries credentials (cookies or HTTP authentication), so the page must have sent it with credentials: fetch(..., { credentials: "include" }) or XMLHttpRequest.withCredentials = true. No Cookie header was visible to prove it.`,
    };
  }
  return {
    level: 'inferred',
    reason: `The headers pass only for a request without credentials; ${p.label} allowed the call, so it was sent without them (the fetch default for cross-origin calls).`,
  };
}

/**
 * A completed call in a browser that completes responses it then blocks (Firefox): the headers alone
 * decide. Without a Cookie header the credentials mode is unknown; the reading without credentials is
 * the fetch default.
 */
function readCompletedByHeaders(
  ex: Exchange,
  requestOrigin: string,
  p: BrowserProfile,
  mode: 'include' | 'omit' | undefined,
  omit: Simulation,
  incSim: () => Simulation,
): Reading {
  const certain: Confidence = { level: 'certain' };
  const last = ex.legs.length - 1;
  const passes = (s: Simulation) => !s.failure;
  const chosen = mode === 'include' ? incSim() : omit;
  const f = chosen.failure;
  if (f) {
    return {
      kind: kindOf(ex, f, chosen, requestOrigin),
      sim: chosen,
      failure: f,
      netError: f.netError,
      confidence: certain,
      credentials: mode ?? 'unknown',
      legIndex: f.legIndex,
    };
  }
  if (mode) return { kind: 'allowed', sim: chosen, confidence: certain, credentials: mode, legIndex: last };
  const both = passes(incSim());
  return {
    kind: 'allowed',
    sim: chosen,
    confidence: both ? certain : inferredCredentials('completed', p),
    credentials: both ? 'unknown' : 'omit',
    legIndex: last,
  };
}

function read(ex: Exchange, requestOrigin: string, p: BrowserProfile): Reading {
  const sim = (credentials: boolean) =>
    simulate(ex, requestOrigin, credentials, !p.taintsPreflightedRedirects);
  const state = ex.outcome;
  const token = state.state === 'failed' ? netErrorToken(state.error) : undefined;
  const mode = knownCredentialsMode(ex);
  if (token && !isCorsFamilyError(p, token)) {
    // Where error names are unreliable (Firefox), a header that fails a CORS rule decides first.
    const headersFail = !p.errorNamesDecide && !!sim(mode === 'include').failure;
    if (!headersFail) return readNetError(ex, token);
  }

  const unknownOr = (fallback: Reading['credentials']) => mode ?? fallback;
  const omit = sim(false);
  // The credentialed reading is computed only when it can change the answer.
  let incCache: Simulation | undefined;
  const incSim = () => (incCache ??= sim(true));
  const certain: Confidence = { level: 'certain' };
  const last = ex.legs.length - 1;

  if (state.state === 'pending') {
    return {
      kind: 'pending',
      confidence: certain,
      credentials: unknownOr('unknown'),
      legIndex: last,
      sim: omit,
    };
  }

  if (state.state === 'failed') {
    const lna = readLocalNetworkFailure(ex, requestOrigin, token);
    if (lna) return mode ? { ...lna, credentials: mode } : lna;
    const fits = (s: Simulation) => !!s.failure && s.consistent;
    // A known mode has one reading; an unknown one tries without credentials (the default), then with.
    const candidates = mode === 'include' ? [incSim] : mode === 'omit' ? [() => omit] : [() => omit, incSim];
    const chosen = candidates.map((c) => c()).find(fits);
    if (!chosen || !chosen.failure)
      return readUnexplainedFailure(ex, requestOrigin, token, unknownOr('unknown'), omit);
    const f = chosen.failure;
    let confidence: Confidence = certain;
    let credentials: Reading['credentials'] = unknownOr('unknown');
    if (!mode && chosen !== omit) {
      confidence = inferredCredentials('failed', p);
      credentials = 'include';
    }
    const kind = kindOf(ex, f, chosen, requestOrigin);
    return {
      kind,
      sim: chosen,
      failure: f,
      netError: f.netError ?? token,
      confidence,
      credentials,
      legIndex: f.legIndex,
    };
  }

  const passes = (s: Simulation) => !s.failure;
  if (!p.completionProvesReadable) return readCompletedByHeaders(ex, requestOrigin, p, mode, omit, incSim);
  // Completed: the page could read it if a reading passes.
  if (mode) {
    const sim = mode === 'include' ? incSim() : omit;
    if (passes(sim)) return { kind: 'allowed', sim, confidence: certain, credentials: mode, legIndex: last };
  } else if (passes(omit)) {
    const both = passes(incSim());
    const confidence = both ? certain : inferredCredentials('completed', p);
    return { kind: 'allowed', sim: omit, confidence, credentials: both ? 'unknown' : 'omit', legIndex: last };
  } else if (passes(incSim())) {
    return { kind: 'allowed', sim: incSim(), confidence: certain, credentials: 'include', legIndex: last };
  }
  return {
    kind: 'allowed-contrary',
    sim: mode === 'include' ? incSim() : omit,
    confidence: certain,
    credentials: unknownOr('unknown'),
    legIndex: last,
  };
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
  const reason = v.outcome === 'blocked' || v.outcome === 'failed' ? firefoxReasonOf(v.kind) : undefined;
  if (reason) v.firefoxReason = reason;
  if (p.name === 'firefox' && reason) v.consoleMessage = firefoxConsoleMessage(ex, v, reason.name);
  const note = otherBrowserNote(ex, v, p);
  if (note) v.otherBrowser = note;
  return v;
}

export function evaluateExchange(input: Exchange, options: EvaluateOptions = {}): Verdict {
  const p = profileOf(options.browser);
  const ex = sanitizeExchange(input);
  return withBrowser(ex, evaluateWith(ex, p), p);
}

function evaluateWith(ex: Exchange, p: BrowserProfile): Verdict {
  const requestOrigin = requestOriginOf(ex);
  const malformed: Finding[] = headerFindings(ex);

  // Navigations are not CORS requests (request mode "navigate").
  if (ex.type === 'main_frame' || ex.type === 'sub_frame' || ex.type === 'outermost_frame') {
    return {
      ...baseVerdict(ex, requestOrigin, 'navigation'),
      ...explain({ ex, requestOrigin, kind: 'navigation' }),
      findings: malformed,
    };
  }
  const firstCross = ex.legs.findIndex((l) => originOf(l.url) !== requestOrigin);
  if (firstCross < 0) {
    return {
      ...baseVerdict(ex, requestOrigin, 'same-origin'),
      ...explain({ ex, requestOrigin, kind: 'same-origin' }),
      findings: malformed,
    };
  }

  const mode = requestMode(ex, firstCross);
  const state = ex.outcome;
  const token = state.state === 'failed' ? netErrorToken(state.error) : undefined;

  // No-cors loads: not CORS, unless they fail for CORP/ORB/network reasons.
  if (mode === 'no-cors' && !(token && token !== 'net::ERR_FAILED')) {
    const kind = ex.type === 'xmlhttprequest' ? 'opaque-response' : 'no-cors-load';
    const last = ex.legs[ex.legs.length - 1];
    // Opaque Response Blocking: webRequest shows a no-cors fetch that ORB blocks as a completed load
    // (elements get net::ERR_BLOCKED_BY_ORB instead). Run ORB on its headers.
    if (
      state.state === 'completed' &&
      ex.type === 'xmlhttprequest' &&
      last?.response &&
      p.orbBlocksNoCorsFetch
    ) {
      const orb = orbCheck(last.response);
      const facts = orbFacts(orb, last.response.headers);
      if (orb.decision === 'blocked') {
        const v = baseVerdict(ex, requestOrigin, 'orb-blocked', {
          legIndex: ex.legs.length - 1,
          facts,
        });
        return {
          ...v,
          ...explain({ ex, requestOrigin, kind: v.kind, verdict: v }),
          facts,
          findings: malformed,
        };
      }
      const v = baseVerdict(ex, requestOrigin, kind, { legIndex: ex.legs.length - 1 });
      const findings =
        orb.decision === 'body'
          ? [
              {
                id: 'orb-decided-by-body',
                severity: 'info' as const,
                title: `Opaque Response Blocking: the body decides (${orb.likely === 'blocked' ? 'probably blocked' : 'probably allowed'})`,
                detail: `${orb.text} Extensions cannot see the body, so CORS Lens cannot tell whether Chrome handed this no-cors response to the page; the DevTools Issues panel says "Response was blocked by ORB" when it did not.`,
                advice:
                  'To read the response in the page, call it with CORS (the default fetch mode) and allow your origin on the server.',
              },
              ...malformed,
            ]
          : malformed;
      return { ...v, ...explain({ ex, requestOrigin, kind: v.kind }), facts, findings };
    }
    const v = baseVerdict(ex, requestOrigin, state.state === 'pending' ? 'pending' : kind);
    return { ...v, ...explain({ ex, requestOrigin, kind: v.kind }), findings: malformed };
  }

  let reading = read(ex, requestOrigin, p);
  // A call with `Origin` but no preflight that completed although no reading passes was a no-cors
  // request (a form POST, sendBeacon, <img> with a non-GET...): the page cannot read the answer.
  if (reading.kind === 'allowed-contrary' && mode === 'ambiguous') {
    reading = { ...reading, kind: ex.type === 'xmlhttprequest' ? 'opaque-response' : 'no-cors-load' };
  }

  const info = kindInfo(reading.kind);
  const f = reading.failure;
  const chromeError = f?.chromeError ?? info.chromeError;
  // One object literal with a fixed shape (no spreads, no deletes): this is the hot path.
  const verdict: Verdict = {
    outcome: info.outcome,
    kind: reading.kind,
    chromeError,
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
    findings: malformed,
  };
  const text = explain({
    ex,
    requestOrigin,
    kind: reading.kind,
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
  // An allowed call that should worry the developer says so in its one line.
  if (verdict.outcome === 'allowed') {
    const top =
      verdict.findings.find((x) => x.severity === 'danger') ??
      verdict.findings.find((x) => x.severity === 'warning');
    if (top) verdict.title = `Allowed, but: ${top.title}`;
  }
  return verdict;
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
