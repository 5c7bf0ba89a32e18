/**
 * Capture's in-memory bookkeeping: one record per exchange being logged, one per OPTIONS request that is
 * (or may be) a preflight. Shared by the reducer (capture.ts), preflight pairing (pairing.ts) and the
 * persisted format (persist.ts); never stored as such.
 */
import type { Exchange, HeaderLine, ObservedPreflight } from '../engine';
import type { WebRequestEvent } from './events';
import type { VerdictSummary } from './persist';

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
