/**
 * The per-tab logs: every record of every tab, bounded (oldest dropped first, and counted), each change
 * written to the change list (a record or tab to store, an entry to push to panels).
 */
import { originOf, type Verdict } from '../engine';
import type { ChangeCollector, EntryChange } from './changes';
import type { PreflightPairing } from './pairing';
import { storedEntryOf, storedTabOf } from './persist';
import type { ExchangeRecord } from './records';
import { ENTRY_PREFIX, TAB_PREFIX, type StoredTab } from './stored';

export interface Tab extends StoredTab {
  /** The tab's records, oldest first. */
  entries: Map<string, ExchangeRecord>;
}

export class TabLogs {
  /** Every record, oldest first (global insertion order). */
  readonly records = new Map<string, ExchangeRecord>();
  readonly tabs = new Map<number, Tab>();
  private seq = 0;

  constructor(
    private readonly changes: ChangeCollector,
    private readonly pairing: PreflightPairing,
    private readonly maxPerTab: number,
    private readonly maxTotal: number,
  ) {}

  /** The insertion number of the next new record. */
  nextSeq(): number {
    return this.seq++;
  }

  /** Adds a record to its tab's log (not bounded yet: see {@link enforceBounds}). */
  add(record: ExchangeRecord): Tab {
    this.seq = Math.max(this.seq, record.seq + 1);
    const tab = this.ensureTab(record.tabId);
    tab.entries.set(record.exchange.id, record);
    this.records.set(record.exchange.id, record);
    return tab;
  }

  /** Starts the tab's log afresh. */
  resetTab(tab: Tab, reason: 'navigation' | 'user'): void {
    for (const record of [...tab.entries.values()]) this.dropRecord(record, false);
    const hadBlocked = tab.blocked !== 0;
    tab.dropped = 0;
    tab.blocked = 0;
    this.putTab(tab);
    const changes = this.changes.current;
    changes.cleared.push({ tabId: tab.tabId, reason });
    if (hadBlocked || reason === 'navigation') changes.badges.push(tab.tabId);
  }

  /** The tab was closed: forget it and its log. */
  removeTab(tabId: number): void {
    const tab = this.tabs.get(tabId);
    if (!tab) return;
    for (const record of [...tab.entries.values()]) this.dropRecord(record, false);
    this.tabs.delete(tabId);
    this.changes.current.remove.push(TAB_PREFIX + tabId);
  }

  enforceBounds(tab: Tab): void {
    while (tab.entries.size > this.maxPerTab) {
      const oldest = tab.entries.values().next().value;
      if (!oldest) break;
      this.dropRecord(oldest, true);
    }
    while (this.records.size > this.maxTotal) {
      const oldest = this.records.values().next().value;
      if (!oldest) break;
      this.dropRecord(oldest, true);
    }
  }

  /** Removes a record from the log (`counted`: because the log is bounded, so the tab counts it). */
  private dropRecord(record: ExchangeRecord, counted: boolean): void {
    const id = record.exchange.id;
    this.records.delete(id);
    const tab = this.tabs.get(record.tabId);
    if (tab) {
      tab.entries.delete(id);
      if (counted) {
        tab.dropped++;
        this.putTab(tab);
      }
    }
    this.pairing.stopWaiting(record);
    for (const preflight of record.preflights) if (preflight) this.pairing.forget(preflight);
    const changes = this.changes.current;
    changes.remove.push(ENTRY_PREFIX + id);
    delete changes.put[ENTRY_PREFIX + id];
  }

  ensureTab(tabId: number): Tab {
    let tab = this.tabs.get(tabId);
    if (!tab) {
      tab = { tabId, preserveLog: false, dropped: 0, blocked: 0, entries: new Map() };
      this.tabs.set(tabId, tab);
    }
    return tab;
  }

  /** The record changed: store it and tell the panels (with its verdict when it just finished). */
  touch(record: ExchangeRecord, verdict?: Verdict): void {
    const id = record.exchange.id;
    if (!this.records.has(id)) return;
    const changes = this.changes.current;
    changes.put[ENTRY_PREFIX + id] = storedEntryOf(record);
    const existing = changes.upserts.find((u) => u.id === id);
    if (existing) {
      if (verdict) existing.verdict = verdict;
    } else {
      const upsert: EntryChange = { tabId: record.tabId, id };
      if (verdict) upsert.verdict = verdict;
      changes.upserts.push(upsert);
    }
  }

  /**
   * The tab showing this origin (the most recently navigated one if several do): where a page's
   * service worker's call (tabId -1) belongs. Undefined when none does.
   */
  tabShowing(origin: string): number | undefined {
    let best: Tab | undefined;
    for (const tab of this.tabs.values()) {
      if (tab.origin === origin && (!best || (tab.originTime ?? 0) > (best.originTime ?? 0))) best = tab;
    }
    return best?.tabId;
  }

  /**
   * A top-level document's response (`completed`: its onCompleted, else its onResponseStarted): the
   * tab's origin, and a fresh log unless Preserve log is on.
   */
  documentResponse(tabId: number, url: string, time: number, statusCode: number, completed: boolean): void {
    // Redirects, 204/205 and downloads do not replace the document.
    if (statusCode >= 300 && statusCode < 400) return;
    if (statusCode === 204 || statusCode === 205) return;
    const tab = this.ensureTab(tabId);
    // An opaque origin ('null', e.g. a data: document) attributes no service-worker call: keep none.
    const serialized = originOf(url);
    const origin = serialized === 'null' ? undefined : serialized;
    if (completed) {
      // Only fills in the origin when responseStarted was not seen (e.g. the worker just woke up).
      if (tab.origin === undefined && origin) {
        tab.origin = origin;
        tab.originTime = time;
        this.putTab(tab);
      }
      return;
    }
    tab.origin = origin;
    tab.originTime = time;
    if (!tab.preserveLog) this.resetTab(tab, 'navigation');
    this.putTab(tab);
  }

  /** The tab's stored state changed. */
  putTab(tab: Tab): void {
    this.changes.current.put[TAB_PREFIX + tab.tabId] = storedTabOf(tab);
  }
}
