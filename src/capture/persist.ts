/**
 * The persisted format: what capture asks the worker to keep in `chrome.storage.session`, and how a
 * restart reads it back. Capture's whole durable state is these items, so a stopped worker loses nothing
 * but the pairing of preflights that were in flight (which resumes from the stored preflight ids).
 *
 * - `x:<requestId>` an exchange ({@link StoredEntry});
 * - `t:<tabId>` a tab's state ({@link StoredTab});
 * - `s:<requestId>` a same-origin request that is being redirected cross-origin
 *   ({@link SameOriginRequest}), kept between the redirect and its next leg.
 */
import { type Exchange, getHeader, type Leg, type Outcome, redirectMethod, type Verdict } from '../engine';
import { parseNameList } from './headers';
import { groupKey } from './pairing';
import type { ExchangeRecord, PreflightRecord } from './records';
import type { SameOriginRequest } from './same-origin';

export const ENTRY_PREFIX = 'x:';
export const TAB_PREFIX = 't:';
/** A same-origin request that is being redirected cross-origin (stored between the redirect and the next leg). */
export const SAME_ORIGIN_PREFIX = 's:';

/** The part of a verdict that capture keeps with each record (the full verdict is recomputed on demand). */
export interface VerdictSummary {
  outcome: Outcome;
  kind: Verdict['kind'];
  chromeError?: Verdict['chromeError'];
  failedParameter?: string;
}

/** One exchange as stored under `x:<requestId>`. */
export interface StoredEntry {
  /** Global insertion order (oldest first). */
  seq: number;
  exchange: Exchange;
  /** Verdict summary, set when the exchange finished. */
  summary?: VerdictSummary;
  /** webRequest requestId of the preflight linked to each leg (null: none). */
  preflightIds?: (string | null)[];
}

/** One tab's state as stored under `t:<tabId>`. */
export interface StoredTab {
  tabId: number;
  /** Origin of the tab's top-level document (from its last main-frame response). */
  origin?: string;
  originTime?: number;
  preserveLog: boolean;
  /** Entries dropped from this tab's log because the log is bounded. */
  dropped: number;
  /** Exchanges blocked by CORS since the log last started afresh (including dropped ones). */
  blocked: number;
}

/** What a restart reads back, in the order it must be applied. */
export interface StoredState {
  /** Tabs, in the order the items came. */
  tabs: StoredTab[];
  sameOrigin: SameOriginRequest[];
  /** Entries, oldest first. */
  entries: StoredEntry[];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function readTab(value: unknown): StoredTab | undefined {
  if (!isObject(value) || typeof value.tabId !== 'number') return undefined;
  const tab: StoredTab = {
    tabId: value.tabId,
    preserveLog: value.preserveLog === true,
    dropped: typeof value.dropped === 'number' ? value.dropped : 0,
    blocked: typeof value.blocked === 'number' ? value.blocked : 0,
  };
  if (typeof value.origin === 'string') tab.origin = value.origin;
  if (typeof value.originTime === 'number') tab.originTime = value.originTime;
  return tab;
}

function readSameOrigin(value: unknown): SameOriginRequest | undefined {
  if (!isObject(value) || typeof value.requestId !== 'string' || typeof value.url !== 'string')
    return undefined;
  if (typeof value.tabId !== 'number' || typeof value.start !== 'number') return undefined;
  return { ...(value as unknown as SameOriginRequest), persisted: true };
}

function readEntry(value: unknown): StoredEntry | undefined {
  if (!isObject(value) || typeof value.seq !== 'number' || !isObject(value.exchange)) return undefined;
  const exchange = value.exchange;
  if (!Array.isArray(exchange.legs) || exchange.legs.length === 0 || typeof exchange.id !== 'string')
    return undefined;
  if (!exchange.legs.every(isObject) || !isObject(exchange.outcome)) return undefined;
  return value as unknown as StoredEntry;
}

/**
 * Reads every stored item (all of `chrome.storage.session`); unknown keys and malformed items are
 * skipped.
 */
export function readStoredState(items: Record<string, unknown>): StoredState {
  const state: StoredState = { tabs: [], sameOrigin: [], entries: [] };
  for (const [key, value] of Object.entries(items)) {
    if (key.startsWith(TAB_PREFIX)) {
      const tab = readTab(value);
      if (tab) state.tabs.push(tab);
    } else if (key.startsWith(SAME_ORIGIN_PREFIX)) {
      const request = readSameOrigin(value);
      if (request) state.sameOrigin.push(request);
    } else if (key.startsWith(ENTRY_PREFIX)) {
      const entry = readEntry(value);
      if (entry) state.entries.push(entry);
    }
  }
  state.entries.sort((a, b) => a.seq - b.seq);
  return state;
}

/** A record as stored under `x:<requestId>`. */
export function storedEntryOf(record: ExchangeRecord): StoredEntry {
  const entry: StoredEntry = { seq: record.seq, exchange: record.exchange };
  if (record.summary) entry.summary = record.summary;
  if (record.preflights.some((p) => p))
    entry.preflightIds = record.preflights.map((p) => (p ? p.requestId : null));
  return entry;
}

/** A tab as stored under `t:<tabId>` (only the stored fields of a richer tab object). */
export function storedTabOf(tab: StoredTab): StoredTab {
  const stored: StoredTab = {
    tabId: tab.tabId,
    preserveLog: tab.preserveLog,
    dropped: tab.dropped,
    blocked: tab.blocked,
  };
  if (tab.origin !== undefined) stored.origin = tab.origin;
  if (tab.originTime !== undefined) stored.originTime = tab.originTime;
  return stored;
}

/**
 * The method the current (last) leg is sent with: a redirect rewrites it
 * (https://fetch.spec.whatwg.org/#http-redirect-fetch step 12): a 303 turns any method but GET and
 * HEAD into GET, a 301 or 302 turns POST into GET. A preflight on that leg asks for this method.
 */
export function currentLegMethod(exchange: Exchange): string {
  let method = exchange.method;
  for (const leg of exchange.legs.slice(0, -1)) {
    const status = leg.response?.statusCode;
    if (status !== undefined) method = redirectMethod(method, status).method;
  }
  return method;
}

/**
 * The in-memory record of a stored entry, with the preflight linked to each leg (settled: a restart
 * re-opens only the current leg's link, see {@link waitingGroupOf}).
 */
export function recordFromStored(entry: StoredEntry): ExchangeRecord {
  const exchange = entry.exchange;
  const record: ExchangeRecord = {
    seq: entry.seq,
    tabId: exchange.tabId,
    exchange,
    preflights: exchange.legs.map(() => null),
    legStart: exchange.startTime,
    legMethod: currentLegMethod(exchange),
  };
  if (entry.summary) record.summary = entry.summary;
  const ids = Array.isArray(entry.preflightIds) ? entry.preflightIds : [];
  exchange.legs.forEach((leg, i) => {
    const id = ids[i];
    if (!id || !leg.preflight) return;
    const requestHeaders = leg.preflight.requestHeaders;
    const preflight: PreflightRecord = {
      requestId: id,
      group: '',
      start: exchange.startTime,
      preflight: leg.preflight,
      requestedMethod: getHeader(requestHeaders, 'access-control-request-method') ?? exchange.method,
      requestedHeaders: parseNameList(getHeader(requestHeaders, 'access-control-request-headers')),
      finished: !!(leg.preflight.error || leg.preflight.response),
      owner: record,
      leg: i,
      settled: true,
    };
    record.preflights[i] = preflight;
  });
  return record;
}

/**
 * The pairing group of a stored pending request that still waits for its next event after
 * `onBeforeRequest` (so it may still get a preflight), or undefined when it does not wait.
 */
export function waitingGroupOf(exchange: Exchange): string | undefined {
  const leg = exchange.legs[exchange.legs.length - 1] as Leg;
  if (leg.requestHeaders || leg.response || leg.redirectUrl) return undefined;
  // The group key uses the tab id webRequest reported: the stored one, unless the request was a
  // service worker's (-1, attributed to a tab by capture).
  const reportedTabId = exchange.frameId === -1 && exchange.documentId === undefined ? -1 : exchange.tabId;
  const parts = {
    tabId: reportedTabId,
    frameId: exchange.frameId,
    documentId: exchange.documentId,
    initiator: exchange.initiator,
  };
  return groupKey(parts, leg.url);
}
