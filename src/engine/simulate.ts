/**
 * Replays one observed exchange through Chrome's CORS checks, in Chrome's order, for one assumed
 * credentials mode. docs/cors-failures.md §2 lists the order:
 *   per leg: [CORS-preflight fetch: redirect → ACAO/ACAC → status → parse lists → method → headers]
 *            → [CORS check of the response, 3xx included] → [redirect location checks].
 * The caller runs it for both credentials modes and keeps the reading consistent with what happened.
 */
import {
  asPreflightFailure,
  checkHeaders,
  checkMethod,
  corsCheckWith,
  parsePreflightListValues,
  type PreflightLists,
  type RuleFailure,
} from './cors-check';
import { clip, getHeader, splitList } from './headers';
import { isOkStatus, isRedirectStatus } from './status';
import { includesCredentials, isHttpScheme, originOf, originsAlongChain, parseUrl } from './origin';
import { corsUnsafeRequestHeaderNames, normalizeMethod } from './safelist';
import type { ChromeCorsError } from './kinds';
import type { Exchange, Fact, HeaderList, Leg, ObservedPreflight, Step } from './types';

export interface SimFailure {
  chromeError?: ChromeCorsError;
  failedParameter?: string;
  step: Step;
  legIndex: number;
  /** For a failure that is not a CORS rule (the preflight's own network error, a bad redirect). */
  netError?: string;
  special?:
    'preflight-network-error' | 'redirect-to-non-http-scheme' | 'redirect-to-non-http-scheme.cors-disabled';
}

export interface CheckedResponse {
  legIndex: number;
  step: 'preflight' | 'actual';
  url: string;
  status: number;
  headers: HeaderList;
  origin: string;
  fromCache: boolean;
}

export interface Simulation {
  credentials: boolean;
  failure: SimFailure | null;
  /** The failure (or success) fits what was observed: a failed preflight means the leg was never sent. */
  consistent: boolean;
  facts: Fact[];
  /** `*` in Access-Control-Allow-Headers let `Authorization` through (Chrome-only leniency). */
  authorizationByWildcard: boolean;
  checked: CheckedResponse[];
  /** A preflight was needed but its response is not known yet (in flight). */
  incomplete: boolean;
}

/** The origin Chrome sent on each leg: the observed `Origin` header wins over the computed taint. */
export function legOrigins(ex: Exchange, requestOrigin: string): string[] {
  const computed = originsAlongChain(
    requestOrigin,
    ex.legs.map((l) => l.url),
  );
  return ex.legs.map((leg, i) => {
    const seen =
      getHeader(leg.requestHeaders, 'origin') ?? getHeader(leg.preflight?.requestHeaders, 'origin');
    return seen ?? computed[i] ?? requestOrigin;
  });
}

/** The CORS flag is set from the first leg whose origin differs from the request's origin. */
export function corsFlags(ex: Exchange, requestOrigin: string): boolean[] {
  let flag = false;
  return ex.legs.map((leg) => {
    if (originOf(leg.url) !== requestOrigin) flag = true;
    return flag;
  });
}

function unsafeNamesFor(leg: Leg): string[] {
  const acrh = getHeader(leg.preflight?.requestHeaders, 'access-control-request-headers');
  if (acrh !== null) return [...new Set(splitList(acrh).map((s) => s.toLowerCase()))].sort();
  return leg.requestHeaders ? corsUnsafeRequestHeaderNames(leg.requestHeaders) : [];
}

function fact(step: Step, name: string, expected: string, received: string | null, ok: boolean): Fact {
  return {
    step,
    name,
    expected,
    received: received === null ? null : clip(received, 512),
    ok,
    decisive: false,
  };
}

/** Facts for one CORS check, in the order of its steps; the failing one is marked decisive. */
function corsCheckFacts(
  step: Step,
  headers: HeaderList,
  acao: string | null,
  origin: string,
  credentials: boolean,
  failure: RuleFailure | null,
): Fact[] {
  const out: Fact[] = [];
  const expectedAcao = credentials ? `exactly ${origin}` : `${origin} or *`;
  const acaoOk = !failure || failure.chromeError.endsWith('InvalidAllowCredentials');
  out.push(fact(step, 'access-control-allow-origin', expectedAcao, acao, acaoOk));
  if (credentials && acaoOk) {
    const acac = getHeader(headers, 'access-control-allow-credentials');
    out.push(fact(step, 'access-control-allow-credentials', 'true', acac, !failure));
  }
  if (failure) {
    const last = out[out.length - 1];
    if (last) last.decisive = true;
  }
  return out;
}

/** What {@link checkPreflight} reads: one leg's preflight and the request it asks for. */
export interface PreflightInput {
  pf: ObservedPreflight;
  leg: Leg;
  legIndex: number;
  /** The origin the preflight carries. */
  origin: string;
  /** The actual request's method (normalized). */
  method: string;
  /** The actual request's credentials mode is "include". */
  credentials: boolean;
}

/** What one CORS-preflight fetch came to, for the simulation to record. */
export interface PreflightOutcome {
  /** The preflight response that was checked (absent when none arrived). */
  checked?: CheckedResponse;
  facts: Fact[];
  /** Where the preflight failed; absent when it passed (or has no answer yet). */
  failure?: SimFailure;
  /** No answer yet (in flight): the simulation ends here without a verdict. */
  incomplete: boolean;
  /** `*` in Access-Control-Allow-Headers let `Authorization` through. */
  authorizationByWildcard: boolean;
}

/** The preflight failed at `legIndex`; `f`, when given, is the decisive fact. */
function failAt(
  out: PreflightOutcome,
  legIndex: number,
  f: Fact | undefined,
  failure: Omit<SimFailure, 'step' | 'legIndex'>,
): PreflightOutcome {
  if (f) {
    f.decisive = true;
    out.facts.push(f);
  }
  out.failure = { ...failure, step: 'preflight', legIndex };
  return out;
}

/**
 * The CORS-preflight fetch of one leg (https://fetch.spec.whatwg.org/#cors-preflight-fetch), checked
 * in Chrome's order.
 */
export function checkPreflight(input: PreflightInput): PreflightOutcome {
  const { pf, legIndex, origin, credentials } = input;
  const out: PreflightOutcome = { facts: [], incomplete: false, authorizationByWildcard: false };
  if (pf.error) {
    out.failure = { step: 'preflight', legIndex, netError: pf.error, special: 'preflight-network-error' };
    return out;
  }
  const r = pf.response;
  if (!r) {
    out.incomplete = true;
    return out;
  }
  out.checked = {
    legIndex,
    step: 'preflight',
    url: pf.url,
    status: r.statusCode,
    headers: r.headers,
    origin,
    fromCache: !!r.fromCache,
  };
  const facts = out.facts;
  // Step 6 (HTTP-network-or-cache fetch with redirect mode "error"): a redirect is a network
  // error. Chrome: PreflightController::HandleRedirect → PreflightDisallowedRedirect.
  const location = isRedirectStatus(r.statusCode) ? getHeader(r.headers, 'location') : null;
  if (location !== null) {
    const f = fact(
      'preflight',
      'status',
      'a 2xx answer, never a redirect',
      `${r.statusCode} → ${location}`,
      false,
    );
    return failAt(out, legIndex, f, { chromeError: 'PreflightDisallowedRedirect', failedParameter: '' });
  }
  // Step 7: "If a CORS check for request and response returns success and response's status is an
  // ok status". Chrome checks ACAO/ACAC first, then the status (so a 404 without CORS headers is
  // PreflightMissingAllowOriginHeader). The check uses the actual request's credentials mode.
  const acao = getHeader(r.headers, 'access-control-allow-origin');
  const cf = corsCheckWith(acao, r.headers, origin, credentials);
  facts.push(...corsCheckFacts('preflight', r.headers, acao, origin, credentials, cf));
  if (cf) return failAt(out, legIndex, undefined, asPreflightFailure(cf));
  const statusOk = isOkStatus(r.statusCode);
  const sf = fact('preflight', 'status', '200–299', String(r.statusCode), statusOk);
  if (!statusOk)
    return failAt(out, legIndex, sf, { chromeError: 'PreflightInvalidStatus', failedParameter: '' });
  facts.push(sf);
  // Steps 7.1–7.3: extract the allow lists; a parse failure is a network error.
  const allow: AllowHeaders = {
    methods: getHeader(r.headers, 'access-control-allow-methods'),
    headers: getHeader(r.headers, 'access-control-allow-headers'),
  };
  const lists = parsePreflightListValues(allow.methods, allow.headers);
  if ('chromeError' in lists) {
    const methods = lists.chromeError === 'InvalidAllowMethodsPreflightResponse';
    const name = methods ? 'access-control-allow-methods' : 'access-control-allow-headers';
    const f = fact(
      'preflight',
      name,
      'a comma-separated list of tokens',
      methods ? allow.methods : allow.headers,
      false,
    );
    return failAt(out, legIndex, f, lists);
  }
  return checkPreflightLists(input, allow, lists, out);
}

/** The preflight response's `Access-Control-Allow-Methods` and `-Headers` values (null: absent). */
interface AllowHeaders {
  methods: string | null;
  headers: string | null;
}

/** Steps 7.5–7.7 of the CORS-preflight fetch: the method, then the headers, against the allow lists. */
function checkPreflightLists(
  input: PreflightInput,
  allow: AllowHeaders,
  lists: PreflightLists,
  out: PreflightOutcome,
): PreflightOutcome {
  const { pf, leg, legIndex, method, credentials } = input;
  const facts = out.facts;
  // Step 7.5: the method.
  const acrm = getHeader(pf.requestHeaders, 'access-control-request-method') ?? method;
  const mf = checkMethod(acrm, lists, credentials);
  const acam = allow.methods;
  const methodFact = fact(
    'preflight',
    'access-control-allow-methods',
    `a list containing ${acrm}${credentials ? '' : ' (or *)'}`,
    acam,
    !mf,
  );
  if (!SAFE_METHODS.has(acrm) || mf) facts.push(methodFact);
  if (mf) {
    methodFact.decisive = true;
    out.failure = { ...mf, step: 'preflight', legIndex };
    return out;
  }
  // Steps 7.6–7.7: the headers.
  const names = unsafeNamesFor(leg);
  const hc = checkHeaders(names, lists, credentials);
  if (names.length) {
    const hf = fact(
      'preflight',
      'access-control-allow-headers',
      `a list containing ${names.join(', ')}${credentials ? '' : ' (or *)'}`,
      allow.headers,
      !hc.failure,
    );
    facts.push(hf);
    if (hc.failure) hf.decisive = true;
  }
  if (hc.failure) out.failure = { ...hc.failure, step: 'preflight', legIndex };
  else if (hc.authorizationByWildcard) out.authorizationByWildcard = true;
  return out;
}

/** Methods whose allowance the facts leave out when they pass (CORS-safelisted methods). */
const SAFE_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'POST']);

/** Ends the simulation with failure `f`; it fits the observation only if nothing was sent after it. */
function failWith(sim: Simulation, f: SimFailure, sentAfter: boolean): Simulation {
  sim.failure = f;
  sim.consistent = !sentAfter;
  return sim;
}

/** Per leg: the origin the browser sent ({@link legOrigins}) and the CORS flag ({@link corsFlags}). */
export interface Chain {
  origins: string[];
  flags: boolean[];
}

/** The exchange's {@link Chain}: the same for every credentials mode. */
export function chainOf(ex: Exchange, requestOrigin: string): Chain {
  return { origins: legOrigins(ex, requestOrigin), flags: corsFlags(ex, requestOrigin) };
}

export function simulate(
  ex: Exchange,
  requestOrigin: string,
  credentials: boolean,
  /** Firefox: a preflight after a redirect carries the request's origin, never the taint (profile.ts). */
  untaintedPreflights = false,
  /** The exchange's {@link chainOf}, when the caller simulates it more than once. */
  chain: Chain = chainOf(ex, requestOrigin),
): Simulation {
  const sim: Simulation = {
    credentials,
    failure: null,
    consistent: true,
    facts: [],
    authorizationByWildcard: false,
    checked: [],
    incomplete: false,
  };
  const { origins, flags } = chain;
  const method = normalizeMethod(ex.method);

  for (let i = 0; i < ex.legs.length; i++) {
    const leg = ex.legs[i] as Leg;
    if (!flags[i]) continue;
    const origin = origins[i] ?? requestOrigin;
    const laterLegs = i < ex.legs.length - 1;

    // --- CORS-preflight fetch (https://fetch.spec.whatwg.org/#cors-preflight-fetch) ---
    const pf = leg.preflight;
    if (pf) {
      const actualSent = !!leg.requestHeaders || !!leg.response || laterLegs;
      const pfOrigin = untaintedPreflights ? requestOrigin : origin;
      const o = checkPreflight({ pf, leg, legIndex: i, origin: pfOrigin, method, credentials });
      if (o.checked) sim.checked.push(o.checked);
      sim.facts.push(...o.facts);
      if (o.failure) return failWith(sim, o.failure, actualSent);
      if (o.incomplete) {
        sim.incomplete = true;
        return sim;
      }
      if (o.authorizationByWildcard) sim.authorizationByWildcard = true;
    }

    // --- The response to the actual request (https://fetch.spec.whatwg.org/#http-fetch step 4.5:
    // a CORS check on every response, redirects included) ---
    const r = leg.response;
    if (!r) continue;
    const step: Step = isRedirectStatus(r.statusCode) && laterLegs ? 'redirect' : 'actual';
    sim.checked.push({
      legIndex: i,
      step: 'actual',
      url: leg.url,
      status: r.statusCode,
      headers: r.headers,
      origin,
      fromCache: !!r.fromCache,
    });
    const acao = getHeader(r.headers, 'access-control-allow-origin');
    const cf = corsCheckWith(acao, r.headers, origin, credentials);
    sim.facts.push(
      ...corsCheckFacts(
        isRedirectStatus(r.statusCode) ? 'redirect' : 'actual',
        r.headers,
        acao,
        origin,
        credentials,
        cf,
      ),
    );
    if (cf) return failWith(sim, { ...cf, step, legIndex: i }, laterLegs);

    // --- HTTP-redirect fetch (https://fetch.spec.whatwg.org/#http-redirect-fetch) ---
    const location = isRedirectStatus(r.statusCode) ? getHeader(r.headers, 'location') : null;
    if (location !== null) {
      const target = leg.redirectUrl ?? resolve(location, leg.url);
      // Step 6: a location URL whose scheme is not an HTTP(S) scheme is a network error.
      if (target !== null && !isHttpScheme(target)) {
        const f = fact('redirect', 'location', 'an http or https URL', target, false);
        f.decisive = true;
        sim.facts.push(f);
        return failWith(sim, { step: 'redirect', legIndex: i, ...nonHttpRedirect(target) }, laterLegs);
      }
      // Steps 9–10: mode "cors" and a location URL that includes credentials → network error.
      // Chrome: CorsURLLoader::CheckRedirectLocation → RedirectContainsCredentials.
      if (target !== null && includesCredentials(target)) {
        const f = fact('redirect', 'location', 'a URL without user:password', target, false);
        f.decisive = true;
        sim.facts.push(f);
        return failWith(
          sim,
          { chromeError: 'RedirectContainsCredentials', failedParameter: '', step: 'redirect', legIndex: i },
          laterLegs,
        );
      }
    }
  }
  return sim;
}

/**
 * How Chrome fails a redirect to a URL that is not http(s) (measured in Chromium 156): its network
 * layer refuses the schemes it has a handler for that are unsafe redirect targets
 * (net::ERR_UNSAFE_REDIRECT) and WebSocket URLs (net::ERR_UNKNOWN_URL_SCHEME), both before CORS
 * looks; any other scheme (ftp:, javascript:, custom ones) reaches the CORS check: CorsDisabledScheme.
 */
const UNSAFE_REDIRECT_SCHEMES = new Set([
  'data:',
  'file:',
  'blob:',
  'about:',
  'filesystem:',
  'chrome-extension:',
]);

export function nonHttpRedirect(
  target: string,
): Pick<SimFailure, 'chromeError' | 'failedParameter' | 'netError' | 'special'> {
  const scheme = /^[a-z][a-z0-9+.-]*:/i.exec(target)?.[0].toLowerCase() ?? '';
  if (UNSAFE_REDIRECT_SCHEMES.has(scheme))
    return { special: 'redirect-to-non-http-scheme', netError: 'net::ERR_UNSAFE_REDIRECT' };
  if (scheme === 'ws:' || scheme === 'wss:')
    return { special: 'redirect-to-non-http-scheme', netError: 'net::ERR_UNKNOWN_URL_SCHEME' };
  return {
    special: 'redirect-to-non-http-scheme.cors-disabled',
    chromeError: 'CorsDisabledScheme',
    failedParameter: '',
  };
}

function resolve(location: string, base: string): string | null {
  const u = parseUrl(base);
  if (!u) return null;
  try {
    return new URL(location, u).href;
  } catch {
    return null;
  }
}
