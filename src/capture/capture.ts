/**
 * The capture reducer: folds the `chrome.webRequest` event stream into per-tab logs of
 * {@link Exchange} records (an actual request, its preflight(s), its redirect legs and its outcome).
 *
 * PURE: no browser globals. The service worker feeds it events and applies the {@link Changes} it
 * returns (storage writes, port pushes, badge updates). Its whole durable state is the set of records it
 * asks to store, so {@link Capture.restore} rebuilds it after the worker was stopped.
 *
 * Preflight pairing (webRequest gives no link between a preflight and its request):
 * - a preflight is an OPTIONS request whose `onSendHeaders` carries `Access-Control-Request-Method`;
 * - it starts 1–3 ms after its actual request's `onBeforeRequest`, and the actual's next event comes
 *   only after the preflight completed. So when the preflight's headers arrive, it is linked
 *   tentatively (FIFO) to the oldest actual request of the same group (tab, frame, document, initiator,
 *   URL) that is still waiting after its `onBeforeRequest` and whose method equals ACRM;
 * - when that actual's next event arrives the link is settled: the preflight must have finished, its
 *   ACRH must fit the headers the actual was sent with (`onSendHeaders`), and if the actual failed
 *   before being sent, the preflight must explain the failure (asked of the engine). Otherwise it is
 *   swapped with a better candidate of the same group.
 * - A preflight after a redirect goes to the new URL and belongs to that leg.
 * - A preflight answered from Chrome's preflight cache produces no events: the leg simply has none.
 */
import type {
  Exchange,
  HeaderLine,
  Leg,
  ObservedPreflight,
  ObservedResponse,
  Outcome,
  Verdict,
} from '../engine/types';
import type { WebRequestEvent } from './events';
import {
  acrhFit,
  headerValue,
  originOf,
  parseNameList,
  sameOrigin,
  trimRequestHeaders,
  trimResponseHeaders,
} from './headers';

/** The part of a verdict that capture keeps with each record (the full verdict is recomputed on demand). */
export interface VerdictSummary {
  outcome: Outcome;
  kind: string;
  chromeError?: string;
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

export interface TabSettings {
  preserveLog: boolean;
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

export interface EntryChange {
  tabId: number;
  id: string;
  /** The full verdict when capture just computed it (the exchange finished). */
  verdict?: Verdict;
}

/** What the worker must do after an event: write/remove storage keys, push to panels, update badges. */
export interface Changes {
  put: Record<string, StoredEntry | StoredTab | object>;
  remove: string[];
  upserts: EntryChange[];
  cleared: { tabId: number; reason: 'navigation' | 'user' }[];
  /** Tabs whose blocked count changed. */
  badges: number[];
  /** Tabs whose settings changed. */
  settings: number[];
}

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

export const ENTRY_PREFIX = 'x:';
export const TAB_PREFIX = 't:';
/** A same-origin request that is being redirected cross-origin (stored between the redirect and the next leg). */
export const SAME_ORIGIN_PREFIX = 's:';

interface Rec {
  seq: number;
  tabId: number;
  x: Exchange;
  summary?: VerdictSummary;
  /** Preflight per leg (index = leg). */
  pfs: (Pf | null)[];
  /** Group key of the current leg while the actual waits for its next event after onBeforeRequest. */
  waitGroup?: string;
  /** timeStamp of the current leg's onBeforeRequest. */
  legStart: number;
  /** Method of the current leg (a 303 turns POST into GET). */
  legMethod: string;
  /** Headers of the current leg reported before its preflight ({@link CaptureOptions.sendHeadersBeforePreflight}). */
  early?: HeaderLine[];
}

interface Pf {
  requestId: string;
  group: string;
  start: number;
  pre: ObservedPreflight;
  /** Undefined until onSendHeaders tells whether this OPTIONS is a preflight. */
  acrm?: string;
  acrh: string[];
  finished: boolean;
  /** timeStamp of its completion (or failure). */
  finishedAt?: number;
  owner?: Rec;
  leg: number;
  /** Linked for good (its actual's next event came). */
  settled: boolean;
  /** The BR event, kept while unclassified (an OPTIONS without ACRM is an actual request). */
  br?: WebRequestEvent;
}

interface Group {
  actuals: Rec[];
  pfs: Pf[];
}

interface Tab extends StoredTab {
  entries: Map<string, Rec>;
}

/** Same-origin requests are not CORS, unless they redirect cross-origin: remember them briefly. */
interface SameOriginReq {
  requestId: string;
  tabId: number;
  /** Stored under `s:<requestId>` (only while redirecting cross-origin). */
  persisted?: boolean;
  url: string;
  start: number;
  response?: ObservedResponse;
  redirectUrl?: string;
}

const MAX_LIMBO = 1000;

function groupKey(ev: WebRequestEvent, url: string): string {
  return `${ev.tabId}|${ev.frameId ?? ''}|${ev.documentId ?? ''}|${ev.initiator ?? ''}|${url}`;
}

function isExtensionOrigin(initiator: string): boolean {
  return (
    initiator.startsWith('chrome-extension:') ||
    initiator.startsWith('moz-extension:') ||
    initiator.startsWith('safari-web-extension:')
  );
}

function responseOf(ev: WebRequestEvent): ObservedResponse {
  const r: ObservedResponse = {
    statusCode: ev.statusCode ?? 0,
    headers: trimResponseHeaders(ev.responseHeaders),
  };
  if (ev.statusLine !== undefined) r.statusLine = ev.statusLine;
  if (ev.fromCache !== undefined) r.fromCache = ev.fromCache;
  if (ev.ip !== undefined) r.ip = ev.ip;
  return r;
}

function lastLeg(x: Exchange): Leg {
  return x.legs[x.legs.length - 1] as Leg;
}

export function emptyChanges(): Changes {
  return { put: {}, remove: [], upserts: [], cleared: [], badges: [], settings: [] };
}

export class Capture {
  private readonly evaluateFn: (exchange: Exchange) => Verdict;
  private readonly sendHeadersEarly: boolean;
  private readonly maxPerTab: number;
  private readonly maxTotal: number;
  /** Every record, oldest first (global insertion order). */
  private readonly recs = new Map<string, Rec>();
  private readonly tabs = new Map<number, Tab>();
  /** Preflights (and unclassified OPTIONS) by requestId. */
  private readonly pfById = new Map<string, Pf>();
  private readonly groups = new Map<string, Group>();
  private readonly sameOriginReqs = new Map<string, SameOriginReq>();
  private seq = 0;
  private ch: Changes | undefined;

  constructor(options: CaptureOptions) {
    this.evaluateFn = options.evaluate;
    this.sendHeadersEarly = options.sendHeadersBeforePreflight === true;
    this.maxPerTab = Math.max(1, options.maxEntriesPerTab ?? DEFAULT_MAX_PER_TAB);
    this.maxTotal = Math.max(1, options.maxEntriesTotal ?? DEFAULT_MAX_TOTAL);
  }

  // ---------------------------------------------------------------------------------------------
  // Reading

  /** The tab's log, oldest first. */
  entries(tabId: number): StoredEntry[] {
    const tab = this.tabs.get(tabId);
    if (!tab) return [];
    return [...tab.entries.values()].map((r) => this.stored(r));
  }

  exchange(id: string): Exchange | undefined {
    return this.recs.get(id)?.x;
  }

  tab(tabId: number): StoredTab {
    const t = this.tabs.get(tabId);
    return t ? this.storedTab(t) : { tabId, preserveLog: false, dropped: 0, blocked: 0 };
  }

  tabIds(): number[] {
    return [...this.tabs.keys()];
  }

  /** Number of records over all tabs. */
  get size(): number {
    return this.recs.size;
  }

  /** Memory-only bookkeeping sizes (for tests and the memory benchmark). */
  get pendingSizes(): { preflights: number; groups: number; sameOrigin: number } {
    return { preflights: this.pfById.size, groups: this.groups.size, sameOrigin: this.sameOriginReqs.size };
  }

  // ---------------------------------------------------------------------------------------------
  // Commands

  /** Folds one webRequest event. Returns what changed, or undefined when nothing did. Never throws. */
  handle(ev: WebRequestEvent): Changes | undefined {
    this.ch = undefined;
    try {
      this.dispatch(ev);
    } catch {
      // Malformed input must never take capture down; the event is dropped.
    }
    const ch = this.ch;
    this.ch = undefined;
    return ch;
  }

  /** Starts the tab's log afresh (the user pressed clear). */
  clear(tabId: number, reason: 'navigation' | 'user' = 'user'): Changes {
    this.ch = undefined;
    const tab = this.ensureTab(tabId);
    this.resetTab(tab, reason);
    return this.takeChanges();
  }

  setPreserveLog(tabId: number, preserveLog: boolean): Changes {
    this.ch = undefined;
    const tab = this.ensureTab(tabId);
    tab.preserveLog = preserveLog;
    this.putTab(tab);
    this.changes().settings.push(tabId);
    return this.takeChanges();
  }

  /** The tab was closed: forget it. */
  removeTab(tabId: number): Changes {
    this.ch = undefined;
    const tab = this.tabs.get(tabId);
    if (tab) {
      for (const r of [...tab.entries.values()]) this.dropRec(r, false);
      this.tabs.delete(tabId);
      this.changes().remove.push(TAB_PREFIX + tabId);
    }
    return this.takeChanges();
  }

  /**
   * Rebuilds the state from what was stored (all `chrome.storage.session` items). Unknown or malformed
   * items are ignored. Call once, before the first event.
   */
  restore(items: Record<string, unknown>): void {
    const entries: StoredEntry[] = [];
    for (const [key, value] of Object.entries(items)) {
      try {
        if (key.startsWith(TAB_PREFIX)) {
          const t = value as StoredTab;
          if (!t || typeof t.tabId !== 'number') continue;
          const tab = this.ensureTab(t.tabId);
          tab.origin = typeof t.origin === 'string' ? t.origin : undefined;
          tab.originTime = typeof t.originTime === 'number' ? t.originTime : undefined;
          tab.preserveLog = t.preserveLog === true;
          tab.dropped = typeof t.dropped === 'number' ? t.dropped : 0;
          tab.blocked = typeof t.blocked === 'number' ? t.blocked : 0;
        } else if (key.startsWith(SAME_ORIGIN_PREFIX)) {
          const so = value as SameOriginReq;
          if (!so || typeof so.requestId !== 'string' || typeof so.url !== 'string') continue;
          if (typeof so.tabId !== 'number' || typeof so.start !== 'number') continue;
          this.sameOriginReqs.set(so.requestId, { ...so, persisted: true });
        } else if (key.startsWith(ENTRY_PREFIX)) {
          const e = value as StoredEntry;
          if (!e || typeof e.seq !== 'number' || !e.exchange || !Array.isArray(e.exchange.legs)) continue;
          if (e.exchange.legs.length === 0 || typeof e.exchange.id !== 'string') continue;
          entries.push(e);
        }
      } catch {
        // ignore a malformed item
      }
    }
    entries.sort((a, b) => a.seq - b.seq);
    for (const e of entries) {
      const x = e.exchange;
      const rec: Rec = {
        seq: e.seq,
        tabId: x.tabId,
        x,
        pfs: x.legs.map(() => null),
        legStart: x.startTime,
        legMethod: x.method,
      };
      if (e.summary) rec.summary = e.summary;
      this.seq = Math.max(this.seq, e.seq + 1);
      const tab = this.ensureTab(x.tabId);
      tab.entries.set(x.id, rec);
      this.recs.set(x.id, rec);
      // Which preflight (requestId) belongs to which leg; in-flight ones take part in pairing again.
      const pending = x.outcome.state === 'pending';
      const ids = Array.isArray(e.preflightIds) ? e.preflightIds : [];
      x.legs.forEach((leg, i) => {
        const id = ids[i];
        if (!id || !leg.preflight) return;
        const pf: Pf = {
          requestId: id,
          group: '',
          start: x.startTime,
          pre: leg.preflight,
          acrm: headerValue(leg.preflight.requestHeaders, 'access-control-request-method') ?? x.method,
          acrh: parseNameList(headerValue(leg.preflight.requestHeaders, 'access-control-request-headers')),
          finished: !!(leg.preflight.error || leg.preflight.response),
          owner: rec,
          leg: i,
          settled: true,
        };
        rec.pfs[i] = pf;
        if (pending) this.pfById.set(id, pf);
      });
      if (!pending) continue;
      const leg = lastLeg(x);
      if (!leg.requestHeaders && !leg.response && !leg.redirectUrl) {
        // Still waiting for its next event: it may still get a preflight.
        const probe: WebRequestEvent = {
          event: 'beforeRequest',
          requestId: x.id,
          url: leg.url,
          method: x.method,
          type: x.type,
          tabId: -2,
          timeStamp: x.startTime,
        };
        if (x.frameId !== undefined) probe.frameId = x.frameId;
        if (x.documentId !== undefined) probe.documentId = x.documentId;
        if (x.initiator !== undefined) probe.initiator = x.initiator;
        // The group key uses the raw tab id, which is the stored one unless it was a service worker's.
        probe.tabId = x.frameId === -1 && x.documentId === undefined ? -1 : x.tabId;
        const key = groupKey(probe, leg.url);
        const pf = rec.pfs[x.legs.length - 1];
        rec.waitGroup = key;
        rec.legStart = x.endTime ?? x.startTime;
        const g = this.group(key);
        g.actuals.push(rec);
        if (pf) {
          pf.group = key;
          pf.start = rec.legStart;
          pf.settled = false;
          g.pfs.push(pf);
        }
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Event folding

  private dispatch(ev: WebRequestEvent): void {
    if (ev.type === 'main_frame') {
      if (ev.event === 'responseStarted' || ev.event === 'completed') this.mainFrame(ev);
      return;
    }
    const rec = this.recs.get(ev.requestId);
    if (rec) {
      this.onActual(rec, ev);
      return;
    }
    const pf = this.pfById.get(ev.requestId);
    if (pf) {
      this.onPreflight(pf, ev);
      return;
    }
    const so = this.sameOriginReqs.get(ev.requestId);
    if (so) {
      this.onSameOrigin(so, ev);
      return;
    }
    if (ev.event === 'beforeRequest') this.begin(ev);
    else if (ev.event === 'beforeRedirect' && ev.initiator && sameOrigin(ev.url, ev.initiator)) {
      // The worker restarted while a same-origin request was in flight: it matters only if it now
      // redirects cross-origin (its start time is then the redirect's).
      const tabId = this.attributeTab(ev);
      if (tabId === undefined || isExtensionOrigin(ev.initiator)) return;
      const so: SameOriginReq = { requestId: ev.requestId, tabId, url: ev.url, start: ev.timeStamp };
      this.sameOriginReqs.set(ev.requestId, so);
      this.onSameOrigin(so, ev);
    } else if (ev.event === 'sendHeaders' && ev.method === 'OPTIONS') {
      // The worker restarted between a preflight's onBeforeRequest and onSendHeaders: start from here.
      if (headerValue(ev.requestHeaders, 'access-control-request-method') !== undefined) {
        this.begin({ ...ev, event: 'beforeRequest' });
        const again = this.pfById.get(ev.requestId);
        if (again) this.onPreflight(again, ev);
      }
    }
  }

  private attributeTab(ev: WebRequestEvent): number | undefined {
    if (ev.tabId >= 0) return ev.tabId;
    // A page's service worker: tabId -1. Attribute by initiator to the tab showing that origin
    // (the most recently navigated one if several do).
    const initiator = ev.initiator;
    if (!initiator) return undefined;
    let best: Tab | undefined;
    for (const t of this.tabs.values()) {
      if (t.origin === initiator && (!best || (t.originTime ?? 0) > (best.originTime ?? 0))) best = t;
    }
    return best?.tabId;
  }

  private begin(ev: WebRequestEvent): void {
    const initiator = ev.initiator;
    // No initiator: browser-initiated, not CORS. Extension initiators: our own and other extensions' calls.
    if (!initiator || isExtensionOrigin(initiator)) return;
    const tabId = this.attributeTab(ev);
    if (tabId === undefined) return;
    if (sameOrigin(ev.url, initiator)) {
      if (this.sameOriginReqs.size >= MAX_LIMBO) {
        const first = this.sameOriginReqs.keys().next().value;
        if (first !== undefined) this.sameOriginReqs.delete(first);
      }
      this.sameOriginReqs.set(ev.requestId, {
        requestId: ev.requestId,
        tabId,
        url: ev.url,
        start: ev.timeStamp,
      });
      return;
    }
    if (ev.method === 'OPTIONS') {
      // A preflight, or the page's own OPTIONS request: onSendHeaders tells (ACRM or not).
      if (this.pfById.size >= MAX_LIMBO * 4) this.evictOldestPreflight();
      const key = groupKey(ev, ev.url);
      const pf: Pf = {
        requestId: ev.requestId,
        group: key,
        start: ev.timeStamp,
        pre: { url: ev.url },
        acrh: [],
        finished: false,
        leg: 0,
        settled: false,
        br: { ...ev, tabId },
      };
      this.pfById.set(ev.requestId, pf);
      this.group(key).pfs.push(pf);
      return;
    }
    this.createRec(ev, tabId, [{ url: ev.url }], groupKey(ev, ev.url));
  }

  private createRec(ev: WebRequestEvent, tabId: number, legs: Leg[], waitGroup: string | undefined): Rec {
    const x: Exchange = {
      id: ev.requestId,
      method: ev.method,
      type: ev.type,
      tabId,
      startTime: ev.timeStamp,
      legs,
      outcome: { state: 'pending' },
    };
    if (ev.initiator !== undefined) x.initiator = ev.initiator;
    if (ev.frameId !== undefined) x.frameId = ev.frameId;
    if (ev.documentId !== undefined) x.documentId = ev.documentId;
    const rec: Rec = {
      seq: this.seq++,
      tabId,
      x,
      pfs: legs.map(() => null),
      legStart: ev.timeStamp,
      legMethod: ev.method,
    };
    const tab = this.ensureTab(tabId);
    tab.entries.set(x.id, rec);
    this.recs.set(x.id, rec);
    if (waitGroup) {
      rec.waitGroup = waitGroup;
      this.group(waitGroup).actuals.push(rec);
    }
    this.touch(rec);
    this.enforceBounds(tab);
    return rec;
  }

  private onActual(rec: Rec, ev: WebRequestEvent): void {
    const x = rec.x;
    if (x.outcome.state !== 'pending') return;
    switch (ev.event) {
      case 'beforeRequest': {
        // A followed redirect: a new leg at the new URL.
        const prev = lastLeg(x);
        if (prev.redirectUrl === undefined && prev.url === ev.url) return;
        this.settle(rec, ev);
        if (prev.redirectUrl === undefined) prev.redirectUrl = ev.url;
        x.legs.push({ url: ev.url });
        rec.pfs.push(null);
        rec.legStart = ev.timeStamp;
        rec.legMethod = ev.method;
        const key = groupKey(ev, ev.url);
        rec.waitGroup = key;
        this.group(key).actuals.push(rec);
        x.endTime = ev.timeStamp;
        this.touch(rec);
        return;
      }
      case 'beforeSendHeaders':
      case 'sendHeaders': {
        if (this.sendHeadersEarly && !lastLeg(x).response) {
          // Its preflight (if any) has not even started: keep the headers until the request is sent.
          rec.early = trimRequestHeaders(ev.requestHeaders);
          break;
        }
        this.settle(rec, ev);
        lastLeg(x).requestHeaders = trimRequestHeaders(ev.requestHeaders);
        break;
      }
      case 'headersReceived': {
        this.settle(rec, ev);
        this.sent(rec);
        lastLeg(x).response = responseOf(ev);
        break;
      }
      case 'beforeRedirect': {
        this.settle(rec, ev);
        this.sent(rec);
        const leg = lastLeg(x);
        if (!leg.response) leg.response = responseOf(ev);
        else this.mergeResponse(leg.response, ev);
        if (ev.redirectUrl !== undefined) leg.redirectUrl = ev.redirectUrl;
        break;
      }
      case 'responseStarted':
        return;
      case 'completed': {
        this.settle(rec, ev);
        this.sent(rec);
        const leg = lastLeg(x);
        if (!leg.response) leg.response = responseOf(ev);
        else this.mergeResponse(leg.response, ev);
        x.outcome = { state: 'completed', statusCode: ev.statusCode ?? leg.response.statusCode };
        x.endTime = ev.timeStamp;
        this.finish(rec);
        return;
      }
      case 'errorOccurred': {
        this.settle(rec, ev);
        // Reported but never sent (its preflight failed, or the connection did): not on the leg.
        rec.early = undefined;
        x.outcome = { state: 'failed', error: ev.error ?? 'net::ERR_FAILED' };
        x.endTime = ev.timeStamp;
        this.finish(rec);
        return;
      }
    }
    x.endTime = ev.timeStamp;
    this.touch(rec);
  }

  /** A response arrived: headers reported before the preflight were really sent. */
  private sent(rec: Rec): void {
    if (!rec.early) return;
    const leg = lastLeg(rec.x);
    if (!leg.requestHeaders) leg.requestHeaders = rec.early;
    rec.early = undefined;
  }

  private mergeResponse(r: ObservedResponse, ev: WebRequestEvent): void {
    if (ev.fromCache !== undefined) r.fromCache = ev.fromCache;
    if (ev.ip !== undefined) r.ip = ev.ip;
    if (r.headers.length === 0 && ev.responseHeaders) r.headers = trimResponseHeaders(ev.responseHeaders);
  }

  private onPreflight(pf: Pf, ev: WebRequestEvent): void {
    switch (ev.event) {
      case 'beforeSendHeaders':
      case 'sendHeaders': {
        pf.pre.requestHeaders = trimRequestHeaders(ev.requestHeaders);
        if (pf.acrm === undefined) {
          const acrm = headerValue(ev.requestHeaders, 'access-control-request-method');
          if (acrm === undefined) {
            // Not a preflight: the page's own OPTIONS request.
            this.promoteToActual(pf, ev);
            return;
          }
          pf.acrm = acrm;
          pf.acrh = parseNameList(headerValue(ev.requestHeaders, 'access-control-request-headers'));
          this.link(pf);
        }
        break;
      }
      case 'headersReceived':
        pf.pre.response = responseOf(ev);
        break;
      case 'beforeRedirect':
      case 'completed': {
        if (!pf.pre.response) pf.pre.response = responseOf(ev);
        else this.mergeResponse(pf.pre.response, ev);
        pf.finished = true;
        pf.finishedAt = ev.timeStamp;
        break;
      }
      case 'errorOccurred': {
        if (pf.acrm === undefined) {
          // An OPTIONS that failed before sending headers is an actual request blocked by its preflight.
          this.promoteToActual(pf, ev);
          return;
        }
        // After its response arrived, an error is the browser rejecting that response (Firefox fails the
        // OPTIONS request itself with NS_ERROR_DOM_BAD_URI): the headers tell why. Before it, the
        // preflight failed below HTTP.
        if (!pf.pre.response) pf.pre.error = ev.error ?? 'net::ERR_FAILED';
        pf.finished = true;
        pf.finishedAt = ev.timeStamp;
        break;
      }
      default:
        return;
    }
    if (pf.owner) this.touch(pf.owner);
    // Unowned finished preflights stay in their group until their actual's next event claims them
    // (or until evicted: see evictOldestPreflight).
    if (pf.finished && pf.settled) this.forgetPf(pf);
  }

  /** An OPTIONS request that turned out not to be a preflight becomes an exchange of its own. */
  private promoteToActual(pf: Pf, ev: WebRequestEvent): void {
    this.forgetPf(pf);
    const br = pf.br;
    if (!br) return;
    // It may have its own preflight (OPTIONS is not a CORS-safelisted method): let it settle in its group.
    const rec = this.createRec(br, br.tabId, [{ url: br.url }], pf.group);
    this.onActual(rec, ev);
  }

  private link(pf: Pf): void {
    const g = this.groups.get(pf.group);
    if (!g) return;
    for (const a of g.actuals) {
      if (a.legMethod !== pf.acrm || a.legStart > pf.start) continue;
      if (a.pfs[a.x.legs.length - 1]) continue;
      this.attach(pf, a);
      return;
    }
  }

  private attach(pf: Pf, a: Rec): void {
    const i = a.x.legs.length - 1;
    pf.owner = a;
    pf.leg = i;
    a.pfs[i] = pf;
    (a.x.legs[i] as Leg).preflight = pf.pre;
    this.touch(a);
  }

  private detach(pf: Pf): void {
    const a = pf.owner;
    if (!a) return;
    const leg = a.x.legs[pf.leg];
    if (leg && leg.preflight === pf.pre) delete leg.preflight;
    if (a.pfs[pf.leg] === pf) a.pfs[pf.leg] = null;
    pf.owner = undefined;
    this.touch(a);
  }

  /**
   * The actual's next event after onBeforeRequest: its preflight (if any) has finished by now. Pick
   * the right one among the group's candidates and take the actual out of the waiting list.
   */
  private settle(rec: Rec, ev: WebRequestEvent): void {
    const key = rec.waitGroup;
    if (key === undefined) return;
    rec.waitGroup = undefined;
    const g = this.groups.get(key);
    if (!g) return;
    const ai = g.actuals.indexOf(rec);
    if (ai >= 0) g.actuals.splice(ai, 1);
    const legIndex = rec.x.legs.length - 1;
    const current = rec.pfs[legIndex] ?? undefined;
    const sent =
      ev.event === 'sendHeaders' || ev.event === 'beforeSendHeaders' ? ev.requestHeaders : rec.early;
    const failedUnsent = ev.event === 'errorOccurred';
    const candidates = g.pfs.filter(
      (p) =>
        p.acrm !== undefined &&
        p.acrm === rec.legMethod &&
        p.start >= rec.legStart &&
        !p.settled &&
        (p.owner === undefined || p.owner === rec || p.owner.waitGroup !== undefined),
    );
    let best: Pf | undefined;
    let bestScore = -1;
    let verdictChecks = 0;
    for (const p of candidates) {
      // Scores. A request that failed before it was sent was stopped by its preflight, so the preflight
      // must explain that (asked of the engine) > finished (the actual's next event comes only after
      // its preflight completed) > fits the headers the actual was sent with > the tentative FIFO link.
      // Ties go to the preflight that started soonest after this request (Chrome starts a preflight
      // 1-3 ms after its request's onBeforeRequest), then to the tentative link.
      let score = 0;
      if (p.finished) score += 8;
      if (sent) {
        const fit = acrhFit(p.acrh, sent);
        if (fit === 0) continue; // it asked for a header this request did not send
        score += fit * 2;
      } else if (failedUnsent && candidates.length > 1 && verdictChecks < 16) {
        verdictChecks++;
        score += this.explainsFailure(rec, p, ev);
      }
      const closer =
        best !== undefined && (p.start < best.start || (p.start === best.start && p === current));
      if (score > bestScore || (score === bestScore && closer)) {
        bestScore = score;
        best = p;
      }
    }
    if (best !== current) {
      const otherOwner = best?.owner;
      if (best) this.detach(best);
      if (current) {
        this.detach(current);
        // Hand our old preflight to the request we took one from, if it fits it.
        if (otherOwner && otherOwner !== rec && current.acrm === otherOwner.legMethod)
          this.attach(current, otherOwner);
      }
      if (best) this.attach(best, rec);
    }
    if (best) {
      best.settled = true;
      const pi = g.pfs.indexOf(best);
      if (pi >= 0) g.pfs.splice(pi, 1);
      if (best.finished) this.forgetPf(best);
    }
    if (g.actuals.length === 0 && g.pfs.length === 0) this.groups.delete(key);
  }

  /**
   * Would this preflight make the actual fail before it was sent? (asks the engine) 16 when certainly,
   * 10 when only by inference (e.g. "had the call carried credentials"), 0 when not.
   */
  private explainsFailure(rec: Rec, p: Pf, ev: WebRequestEvent): number {
    try {
      const legs = rec.x.legs.map((l, i) => (i === rec.x.legs.length - 1 ? { ...l, preflight: p.pre } : l));
      const v = this.evaluateFn({
        ...rec.x,
        legs,
        outcome: { state: 'failed', error: ev.error ?? 'net::ERR_FAILED' },
      });
      if (v.outcome !== 'blocked' || v.step !== 'preflight') return 0;
      return v.confidence.level === 'certain' ? 16 : 10;
    } catch {
      return 0;
    }
  }

  private finish(rec: Rec): void {
    if (rec.waitGroup !== undefined) this.settle(rec, this.probe(rec));
    for (const p of rec.pfs) if (p) this.forgetPf(p);
    let verdict: Verdict | undefined;
    try {
      verdict = this.evaluateFn(rec.x);
    } catch {
      verdict = undefined;
    }
    if (verdict) {
      rec.summary = { outcome: verdict.outcome, kind: verdict.kind };
      if (verdict.chromeError !== undefined) rec.summary.chromeError = verdict.chromeError;
      if (verdict.failedParameter !== undefined) rec.summary.failedParameter = verdict.failedParameter;
      if (verdict.outcome === 'blocked') {
        const tab = this.tabs.get(rec.tabId);
        if (tab && tab.entries.has(rec.x.id)) {
          tab.blocked++;
          this.putTab(tab);
          this.changes().badges.push(tab.tabId);
        }
      }
    }
    this.touch(rec, verdict);
  }

  private probe(rec: Rec): WebRequestEvent {
    return {
      event: 'completed',
      requestId: rec.x.id,
      url: lastLeg(rec.x).url,
      method: rec.legMethod,
      type: rec.x.type,
      tabId: rec.tabId,
      timeStamp: rec.x.endTime ?? rec.x.startTime,
    };
  }

  private onSameOrigin(so: SameOriginReq, ev: WebRequestEvent): void {
    switch (ev.event) {
      case 'headersReceived':
        so.response = responseOf(ev);
        return;
      case 'beforeRedirect':
        if (!so.response) so.response = responseOf(ev);
        else this.mergeResponse(so.response, ev);
        if (ev.redirectUrl !== undefined) so.redirectUrl = ev.redirectUrl;
        if (ev.redirectUrl !== undefined && ev.initiator && !sameOrigin(ev.redirectUrl, ev.initiator)) {
          // About to become a CORS request: keep it across a worker restart.
          so.persisted = true;
          this.changes().put[SAME_ORIGIN_PREFIX + so.requestId] = { ...so };
        }
        return;
      case 'beforeRequest': {
        if (ev.initiator && sameOrigin(ev.url, ev.initiator)) {
          so.url = ev.url;
          delete so.response;
          delete so.redirectUrl;
          return;
        }
        // Redirected cross-origin: from here on it is a CORS request.
        this.forgetSameOrigin(so);
        const first: Leg = { url: so.url, redirectUrl: ev.url };
        if (so.response) first.response = so.response;
        const rec = this.createRec(
          { ...ev, timeStamp: so.start },
          so.tabId,
          [first, { url: ev.url }],
          groupKey(ev, ev.url),
        );
        rec.pfs = [null, null];
        rec.legStart = ev.timeStamp;
        return;
      }
      case 'completed':
      case 'errorOccurred':
        this.forgetSameOrigin(so);
        return;
      default:
        return;
    }
  }

  private forgetSameOrigin(so: SameOriginReq): void {
    this.sameOriginReqs.delete(so.requestId);
    if (so.persisted) this.changes().remove.push(SAME_ORIGIN_PREFIX + so.requestId);
  }

  private mainFrame(ev: WebRequestEvent): void {
    if (ev.tabId < 0 || (ev.frameId !== undefined && ev.frameId !== 0)) return;
    const code = ev.statusCode ?? 200;
    // Redirects, 204/205 and downloads do not replace the document.
    if (code >= 300 && code < 400) return;
    if (code === 204 || code === 205) return;
    const tab = this.ensureTab(ev.tabId);
    const origin = originOf(ev.url);
    if (ev.event === 'completed') {
      // Only fills in the origin when responseStarted was not seen (e.g. the worker just woke up).
      if (tab.origin === undefined && origin) {
        tab.origin = origin;
        tab.originTime = ev.timeStamp;
        this.putTab(tab);
      }
      return;
    }
    tab.origin = origin;
    tab.originTime = ev.timeStamp;
    if (!tab.preserveLog) this.resetTab(tab, 'navigation');
    this.putTab(tab);
  }

  // ---------------------------------------------------------------------------------------------
  // Log bookkeeping

  private resetTab(tab: Tab, reason: 'navigation' | 'user'): void {
    for (const r of [...tab.entries.values()]) this.dropRec(r, false);
    const hadBlocked = tab.blocked !== 0;
    tab.dropped = 0;
    tab.blocked = 0;
    this.putTab(tab);
    const ch = this.changes();
    ch.cleared.push({ tabId: tab.tabId, reason });
    if (hadBlocked || reason === 'navigation') ch.badges.push(tab.tabId);
  }

  private enforceBounds(tab: Tab): void {
    while (tab.entries.size > this.maxPerTab) {
      const oldest = tab.entries.values().next().value;
      if (!oldest) break;
      this.dropRec(oldest, true);
    }
    while (this.recs.size > this.maxTotal) {
      const oldest = this.recs.values().next().value;
      if (!oldest) break;
      this.dropRec(oldest, true);
    }
  }

  private dropRec(rec: Rec, counted: boolean): void {
    const id = rec.x.id;
    this.recs.delete(id);
    const tab = this.tabs.get(rec.tabId);
    if (tab) {
      tab.entries.delete(id);
      if (counted) {
        tab.dropped++;
        this.putTab(tab);
      }
    }
    if (rec.waitGroup !== undefined) {
      const g = this.groups.get(rec.waitGroup);
      if (g) {
        const i = g.actuals.indexOf(rec);
        if (i >= 0) g.actuals.splice(i, 1);
        if (g.actuals.length === 0 && g.pfs.length === 0) this.groups.delete(rec.waitGroup);
      }
      rec.waitGroup = undefined;
    }
    for (const p of rec.pfs) if (p) this.forgetPf(p);
    const ch = this.changes();
    ch.remove.push(ENTRY_PREFIX + id);
    delete ch.put[ENTRY_PREFIX + id];
  }

  private forgetPf(pf: Pf): void {
    this.pfById.delete(pf.requestId);
    const g = this.groups.get(pf.group);
    if (g) {
      const i = g.pfs.indexOf(pf);
      if (i >= 0) g.pfs.splice(i, 1);
      if (g.actuals.length === 0 && g.pfs.length === 0) this.groups.delete(pf.group);
    }
  }

  private evictOldestPreflight(): void {
    for (const pf of this.pfById.values()) {
      if (!pf.owner) {
        this.forgetPf(pf);
        return;
      }
    }
  }

  private group(key: string): Group {
    let g = this.groups.get(key);
    if (!g) {
      g = { actuals: [], pfs: [] };
      this.groups.set(key, g);
    }
    return g;
  }

  private ensureTab(tabId: number): Tab {
    let t = this.tabs.get(tabId);
    if (!t) {
      t = { tabId, preserveLog: false, dropped: 0, blocked: 0, entries: new Map() };
      this.tabs.set(tabId, t);
    }
    return t;
  }

  private changes(): Changes {
    if (!this.ch) this.ch = emptyChanges();
    return this.ch;
  }

  private takeChanges(): Changes {
    const ch = this.ch ?? emptyChanges();
    this.ch = undefined;
    return ch;
  }

  /** The record changed: store it and tell the panels. */
  private touch(rec: Rec, verdict?: Verdict): void {
    if (!this.recs.has(rec.x.id)) return;
    const ch = this.changes();
    ch.put[ENTRY_PREFIX + rec.x.id] = this.stored(rec);
    const existing = ch.upserts.find((u) => u.id === rec.x.id);
    if (existing) {
      if (verdict) existing.verdict = verdict;
    } else {
      const u: EntryChange = { tabId: rec.tabId, id: rec.x.id };
      if (verdict) u.verdict = verdict;
      ch.upserts.push(u);
    }
  }

  private putTab(tab: Tab): void {
    this.changes().put[TAB_PREFIX + tab.tabId] = this.storedTab(tab);
  }

  private stored(rec: Rec): StoredEntry {
    const e: StoredEntry = { seq: rec.seq, exchange: rec.x };
    if (rec.summary) e.summary = rec.summary;
    if (rec.pfs.some((p) => p)) e.preflightIds = rec.pfs.map((p) => (p ? p.requestId : null));
    return e;
  }

  private storedTab(t: Tab): StoredTab {
    const s: StoredTab = {
      tabId: t.tabId,
      preserveLog: t.preserveLog,
      dropped: t.dropped,
      blocked: t.blocked,
    };
    if (t.origin !== undefined) s.origin = t.origin;
    if (t.originTime !== undefined) s.originTime = t.originTime;
    return s;
  }
}
