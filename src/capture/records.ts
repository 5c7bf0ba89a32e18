/**
 * Capture's in-memory bookkeeping: one record per exchange being logged, one per OPTIONS request that is
 * (or may be) a preflight. Shared by the reducer (capture.ts), preflight pairing (pairing.ts) and the
 * persisted format (persist.ts); never stored as such. Also the pure helpers on them that several of
 * those use (the pairing group key, a new exchange, its current leg), so that capture's imports go one
 * way: stored.ts and events.ts, then this, then the helpers, then the reducer.
 */
import type { Exchange, HeaderLine, Leg, ObservedPreflight, Verdict } from '../engine';
import type { WebRequestEvent } from './events';
import type { VerdictSummary } from './stored';

/** The fields of an event that start an exchange (its first `onBeforeRequest`, or what stands for it). */
export type RequestStart = Pick<
  WebRequestEvent,
  'requestId' | 'method' | 'type' | 'timeStamp' | 'initiator' | 'frameId' | 'documentId'
>;

/** One exchange of a tab's log. */
export interface ExchangeRecord {
  /** Global insertion order (oldest first). */
  seq: number;
  tabId: number;
  exchange: Exchange;
  summary?: VerdictSummary;
  /** The preflight linked to each leg (index = leg), or null. */
  preflights: (PreflightRecord | null)[];
  /**
   * Pairing group of the current leg while the request waits for its next event after `onBeforeRequest`
   * (its preflight, if any, is not settled yet).
   */
  waitGroup?: string;
  /** timeStamp of the current leg's `onBeforeRequest`. */
  legStart: number;
  /** Method of the current leg (a 303 turns POST into GET). */
  legMethod: string;
  /** Headers of the current leg reported before its preflight (CaptureOptions.sendHeadersBeforePreflight). */
  early?: HeaderLine[];
}

/** An OPTIONS request: a preflight, or (until `onSendHeaders` tells) possibly the page's own request. */
export interface PreflightRecord {
  requestId: string;
  /** Pairing group (see groupKey in pairing.ts). */
  group: string;
  /** timeStamp of its `onBeforeRequest`. */
  start: number;
  preflight: ObservedPreflight;
  /** Its `Access-Control-Request-Method`; undefined until `onSendHeaders` tells whether it is a preflight. */
  requestedMethod?: string;
  /** Its `Access-Control-Request-Headers`, lower-case names. */
  requestedHeaders: string[];
  /** It completed or failed. */
  finished: boolean;
  /** The exchange it is linked to (tentatively until `settled`). */
  owner?: ExchangeRecord;
  /** The owner's leg it belongs to. */
  leg: number;
  /** Linked for good (its actual request's next event came). */
  settled: boolean;
  /**
   * How the request started, kept while it is unclassified: an OPTIONS without
   * `Access-Control-Request-Method` is an actual request and becomes an exchange of its own.
   */
  request?: RequestStart & { url: string; tabId: number };
}

/** The fields that group an actual request with the preflights that may be its own. */
export interface GroupParts {
  tabId: number;
  frameId?: number;
  documentId?: string;
  initiator?: string;
}

/** Requests of one group: same tab (as webRequest reports it), frame, document, initiator and URL. */
export function groupKey(parts: GroupParts, url: string): string {
  return `${parts.tabId}|${parts.frameId ?? ''}|${parts.documentId ?? ''}|${parts.initiator ?? ''}|${url}`;
}

/** The exchange's current (last) leg. */
export function lastLeg(exchange: Exchange): Leg {
  return exchange.legs[exchange.legs.length - 1] as Leg;
}

/** A new pending exchange from the event that starts it. */
export function newExchange(start: RequestStart, tabId: number, legs: Leg[]): Exchange {
  const exchange: Exchange = {
    id: start.requestId,
    method: start.method,
    type: start.type,
    tabId,
    startTime: start.timeStamp,
    legs,
    outcome: { state: 'pending' },
  };
  if (start.initiator !== undefined) exchange.initiator = start.initiator;
  if (start.frameId !== undefined) exchange.frameId = start.frameId;
  if (start.documentId !== undefined) exchange.documentId = start.documentId;
  return exchange;
}

/** The summary kept with a record once its verdict is known. */
export function summaryOf(verdict: Verdict): VerdictSummary {
  const summary: VerdictSummary = { outcome: verdict.outcome, kind: verdict.kind };
  if (verdict.chromeError !== undefined) summary.chromeError = verdict.chromeError;
  if (verdict.failedParameter !== undefined) summary.failedParameter = verdict.failedParameter;
  return summary;
}
