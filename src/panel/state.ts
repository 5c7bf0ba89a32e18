/**
 * The panel's data state and the ONE reducer that changes it. Every WorkerToPanel message and the few
 * local events (connecting, port lost, a report opened) go through {@link reduce}; it is pure, so the
 * whole panel behaviour over a message stream is unit-tested without a browser (test/panel/state.test.ts).
 */
import type { LogEntry } from '../engine';
import {
  PROTOCOL_VERSION,
  type CaptureHealth,
  type TabSettings,
  type WorkerToPanel,
} from '../shared/protocol';
import { isNoCorsLoad, rowState } from '../report/describe';

export type ConnectionStatus =
  /** No tab to inspect: the page was opened without DevTools and without `?tabId=N`. */
  | 'no-tab'
  | 'connecting'
  | 'connected'
  /** The port closed (the worker stopped or restarted); the connection module retries. */
  | 'reconnecting'
  | 'version-mismatch';

export interface OpenedReport {
  name: string;
  entries: LogEntry[];
  generatedAt: string | null;
  redacted: boolean;
}

export interface PanelState {
  tabId: number | null;
  connection: ConnectionStatus;
  mismatch: { workerProtocol: number; panelProtocol: number } | null;
  /** True once the worker's snapshot arrived (distinguishes "nothing captured" from "loading"). */
  snapshotReceived: boolean;
  /** The tab's log, oldest first, as the worker keeps it. */
  entries: LogEntry[];
  /** Entries the worker dropped because its log is bounded. */
  dropped: number;
  settings: TabSettings;
  /** How the worker's capture is doing (events it could not read). */
  health: CaptureHealth;
  lastCleared: 'navigation' | 'user' | null;
  /** A report opened from a file; shown instead of the live log while set. */
  report: OpenedReport | null;
}

export type LocalAction =
  | { type: 'connecting'; tabId: number | null }
  | { type: 'disconnected' }
  | { type: 'report-opened'; report: OpenedReport }
  | { type: 'report-closed' };

export type PanelAction = WorkerToPanel | LocalAction;

export function initialState(tabId: number | null = null): PanelState {
  return {
    tabId,
    connection: tabId === null ? 'no-tab' : 'connecting',
    mismatch: null,
    snapshotReceived: false,
    entries: [],
    dropped: 0,
    settings: { preserveLog: false },
    health: { unreadableEvents: 0 },
    lastCleared: null,
    report: null,
  };
}

function indexOfId(entries: readonly LogEntry[], id: string): number {
  // Updates are nearly always for recent calls: search from the end.
  for (let i = entries.length - 1; i >= 0; i--) if (entries[i]!.exchange.id === id) return i;
  return -1;
}

function forThisTab(state: PanelState, tabId: number): boolean {
  return state.tabId !== null && tabId === state.tabId;
}

export function reduce(state: PanelState, action: PanelAction): PanelState {
  switch (action.type) {
    case 'connecting':
      if (action.tabId === null) return { ...state, tabId: null, connection: 'no-tab' };
      if (state.connection === 'version-mismatch') return state;
      return {
        ...state,
        tabId: action.tabId,
        connection: state.snapshotReceived ? 'reconnecting' : 'connecting',
      };
    case 'disconnected':
      if (state.connection === 'version-mismatch' || state.connection === 'no-tab') return state;
      return { ...state, connection: 'reconnecting' };
    case 'version-mismatch':
      return {
        ...state,
        connection: 'version-mismatch',
        mismatch: { workerProtocol: action.workerProtocol, panelProtocol: action.panelProtocol },
      };
    case 'snapshot':
      if (action.protocol !== PROTOCOL_VERSION) {
        return {
          ...state,
          connection: 'version-mismatch',
          mismatch: { workerProtocol: action.protocol, panelProtocol: PROTOCOL_VERSION },
        };
      }
      if (!forThisTab(state, action.tabId)) return state;
      return {
        ...state,
        connection: 'connected',
        snapshotReceived: true,
        entries: action.entries.slice(),
        dropped: action.dropped,
        settings: action.settings,
        health: action.health,
      };
    case 'upsert': {
      if (!forThisTab(state, action.tabId)) return state;
      const id = action.entry.exchange.id;
      const at = indexOfId(state.entries, id);
      let entries: LogEntry[];
      if (at >= 0) {
        entries = state.entries.slice();
        entries[at] = action.entry;
      } else {
        entries = [...state.entries, action.entry];
      }
      // The worker's log is bounded and drops its oldest entries: mirror that.
      const newlyDropped = Math.max(0, action.dropped - state.dropped);
      if (newlyDropped > 0) entries = entries.slice(Math.min(newlyDropped, Math.max(0, entries.length - 1)));
      return { ...state, entries, dropped: Math.max(state.dropped, action.dropped) };
    }
    case 'cleared':
      if (!forThisTab(state, action.tabId)) return state;
      return { ...state, entries: [], dropped: 0, lastCleared: action.reason };
    case 'settings':
      if (!forThisTab(state, action.tabId)) return state;
      return { ...state, settings: action.settings };
    case 'health':
      return { ...state, health: action.health };
    case 'report-opened':
      return { ...state, report: action.report };
    case 'report-closed':
      return { ...state, report: null };
    default: {
      const never: never = action;
      void never;
      return state;
    }
  }
}

export function reduceAll(state: PanelState, actions: readonly PanelAction[]): PanelState {
  return actions.reduce(reduce, state);
}

// ---------------------------------------------------------------------------------------------
// Filtering (pure; the store wraps it in computed signals)

/** `cors`: every call but the no-cors loads (the default view); `all`: with them. */
export type FilterKind = 'all' | 'cors' | 'blocked' | 'findings';

export interface Counts {
  all: number;
  /** Calls the CORS rules apply to, and failed cross-origin calls: all but {@link Counts.noCors}. */
  cors: number;
  blocked: number;
  findings: number;
  /** No-cors loads that did not fail (hidden in the default view). */
  noCors: number;
}

/**
 * "With findings" counts exactly the amber rows: allowed calls with a warning or danger. (A blocked call's
 * findings show in its detail; its row is red and counts as blocked.)
 */
export function countEntries(entries: readonly LogEntry[]): Counts {
  let blocked = 0;
  let findings = 0;
  let noCors = 0;
  for (const e of entries) {
    if (e.verdict.outcome === 'blocked') blocked++;
    else if (rowState(e) === 'finding') findings++;
    else if (isNoCorsLoad(e)) noCors++;
  }
  return { all: entries.length, cors: entries.length - noCors, blocked, findings, noCors };
}

const searchKeys = new WeakMap<LogEntry, string>();

/** The lower-case text a filter string is matched against (cached per entry object). */
export function searchKey(e: LogEntry): string {
  let k = searchKeys.get(e);
  if (k === undefined) {
    const v = e.verdict;
    const status = e.exchange.outcome.state === 'completed' ? String(e.exchange.outcome.statusCode) : '';
    k = [
      e.exchange.method,
      e.exchange.legs[0]?.url ?? '',
      v.title,
      v.kind,
      v.chromeError ?? '',
      v.netError ?? '',
      rowState(e),
      status,
    ]
      .join(' ')
      .toLowerCase();
    searchKeys.set(e, k);
  }
  return k;
}

/**
 * Computes the search keys of `entries[from..]` while `more()` says there is time (checked every 256
 * entries); returns where it stopped. The panel runs it in idle time after a log or report arrives,
 * so the first keystroke in the filter does not build the keys of every call.
 */
export function warmSearchKeys(entries: readonly LogEntry[], from: number, more: () => boolean): number {
  let i = from;
  while (i < entries.length) {
    for (const end = Math.min(entries.length, i + 256); i < end; i++) searchKey(entries[i]!);
    if (i < entries.length && !more()) break;
  }
  return i;
}

/** Entries that pass the kind filter and contain every word of the text filter (case-insensitive). */
export function filterEntries(entries: LogEntry[], kind: FilterKind, text: string): LogEntry[] {
  const words = text.toLowerCase().split(/\s+/).filter(Boolean);
  if (kind === 'all' && words.length === 0) return entries;
  return entries.filter((e) => {
    if (kind === 'blocked' && e.verdict.outcome !== 'blocked') return false;
    if (kind === 'cors' && isNoCorsLoad(e)) return false;
    if (kind === 'findings' && rowState(e) !== 'finding') return false;
    if (words.length === 0) return true;
    const key = searchKey(e);
    return words.every((w) => key.includes(w));
  });
}

/**
 * {@link filterEntries} for a filter typed key by key: when the text only grew at its end (same entries,
 * same kind), every call that matches now matched before (each word is the same or longer, or new), so
 * only the previous result is searched. Same result, in the same order, as filtering all entries; and
 * when a keystroke removes no row, the previous array itself, so nothing that shows the rows changes.
 */
export function refiningFilter(): (entries: LogEntry[], kind: FilterKind, text: string) => LogEntry[] {
  let last: { entries: LogEntry[]; kind: FilterKind; text: string; result: LogEntry[] } | null = null;
  return (entries, kind, text) => {
    const lower = text.toLowerCase();
    const from =
      last && last.entries === entries && last.kind === kind && lower.startsWith(last.text)
        ? last.result
        : entries;
    let result = filterEntries(from, kind, lower);
    // Every call searched still matches: the same rows, so the same array (the list need not re-render).
    if (result.length === from.length) result = from;
    last = { entries, kind, text: lower, result };
    return result;
  };
}
