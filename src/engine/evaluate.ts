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
import { findingsFor, headerFindings } from './findings';
import { getHeader, hasHeader, splitList } from './headers';
import { orbCheck, type OrbResult } from './orb';
import { addressSpaceOf, isPotentiallyTrustworthyOrigin, originOf } from './origin';
import { simulate, type SimFailure, type Simulation } from './simulate';
import { isCorsSafelistedMethod, normalizeMethod } from './safelist';
import { isCorsFamilyError, profileOf, type BrowserName, type BrowserProfile } from './profile';
import { firefoxReasonOf, otherBrowserNote } from './other-browser';
import { firefoxConsoleMessage } from './firefox-console';
import { sanitizeExchange } from './sanitize';
import type { Confidence, Exchange, Fact, Finding, HeaderList, Verdict } from './types';

const NET_ERROR = /net::ERR_[A-Z0-9_]+/;

export function netErrorToken(error: string | undefined): string | undefined {
  return error ? (NET_ERROR.exec(error)?.[0] ?? error) : undefined;
}

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

type Mode = 'cors' | 'no-cors' | 'ambiguous';

/**
 * Request mode, from what the browser put on the wire (docs/cors-failures.md §1.5): a preflight means
 * CORS; a cross-origin GET/HEAD carries `Origin` only in CORS mode; other methods always carry it.
 */
function requestMode(ex: Exchange, firstCross: number): Mode {
  if (ex.legs.some((l) => l.preflight)) return 'cors';
  const h = ex.legs[firstCross]?.requestHeaders;
  if (!h) return 'ambiguous';
  const hasOrigin = hasHeader(h, 'origin');
  const m = normalizeMethod(ex.method);
  if (m === 'GET' || m === 'HEAD') return hasOrigin ? 'cors' : 'no-cors';
  return hasOrigin ? 'ambiguous' : 'no-cors';
}

interface Reading {
  kind: Kind;
  sim?: Simulation;
  failure?: SimFailure;
  netError?: string;
  confidence: Confidence;
  credentials: 'include' | 'omit' | 'unknown';
  legIndex: number;
  /** Facts for readings that do not come from a simulation (net errors). */
  facts?: Fact[];
}

const NON_CORS_NET: Readonly<Record<string, Kind>> = {
  'net::ERR_BLOCKED_BY_CLIENT': 'blocked-by-client',
  'net::ERR_BLOCKED_BY_ORB': 'orb-blocked',
  'net::ERR_UNSAFE_PORT': 'unsafe-port',
  'net::ERR_TOO_MANY_REDIRECTS': 'too-many-redirects',
  'net::ERR_UNSAFE_REDIRECT': 'redirect-to-non-http-scheme',
  'net::ERR_ABORTED': 'aborted',
  'net::ERR_INCONSISTENT_IP_ADDRESS_SPACE': 'lna-address-space-mismatch',
};

/** The headers ORB looked at, the deciding one marked (or the body, when sniffing decided). */
function orbFacts(orb: OrbResult, headers: HeaderList, blockedByChrome = false): Fact[] {
  const decidedBy: Record<OrbResult['reason'], string> = {
    'safelisted-type': 'content-type',
    'javascript-type': 'body',
    'never-sniffed-type': 'content-type',
    'partial-data-type': 'status',
    'nosniff-data-type': 'x-content-type-options',
    'partial-not-from-start': 'content-range',
    nosniff: 'x-content-type-options',
    'error-status': 'status',
    'no-mime-type': 'content-type',
    'media-type': 'body',
    'sniff-javascript-or-json': 'body',
  };
  const key = orb.decision === 'body' ? 'body' : decidedBy[orb.reason];
  // Blocked for sure: the headers decided it, or Chrome reported it (then the body decided, if they did not).
  const blocked = orb.decision === 'blocked' || blockedByChrome;
  const facts: Fact[] = [
    {
      step: 'actual',
      name: 'content-type',
      expected: 'a script, style sheet, image, audio or video type',
      received: getHeader(headers, 'content-type'),
      ok: !(blocked && key === 'content-type'),
      decisive: blocked && key === 'content-type',
    },
    {
      step: 'actual',
      name: 'x-content-type-options',
      expected: 'no nosniff on data types',
      received: getHeader(headers, 'x-content-type-options'),
      ok: !(blocked && key === 'x-content-type-options'),
      decisive: blocked && key === 'x-content-type-options',
    },
    {
      step: 'actual',
      name: 'status',
      expected: orb.status === 206 ? 'a 206 of a non-data type, from byte 0' : '200–299',
      received: String(orb.status),
      ok: !(blocked && (key === 'status' || key === 'content-range')),
      decisive: blocked && (key === 'status' || key === 'content-range'),
    },
  ];
  if (key === 'body')
    facts.push({
      step: 'actual',
      name: 'body',
      expected: 'JavaScript, or an image, audio or video file (ORB sniffs the first bytes)',
      received: 'not visible to extensions',
      ok: blocked ? false : orb.likely !== 'blocked',
      decisive: blocked,
    });
  return facts;
}

/** A failure that webRequest reports with its own net error: not a CORS header rule. */
function readNetError(ex: Exchange, token: string): Reading {
  const last = ex.legs.length - 1;
  const certain: Confidence = { level: 'certain' };
  const base = { netError: token, confidence: certain, credentials: 'unknown' as const, legIndex: last };
  // Local Network Access is checked on every connection, the preflight's included: it wins over
  // reading the preflight's error as a network failure.
  if (token === 'net::ERR_BLOCKED_BY_LOCAL_NETWORK_ACCESS_CHECKS') {
    // A secure context is a potentially trustworthy origin: https, or a loopback host (127.0.0.0/8,
    // ::1, localhost) even over http. From there the block is the permission's; otherwise the page's.
    const secure = isPotentiallyTrustworthyOrigin(ex.initiator ?? '');
    const target = addressSpaceOf(ex.legs[last]?.url ?? '');
    const facts: Fact[] = [
      {
        step: 'network',
        name: 'initiator',
        expected: 'a secure context (https:, or a loopback host such as localhost)',
        received: ex.initiator ?? null,
        ok: secure,
        decisive: !secure,
      },
      {
        step: 'network',
        name: 'target address space',
        expected: 'no more private than the page, or permission granted',
        received: target,
        ok: false,
        decisive: secure,
      },
    ];
    return { ...base, kind: secure ? 'lna-permission-denied' : 'lna-insecure-initiator', facts };
  }
  const pfIndex = ex.legs.findIndex((l) => l.preflight?.error);
  if (pfIndex >= 0 && netErrorToken(ex.legs[pfIndex]?.preflight?.error) === token) {
    return { ...base, kind: 'preflight-network-error', legIndex: pfIndex };
  }
  if (token === 'net::ERR_BLOCKED_BY_RESPONSE') {
    const corp = getHeader(ex.legs[last]?.response?.headers, 'cross-origin-resource-policy');
    const kind =
      corp === 'same-site'
        ? 'corp-not-same-site'
        : corp === 'same-origin'
          ? 'corp-not-same-origin'
          : 'coep-requires-corp';
    return { ...base, kind };
  }
  if (token === 'net::ERR_BLOCKED_BY_ORB') {
    const r = ex.legs[last]?.response;
    return { ...base, kind: 'orb-blocked', facts: r ? orbFacts(orbCheck(r), r.headers, true) : [] };
  }
  return { ...base, kind: NON_CORS_NET[token] ?? 'network-failure-not-cors' };
}

/** The catalogue id for a simulated failure, refined into the reference's sub-diagnoses. */
function kindOf(ex: Exchange, f: SimFailure, sim: Simulation, requestOrigin: string): Kind {
  if (f.special) return f.special;
  const leg = ex.legs[f.legIndex];
  const origin = sim.checked.find((c) => c.legIndex === f.legIndex)?.origin ?? requestOrigin;
  const tainted = origin === 'null' && requestOrigin !== 'null';
  switch (f.chromeError) {
    case 'MissingAllowOriginHeader': {
      const r = leg?.response;
      if (f.step === 'redirect' || (r && r.statusCode >= 300 && r.statusCode < 400))
        return 'missing-allow-origin.redirect-hop';
      if (r && r.statusCode >= 400) return 'missing-allow-origin.error-status';
      if (r?.fromCache) return 'missing-allow-origin.cached-variant';
      return 'missing-allow-origin';
    }
    case 'WildcardOriginNotAllowed':
      return 'wildcard-origin-with-credentials';
    case 'AllowOriginMismatch':
      if (tainted) return 'redirect-tainted-origin';
      return origin === 'null' ? 'allow-origin-mismatch.null-origin' : 'allow-origin-mismatch';
    case 'MultipleAllowOriginValues':
      return 'multiple-allow-origin-values';
    case 'InvalidAllowOriginValue':
      return 'invalid-allow-origin-value';
    case 'InvalidAllowCredentials':
      return 'invalid-allow-credentials';
    case 'PreflightDisallowedRedirect':
      return 'preflight-disallowed-redirect';
    case 'PreflightMissingAllowOriginHeader':
      return 'preflight-missing-allow-origin';
    case 'PreflightWildcardOriginNotAllowed':
      return 'preflight-wildcard-origin-with-credentials';
    case 'PreflightAllowOriginMismatch':
      return tainted ? 'preflight-redirect-tainted-origin' : 'preflight-allow-origin-mismatch';
    case 'PreflightMultipleAllowOriginValues':
      return 'preflight-multiple-allow-origin-values';
    case 'PreflightInvalidAllowOriginValue':
      return 'preflight-invalid-allow-origin-value';
    case 'PreflightInvalidAllowCredentials':
      return 'preflight-invalid-allow-credentials';
    case 'PreflightInvalidStatus':
      return 'preflight-invalid-status';
    case 'InvalidAllowMethodsPreflightResponse':
      return 'invalid-allow-methods';
    case 'InvalidAllowHeadersPreflightResponse':
      return 'invalid-allow-headers';
    case 'MethodDisallowedByPreflightResponse': {
      const acam = splitList(getHeader(leg?.preflight?.response?.headers, 'access-control-allow-methods'));
      const m = f.failedParameter ?? '';
      if (acam.some((a) => a !== m && a.toUpperCase() === m.toUpperCase())) return 'method-not-allowed.case';
      if (acam.includes('*') && sim.credentials) return 'method-not-allowed.wildcard-with-credentials';
      return 'method-not-allowed';
    }
    case 'HeaderDisallowedByPreflightResponse': {
      const acah = splitList(getHeader(leg?.preflight?.response?.headers, 'access-control-allow-headers'));
      const name = f.failedParameter ?? '';
      if (acah.includes('*') && sim.credentials) return 'header-not-allowed.wildcard-with-credentials';
      if (acah.includes('*') && name === 'authorization') return 'header-not-allowed.authorization-wildcard';
      if (name === 'content-type') return 'header-not-allowed.content-type';
      if (['accept', 'accept-language', 'content-language', 'range'].includes(name))
        return 'header-not-allowed.oversized-safelisted';
      return 'header-not-allowed';
    }
    case 'RedirectContainsCredentials':
      return 'redirect-contains-credentials';
    default:
      return 'unexplained-failure';
  }
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

const SPACE_RANK = { loopback: 0, local: 1, public: 2, unknown: 2 } as const;

/**
 * Local Network Access failures that webRequest reports as plain net::ERR_FAILED, before anything was
 * sent to a loopback or local address (measured in Chromium 156):
 * - a call that names a `targetAddressSpace` the server is not in (CDP: InvalidLocalNetworkAccess);
 * - the LNA block of a call that needs a preflight: the preflight is stopped (its own error is
 *   net::ERR_FAILED, or webRequest shows none), and the call gets the permission or secure-context error.
 * LNA blocks only a page more public than the server; from a page in the same (or a more private)
 * space, only the targetAddressSpace check remains.
 */
function readLocalNetworkFailure(
  ex: Exchange,
  requestOrigin: string,
  token: string | undefined,
): Reading | undefined {
  const last = ex.legs.length - 1;
  const leg = ex.legs[last];
  if (token !== 'net::ERR_FAILED' || !leg || leg.response) return undefined;
  const pf = leg.preflight;
  if (pf && (pf.response || netErrorToken(pf.error) !== 'net::ERR_FAILED')) return undefined;
  const target = addressSpaceOf(leg.url);
  if (target !== 'loopback' && target !== 'local') return undefined;
  const pageSpace = addressSpaceOf(requestOrigin);
  const preflighted = !!pf || !isCorsSafelistedMethod(normalizeMethod(ex.method));
  const base = { netError: token, credentials: 'unknown' as const, legIndex: last };
  if (SPACE_RANK[pageSpace] > SPACE_RANK[target] && preflighted) {
    const secure = isPotentiallyTrustworthyOrigin(requestOrigin);
    return {
      ...base,
      kind: secure ? 'lna-permission-denied' : 'lna-insecure-initiator',
      confidence: {
        level: 'inferred',
        reason: `The call needed a preflight, and Chrome stopped it before anything reached ${originOf(leg.url)} (a ${target} address) with plain net::ERR_FAILED: that is Local Network Access blocking a page on a more public network${secure ? ' (the page is a secure context, so it is the permission)' : ' that is not a secure context'}.`,
      },
      facts: [
        {
          step: 'network',
          name: 'initiator',
          expected: 'a secure context (https:, or a loopback host such as localhost)',
          received: requestOrigin,
          ok: secure,
          decisive: !secure,
        },
        {
          step: 'network',
          name: 'target address space',
          expected: 'no more private than the page, or permission granted',
          received: target,
          ok: false,
          decisive: secure,
        },
      ],
    };
  }
  return {
    ...base,
    kind: 'lna-address-space-mismatch',
    confidence: {
      level: 'inferred',
      reason: `Chrome failed the call before anything was sent, and ${originOf(leg.url)} is a ${target} address${SPACE_RANK[pageSpace] <= SPACE_RANK[target] ? ' in the same (or a more public) address space as the page, where Local Network Access blocks nothing else' : ''}: that is what happens when fetch() names a targetAddressSpace the server is not in (extensions cannot see the option).`,
    },
    facts: [
      {
        step: 'network',
        name: 'target address space',
        expected: 'the targetAddressSpace the call named',
        received: target,
        ok: false,
        decisive: true,
      },
    ],
  };
}

function read(ex: Exchange, requestOrigin: string, p: BrowserProfile): Reading {
  const state = ex.outcome;
  const token = state.state === 'failed' ? netErrorToken(state.error) : undefined;
  if (token && !isCorsFamilyError(p, token)) {
    // Where error names are unreliable (Firefox), a header that fails a CORS rule decides first.
    const headersFail = !p.errorNamesDecide && !!simulate(ex, requestOrigin, cookieSent(ex)).failure;
    if (!headersFail) return readNetError(ex, token);
  }

  const withCookie = cookieSent(ex);
  const omit = simulate(ex, requestOrigin, false);
  // The credentialed reading is computed only when it can change the answer.
  let incCache: Simulation | undefined;
  const incSim = () => (incCache ??= simulate(ex, requestOrigin, true));
  const certain: Confidence = { level: 'certain' };
  const last = ex.legs.length - 1;

  if (state.state === 'pending') {
    return {
      kind: 'pending',
      confidence: certain,
      credentials: withCookie ? 'include' : 'unknown',
      legIndex: last,
      sim: omit,
    };
  }

  if (state.state === 'failed') {
    const lna = readLocalNetworkFailure(ex, requestOrigin, token);
    if (lna) return withCookie ? { ...lna, credentials: 'include' } : lna;
    const fits = (s: Simulation) => !!s.failure && s.consistent;
    const chosen = withCookie
      ? fits(incSim())
        ? incSim()
        : undefined
      : fits(omit)
        ? omit
        : fits(incSim())
          ? incSim()
          : undefined;
    if (!chosen || !chosen.failure) {
      // A same-origin request redirected to another origin and then failed without a response:
      // request mode "same-origin" (https://fetch.spec.whatwg.org/#main-fetch step 12, "same-origin"
      // mode with a cross-origin URL → network error; Chrome: DisallowedByMode after the redirect).
      const lastLeg = ex.legs[last];
      if (
        last > 0 &&
        originOf(ex.legs[0]?.url ?? '') === requestOrigin &&
        lastLeg &&
        !lastLeg.response &&
        !lastLeg.preflight
      ) {
        return {
          kind: 'disallowed-by-mode',
          netError: token,
          confidence: {
            level: 'inferred',
            reason:
              'The request started on the page\'s own origin, was redirected to another origin, and failed there before anything was sent. Chrome does this for fetch(..., { mode: "same-origin" }).',
          },
          credentials: withCookie ? 'include' : 'unknown',
          legIndex: last,
          facts: [
            {
              step: 'redirect',
              name: 'request mode',
              expected: '"cors" for a request that may leave the page\'s origin',
              received: '"same-origin" (inferred)',
              ok: false,
              decisive: true,
            },
          ],
        };
      }
      return {
        kind: 'unexplained-failure',
        netError: token,
        confidence: {
          level: 'inferred',
          reason:
            'Chrome reported net::ERR_FAILED, but every header CORS Lens could see passes the CORS rules. The cause is outside what extensions can observe (for example a Local Network Access target-space mismatch, a request mode of "same-origin", or a preflight webRequest did not report).',
        },
        credentials: withCookie ? 'include' : 'unknown',
        legIndex: last,
        sim: omit,
      };
    }
    const f = chosen.failure;
    let confidence: Confidence = certain;
    let credentials: Reading['credentials'] = withCookie ? 'include' : 'unknown';
    if (!withCookie && chosen !== omit) {
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
  // Firefox completes a response it then blocks: the headers alone decide. Without a Cookie header the
  // credentials mode is unknown; the reading without credentials is the fetch default.
  if (!p.completionProvesReadable) {
    const chosen = withCookie ? incSim() : omit;
    const f = chosen.failure;
    if (f) {
      return {
        kind: kindOf(ex, f, chosen, requestOrigin),
        sim: chosen,
        failure: f,
        netError: f.netError,
        confidence: certain,
        credentials: withCookie ? 'include' : 'unknown',
        legIndex: f.legIndex,
      };
    }
    const both = withCookie || passes(incSim());
    return {
      kind: 'allowed',
      sim: chosen,
      confidence: both ? certain : inferredCredentials('completed', p),
      credentials: withCookie ? 'include' : both ? 'unknown' : 'omit',
      legIndex: last,
    };
  }
  // Completed: the page could read it if a reading passes.
  if (withCookie) {
    if (passes(incSim()))
      return { kind: 'allowed', sim: incSim(), confidence: certain, credentials: 'include', legIndex: last };
  } else if (passes(omit)) {
    const both = passes(incSim());
    const confidence = both ? certain : inferredCredentials('completed', p);
    return { kind: 'allowed', sim: omit, confidence, credentials: both ? 'unknown' : 'omit', legIndex: last };
  } else if (passes(incSim())) {
    return { kind: 'allowed', sim: incSim(), confidence: certain, credentials: 'include', legIndex: last };
  }
  return {
    kind: 'allowed-contrary',
    sim: withCookie ? incSim() : omit,
    confidence: certain,
    credentials: withCookie ? 'include' : 'unknown',
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
    if (state.state === 'completed' && ex.type === 'xmlhttprequest' && last?.response) {
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
  verdict.fix = text.fix;
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
