/**
 * The service worker's glue between browser events and the pure modules, given the extension API it
 * uses (the real one in index.ts, an in-memory one in the unit tests).
 *
 * - Registers every listener synchronously when started (at top level), so events wake a stopped worker.
 * - Feeds webRequest events to capture (src/capture) and applies what it returns: storage writes
 *   (batched, storage-writer.ts), panel pushes (ports.ts) and badge updates. Chrome stops an idle worker
 *   only after 30 s without events, long after a batch was written, so an idle stop loses nothing
 *   (test/e2e/worker.spec.ts); only a forced stop (DevTools, crash) within the batch delay of an event
 *   can lose that event's changes.
 * - Until the stored state is restored after a wake-up, events are queued, then folded in order.
 * - Panel messages are checked (isPanelToWorker); a malformed one is dropped and counted.
 */
import type { Exchange, LogEntry, Verdict } from '../engine';
import { Capture, toWebRequestEvent, type Changes, type StoredEntry, type StoredTab } from '../capture';
import {
  isPanelToWorker,
  PORT_NAME,
  PROTOCOL_VERSION,
  type CaptureHealth,
  type TabSettings,
  type WorkerToPanel,
} from '../shared/protocol';
import { EVENT_KEYS, URLS, listenersFor, type ListenedEvent, type WebRequestEventKey } from './listeners';
import { normalizeDetails } from '../platform/details';
import type { BuildTarget } from '../platform/target';
import { badgeText, badgeTitle } from './badge';
import { PortRegistry, type Listenable, type PanelPort } from './ports';
import { StorageWriter, type SessionStorageArea } from './storage-writer';

type WebRequestListener = (details: unknown) => void;

/**
 * `chrome.webRequest`'s events by name (`onBeforeRequest`, …), as far as the worker uses them. Keyed by
 * the listened names only, so the extension API's `webRequest` object is one as it is (its other members
 * are not events).
 */
export type WebRequestEvents = {
  [K in WebRequestEventKey]?: {
    addListener(cb: WebRequestListener, filter: unknown, extraInfoSpec?: string[]): void;
  };
};

/** The extension API the worker uses. */
export interface WorkerApi {
  storage: SessionStorageArea & { get(keys: null): Promise<Record<string, unknown>> };
  action: {
    setBadgeBackgroundColor(details: { tabId: number; color: string }): Promise<void>;
    setBadgeText(details: { tabId: number; text: string }): Promise<void>;
    setTitle(details: { tabId: number; title: string }): Promise<void>;
  };
  tabs: {
    onRemoved: Listenable<(tabId: number) => void>;
    onUpdated: Listenable<(tabId: number, info: { status?: string }) => void>;
  };
  runtime: { onConnect: Listenable<(port: PanelPort) => void> };
  webRequest: WebRequestEvents;
}

export interface WorkerOptions {
  evaluate: (exchange: Exchange) => Verdict;
  /**
   * The browser it runs in (default Chrome). Firefox: listeners without 'extraHeaders', Firefox's
   * details turned into Chrome's shape (normalizeDetails), and its event order around preflights
   * (capture's sendHeadersBeforePreflight).
   */
  target?: BuildTarget;
  /** Where warnings go (dropped messages, failed writes). */
  warn?: (message: string, detail: unknown) => void;
  /** Storage batch delay (ms). */
  flushMs?: number;
}

/** Read API for tests and debugging (in the real worker: `globalThis.__corsLens`). */
export interface CorsLensDebug {
  ready: Promise<void>;
  /** The tab's log with full verdicts, as a panel snapshot would carry it. */
  entries(tabId: number): LogEntry[];
  /** The tab's records as capture stores them (exchange + verdict summary). */
  stored(tabId: number): StoredEntry[];
  tab(tabId: number): StoredTab;
  tabIds(): number[];
  clear(tabId: number): void;
  /** Events capture could not read, and why the last one failed; panel messages dropped as malformed. */
  health(): CaptureHealth & { lastUnreadableError?: string; rejectedMessages: number };
  /** Starts keeping every raw webRequest event (for fixtures). */
  startRecording(): void;
  /** Stops and returns the raw events since startRecording. */
  stopRecording(): { event: string; details: unknown }[];
  /** Writes everything pending to storage now; resolves when written. */
  flush(): Promise<void>;
  /** True when nothing is waiting to be written. */
  idle(): boolean;
}

/** Wires the worker to the API; call once, synchronously at top level. */
export function startWorker(api: WorkerApi, options: WorkerOptions): CorsLensDebug {
  return new Worker(api, options).debugApi();
}

class Worker {
  private readonly evaluate: (exchange: Exchange) => Verdict;
  private readonly target: BuildTarget;
  private readonly warn: (message: string, detail: unknown) => void;
  private readonly capture: Capture;
  private readonly writer: StorageWriter;
  private readonly ports = new PortRegistry();
  private readonly badgeColored = new Set<number>();
  private ready = false;
  private readonly queue: (() => void)[] = [];
  private recording: { event: string; details: unknown }[] | undefined;
  private rejectedMessages = 0;
  private reportedUnreadable = 0;
  private readonly restored: Promise<void>;

  constructor(
    private readonly api: WorkerApi,
    options: WorkerOptions,
  ) {
    this.evaluate = options.evaluate;
    this.warn = options.warn ?? ((message: string, detail: unknown) => console.warn(message, detail));
    this.target = options.target ?? 'chrome';
    this.capture = new Capture({
      evaluate: this.evaluate,
      sendHeadersBeforePreflight: this.target === 'firefox',
    });
    this.writer = new StorageWriter(api.storage, this.warn, options.flushMs);
    this.listen();
    this.restored = api.storage
      .get(null)
      .then((items) => this.capture.restore(items))
      .catch((e: unknown) => this.warn('CORS Lens: could not restore the log', e))
      .finally(() => {
        this.ready = true;
        for (const fn of this.queue.splice(0)) fn();
      });
  }

  /** Registers every listener (synchronously, before anything is awaited). */
  private listen(): void {
    const { api } = this;
    const { listeners, types } = listenersFor(this.target);
    for (const { event, extraInfoSpec } of listeners) {
      this.register(EVENT_KEYS[event], this.onWebRequest(event), { urls: URLS, types }, extraInfoSpec);
    }
    // Navigations: the tab's log starts afresh and its document origin is known (for service-worker calls).
    this.register('onResponseStarted', this.onWebRequest('responseStarted'), {
      urls: URLS,
      types: ['main_frame'],
    });
    api.tabs.onRemoved.addListener((tabId) =>
      this.whenReady(() => this.apply(this.capture.removeTab(tabId))),
    );
    // Chrome resets a tab's badge when a document commits; put it back when the log was preserved.
    api.tabs.onUpdated.addListener((tabId, info) => {
      if (info.status === 'loading') this.whenReady(() => void this.updateBadge(tabId));
    });
    api.runtime.onConnect.addListener((port) => {
      if (port.name !== PORT_NAME) return;
      port.onMessage.addListener((message) => this.whenReady(() => this.onPanelMessage(port, message)));
      port.onDisconnect.addListener(() => this.ports.unsubscribe(port));
    });
  }

  /** One failed registration (an option this browser rejects) must not stop the others. */
  private register(key: WebRequestEventKey, cb: WebRequestListener, filter: unknown, spec?: string[]): void {
    try {
      const ev = this.api.webRequest[key];
      if (!ev) throw new Error('no such event');
      if (spec) ev.addListener(cb, filter, spec);
      else ev.addListener(cb, filter);
    } catch (e) {
      this.warn(`CORS Lens: could not listen to webRequest.${key}`, e);
    }
  }

  private onWebRequest(event: ListenedEvent | 'responseStarted'): WebRequestListener {
    return (details) => {
      if (this.recording) this.recording.push({ event, details });
      this.whenReady(() => {
        const ev = toWebRequestEvent(event, normalizeDetails(this.target, details));
        if (!ev) return;
        this.apply(this.capture.handle(ev));
        this.reportHealth();
      });
    };
  }

  private whenReady(fn: () => void): void {
    if (this.ready) fn();
    else this.queue.push(fn);
  }

  private health(): CaptureHealth {
    return { unreadableEvents: this.capture.unreadableEvents };
  }

  private settingsOf(tabId: number): TabSettings {
    return { preserveLog: this.capture.tab(tabId).preserveLog };
  }

  private logEntries(tabId: number): LogEntry[] {
    return this.capture
      .entries(tabId)
      .map((e) => ({ exchange: e.exchange, verdict: this.evaluate(e.exchange) }));
  }

  private async updateBadge(tabId: number): Promise<void> {
    // Read the count and issue the calls in the same task: calls apply in order, so the last one wins
    // with the latest count.
    const blocked = this.capture.tab(tabId).blocked;
    const calls: Promise<void>[] = [];
    if (!this.badgeColored.has(tabId) && blocked > 0) {
      this.badgeColored.add(tabId);
      calls.push(this.api.action.setBadgeBackgroundColor({ tabId, color: '#c5221f' }));
    }
    calls.push(this.api.action.setBadgeText({ tabId, text: badgeText(blocked) }));
    calls.push(this.api.action.setTitle({ tabId, title: badgeTitle(blocked) }));
    await Promise.all(calls).catch(() => undefined); // the tab is gone
  }

  private apply(changes: Changes | undefined): void {
    if (!changes) return;
    this.writer.persist(changes, changes.cleared.length > 0 || changes.settings.length > 0);
    for (const tabId of changes.badges) void this.updateBadge(tabId);
    const { ports, capture } = this;
    if (ports.size === 0) return;
    for (const c of changes.cleared)
      ports.post(c.tabId, { type: 'cleared', tabId: c.tabId, reason: c.reason });
    for (const tabId of changes.settings)
      ports.post(tabId, { type: 'settings', tabId, settings: this.settingsOf(tabId) });
    for (const u of changes.upserts) {
      if (!ports.subscribed(u.tabId)) continue;
      const exchange = capture.exchange(u.id);
      if (!exchange) continue;
      const entry: LogEntry = { exchange, verdict: u.verdict ?? this.evaluate(exchange) };
      ports.post(u.tabId, { type: 'upsert', tabId: u.tabId, entry, dropped: capture.tab(u.tabId).dropped });
    }
  }

  /** Tells the panels when capture could not read an event. */
  private reportHealth(): void {
    if (this.capture.unreadableEvents === this.reportedUnreadable) return;
    this.reportedUnreadable = this.capture.unreadableEvents;
    this.warn('CORS Lens: could not read a webRequest event', this.capture.lastUnreadableError);
    this.ports.postAll({ type: 'health', health: this.health() });
  }

  private onPanelMessage(port: PanelPort, message: unknown): void {
    if (!isPanelToWorker(message)) {
      this.rejectedMessages++;
      this.warn(`CORS Lens: dropped a malformed panel message (${this.rejectedMessages} so far)`, message);
      return;
    }
    switch (message.type) {
      case 'hello': {
        if (message.protocol !== PROTOCOL_VERSION) {
          port.postMessage({
            type: 'version-mismatch',
            workerProtocol: PROTOCOL_VERSION,
            panelProtocol: message.protocol,
          } satisfies WorkerToPanel);
          return;
        }
        this.ports.subscribe(port, message.tabId);
        port.postMessage({
          type: 'snapshot',
          protocol: PROTOCOL_VERSION,
          tabId: message.tabId,
          entries: this.logEntries(message.tabId),
          dropped: this.capture.tab(message.tabId).dropped,
          settings: this.settingsOf(message.tabId),
          health: this.health(),
        } satisfies WorkerToPanel);
        return;
      }
      case 'clear':
        this.apply(this.capture.clear(message.tabId, 'user'));
        return;
      case 'set-preserve-log':
        this.apply(this.capture.setPreserveLog(message.tabId, message.preserveLog));
        return;
    }
  }

  debugApi(): CorsLensDebug {
    const { capture } = this;
    return {
      ready: this.restored,
      entries: (tabId) => this.logEntries(tabId),
      stored: (tabId) => capture.entries(tabId),
      tab: (tabId) => capture.tab(tabId),
      tabIds: () => capture.tabIds(),
      clear: (tabId) => this.apply(capture.clear(tabId, 'user')),
      health: () => {
        const state: ReturnType<CorsLensDebug['health']> = {
          ...this.health(),
          rejectedMessages: this.rejectedMessages,
        };
        if (capture.lastUnreadableError !== undefined)
          state.lastUnreadableError = capture.lastUnreadableError;
        return state;
      },
      startRecording: () => {
        this.recording = [];
      },
      stopRecording: () => {
        const r = this.recording ?? [];
        this.recording = undefined;
        return r;
      },
      flush: () => this.writer.flush(),
      idle: () => this.writer.idle(),
    };
  }
}
