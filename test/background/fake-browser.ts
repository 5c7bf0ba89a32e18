/**
 * A small in-memory stand-in for the extension API the worker glue uses (storage.session, action,
 * tabs and runtime events, ports, webRequest events). The glue is the thing under test, not the browser:
 * values are structured-cloned at the call, as the real storage and ports do.
 */
import type { PanelPort } from '../../src/background/ports';
import type { WebRequestEventKey } from '../../src/background/listeners';
import type { WebRequestEvents, WorkerApi } from '../../src/background/worker';

export class FakeEvent<Listener extends (...args: never[]) => void> {
  readonly listeners: Listener[] = [];
  addListener(listener: Listener): void {
    this.listeners.push(listener);
  }
  fire(...args: Parameters<Listener>): void {
    for (const l of this.listeners) l(...args);
  }
}

export class FakeStorage {
  readonly items = new Map<string, unknown>();
  readonly calls: ({ set: Record<string, unknown> } | { remove: string[] })[] = [];
  fail = false;

  get(_keys: null): Promise<Record<string, unknown>> {
    return Promise.resolve(Object.fromEntries([...this.items].map(([k, v]) => [k, structuredClone(v)])));
  }
  set(items: Record<string, unknown>): Promise<void> {
    const copy = structuredClone(items);
    this.calls.push({ set: copy });
    if (this.fail) return Promise.reject(new Error('quota'));
    for (const [k, v] of Object.entries(copy)) this.items.set(k, v);
    return Promise.resolve();
  }
  remove(keys: string[]): Promise<void> {
    this.calls.push({ remove: [...keys] });
    if (this.fail) return Promise.reject(new Error('quota'));
    for (const k of keys) this.items.delete(k);
    return Promise.resolve();
  }
}

/** One end of a port: what the worker posts is kept; `send` delivers a message to the worker. */
export class FakePort implements PanelPort {
  readonly posted: unknown[] = [];
  readonly onMessage = new FakeEvent<(message: unknown) => void>();
  readonly onDisconnect = new FakeEvent<() => void>();
  closed = false;
  constructor(readonly name: string) {}
  postMessage(message: unknown): void {
    if (this.closed) throw new Error('Attempting to use a disconnected port object');
    this.posted.push(structuredClone(message));
  }
  send(message: unknown): void {
    this.onMessage.fire(structuredClone(message));
  }
  /** The panel went away. */
  disconnect(): void {
    this.closed = true;
    this.onDisconnect.fire();
  }
}

type WebRequestListener = (details: unknown) => void;

export class FakeBrowser {
  readonly storage = new FakeStorage();
  readonly badges = new Map<number, { text?: string; title?: string; color?: string }>();
  readonly onRemoved = new FakeEvent<(tabId: number) => void>();
  readonly onUpdated = new FakeEvent<(tabId: number, info: { status?: string }) => void>();
  readonly onConnect = new FakeEvent<(port: PanelPort) => void>();
  readonly webRequestListeners = new Map<string, { listener: WebRequestListener; filter: unknown }[]>();

  private badge(tabId: number) {
    let b = this.badges.get(tabId);
    if (!b) this.badges.set(tabId, (b = {}));
    return b;
  }

  api(): WorkerApi {
    const webRequest: WebRequestEvents = {};
    const keys: WebRequestEventKey[] = [
      'onBeforeRequest',
      'onSendHeaders',
      'onHeadersReceived',
      'onBeforeRedirect',
      'onResponseStarted',
      'onCompleted',
      'onErrorOccurred',
    ];
    for (const key of keys) {
      webRequest[key] = {
        addListener: (listener, filter) => {
          const list = this.webRequestListeners.get(key) ?? [];
          list.push({ listener, filter });
          this.webRequestListeners.set(key, list);
        },
      };
    }
    return {
      storage: this.storage,
      action: {
        setBadgeBackgroundColor: async ({ tabId, color }) => void (this.badge(tabId).color = color),
        setBadgeText: async ({ tabId, text }) => void (this.badge(tabId).text = text),
        setTitle: async ({ tabId, title }) => void (this.badge(tabId).title = title),
      },
      tabs: { onRemoved: this.onRemoved, onUpdated: this.onUpdated },
      runtime: { onConnect: this.onConnect },
      webRequest,
    };
  }

  /** Fires a webRequest event (`onBeforeRequest`, …) with these details. */
  fire(key: string, details: Record<string, unknown>): void {
    for (const { listener } of this.webRequestListeners.get(key) ?? []) listener(structuredClone(details));
  }

  /** A panel connects. */
  connect(name: string): FakePort {
    const port = new FakePort(name);
    this.onConnect.fire(port);
    return port;
  }
}
