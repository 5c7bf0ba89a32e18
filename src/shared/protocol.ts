/**
 * Every message between the service worker and a panel, as one versioned union.
 *
 * One long-lived port (name {@link PORT_NAME}) per open panel. The panel sends `hello` first; the
 * worker answers `snapshot` with the tab's whole log, then pushes `upsert` for each new or updated
 * exchange, `cleared` when the log starts afresh, and `settings` when a setting changes. A panel whose
 * protocol number differs gets `version-mismatch` and must say so instead of failing silently.
 */
import type { Exchange, Verdict } from '../engine/types';

export const PROTOCOL_VERSION = 1;
export const PORT_NAME = 'cors-lens-panel';

/** One row of a tab's log: the exchange as observed and its verdict. */
export interface LogEntry {
  exchange: Exchange;
  verdict: Verdict;
}

export interface TabSettings {
  /** Keep the log across navigations, like the Network panel's "Preserve log". */
  preserveLog: boolean;
}

export type PanelToWorker =
  | { type: 'hello'; protocol: number; tabId: number }
  | { type: 'clear'; tabId: number }
  | { type: 'set-preserve-log'; tabId: number; preserveLog: boolean };

export type WorkerToPanel =
  | {
      type: 'snapshot';
      protocol: number;
      tabId: number;
      entries: LogEntry[];
      /** How many entries were dropped because the log is bounded (oldest first). */
      dropped: number;
      settings: TabSettings;
    }
  | { type: 'upsert'; tabId: number; entry: LogEntry; dropped: number }
  | { type: 'cleared'; tabId: number; reason: 'navigation' | 'user' }
  | { type: 'settings'; tabId: number; settings: TabSettings }
  | { type: 'version-mismatch'; workerProtocol: number; panelProtocol: number };
