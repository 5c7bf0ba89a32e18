/**
 * The persisted format's types: what capture asks the worker to keep in `chrome.storage.session`. The
 * bottom of capture's import graph (it imports only engine types); persist.ts writes and reads it.
 *
 * - `x:<requestId>` an exchange ({@link StoredEntry});
 * - `t:<tabId>` a tab's state ({@link StoredTab});
 * - `s:<requestId>` a same-origin request that is being redirected cross-origin
 *   ({@link SameOriginRequest}), kept between the redirect and its next leg.
 */
import type { Exchange, ObservedResponse, Outcome, Verdict } from '../engine';

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

/** A same-origin request in flight (stored under `s:<requestId>` only while redirecting cross-origin). */
export interface SameOriginRequest {
  requestId: string;
  tabId: number;
  /** Stored under `s:<requestId>` (only while redirecting cross-origin). */
  persisted?: boolean;
  url: string;
  start: number;
  response?: ObservedResponse;
  redirectUrl?: string;
}

/** What a restart reads back, in the order it must be applied. */
export interface StoredState {
  /** Tabs, in the order the items came. */
  tabs: StoredTab[];
  sameOrigin: SameOriginRequest[];
  /** Entries, oldest first. */
  entries: StoredEntry[];
}
