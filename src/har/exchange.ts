/**
 * A HAR call as the engine sees it: a redirect chain (with each leg's preflight) becomes an
 * {@link Exchange}, judged, with notes on what the file could not tell. Pure.
 */
import {
  type BrowserName,
  evaluate,
  type Exchange,
  type ExchangeState,
  getHeader,
  httpOrigin,
  isHttpScheme,
  type Leg,
  type LogEntry,
  type ObservedPreflight,
  type ObservedResponse,
  type Verdict,
} from '../engine';
import { pairPreflight } from './pair';
import { isObj, resolveUrl, type HarFlavor, type Hop } from './read';
import type { HarProducer } from './producer';
import { checkCommand, pageHeaders, sentCookie, type CheckSpec } from './check-command';
import { notRecordedVerdict } from './not-recorded';

export interface HarCall extends LogEntry {
  /** What the file could not tell about this call, in words. */
  notes: string[];
  /**
   * When the file does not hold the server's answer: the call to ask the server again with
   * `cors-lens check` (the spec, and the command line with secrets redacted).
   */
  check?: { spec: CheckSpec; command: string };
}

const TYPE: Record<string, string> = {
  fetch: 'xmlhttprequest',
  xhr: 'xmlhttprequest',
  eventsource: 'xmlhttprequest',
  script: 'script',
  stylesheet: 'stylesheet',
  image: 'image',
  font: 'font',
  media: 'media',
  ping: 'ping',
  'csp-violation-report': 'csp_report',
  document: 'main_frame',
};

function observed(h: Hop): ObservedResponse {
  const r: ObservedResponse = {
    statusCode: h.status,
    statusLine: `${h.status} ${h.statusText}`.trim(),
    headers: h.resHeaders,
  };
  if (h.fromCache) r.fromCache = true;
  if (h.ip) r.ip = h.ip;
  if (h.bodyStart) r.bodyStart = h.bodyStart;
  return r;
}

function preflightOf(p: Hop): ObservedPreflight {
  const pf: ObservedPreflight = { url: p.url, requestHeaders: p.reqHeaders };
  if (p.status > 0) pf.response = observed(p);
  else pf.error = p.error ?? 'net::ERR_FAILED';
  return pf;
}

/**
 * The outcome of a chain. A browser-side producer says it (`_error`, `_failureText`, status 0 or -1);
 * Firefox's export and a proxy's file say it only for status 0, so a call with a response is then
 * judged from its headers alone ({@link decide}).
 */
function outcomeOf(last: Hop, producer: HarProducer): { state: ExchangeState; known: boolean } {
  if (last.error) return { state: { state: 'failed', error: last.error }, known: true };
  if (last.status === 0) return { state: { state: 'failed', error: 'net::ERR_FAILED' }, known: true };
  // A chain that ends on a redirect to a URL that is not http(s) (ftp:, a custom app scheme) did not
  // complete: the browser refused to follow it, and the refused hop is not an http entry of its own.
  if (
    last.status >= 300 &&
    last.status < 400 &&
    last.redirectURL &&
    !isHttpScheme(resolveUrl(last.redirectURL, last.url))
  )
    return { state: { state: 'failed', error: 'net::ERR_FAILED' }, known: true };
  return { state: { state: 'completed', statusCode: last.status }, known: producer.completionKnown };
}

/**
 * Whose rules judge a file's calls: Firefox's for a file Firefox wrote, Chrome's for every other
 * producer (DevTools, Playwright and chrome-har files come from Chromium; a proxy's file does not say,
 * and Chrome's are the engine's default).
 */
export function browserOfProducer(producer: HarProducer): BrowserName {
  return producer.id === 'firefox' ? 'firefox' : 'chrome';
}

/** When the file does not say whether the browser blocked the call: what the headers say. */
function decide(ex: Exchange, browser: BrowserName): Verdict {
  const v = evaluate(ex, { browser });
  if (v.kind === 'allowed-contrary')
    return evaluate({ ...ex, outcome: { state: 'failed', error: 'net::ERR_FAILED' } }, { browser });
  if (v.outcome === 'allowed' && v.confidence.level === 'inferred' && v.credentials === 'omit')
    withoutCredentialsUnknown(ex, v, browser);
  return v;
}

/** The rule's names: the judging browser's first (`Chrome: X; Firefox: Y`, or the other way round). */
function ruleNames(v: Verdict, browser: BrowserName): string {
  const chrome = v.chromeError ? `Chrome: ${v.chromeError}` : '';
  const firefox = v.firefoxReason ? `Firefox: ${v.firefoxReason.name}` : '';
  const names = browser === 'firefox' ? [firefox, chrome] : [chrome, firefox];
  return names.filter(Boolean).join('; ');
}

/**
 * A call whose headers pass only without credentials, in a file that records neither whether the
 * browser blocked it nor the page's credentials mode (no Cookie header proves them): the engine's
 * reason ("the browser allowed the call, so it was sent without them") would claim what nobody saw.
 * The verdict stays the fetch default's reading (allowed without credentials), and its reason also
 * gives the credentialed one: blocked, with the rule and both browsers' names for it.
 */
function withoutCredentialsUnknown(ex: Exchange, v: Verdict, browser: BrowserName): void {
  const old = v.confidence.level === 'inferred' ? v.confidence.reason : '';
  const withCredentials = evaluate(
    { ...ex, credentialsMode: 'include', outcome: { state: 'failed', error: 'net::ERR_FAILED' } },
    { browser },
  );
  // The rule that fails with credentials, when the engine can name it (a chain that went on past the
  // failing check reads as unexplained then, and is left unnamed).
  const named = withCredentials.outcome === 'blocked' && !!withCredentials.chromeError;
  const rule = named ? `: ${withCredentials.title} (${ruleNames(withCredentials, browser)})` : '';
  const reason = `The headers pass only for a request without credentials, and the file records neither whether the page sent this call with credentials nor whether the browser blocked it: it was allowed if sent without them (the fetch default for cross-origin calls), and blocked if the page used credentials: "include" or withCredentials${rule}.`;
  v.confidence = { level: 'inferred', reason };
  v.explanation = v.explanation.map((p) => (p === old ? reason : p));
  // The row says it too: a plain "Allowed" would hide that the call was blocked if it carried
  // credentials (a finding's "Allowed, but: …" stays: it names a risk either way).
  if (v.findings.some((f) => f.severity !== 'info')) return;
  v.title = named
    ? `Allowed without credentials; with them: ${withCredentials.title}`
    : 'Allowed without credentials; the file does not say whether it had them';
}

/** The part of a HAR file that names its pages (read defensively). */
export type HarPages = { log: { pages?: unknown } };

/** The page's URL from `log.pages` (DevTools and Firefox write it as the page's title). */
export function pageUrlOf(har: HarPages, pageref: string | undefined): string | null {
  const pages = Array.isArray(har.log.pages) ? (har.log.pages as unknown[]) : [];
  const page = pages.find((p) => isObj(p) && p.id === pageref) ?? pages[0];
  const title = isObj(page) && typeof page.title === 'string' ? page.title : '';
  return httpOrigin(title) ? title : null;
}

/** What every call of one file shares. */
export interface FileContext {
  har: HarPages;
  flavor: HarFlavor;
  producer: HarProducer;
  /** The document entries' URLs by `pageref` (Playwright's pages have a title, not a URL). */
  documents: Map<string, string>;
  /** The preflights by method and URL ({@link preflightsByKey}); pairing marks them used. */
  byKey: Map<string, Hop[]>;
  /** Whether any request in the file carries a Cookie header (a sanitized export has none). */
  anyCookie: boolean;
}

/** The chain's legs, each with its paired preflight (marked used in `byKey`). */
function legsOf(chain: Hop[], byKey: FileContext['byKey']): Leg[] {
  return chain.map((h, i) => {
    const leg: Leg = { url: h.url };
    const pf = pairPreflight(byKey, h);
    if (pf) leg.preflight = preflightOf(pf);
    // A leg that got no response after a preflight was never sent (Chrome lists it with provisional headers).
    const sent = h.status > 0 || !pf;
    if (sent) leg.requestHeaders = h.reqHeaders;
    if (h.status > 0) leg.response = observed(h);
    const next = chain[i + 1];
    if (next) leg.redirectUrl = next.url;
    return leg;
  });
}

/**
 * The page's origin: the request's Origin (or its preflight's), else `null` when a hop sent
 * `Origin: null`, else its Referer, else the page the entry belongs to.
 */
function pageOriginOf(
  chain: Hop[],
  legs: Leg[],
  ctx: FileContext,
): { seenOrigin: string | null; initiator: string | null } {
  const first = chain[0] as Hop;
  const seenOrigin =
    chain.map((h) => h.origin).find((o) => o && o !== 'null') ??
    legs
      .map((l) => (l.preflight ? getHeader(l.preflight.requestHeaders, 'origin') : null))
      .find((o) => o && o !== 'null') ??
    null;
  const referer = getHeader(first.reqHeaders, 'referer');
  const page =
    pageUrlOf(ctx.har, first.pageref) ?? (first.pageref ? (ctx.documents.get(first.pageref) ?? null) : null);
  const anyNull = chain.some((h) => h.origin === 'null');
  const initiator =
    seenOrigin ??
    (anyNull ? 'null' : null) ??
    (referer ? httpOrigin(referer) : null) ??
    (page ? httpOrigin(page) : null);
  return { seenOrigin, initiator };
}

/**
 * One redirect chain as a judged call, or null when it is not CORS (a navigation, a WebSocket, a
 * non-http(s) URL, a same-origin call, or no Origin anywhere and no page known). Pairs the chain's
 * legs with their preflights (marking those used) unless the chain is skipped before that.
 */
export function callOfChain(chain: Hop[], ctx: FileContext): HarCall | null {
  const { flavor, producer, byKey, anyCookie } = ctx;
  const first = chain[0] as Hop;
  const last = chain[chain.length - 1] as Hop;
  if (
    first.resourceType === 'document' ||
    first.resourceType === 'websocket' ||
    first.mode === 'navigate' ||
    first.mode === 'websocket' ||
    !httpOrigin(first.url)
  ) {
    return null;
  }
  const legs = legsOf(chain, byKey);
  const callNotes: string[] = [];
  const { seenOrigin, initiator } = pageOriginOf(chain, legs, ctx);
  if (initiator && initiator !== 'null' && chain.every((h) => httpOrigin(h.url) === initiator)) {
    return null;
  }
  // No Origin anywhere and no page known: a same-origin or no-cors load, never a CORS request.
  if (!initiator) {
    return null;
  }
  const { state, known } = outcomeOf(last, producer);
  const ex: Exchange = {
    id: `har-${first.index}`,
    method: first.method,
    type:
      (first.resourceType && TYPE[first.resourceType]) ??
      (seenOrigin || legs[0]?.preflight || first.mode === 'cors' ? 'xmlhttprequest' : 'other'),
    tabId: -1,
    startTime: first.start,
    endTime: Math.max(...chain.map((h) => h.end)),
    legs,
    outcome: state,
  };
  ex.initiator = initiator;
  // Sec-Fetch-Mode says the request's mode where the file has it (Fetch's "request mode").
  if (first.mode === 'cors' || first.mode === 'no-cors') ex.mode = first.mode;
  const browser = browserOfProducer(producer);
  let verdict = known ? evaluate(ex, { browser }) : decide(ex, browser);
  // Status 0 is read as Chrome's net::ERR_FAILED ({@link outcomeOf}); Firefox names no such error, and
  // its file records none: a Firefox verdict does not show it.
  if (browser === 'firefox' && !last.error && verdict.netError === 'net::ERR_FAILED')
    verdict.netError = undefined;
  let check: HarCall['check'];
  if (answerMissing(ex, verdict, producer.keepsBlockedAnswers)) {
    verdict = notRecordedVerdict(ex, verdict.requestOrigin, browser);
    const spec: CheckSpec = {
      url: first.url,
      origin: verdict.requestOrigin,
      method: first.method,
      headers: pageHeaders(
        first.reqHeaders,
        getHeader(legs[0]?.preflight?.requestHeaders, 'access-control-request-headers'),
      ),
      credentials: sentCookie(first.reqHeaders),
    };
    if (browser === 'firefox') spec.browser = browser;
    check = { spec, command: checkCommand(spec) };
    verdict.explanation.push(askLine(check.command));
    callNotes.push(
      `${producer.label} recorded only that this call failed, not the server's answer. Ask the server the same question: ${check.command}`,
    );
  }
  if (!known && last.status > 0) {
    callNotes.push(
      flavor === 'firefox'
        ? "Firefox's HAR does not record whether it blocked a call that got a response: this verdict is what the headers say."
        : 'The file does not say whether the browser blocked this call: this verdict is what the headers say.',
    );
  }
  if (!anyCookie && !check && verdict.confidence.level === 'inferred') {
    callNotes.push(
      'The file has no Cookie headers (a sanitized export drops them), so whether this call carried credentials is inferred.',
    );
  }
  return check
    ? { exchange: ex, verdict, notes: callNotes, check }
    : { exchange: ex, verdict, notes: callNotes };
}

/**
 * A cross-origin call that failed with net::ERR_FAILED where the file has no answer to judge: the
 * failing leg has no response, and no preflight in the file explains the failure. The verdict the
 * engine gave from what is missing (a rule it would have to guess, "opaque", "allowed") is not kept.
 */
function answerMissing(ex: Exchange, v: Verdict, keepsBlockedAnswers: boolean): boolean {
  const o = ex.outcome;
  if (
    o.state !== 'failed' ||
    o.error !== 'net::ERR_FAILED' ||
    (v.outcome === 'not-cors' && ex.mode === 'no-cors')
  )
    return false;
  const leg = ex.legs[v.legIndex] ?? ex.legs[ex.legs.length - 1];
  const lastLeg = ex.legs[ex.legs.length - 1];
  // A rule failed on an answer that is in the file (a preflight's, or a response's): exact, unless it
  // fails only under a guess (credentials inferred) while the request's own answer is missing from a
  // file that would hold it had the request been sent (DevTools keeps a blocked response's headers).
  if (
    v.outcome === 'blocked' &&
    v.chromeError &&
    (v.confidence.level === 'certain' || keepsBlockedAnswers || lastLeg?.response)
  ) {
    if (v.step === 'preflight' && leg?.preflight?.response) return false;
    if (v.step !== 'preflight' && leg?.response) return false;
  }
  // Firefox's rules read an error that is not Firefox's own (status 0 becomes Chrome's net::ERR_FAILED)
  // as a network failure when no header fails: in its file, status 0 names no cause at all.
  const unnamed = v.browser === 'firefox' && v.kind === 'network-failure-not-cors';
  if ((v.outcome === 'failed' && !unnamed) || v.kind === 'preflight-network-error') return false;
  return !lastLeg?.response;
}

/** The check command as a paragraph of the verdict: the panel and every report show it. */
function askLine(command: string): string {
  return `The same question, asked of the server from the command line: ${command}`;
}

/** A preflight without its request (missing from the file, or never made), judged on its own. */
export function callOfLonePreflight(p: Hop, producer: HarProducer): HarCall {
  const leg: Leg = { url: p.url, preflight: preflightOf(p) };
  const ex: Exchange = {
    id: `har-${p.index}`,
    method: p.acrm ?? 'GET',
    type: 'xmlhttprequest',
    tabId: -1,
    startTime: p.start,
    endTime: p.end,
    legs: [leg],
    outcome:
      p.error && p.error !== 'net::ERR_FAILED'
        ? { state: 'failed', error: p.error }
        : { state: 'failed', error: 'net::ERR_FAILED' },
  };
  if (p.origin) ex.initiator = p.origin;
  const browser = browserOfProducer(producer);
  const verdict = evaluate(ex, { browser });
  const notes = [
    'Only the preflight is in the file: the request it was made for is not, so it is judged by the preflight alone.',
  ];
  if (!answerMissing(ex, verdict, false)) return { exchange: ex, verdict, notes };
  // The preflight passed: whatever stopped the request is in the answer the file does not hold.
  const spec: CheckSpec = {
    url: p.url,
    origin: verdict.requestOrigin,
    method: p.acrm ?? 'GET',
    headers: pageHeaders(undefined, getHeader(p.reqHeaders, 'access-control-request-headers')),
    credentials: false,
  };
  if (browser === 'firefox') spec.browser = browser;
  const check = { spec, command: checkCommand(spec) };
  const v = notRecordedVerdict(ex, verdict.requestOrigin, browser);
  v.explanation.push(askLine(check.command));
  notes.push(
    `${producer.label} kept the preflight but not the request it was made for, nor its answer. Ask the server the same question: ${check.command}`,
  );
  return { exchange: ex, verdict: v, notes, check };
}

/** What the whole file could not tell. */
export function fileNotes(flavor: HarFlavor, anyCookie: boolean, calls: number): string[] {
  const notes: string[] = [];
  if (!anyCookie && calls) {
    notes.push(
      'No request in this file carries a Cookie header (a sanitized export drops Cookie, Authorization and Set-Cookie): where credentials matter, the verdict infers them, as the panel does.',
    );
  }
  if (flavor === 'firefox') {
    notes.push(
      "This is a Firefox HAR: it does not say which calls Firefox blocked, so the verdicts are what the headers say under Firefox's rules, with Firefox's reasons and console messages (--json and --markdown also say where Chrome would decide otherwise).",
    );
  }
  return notes;
}
