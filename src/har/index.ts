/**
 * HAR files in, CORS verdicts out: the command line's `har` and the panel's *Open report…* share it.
 * Pure: no browser globals, no I/O.
 *
 * Two shapes are read:
 * - Chrome DevTools' export: preflights are their own entries with `_resourceType: "preflight"` and
 *   `_initiator: {type: "preflight", url, requestId}`; a blocked or failed call has `response._error`
 *   (`net::ERR_FAILED`); a blocked response keeps its status and headers.
 * - Firefox's export: standard fields only. A preflight is a plain OPTIONS entry with
 *   `Access-Control-Request-Method`; a blocked call may show status 0, or its real status (nothing
 *   in the file then says that Firefox blocked it).
 *
 * Entries have no id linking a preflight to its request: they are paired by URL, method
 * (`Access-Control-Request-Method`), `Access-Control-Request-Headers`, `Origin` and time. Redirect hops
 * are separate entries chained by `redirectURL`.
 */
import type { Entry, Har, Header } from 'har-format';
import { evaluate } from '../engine';
import { getHeader, splitList } from '../engine/headers';
import { corsUnsafeRequestHeaderNames, normalizeMethod } from '../engine/safelist';
import type {
  Exchange,
  ExchangeState,
  HeaderLine,
  Leg,
  ObservedPreflight,
  ObservedResponse,
  Verdict,
} from '../engine/types';
import { parseReport, type ParsedReport } from '../report/json';
import type { LogEntry } from '../shared/protocol';

export type HarFlavor = 'chrome' | 'firefox' | 'other';

export interface HarCall extends LogEntry {
  /** What the file could not tell about this call, in words. */
  notes: string[];
}

export interface HarStats {
  entries: number;
  preflights: number;
  /** Preflights no request could be paired with (judged on their own). */
  unpairedPreflights: number;
  /** Same-origin calls, navigations, non-http(s) URLs and WebSockets: not CORS. */
  skipped: number;
}

export type HarResult =
  | {
      ok: true;
      flavor: HarFlavor;
      calls: HarCall[];
      notes: string[];
      stats: HarStats;
      pageUrl: string | null;
    }
  | { ok: false; error: string };

type ChromeInitiator = { type?: string; url?: string; requestId?: string };
type AnyEntry = Entry & { response: Entry['response'] & { _error?: string | null } };

interface Hop {
  index: number;
  url: string;
  method: string;
  start: number;
  end: number;
  reqHeaders: HeaderLine[];
  status: number;
  statusText: string;
  resHeaders: HeaderLine[];
  redirectURL: string;
  error: string | null;
  resourceType: string | undefined;
  fromCache: boolean;
  ip: string | undefined;
  pageref: string | undefined;
  preflight: boolean;
  /** Preflight only: the actual request's method and unsafe header names. */
  acrm?: string;
  acrh?: string;
  origin: string | null;
  used?: boolean;
}

function isObj(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function headersOf(list: unknown): HeaderLine[] {
  if (!Array.isArray(list)) return [];
  const out: HeaderLine[] = [];
  for (const h of list as Header[]) {
    if (!isObj(h) || typeof h.name !== 'string') continue;
    // HTTP/2 pseudo-headers (:authority, :status…) are not headers for CORS.
    if (h.name.startsWith(':')) continue;
    out.push({ name: h.name, value: typeof h.value === 'string' ? h.value : String(h.value ?? '') });
  }
  return out;
}

/** `JSON.parse` with a message a person can act on (truncated files are common: downloads cut short). */
export function parseHarJson(text: string): { ok: true; har: Har } | { ok: false; error: string } {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    const truncated =
      /end of (JSON )?input|Unterminated|Expected .* after/i.test(msg) && text.trim().length > 0;
    return {
      ok: false,
      error: truncated
        ? `not valid JSON: the file ends early (truncated?): ${msg}`
        : text.trim() === ''
          ? 'the file is empty'
          : `not valid JSON: ${msg}`,
    };
  }
  if (!isObj(data) || !isObj(data.log)) return { ok: false, error: 'not a HAR file (no "log" object)' };
  if (!Array.isArray(data.log.entries))
    return { ok: false, error: 'not a HAR file ("log.entries" is not a list)' };
  return { ok: true, har: data as unknown as Har };
}

export function harFlavor(har: Har): HarFlavor {
  const name = String(har.log?.creator?.name ?? '').toLowerCase();
  const entries = har.log.entries as unknown[];
  if (name.includes('firefox')) return 'firefox';
  if (name === 'webinspector' || entries.some((e) => isObj(e) && '_resourceType' in e)) return 'chrome';
  return 'other';
}

function toHop(e: unknown, index: number): Hop | null {
  if (!isObj(e) || !isObj(e.request) || typeof e.request.url !== 'string') return null;
  const entry = e as unknown as AnyEntry;
  const req = entry.request;
  const res = (isObj(entry.response) ? entry.response : {}) as Partial<AnyEntry['response']>;
  const start = Date.parse(String(entry.startedDateTime ?? ''));
  const time = typeof entry.time === 'number' && entry.time >= 0 ? entry.time : 0;
  const reqHeaders = headersOf(req.headers);
  // A HAR keeps cookies twice; a tool may keep only the parsed list.
  if (!getHeader(reqHeaders, 'cookie') && Array.isArray(req.cookies) && req.cookies.length) {
    const c = req.cookies
      .filter((x) => isObj(x) && typeof x.name === 'string')
      .map((x) => `${x.name}=${String(x.value ?? '')}`)
      .join('; ');
    if (c) reqHeaders.push({ name: 'Cookie', value: c });
  }
  const method = typeof req.method === 'string' && req.method ? req.method : 'GET';
  const acrm = getHeader(reqHeaders, 'access-control-request-method');
  const initiator = isObj(entry._initiator) ? (entry._initiator as ChromeInitiator) : undefined;
  const preflight =
    entry._resourceType === 'preflight' ||
    initiator?.type === 'preflight' ||
    (method.toUpperCase() === 'OPTIONS' && acrm !== null);
  const error = typeof res._error === 'string' && res._error ? res._error : null;
  const hop: Hop = {
    index,
    url: req.url,
    method,
    start: Number.isFinite(start) ? start : 0,
    end: (Number.isFinite(start) ? start : 0) + time,
    reqHeaders,
    status: typeof res.status === 'number' ? res.status : 0,
    statusText: typeof res.statusText === 'string' ? res.statusText : '',
    resHeaders: headersOf(res.headers),
    redirectURL: typeof res.redirectURL === 'string' ? res.redirectURL : '',
    error,
    resourceType: typeof entry._resourceType === 'string' ? entry._resourceType : undefined,
    fromCache: !!entry._fromCache || (isObj(entry.cache) && (isObj(entry.cache.beforeRequest) || false)),
    ip:
      typeof entry.serverIPAddress === 'string' && entry.serverIPAddress
        ? entry.serverIPAddress.replace(/^\[|\]$/g, '')
        : undefined,
    pageref: typeof entry.pageref === 'string' ? entry.pageref : undefined,
    preflight,
    origin: getHeader(reqHeaders, 'origin'),
  };
  if (preflight) {
    hop.acrm = acrm ?? method;
    hop.acrh = [
      ...new Set(
        splitList(getHeader(reqHeaders, 'access-control-request-headers')).map((s) => s.toLowerCase()),
      ),
    ]
      .sort()
      .join(',');
  }
  return hop;
}

function httpOrigin(url: string): string | null {
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.origin : null;
  } catch {
    return null;
  }
}

function resolveUrl(location: string, base: string): string {
  try {
    return new URL(location, base).href;
  } catch {
    return location;
  }
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

/** Binary search: first index in `list` (sorted by start) with start >= t. */
function lowerBound(list: Hop[], t: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((list[mid] as Hop).start < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** How far apart (ms) a preflight and its request may start: the browser starts them together. */
const PAIR_WINDOW_MS = 30_000;

/**
 * The preflight for one leg: same URL, `Access-Control-Request-Method` = the leg's method, the
 * closest in time; one whose `Access-Control-Request-Headers` and `Origin` match the leg's is preferred.
 */
function pairPreflight(byKey: Map<string, Hop[]>, leg: Hop): Hop | undefined {
  const list = byKey.get(`${normalizeMethod(leg.method)} ${leg.url}`);
  if (!list) return undefined;
  const unsafe = corsUnsafeRequestHeaderNames(leg.reqHeaders).join(',');
  let best: Hop | undefined;
  let bestScore = Infinity;
  const from = lowerBound(list, leg.start - PAIR_WINDOW_MS);
  for (let i = from; i < list.length; i++) {
    const p = list[i] as Hop;
    if (p.start > leg.end + PAIR_WINDOW_MS) break;
    if (p.used) continue;
    let score = Math.abs(p.start - leg.start);
    if (p.acrh !== unsafe) score += 1e9;
    if (p.origin && leg.origin && p.origin !== leg.origin) score += 1e8;
    if (score < bestScore) {
      bestScore = score;
      best = p;
    }
  }
  if (best) best.used = true;
  return best;
}

function observed(h: Hop): ObservedResponse {
  const r: ObservedResponse = {
    statusCode: h.status,
    statusLine: `${h.status} ${h.statusText}`.trim(),
    headers: h.resHeaders,
  };
  if (h.fromCache) r.fromCache = true;
  if (h.ip) r.ip = h.ip;
  return r;
}

function preflightOf(p: Hop): ObservedPreflight {
  const pf: ObservedPreflight = { url: p.url, requestHeaders: p.reqHeaders };
  if (p.status > 0) pf.response = observed(p);
  else pf.error = p.error ?? 'net::ERR_FAILED';
  return pf;
}

/**
 * The outcome of a chain. Chrome's file says it (`_error`); Firefox's says it only for status 0, so a
 * call with a response is then judged from its headers alone ({@link decide}).
 */
function outcomeOf(last: Hop, flavor: HarFlavor): { state: ExchangeState; known: boolean } {
  if (last.error) return { state: { state: 'failed', error: last.error }, known: true };
  if (last.status === 0)
    return { state: { state: 'failed', error: 'net::ERR_FAILED' }, known: flavor === 'chrome' };
  return { state: { state: 'completed', statusCode: last.status }, known: flavor === 'chrome' };
}

/** When the file does not say whether the browser blocked the call: what the headers say. */
function decide(ex: Exchange): Verdict {
  const v = evaluate(ex);
  if (v.kind !== 'allowed-contrary') return v;
  return evaluate({ ...ex, outcome: { state: 'failed', error: 'net::ERR_FAILED' } });
}

function pageUrlOf(har: Har, pageref: string | undefined): string | null {
  const pages = Array.isArray(har.log.pages) ? har.log.pages : [];
  const page = pages.find((p) => isObj(p) && p.id === pageref) ?? pages[0];
  const title = page && typeof page.title === 'string' ? page.title : '';
  return httpOrigin(title) ? title : null;
}

export interface ExplainOptions {
  /** Called every few hundred calls with (done, total). */
  onProgress?: (done: number, total: number) => void;
}

/** Every cross-origin call of a HAR with its verdict, oldest first. Never throws. */
export function explainHar(har: Har, options: ExplainOptions = {}): HarResult {
  const flavor = harFlavor(har);
  const raw = har.log.entries as unknown[];
  const hops: Hop[] = [];
  let skipped = 0;
  raw.forEach((e, i) => {
    const h = toHop(e, i);
    if (h) hops.push(h);
    else skipped++;
  });
  hops.sort((a, b) => a.start - b.start || a.index - b.index);

  const preflights = hops.filter((h) => h.preflight);
  const byKey = new Map<string, Hop[]>();
  for (const p of preflights) {
    const key = `${normalizeMethod(p.acrm ?? '')} ${p.url}`;
    const list = byKey.get(key);
    if (list) list.push(p);
    else byKey.set(key, [p]);
  }

  // Redirect hops: index the requests by URL to chain `redirectURL`s.
  const requests = hops.filter((h) => !h.preflight);
  const byUrl = new Map<string, Hop[]>();
  for (const r of requests) {
    const list = byUrl.get(r.url);
    if (list) list.push(r);
    else byUrl.set(r.url, [r]);
  }
  const chains: Hop[][] = [];
  for (const r of requests) {
    if (r.used) continue;
    r.used = true;
    const chain = [r];
    let cur = r;
    while (cur.redirectURL && cur.status >= 300 && cur.status < 400 && chain.length <= 21) {
      const target = resolveUrl(cur.redirectURL, cur.url);
      const next = (byUrl.get(target) ?? []).find((n) => !n.used && n.start >= cur.start);
      if (!next) break;
      next.used = true;
      chain.push(next);
      cur = next;
    }
    chains.push(chain);
  }

  const calls: HarCall[] = [];
  const notes: string[] = [];
  const anyCookie = hops.some((h) => getHeader(h.reqHeaders, 'cookie') !== null);
  const total = chains.length;
  let n = 0;
  for (const chain of chains) {
    n++;
    if (options.onProgress && n % 500 === 0) options.onProgress(n, total);
    const first = chain[0] as Hop;
    const last = chain[chain.length - 1] as Hop;
    if (first.resourceType === 'document' || first.resourceType === 'websocket' || !httpOrigin(first.url)) {
      skipped++;
      continue;
    }
    const legs: Leg[] = [];
    const callNotes: string[] = [];
    for (let i = 0; i < chain.length; i++) {
      const h = chain[i] as Hop;
      const leg: Leg = { url: h.url };
      const pf = pairPreflight(byKey, h);
      if (pf) leg.preflight = preflightOf(pf);
      // A leg that got no response after a preflight was never sent (Chrome lists it with provisional headers).
      const sent = h.status > 0 || !pf;
      if (sent) leg.requestHeaders = h.reqHeaders;
      if (h.status > 0) leg.response = observed(h);
      const next = chain[i + 1];
      if (next) leg.redirectUrl = next.url;
      legs.push(leg);
    }
    const seenOrigin =
      chain.map((h) => h.origin).find((o) => o && o !== 'null') ??
      legs
        .map((l) => (l.preflight ? getHeader(l.preflight.requestHeaders, 'origin') : null))
        .find((o) => o && o !== 'null') ??
      null;
    const page = pageUrlOf(har, first.pageref);
    const referer = getHeader(first.reqHeaders, 'referer');
    const anyNull = chain.some((h) => h.origin === 'null');
    const initiator =
      seenOrigin ??
      (page ? httpOrigin(page) : null) ??
      (referer ? httpOrigin(referer) : null) ??
      (anyNull ? 'null' : null);
    if (initiator && initiator !== 'null' && chain.every((h) => httpOrigin(h.url) === initiator)) {
      skipped++;
      continue;
    }
    // No Origin anywhere and no page known: a same-origin or no-cors load, never a CORS request.
    if (!initiator) {
      skipped++;
      continue;
    }
    const { state, known } = outcomeOf(last, flavor);
    const ex: Exchange = {
      id: `har-${first.index}`,
      method: first.method,
      type:
        (first.resourceType && TYPE[first.resourceType]) ??
        (seenOrigin || legs[0]?.preflight ? 'xmlhttprequest' : 'other'),
      tabId: -1,
      startTime: first.start,
      endTime: Math.max(...chain.map((h) => h.end)),
      legs,
      outcome: state,
    };
    if (initiator) ex.initiator = initiator;
    const verdict = known ? evaluate(ex) : decide(ex);
    if (!known && last.status > 0) {
      callNotes.push(
        flavor === 'firefox'
          ? "Firefox's HAR does not record whether it blocked a call that got a response: this verdict is what the headers say."
          : 'The file does not say whether the browser blocked this call: this verdict is what the headers say.',
      );
    }
    if (!anyCookie && verdict.confidence.level === 'inferred') {
      callNotes.push(
        'The file has no Cookie headers (a sanitized export drops them), so whether this call carried credentials is inferred.',
      );
    }
    calls.push({ exchange: ex, verdict, notes: callNotes });
  }

  // Preflights without a request: the request is missing from the file (or never made).
  let unpaired = 0;
  for (const p of preflights) {
    if (p.used || !httpOrigin(p.url)) continue;
    unpaired++;
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
    const verdict = evaluate(ex);
    calls.push({
      exchange: ex,
      verdict,
      notes: [
        'Only the preflight is in the file: the request it was made for is not, so it is judged by the preflight alone.',
      ],
    });
  }
  calls.sort((a, b) => a.exchange.startTime - b.exchange.startTime);

  if (!anyCookie && calls.length) {
    notes.push(
      'No request in this file carries a Cookie header (a sanitized export drops Cookie, Authorization and Set-Cookie): where credentials matter, the verdict infers them, as the panel does.',
    );
  }
  if (flavor === 'firefox') {
    notes.push(
      "This is a Firefox HAR: it does not say which calls Firefox blocked, and the verdicts follow Chrome's rules (Firefox's differ in a few places: see the Max-Age cap and Authorization under Access-Control-Allow-Headers: *).",
    );
  }
  return {
    ok: true,
    flavor,
    calls,
    notes,
    stats: { entries: raw.length, preflights: preflights.length, unpairedPreflights: unpaired, skipped },
    pageUrl: pageUrlOf(har, undefined),
  };
}

/** Text in, verdicts out (the panel's file picker and the command line). Never throws. */
export function explainHarText(text: string, options: ExplainOptions = {}): HarResult {
  const parsed = parseHarJson(text);
  if (!parsed.ok) return parsed;
  try {
    return explainHar(parsed.har, options);
  } catch (e) {
    return { ok: false, error: `could not read the HAR: ${e instanceof Error ? e.message : String(e)}` };
  }
}

/** Whether a JSON text looks like a HAR (for a file picker that accepts reports and HARs). */
export function looksLikeHar(text: string): boolean {
  return (
    /^\s*\{\s*"log"\s*:/.test(text) || /"log"\s*:\s*\{[\s\S]{0,400}"entries"\s*:/.test(text.slice(0, 2000))
  );
}

/**
 * The panel's *Open report…*: a CORS Lens JSON report, or a HAR file (judged here). Never throws.
 */
export function parseReportOrHar(text: string): ParsedReport {
  if (!looksLikeHar(text)) return parseReport(text);
  const r = explainHarText(text);
  if (!r.ok) return { ok: false, error: `HAR file: ${r.error}` };
  return {
    ok: true,
    entries: r.calls.map(({ exchange, verdict }) => ({ exchange, verdict })),
    generatedAt: null,
    // A HAR is shown as it is: nothing was redacted.
    redacted: false,
    pageUrl: r.pageUrl,
  };
}
