/**
 * Background (a service worker in Chrome, an event page in Firefox): thin glue between browser events
 * and the pure modules.
 *
 * - Registers every listener synchronously at top level, so events wake a stopped worker.
 * - Feeds webRequest events to capture (src/capture) and applies what it returns: storage writes
 *   (`chrome.storage.session`), panel pushes and badge updates.
 * - Storage writes are batched: everything that changed is written within {@link FLUSH_MS} (a clear or a
 *   setting at once). Measured with bench/overhead.bench.ts (1,000 fetches): one write per event cost
 *   1.20-1.27x the bare-listener floor, one per finished call still 1.27x, a 25 ms batch 1.05x. Chrome
 *   stops an idle worker only after 30 s without events, long after the batch was written, so an idle
 *   stop loses nothing (test/e2e/worker.spec.ts); only a forced stop (DevTools, crash) within 25 ms of
 *   an event can lose that event's changes.
 * - Until the stored state is restored after a wake-up, events are queued, then folded in order.
 */
import browser from '../platform/browser';
import type { Runtime } from '../platform/browser';
import { evaluate, type Exchange, type Verdict } from '../engine';
import { Capture, toWebRequestEvent, type Changes, type StoredEntry } from '../capture';
import {
  PORT_NAME,
  PROTOCOL_VERSION,
  type LogEntry,
  type PanelToWorker,
  type TabSettings,
  type WorkerToPanel,
} from '../shared/protocol';
import { EVENT_KEYS, URLS, listenersFor, type ListenedEvent } from './listeners';
import { TARGET } from '../platform/target';
import { normalizeDetails } from '../platform/details';
import { badgeText, badgeTitle } from './badge';

/** Verdicts by the rules of the browser this build runs in. */
const judge = (exchange: Exchange): Verdict => evaluate(exchange, { browser: TARGET });
// Firefox reports a request's onSendHeaders before its preflight starts (see CaptureOptions).
const capture = new Capture({ evaluate: judge, sendHeadersBeforePreflight: TARGET === 'firefox' });
const storage = browser.storage.session;

let ready = false;
const queue: (() => void)[] = [];
let recording: { event: string; details: unknown }[] | undefined;

function whenReady(fn: () => void): void {
  if (ready) fn();
  else queue.push(fn);
}

// ---------------------------------------------------------------------------------------------
// Listeners (top level, synchronous)

type WebRequestEvents = Record<
  string,
  { addListener(cb: (details: unknown) => void, filter: unknown, extraInfoSpec?: string[]): void }
>;
const webRequest = browser.webRequest as unknown as WebRequestEvents;

function onWebRequest(event: ListenedEvent | 'responseStarted') {
  return (details: unknown): void => {
    if (recording) recording.push({ event, details });
    whenReady(() => {
      const ev = toWebRequestEvent(event, normalizeDetails(TARGET, details));
      if (ev) apply(capture.handle(ev));
    });
  };
}

/** One failed registration (an option this browser rejects) must not stop the others. */
function register(key: string, cb: (details: unknown) => void, filter: unknown, spec?: string[]): void {
  try {
    const ev = webRequest[key];
    if (!ev) throw new Error('no such event');
    if (spec) ev.addListener(cb, filter, spec);
    else ev.addListener(cb, filter);
  } catch (e) {
    console.warn(`CORS Lens: could not listen to webRequest.${key}`, e);
  }
}

const { listeners, types } = listenersFor(TARGET);
for (const { event, extraInfoSpec } of listeners) {
  register(EVENT_KEYS[event], onWebRequest(event), { urls: URLS, types }, extraInfoSpec);
}
// Navigations: the tab's log starts afresh and its document origin is known (for service-worker calls).
register('onResponseStarted', onWebRequest('responseStarted'), { urls: URLS, types: ['main_frame'] });

browser.tabs.onRemoved.addListener((tabId) => whenReady(() => apply(capture.removeTab(tabId))));
// Chrome resets a tab's badge when a document commits; put it back when the log was preserved.
browser.tabs.onUpdated.addListener((tabId, info) => {
  if (info.status === 'loading') whenReady(() => void updateBadge(tabId));
});

browser.runtime.onConnect.addListener((port) => {
  if (port.name !== PORT_NAME) return;
  port.onMessage.addListener((msg: unknown) => whenReady(() => onPanelMessage(port, msg)));
  port.onDisconnect.addListener(() => ports.delete(port));
});

// ---------------------------------------------------------------------------------------------
// Restore

const restored: Promise<void> = storage
  .get(null)
  .then((items) => capture.restore(items as Record<string, unknown>))
  .catch((e: unknown) => console.warn('CORS Lens: could not restore the log', e))
  .finally(() => {
    ready = true;
    for (const fn of queue.splice(0)) fn();
  });

// ---------------------------------------------------------------------------------------------
// Applying changes

export const FLUSH_MS = 25;
let pendingPut: Record<string, unknown> = {};
let pendingRemove = new Set<string>();
let flushTimer: ReturnType<typeof setTimeout> | undefined;
let writesInFlight = 0;

function persist(ch: Changes, urgent: boolean): void {
  let any = false;
  for (const [k, v] of Object.entries(ch.put)) {
    pendingRemove.delete(k);
    pendingPut[k] = v;
    any = true;
  }
  for (const k of ch.remove) {
    delete pendingPut[k];
    pendingRemove.add(k);
    any = true;
  }
  if (!any) return;
  if (urgent) void flush();
  else flushTimer ??= setTimeout(() => void flush(), FLUSH_MS);
}

/** Issues the pending writes now (the values are serialised by the call itself). */
function flush(): Promise<void> {
  if (flushTimer !== undefined) clearTimeout(flushTimer);
  flushTimer = undefined;
  const put = pendingPut;
  const remove = [...pendingRemove];
  pendingPut = {};
  pendingRemove = new Set();
  const writes: Promise<void>[] = [];
  if (Object.keys(put).length > 0) writes.push(storage.set(put));
  if (remove.length > 0) writes.push(storage.remove(remove));
  if (writes.length === 0) return Promise.resolve();
  writesInFlight++;
  return Promise.all(writes)
    .then(() => undefined)
    .catch((e: unknown) => console.warn('CORS Lens: storage write failed', e))
    .finally(() => writesInFlight--);
}

function apply(ch: Changes | undefined): void {
  if (!ch) return;
  persist(ch, ch.cleared.length > 0 || ch.settings.length > 0);
  for (const tabId of ch.badges) void updateBadge(tabId);
  if (ports.size === 0) return;
  for (const c of ch.cleared) post(c.tabId, { type: 'cleared', tabId: c.tabId, reason: c.reason });
  for (const tabId of ch.settings) post(tabId, { type: 'settings', tabId, settings: settingsOf(tabId) });
  for (const u of ch.upserts) {
    if (!subscribed(u.tabId)) continue;
    const exchange = capture.exchange(u.id);
    if (!exchange) continue;
    const entry: LogEntry = { exchange, verdict: u.verdict ?? judge(exchange) };
    post(u.tabId, { type: 'upsert', tabId: u.tabId, entry, dropped: capture.tab(u.tabId).dropped });
  }
}

const badgeColored = new Set<number>();

async function updateBadge(tabId: number): Promise<void> {
  // Read the count and issue the calls in the same task: calls apply in order, so the last one wins
  // with the latest count.
  const blocked = capture.tab(tabId).blocked;
  const calls: Promise<void>[] = [];
  if (!badgeColored.has(tabId) && blocked > 0) {
    badgeColored.add(tabId);
    calls.push(browser.action.setBadgeBackgroundColor({ tabId, color: '#c5221f' }));
  }
  calls.push(browser.action.setBadgeText({ tabId, text: badgeText(blocked) }));
  calls.push(browser.action.setTitle({ tabId, title: badgeTitle(blocked) }));
  await Promise.all(calls).catch(() => undefined); // the tab is gone
}

// ---------------------------------------------------------------------------------------------
// Panels

const ports = new Map<Runtime.Port, number>();

function subscribed(tabId: number): boolean {
  for (const t of ports.values()) if (t === tabId) return true;
  return false;
}

function post(tabId: number, msg: WorkerToPanel): void {
  for (const [port, t] of ports) {
    if (t !== tabId) continue;
    try {
      port.postMessage(msg);
    } catch {
      ports.delete(port);
    }
  }
}

function settingsOf(tabId: number): TabSettings {
  return { preserveLog: capture.tab(tabId).preserveLog };
}

function logEntries(tabId: number): LogEntry[] {
  return capture.entries(tabId).map((e) => ({ exchange: e.exchange, verdict: judge(e.exchange) }));
}

function onPanelMessage(port: Runtime.Port, raw: unknown): void {
  if (!raw || typeof raw !== 'object') return;
  const msg = raw as PanelToWorker;
  if (typeof msg.tabId !== 'number') return;
  switch (msg.type) {
    case 'hello': {
      if (msg.protocol !== PROTOCOL_VERSION) {
        port.postMessage({
          type: 'version-mismatch',
          workerProtocol: PROTOCOL_VERSION,
          panelProtocol: msg.protocol,
        } satisfies WorkerToPanel);
        return;
      }
      ports.set(port, msg.tabId);
      port.postMessage({
        type: 'snapshot',
        protocol: PROTOCOL_VERSION,
        tabId: msg.tabId,
        entries: logEntries(msg.tabId),
        dropped: capture.tab(msg.tabId).dropped,
        settings: settingsOf(msg.tabId),
      } satisfies WorkerToPanel);
      return;
    }
    case 'clear':
      apply(capture.clear(msg.tabId, 'user'));
      return;
    case 'set-preserve-log':
      apply(capture.setPreserveLog(msg.tabId, msg.preserveLog === true));
      return;
  }
}

// ---------------------------------------------------------------------------------------------
// Read API for tests and debugging (evaluate it in the worker: `globalThis.__corsLens`)

interface CorsLensDebug {
  ready: Promise<void>;
  /** The tab's log with full verdicts, as a panel snapshot would carry it. */
  entries(tabId: number): LogEntry[];
  /** The tab's records as capture stores them (exchange + verdict summary). */
  stored(tabId: number): StoredEntry[];
  tab(tabId: number): ReturnType<Capture['tab']>;
  tabIds(): number[];
  clear(tabId: number): void;
  /** Starts keeping every raw webRequest event (for fixtures). */
  startRecording(): void;
  /** Stops and returns the raw events since startRecording. */
  stopRecording(): { event: string; details: unknown }[];
  /** Writes everything pending to storage now; resolves when written. */
  flush(): Promise<void>;
  /** True when nothing is waiting to be written. */
  idle(): boolean;
}

const debug: CorsLensDebug = {
  ready: restored,
  entries: logEntries,
  stored: (tabId) => capture.entries(tabId),
  tab: (tabId) => capture.tab(tabId),
  tabIds: () => capture.tabIds(),
  clear: (tabId) => apply(capture.clear(tabId, 'user')),
  startRecording: () => {
    recording = [];
  },
  stopRecording: () => {
    const r = recording ?? [];
    recording = undefined;
    return r;
  },
  flush,
  idle: () => flushTimer === undefined && writesInFlight === 0,
};
(globalThis as unknown as { __corsLens: CorsLensDebug }).__corsLens = debug;
