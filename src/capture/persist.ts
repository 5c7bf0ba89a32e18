/**
 * The persisted format (its types: stored.ts): what capture asks the worker to keep in
 * `chrome.storage.session`, and how a restart reads it back. Capture's whole durable state is these
 * items, so a stopped worker loses nothing but the pairing of preflights that were in flight (which
 * resumes from the stored preflight ids).
 */
import { type Exchange, getHeader, type Leg, redirectMethod } from '../engine';
import { hasFields, isNonEmptyArray, isNumber, isObject, isString } from '../lib/validate';
import { parseNameList } from './headers';
import { groupKey, type ExchangeRecord, type PreflightRecord } from './records';
import {
  ENTRY_PREFIX,
  SAME_ORIGIN_PREFIX,
  TAB_PREFIX,
  type SameOriginRequest,
  type StoredEntry,
  type StoredState,
  type StoredTab,
} from './stored';

function readTab(value: unknown): StoredTab | undefined {
  if (!isObject(value) || !isNumber(value.tabId)) return undefined;
  const tab: StoredTab = {
    tabId: value.tabId,
    preserveLog: value.preserveLog === true,
    dropped: isNumber(value.dropped) ? value.dropped : 0,
    blocked: isNumber(value.blocked) ? value.blocked : 0,
  };
  if (isString(value.origin)) tab.origin = value.origin;
  if (isNumber(value.originTime)) tab.originTime = value.originTime;
  return tab;
}

/** The fields a restart reads first; the rest is capture's own output, written by this worker. */
const isStoredSameOrigin = hasFields<SameOriginRequest>({
  requestId: isString,
  url: isString,
  tabId: isNumber,
  start: isNumber,
});

const isStoredEntry = hasFields<StoredEntry>({
  seq: isNumber,
  exchange: hasFields<Exchange>({
    id: isString,
    legs: (legs) => isNonEmptyArray(legs) && legs.every(isObject),
    outcome: isObject,
  }),
});

function readSameOrigin(value: unknown): SameOriginRequest | undefined {
  return isStoredSameOrigin(value) ? { ...value, persisted: true } : undefined;
}

function readEntry(value: unknown): StoredEntry | undefined {
  return isStoredEntry(value) ? value : undefined;
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
