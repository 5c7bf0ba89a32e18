/**
 * The capture reducer: folds the `chrome.webRequest` event stream into per-tab logs of
 * {@link Exchange} records (an actual request, its preflight(s), its redirect legs and its outcome).
 *
 * PURE: no browser globals. The service worker feeds it events and applies the {@link Changes} it
 * returns (storage writes, port pushes, badge updates). Its whole durable state is the set of records it
 * asks to store (persist.ts), so {@link Capture.restore} rebuilds it after the worker was stopped.
 *
 * Imports go one way: the stored types (stored.ts) and events (events.ts), the records (records.ts),
 * pure helpers (headers.ts, urls.ts, changes.ts), then persist.ts, pairing.ts, same-origin.ts, log.ts,
 * and this reducer on top.
 */
import { type Exchange, getHeader, type Leg, type Verdict } from '../engine';
import { ChangeCollector, type Changes } from './changes';
import type { WebRequestEvent } from './events';
import { mergeResponse, responseOf, sameOrigin, trimRequestHeaders } from './headers';
import { nextStepOf, PreflightPairing, type NextStep } from './pairing';
import { readStoredState, recordFromStored, storedEntryOf, storedTabOf, waitingGroupOf } from './persist';
import {
  groupKey,
  lastLeg,
  newExchange,
  summaryOf,
  type ExchangeRecord,
  type PreflightRecord,
  type RequestStart,
} from './records';
import { SameOriginTracker } from './same-origin';
import type { StoredEntry, StoredTab } from './stored';
import { TabLogs } from './log';
import { endAfterRedirectTo, isExtensionOrigin } from './urls';

export interface CaptureOptions {
  /** The verdict engine; called when an exchange finishes (and to disambiguate preflights). */
  evaluate: (exchange: Exchange) => Verdict;
  /** Bound per tab (oldest dropped first). */
  maxEntriesPerTab?: number;
  /** Bound over all tabs (keeps `chrome.storage.session` well under its quota). */
  maxEntriesTotal?: number;
  /**
   * The browser reports a request's `onSendHeaders` before its preflight starts (Firefox 153:
   * onBeforeRequest, onSendHeaders, then the OPTIONS request, then the response events), instead of
   * after the preflight finished (Chrome). The headers are then only what the page asked to send: they
   * join the leg when a response proves the request went out, and the preflight is paired at the
   * request's next event.
   */
  sendHeadersBeforePreflight?: boolean;
}

export const DEFAULT_MAX_PER_TAB = 1000;
export const DEFAULT_MAX_TOTAL = 2000;

export class Capture {
  private readonly evaluateFn: (exchange: Exchange) => Verdict;
  private readonly sendHeadersEarly: boolean;
  private readonly changes = new ChangeCollector();
  private readonly pairing: PreflightPairing;
  private readonly sameOrigin: SameOriginTracker;
  private readonly logs: TabLogs;
  private unreadable = 0;
  private lastUnreadable: string | undefined;

  constructor(options: CaptureOptions) {
    this.evaluateFn = options.evaluate;
    this.sendHeadersEarly = options.sendHeadersBeforePreflight === true;
    this.pairing = new PreflightPairing(this.evaluateFn, (record) => this.logs.touch(record));
    this.logs = new TabLogs(
      this.changes,
      this.pairing,
      Math.max(1, options.maxEntriesPerTab ?? DEFAULT_MAX_PER_TAB),
      Math.max(1, options.maxEntriesTotal ?? DEFAULT_MAX_TOTAL),
    );
    this.sameOrigin = new SameOriginTracker(this.changes);
  }

  // ---------------------------------------------------------------------------------------------
  // Reading

  /** The tab's log, oldest first. */
  entries(tabId: number): StoredEntry[] {
    const tab = this.logs.tabs.get(tabId);
    if (!tab) return [];
    return [...tab.entries.values()].map(storedEntryOf);
  }

  exchange(id: string): Exchange | undefined {
    return this.logs.records.get(id)?.exchange;
  }

  tab(tabId: number): StoredTab {
    const tab = this.logs.tabs.get(tabId);
    return tab ? storedTabOf(tab) : { tabId, preserveLog: false, dropped: 0, blocked: 0 };
  }

  tabIds(): number[] {
    return [...this.logs.tabs.keys()];
  }

  /** Number of records over all tabs. */
  get size(): number {
    return this.logs.records.size;
  }

  /** Memory-only bookkeeping sizes (for tests and the memory benchmark). */
  get pendingSizes(): { preflights: number; groups: number; sameOrigin: number } {
    return {
      preflights: this.pairing.size,
      groups: this.pairing.groupCount,
      sameOrigin: this.sameOrigin.size,
    };
  }

  /** Events that could not be folded (the fold threw; the event was dropped), since this capture started. */
  get unreadableEvents(): number {
    return this.unreadable;
  }

  /** Why the last unreadable event could not be folded. */
  get lastUnreadableError(): string | undefined {
    return this.lastUnreadable;
  }

  // ---------------------------------------------------------------------------------------------
  // Commands

  /**
   * Folds one webRequest event. Returns what changed, or undefined when nothing did. Never throws: an
   * event whose fold throws is dropped and counted ({@link unreadableEvents}); what it changed before
   * throwing is still returned.
   */
  handle(ev: WebRequestEvent): Changes | undefined {
    this.changes.begin();
    try {
      this.dispatch(ev);
    } catch (error) {
      this.unreadable++;
      this.lastUnreadable = `${ev?.event} ${ev?.requestId}: ${error instanceof Error ? error.message : String(error)}`;
    }
    return this.changes.end();
  }

  /** Starts the tab's log afresh (the user pressed clear). */
  clear(tabId: number, reason: 'navigation' | 'user' = 'user'): Changes {
    this.changes.begin();
    this.logs.resetTab(this.logs.ensureTab(tabId), reason);
    return this.changes.endOrEmpty();
  }

  setPreserveLog(tabId: number, preserveLog: boolean): Changes {
    this.changes.begin();
    const tab = this.logs.ensureTab(tabId);
    tab.preserveLog = preserveLog;
    this.logs.putTab(tab);
    this.changes.current.settings.push(tabId);
    return this.changes.endOrEmpty();
  }

  /** The tab was closed: forget it. */
  removeTab(tabId: number): Changes {
    this.changes.begin();
    this.logs.removeTab(tabId);
    return this.changes.endOrEmpty();
  }

  /**
   * Rebuilds the state from what was stored (all `chrome.storage.session` items). Unknown or malformed
   * items are ignored. Call once, before the first event.
   */
  restore(items: Record<string, unknown>): void {
    const stored = readStoredState(items);
    for (const t of stored.tabs) {
      const tab = this.logs.ensureTab(t.tabId);
      tab.origin = t.origin;
      tab.originTime = t.originTime;
      tab.preserveLog = t.preserveLog;
      tab.dropped = t.dropped;
      tab.blocked = t.blocked;
    }
    for (const request of stored.sameOrigin) this.sameOrigin.restore(request);
    for (const entry of stored.entries) this.restoreEntry(entry);
  }

  private restoreEntry(entry: StoredEntry): void {
    const record = recordFromStored(entry);
    const exchange = record.exchange;
    this.logs.add(record);
    // In-flight preflights take part in pairing again.
    const pending = exchange.outcome.state === 'pending';
    for (const preflight of record.preflights) if (preflight) this.pairing.restore(preflight, pending);
    const key = pending ? waitingGroupOf(exchange) : undefined;
    if (key !== undefined) {
      record.legStart = exchange.endTime ?? exchange.startTime;
      this.pairing.resumeWaiting(record, key, record.preflights[exchange.legs.length - 1]);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Event folding

  private dispatch(ev: WebRequestEvent): void {
    if (ev.type === 'main_frame') {
      if (ev.event === 'responseStarted' || ev.event === 'completed') this.mainFrame(ev);
      return;
    }
    const record = this.logs.records.get(ev.requestId);
    if (record) {
      this.onActual(record, ev);
      return;
    }
    const preflight = this.pairing.get(ev.requestId);
    if (preflight) {
      this.onPreflight(preflight, ev);
      return;
    }
    const sameOriginRequest = this.sameOrigin.get(ev.requestId);
    if (sameOriginRequest) {
      const crossed = this.sameOrigin.onEvent(sameOriginRequest, ev);
      if (crossed) {
        const { request, firstLeg } = crossed;
        const created = this.createRecord(
          { ...ev, timeStamp: request.start },
          request.tabId,
          [firstLeg, { url: ev.url }],
          groupKey(ev, ev.url),
        );
        created.legStart = ev.timeStamp;
      }
      return;
    }
    if (ev.event === 'beforeRequest') this.begin(ev);
    else if (ev.event === 'beforeRedirect' && ev.initiator && sameOrigin(ev.url, ev.initiator)) {
      // The worker restarted while a same-origin request was in flight.
      const tabId = this.attributeTab(ev);
      if (tabId === undefined || isExtensionOrigin(ev.initiator)) return;
      this.sameOrigin.startAtRedirect(ev, tabId);
    } else if (ev.event === 'sendHeaders' && ev.method === 'OPTIONS') {
      // The worker restarted between a preflight's onBeforeRequest and onSendHeaders: start from here.
      if (getHeader(ev.requestHeaders, 'access-control-request-method') !== null) {
        this.begin(ev);
        const started = this.pairing.get(ev.requestId);
        if (started) this.onPreflight(started, ev);
      }
    }
  }

  private attributeTab(ev: WebRequestEvent): number | undefined {
    if (ev.tabId >= 0) return ev.tabId;
    // A page's service worker: tabId -1. Attribute by initiator to the tab showing that origin.
    return ev.initiator ? this.logs.tabShowing(ev.initiator) : undefined;
  }

  /** A request's first event (its `onBeforeRequest`, or what stands for it after a restart). */
  private begin(ev: WebRequestEvent): void {
    const initiator = ev.initiator;
    // No initiator: browser-initiated, not CORS. Extension initiators: our own and other extensions' calls.
    if (!initiator || isExtensionOrigin(initiator)) return;
    const tabId = this.attributeTab(ev);
    if (tabId === undefined) return;
    if (sameOrigin(ev.url, initiator)) {
      this.sameOrigin.start(ev, tabId);
      return;
    }
    if (ev.method === 'OPTIONS') {
      // A preflight, or the page's own OPTIONS request: onSendHeaders tells (ACRM or not).
      this.pairing.addOptions({
        requestId: ev.requestId,
        group: groupKey(ev, ev.url),
        start: ev.timeStamp,
        preflight: { url: ev.url },
        requestedHeaders: [],
        finished: false,
        leg: 0,
        settled: false,
        request: { ...ev, tabId },
      });
      return;
    }
    this.createRecord(ev, tabId, [{ url: ev.url }], groupKey(ev, ev.url));
  }

  private createRecord(
    start: RequestStart,
    tabId: number,
    legs: Leg[],
    waitGroup: string | undefined,
  ): ExchangeRecord {
    const record: ExchangeRecord = {
      seq: this.logs.nextSeq(),
      tabId,
      exchange: newExchange(start, tabId, legs),
      preflights: legs.map(() => null),
      legStart: start.timeStamp,
      legMethod: start.method,
    };
    const tab = this.logs.add(record);
    if (waitGroup) this.pairing.waitForPreflight(record, waitGroup);
    this.logs.touch(record);
    this.logs.enforceBounds(tab);
    return record;
  }

  private onActual(record: ExchangeRecord, ev: WebRequestEvent): void {
    const exchange = record.exchange;
    if (exchange.outcome.state !== 'pending') return;
    switch (ev.event) {
      case 'beforeRequest': {
        // A followed redirect: a new leg at the new URL.
        const previous = lastLeg(exchange);
        if (previous.redirectUrl === undefined && previous.url === ev.url) return;
        this.pairing.settle(record, nextStepOf(ev));
        if (previous.redirectUrl === undefined) previous.redirectUrl = ev.url;
        exchange.legs.push({ url: ev.url });
        record.preflights.push(null);
        record.legStart = ev.timeStamp;
        record.legMethod = ev.method;
        this.pairing.waitForPreflight(record, groupKey(ev, ev.url));
        exchange.endTime = ev.timeStamp;
        this.logs.touch(record);
        return;
      }
      case 'beforeSendHeaders':
      case 'sendHeaders': {
        if (this.sendHeadersEarly && !lastLeg(exchange).response) {
          // Its preflight (if any) has not even started: keep the headers until the request is sent.
          // Kept whole until then: pairing compares them with the preflight's list (trimming drops some).
          record.early = ev.requestHeaders ?? [];
          break;
        }
        this.pairing.settle(record, nextStepOf(ev));
        lastLeg(exchange).requestHeaders = trimRequestHeaders(ev.requestHeaders);
        break;
      }
      case 'headersReceived': {
        this.pairing.settle(record, this.nextStep(record, ev));
        this.sent(record);
        lastLeg(exchange).response = responseOf(ev);
        break;
      }
      case 'beforeRedirect': {
        this.pairing.settle(record, this.nextStep(record, ev));
        this.sent(record);
        const leg = lastLeg(exchange);
        if (!leg.response) leg.response = responseOf(ev);
        else mergeResponse(leg.response, ev);
        if (ev.redirectUrl !== undefined) leg.redirectUrl = ev.redirectUrl;
        const silentEnd = ev.redirectUrl === undefined ? undefined : endAfterRedirectTo(ev.redirectUrl);
        if (silentEnd) {
          exchange.outcome = { state: 'failed', error: silentEnd };
          exchange.endTime = ev.timeStamp;
          this.finish(record);
          return;
        }
        break;
      }
      case 'responseStarted':
        return;
      case 'completed': {
        this.pairing.settle(record, this.nextStep(record, ev));
        this.sent(record);
        const leg = lastLeg(exchange);
        if (!leg.response) leg.response = responseOf(ev);
        else mergeResponse(leg.response, ev);
        exchange.outcome = { state: 'completed', statusCode: ev.statusCode ?? leg.response.statusCode };
        exchange.endTime = ev.timeStamp;
        this.finish(record);
        return;
      }
      case 'errorOccurred': {
        this.pairing.settle(record, this.nextStep(record, ev));
        // Reported but never sent (its preflight failed, or the connection did): not on the leg.
        record.early = undefined;
        exchange.outcome = { state: 'failed', error: ev.error ?? 'net::ERR_FAILED' };
        exchange.endTime = ev.timeStamp;
        this.finish(record);
        return;
      }
    }
    exchange.endTime = ev.timeStamp;
    this.logs.touch(record);
  }

  /** The next step for pairing; headers reported before the preflight count as the ones sent. */
  private nextStep(record: ExchangeRecord, ev: WebRequestEvent): NextStep {
    const next = nextStepOf(ev);
    return record.early && !next.sentHeaders ? { ...next, sentHeaders: record.early } : next;
  }

  /** A response arrived: headers reported before the preflight were really sent. */
  private sent(record: ExchangeRecord): void {
    if (!record.early) return;
    const leg = lastLeg(record.exchange);
    if (!leg.requestHeaders) leg.requestHeaders = trimRequestHeaders(record.early);
    record.early = undefined;
  }

  private onPreflight(preflight: PreflightRecord, ev: WebRequestEvent): void {
    if (this.pairing.onEvent(preflight, ev) === 'not-a-preflight') this.promoteToActual(preflight, ev);
  }

  /** An OPTIONS request that turned out not to be a preflight becomes an exchange of its own. */
  private promoteToActual(preflight: PreflightRecord, ev: WebRequestEvent): void {
    this.pairing.forget(preflight);
    const request = preflight.request;
    if (!request) return;
    // It may have its own preflight (OPTIONS is not a CORS-safelisted method): let it settle in its group.
    const record = this.createRecord(request, request.tabId, [{ url: request.url }], preflight.group);
    this.onActual(record, ev);
  }

  /** The exchange finished: settle its last preflight, compute its verdict, count it if blocked. */
  private finish(record: ExchangeRecord): void {
    // Nothing more will come: the preflight, if any, has finished, and nothing tells more about it.
    const nothingMore: NextStep = {};
    if (record.waitGroup !== undefined) this.pairing.settle(record, nothingMore);
    for (const preflight of record.preflights) if (preflight) this.pairing.forget(preflight);
    let verdict: Verdict | undefined;
    try {
      verdict = this.evaluateFn(record.exchange);
    } catch {
      verdict = undefined;
    }
    if (verdict) {
      record.summary = summaryOf(verdict);
      if (verdict.outcome === 'blocked') {
        const tab = this.logs.tabs.get(record.tabId);
        if (tab && tab.entries.has(record.exchange.id)) {
          tab.blocked++;
          this.logs.putTab(tab);
          this.changes.current.badges.push(tab.tabId);
        }
      }
    }
    this.logs.touch(record, verdict);
  }

  /** A top-level document's response: the tab's origin, and a fresh log unless Preserve log is on. */
  private mainFrame(ev: WebRequestEvent): void {
    if (ev.tabId < 0 || (ev.frameId !== undefined && ev.frameId !== 0)) return;
    this.logs.documentResponse(
      ev.tabId,
      ev.url,
      ev.timeStamp,
      ev.statusCode ?? 200,
      ev.event === 'completed',
    );
  }
}
