/**
 * The thin glue between the worker's port and the store. Opens the port, says `hello`, feeds every
 * message to the store (batched per task so a burst of upserts renders once), and reconnects by itself
 * when the port closes (the MV3 worker can stop at any time): port lost -> retry with back-off -> hello.
 * A message that fails its shape check (isWorkerToPanel) is dropped with a counted warning.
 */
import browser, { type Runtime } from '../platform/browser';
import {
  foreignSnapshotProtocol,
  isWorkerToPanel,
  PORT_NAME,
  PROTOCOL_VERSION,
  type PanelToWorker,
  type WorkerToPanel,
} from '../shared/protocol';
import type { PanelAction } from './state';

export interface Connection {
  send(message: PanelToWorker): void;
  stop(): void;
  /** Messages from the worker dropped because their shape was wrong. */
  rejectedMessages(): number;
}

/**
 * A message from the worker as the store's action, or undefined when it is malformed. A snapshot from a
 * worker speaking another protocol becomes a version mismatch (its other fields may have another shape).
 */
export function actionOf(message: unknown): WorkerToPanel | undefined {
  if (isWorkerToPanel(message)) return message;
  const workerProtocol = foreignSnapshotProtocol(message);
  if (workerProtocol === undefined) return undefined;
  return { type: 'version-mismatch', workerProtocol, panelProtocol: PROTOCOL_VERSION };
}

const RETRY_MS = [50, 200, 500, 1000, 2000];

export function connect(tabId: number, dispatchAll: (actions: PanelAction[]) => void): Connection {
  let port: Runtime.Port | null = null;
  let attempt = 0;
  let stopped = false;
  let mismatch = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let queue: PanelAction[] = [];
  let flushScheduled = false;
  let rejected = 0;
  /** Messages sent while the port was down, delivered after the next hello. */
  const outbox: PanelToWorker[] = [];

  const push = (action: PanelAction) => {
    queue.push(action);
    if (flushScheduled) return;
    flushScheduled = true;
    setTimeout(() => {
      flushScheduled = false;
      const batch = queue;
      queue = [];
      dispatchAll(batch);
    }, 0);
  };

  const retry = () => {
    if (stopped || mismatch) return;
    const delay = RETRY_MS[Math.min(attempt, RETRY_MS.length - 1)]!;
    attempt++;
    clearTimeout(timer);
    timer = setTimeout(open, delay);
  };

  function open() {
    if (stopped) return;
    push({ type: 'connecting', tabId });
    let p: Runtime.Port;
    try {
      p = browser.runtime.connect({ name: PORT_NAME });
    } catch {
      retry();
      return;
    }
    port = p;
    p.onMessage.addListener((message: unknown) => {
      const m = actionOf(message);
      if (!m) {
        rejected++;
        console.warn(`CORS Lens: dropped a malformed message from the worker (${rejected} so far)`, message);
        return;
      }
      if (m.type === 'snapshot') attempt = 0;
      if (m.type === 'version-mismatch') mismatch = true;
      push(m);
    });
    p.onDisconnect.addListener(() => {
      if (port === p) port = null;
      if (stopped) return;
      push({ type: 'disconnected' });
      retry();
    });
    try {
      p.postMessage({ type: 'hello', protocol: PROTOCOL_VERSION, tabId } satisfies PanelToWorker);
      while (outbox.length) p.postMessage(outbox.shift());
    } catch {
      // The port died between connect and post: onDisconnect schedules the retry.
    }
  }

  open();
  return {
    send(message) {
      if (port) {
        try {
          port.postMessage(message);
          return;
        } catch {
          // fall through: keep it for the next connection
        }
      }
      outbox.push(message);
    },
    stop() {
      stopped = true;
      clearTimeout(timer);
      port?.disconnect();
      port = null;
    },
    rejectedMessages: () => rejected,
  };
}
