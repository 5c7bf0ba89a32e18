/**
 * `cors-lens check`: send what the browser would send, stop where the browser would stop, and judge
 * the observed exchange with the same engine as the panel.
 *
 * The engine's input is an observed exchange with an outcome; here the outcome is not observed but
 * decided, so every step is judged with {@link judge} (evaluate() read as "would Chrome go on?"), in
 * the credentials mode the user asked for (set on the exchange: there is no guessing it here).
 */
import {
  actualHeaders,
  type BrowserDefaults,
  type BrowserName,
  type CallSpec,
  evaluate,
  type Exchange,
  type ExchangeState,
  fetchSite,
  followRedirect,
  getHeader,
  type HeaderLine,
  type HopState,
  httpOrigin,
  type Leg,
  needsPreflight,
  type ObservedResponse,
  planCall,
  preflightHeaders,
  profileOf,
  type Verdict,
} from '../engine';
import { DEFAULT_BROWSER } from './browser';
import { send, type SendOptions, type WireResponse } from './http';
import { VERSION } from './version';

/** What every request of the command line carries by default (`User-Agent` names this tool). */
export const CLI_DEFAULTS: BrowserDefaults = { userAgent: `cors-lens/${VERSION} (Chrome CORS rules)` };

export interface CheckOptions extends SendOptions {
  defaults: BrowserDefaults;
  /** Called before each request goes out (for a progress line). */
  onRequest?: (method: string, url: string) => void;
  /** Whose rules judge the call (default Chrome). */
  browser?: BrowserName;
}

export interface CheckResult {
  exchange: Exchange;
  verdict: Verdict;
  /** Script headers the browser would drop (forbidden names). */
  dropped: string[];
  /** Set when the call ended in a network failure (exit code 2). */
  networkError?: { netError: string; reason: string; url: string };
}

function toObserved(r: WireResponse): ObservedResponse {
  const o: ObservedResponse = { statusCode: r.statusCode, statusLine: r.statusLine, headers: r.headers };
  if (r.ip) o.ip = r.ip;
  if (r.bodyStart) o.bodyStart = r.bodyStart;
  return o;
}

/**
 * Would the browser stop here? The exchange so far, read as "failed" by evaluate(): a CORS failure
 * means the browser stops (the exchange carries the credentials mode asked for, so there is one
 * reading); a failure no header rule explains does not stop it.
 */
export function judge(
  ex: Exchange,
  browser: BrowserName = DEFAULT_BROWSER,
): { stop: boolean; verdict: Verdict } {
  const failed = evaluate({ ...ex, outcome: { state: 'failed', error: 'net::ERR_FAILED' } }, { browser });
  if (failed.outcome !== 'blocked' && failed.outcome !== 'failed') return { stop: false, verdict: failed };
  // A redirect the network layer refuses (data:, file:, ...) is not a CORS stop: followRedirect
  // reports it as the network error it is (exit code 2).
  // Under Firefox's rules the same failure reads as a network failure Firefox reports as CORS
  // (CORSDidNotSucceed): still no header rule, so no stop.
  if (
    failed.kind === 'unexplained-failure' ||
    failed.kind === 'network-failure-not-cors' ||
    failed.kind === 'disallowed-by-mode' ||
    failed.kind === 'redirect-to-non-http-scheme'
  )
    return { stop: false, verdict: failed };
  return { stop: true, verdict: failed };
}

/** The final verdict for a finished (or stopped) exchange. */
export function finalVerdict(
  ex: Exchange,
  blocked: boolean,
  browser: BrowserName = DEFAULT_BROWSER,
): Verdict {
  const v = evaluate(ex, { browser });
  if (blocked || ex.outcome.state !== 'completed') return v;
  // Completed, yet no reading lets the page read it: the browser blocks this call.
  if (v.kind === 'allowed-contrary')
    return evaluate({ ...ex, outcome: { state: 'failed', error: 'net::ERR_FAILED' } }, { browser });
  return v;
}

/** A fetch() from a page on `spec.origin`, not yet sent: no legs, outcome pending. */
function newExchange(spec: CallSpec): Exchange {
  const started = Date.now();
  return {
    id: `cli-${started.toString(36)}`,
    method: spec.method,
    initiator: spec.origin,
    type: 'xmlhttprequest',
    tabId: -1,
    startTime: started,
    legs: [],
    outcome: { state: 'pending' },
    // Unlike observed traffic, the mode is known here: the engine judges that one reading only.
    credentialsMode: spec.credentials ? 'include' : 'omit',
  };
}

/** An answer the caller already has (from DevTools, a log, another tool): status and headers. */
export interface GivenAnswer {
  status: number;
  headers: HeaderLine[];
}

/**
 * Judges an exchange that already happened, without sending anything: the request as the browser
 * sent it (`spec.headers`, all of them), the response, and the preflight's response when there was
 * one. Each step is judged as {@link runCheck} judges what it receives, so the two agree.
 */
export function explainExchange(
  spec: CallSpec,
  answers: { response: GivenAnswer; preflight?: GivenAnswer },
  browser: BrowserName = DEFAULT_BROWSER,
): { exchange: Exchange; verdict: Verdict } {
  const exchange = newExchange(spec);
  const leg: Leg = { url: spec.url };
  exchange.legs.push(leg);
  const finish = (outcome: ExchangeState, blocked: boolean) => {
    exchange.outcome = outcome;
    exchange.endTime = exchange.startTime;
    return { exchange, verdict: finalVerdict(exchange, blocked, browser) };
  };
  const observed = (a: GivenAnswer) => ({ statusCode: a.status, headers: a.headers });
  if (answers.preflight) {
    // The OPTIONS request is rebuilt as the browser builds it from the request's own headers.
    const { headers } = planCall(spec);
    const site = fetchSite(spec.origin, spec.url);
    leg.preflight = {
      url: spec.url,
      requestHeaders: preflightHeaders(spec.url, spec.origin, spec.method, headers, site, CLI_DEFAULTS),
      response: observed(answers.preflight),
    };
    if (judge(exchange, browser).stop) return finish({ state: 'failed', error: 'net::ERR_FAILED' }, true);
  }
  const hasOrigin = spec.headers.some((h) => h.name.toLowerCase() === 'origin');
  leg.requestHeaders = hasOrigin ? spec.headers : [...spec.headers, { name: 'Origin', value: spec.origin }];
  leg.response = observed(answers.response);
  if (httpOrigin(spec.url) !== spec.origin && judge(exchange, browser).stop)
    return finish({ state: 'failed', error: 'net::ERR_FAILED' }, true);
  return finish({ state: 'completed', statusCode: answers.response.status }, false);
}

export async function runCheck(spec: CallSpec, options: CheckOptions): Promise<CheckResult> {
  const { headers: scriptHeaders, dropped } = planCall(spec);
  const requestOrigin = spec.origin;
  const exchange = newExchange(spec);
  const firstHost = new URL(spec.url).host;
  let hop: HopState = {
    url: spec.url,
    method: spec.method,
    headers: scriptHeaders,
    hasBody: spec.method !== 'GET' && spec.method !== 'HEAD',
    origin: requestOrigin,
    corsFlag: httpOrigin(spec.url) !== requestOrigin,
  };
  let blocked = false;
  // Firefox sends the page's origin on a preflight even after a tainting redirect (profile.ts).
  const untaintedPreflights = !profileOf(options.browser).taintsPreflightedRedirects;
  let networkError: CheckResult['networkError'];
  const finish = (outcome: ExchangeState): CheckResult => {
    exchange.outcome = outcome;
    exchange.endTime = Date.now();
    const verdict = finalVerdict(exchange, blocked, options.browser);
    const r: CheckResult = { exchange, verdict, dropped };
    if (networkError) r.networkError = networkError;
    return r;
  };

  for (let redirects = 0; ;) {
    const leg: Leg = { url: hop.url };
    exchange.legs.push(leg);
    // Cookies are per host: the user's Cookie goes only to the host it was given for.
    const hopHeaders = hop.headers.filter(
      (h) => h.name.toLowerCase() !== 'cookie' || new URL(hop.url).host === firstHost,
    );
    const site = fetchSite(requestOrigin, hop.url);

    if (hop.corsFlag && needsPreflight(hop.method, hopHeaders)) {
      const pfOrigin = untaintedPreflights ? requestOrigin : hop.origin;
      const pfHeaders = preflightHeaders(hop.url, pfOrigin, hop.method, hopHeaders, site, options.defaults);
      leg.preflight = { url: hop.url, requestHeaders: pfHeaders };
      options.onRequest?.('OPTIONS', hop.url);
      const r = await send(hop.url, 'OPTIONS', pfHeaders, options);
      if (!r.ok) {
        leg.preflight.error = r.netError;
        networkError = { netError: r.netError, reason: r.reason, url: hop.url };
        return finish({ state: 'failed', error: r.netError });
      }
      leg.preflight.response = toObserved(r.response);
      // Chrome never follows a redirect of a preflight; the engine judges it.
      if (judge(exchange, options.browser).stop) {
        blocked = true;
        return finish({ state: 'failed', error: 'net::ERR_FAILED' });
      }
    }

    // fetch() without a body: Chrome sends `Content-Length: 0` on the methods that usually carry one.
    const bodyLength = hop.hasBody && /^(POST|PUT|PATCH)$/i.test(hop.method) ? 0 : null;
    const reqHeaders = actualHeaders(
      hop.url,
      hop.origin,
      hop.method,
      hopHeaders,
      site,
      options.defaults,
      bodyLength,
    );
    leg.requestHeaders = reqHeaders;
    options.onRequest?.(hop.method, hop.url);
    const r = await send(hop.url, hop.method, reqHeaders, {
      ...options,
      body: bodyLength === null ? undefined : '',
    });
    if (!r.ok) {
      networkError = { netError: r.netError, reason: r.reason, url: hop.url };
      return finish({ state: 'failed', error: r.netError });
    }
    leg.response = toObserved(r.response);
    const location = getHeader(r.response.headers, 'location');
    const next = followRedirect(hop, r.response.statusCode, location, requestOrigin, redirects);
    if (next.kind === 'follow') {
      leg.redirectUrl = next.next.url;
    }
    if (hop.corsFlag && judge(exchange, options.browser).stop) {
      blocked = true;
      return finish({ state: 'failed', error: 'net::ERR_FAILED' });
    }
    if (next.kind === 'final') return finish({ state: 'completed', statusCode: r.response.statusCode });
    if (next.kind === 'error') {
      networkError = { netError: next.netError, reason: next.reason, url: hop.url };
      return finish({ state: 'failed', error: next.netError });
    }
    redirects++;
    hop = next.next;
  }
}
