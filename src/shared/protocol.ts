/**
 * Every message between the service worker and a panel, as one versioned union, and the guards that
 * check a received message's shape before it is trusted.
 *
 * One long-lived port (name {@link PORT_NAME}) per open panel. The panel sends `hello` first; the
 * worker answers `snapshot` with the tab's whole log, then pushes `upsert` for each new or updated
 * exchange, `cleared` when the log starts afresh, `settings` when a setting changes, and `health` when
 * capture could not read an event. A panel whose protocol number differs gets `version-mismatch` and must
 * say so instead of failing silently. Either side drops (and counts) a message its guard rejects.
 */
import type { LogEntry } from '../engine';
import { isCount, isFiniteNumber, isInteger, isObject } from '../lib/validate';

export type { LogEntry } from '../engine';

/** 2: `snapshot` carries `health`, and `health` messages exist. */
export const PROTOCOL_VERSION = 2;
export const PORT_NAME = 'cors-lens-panel';

export interface TabSettings {
  /** Keep the log across navigations, like the Network panel's "Preserve log". */
  preserveLog: boolean;
}

/** How capture is doing, over all tabs, since the worker last started. */
export interface CaptureHealth {
  /** webRequest events capture could not read (dropped; their calls may be missing or incomplete). */
  unreadableEvents: number;
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
      health: CaptureHealth;
    }
  | { type: 'upsert'; tabId: number; entry: LogEntry; dropped: number }
  | { type: 'cleared'; tabId: number; reason: 'navigation' | 'user' }
  | { type: 'settings'; tabId: number; settings: TabSettings }
  | { type: 'health'; health: CaptureHealth }
  | { type: 'version-mismatch'; workerProtocol: number; panelProtocol: number };

// ---------------------------------------------------------------------------------------------
// Guards

const isNumber = isFiniteNumber;
const isTabId = isInteger;

function isTabSettings(value: unknown): value is TabSettings {
  return isObject(value) && typeof value.preserveLog === 'boolean';
}

function isCaptureHealth(value: unknown): value is CaptureHealth {
  return isObject(value) && isCount(value.unreadableEvents);
}

/**
 * The parts of an entry the panel reads before anything else (its id, URL, outcome, kind, title); the
 * rest is the worker's own engine output, rendered defensively.
 */
export function isLogEntry(value: unknown): value is LogEntry {
  if (!isObject(value) || !isObject(value.exchange) || !isObject(value.verdict)) return false;
  const { exchange, verdict } = value;
  return (
    typeof exchange.id === 'string' &&
    typeof exchange.method === 'string' &&
    Array.isArray(exchange.legs) &&
    exchange.legs.every((leg) => isObject(leg) && typeof leg.url === 'string') &&
    isObject(exchange.outcome) &&
    typeof verdict.outcome === 'string' &&
    typeof verdict.kind === 'string' &&
    typeof verdict.title === 'string'
  );
}

/** A message a panel may send, with the fields the worker reads. */
export function isPanelToWorker(message: unknown): message is PanelToWorker {
  if (!isObject(message) || !isTabId(message.tabId)) return false;
  switch (message.type) {
    case 'hello':
      return isNumber(message.protocol);
    case 'clear':
      return true;
    case 'set-preserve-log':
      return typeof message.preserveLog === 'boolean';
    default:
      return false;
  }
}

/** A message the worker may send, with the fields the panel reads. */
export function isWorkerToPanel(message: unknown): message is WorkerToPanel {
  if (!isObject(message)) return false;
  switch (message.type) {
    case 'snapshot':
      return (
        isNumber(message.protocol) &&
        isTabId(message.tabId) &&
        Array.isArray(message.entries) &&
        message.entries.every(isLogEntry) &&
        isCount(message.dropped) &&
        isTabSettings(message.settings) &&
        isCaptureHealth(message.health)
      );
    case 'upsert':
      return isTabId(message.tabId) && isLogEntry(message.entry) && isCount(message.dropped);
    case 'cleared':
      return isTabId(message.tabId) && (message.reason === 'navigation' || message.reason === 'user');
    case 'settings':
      return isTabId(message.tabId) && isTabSettings(message.settings);
    case 'health':
      return isCaptureHealth(message.health);
    case 'version-mismatch':
      return isNumber(message.workerProtocol) && isNumber(message.panelProtocol);
    default:
      return false;
  }
}

/**
 * A `snapshot` from a worker that speaks another protocol version (whose other fields may have another
 * shape): the version it speaks, so the panel can say so instead of dropping it. Undefined otherwise.
 */
export function foreignSnapshotProtocol(message: unknown): number | undefined {
  if (!isObject(message) || message.type !== 'snapshot' || !isNumber(message.protocol)) return undefined;
  return message.protocol === PROTOCOL_VERSION ? undefined : message.protocol;
}
