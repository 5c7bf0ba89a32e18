/**
 * The open panels: one port per panel, subscribed to one tab after its `hello`.
 */
import type { WorkerToPanel } from '../shared/protocol';

/** An extension event, as far as the worker uses it. */
export interface Listenable<Listener> {
  addListener(listener: Listener): void;
}

/** The part of `runtime.Port` the worker uses. */
export interface PanelPort {
  name: string;
  postMessage(message: unknown): void;
  onMessage: Listenable<(message: unknown) => void>;
  onDisconnect: Listenable<() => void>;
}

export class PortRegistry {
  private readonly ports = new Map<PanelPort, number>();

  get size(): number {
    return this.ports.size;
  }

  /** The port's panel shows this tab (after its hello). */
  subscribe(port: PanelPort, tabId: number): void {
    this.ports.set(port, tabId);
  }

  unsubscribe(port: PanelPort): void {
    this.ports.delete(port);
  }

  /** Some panel shows this tab. */
  subscribed(tabId: number): boolean {
    for (const t of this.ports.values()) if (t === tabId) return true;
    return false;
  }

  /** Sends to every panel of the tab; a port that cannot take it is closed, so it is forgotten. */
  post(tabId: number, message: WorkerToPanel): void {
    for (const [port, t] of this.ports) if (t === tabId) this.send(port, message);
  }

  /** Sends to every panel. */
  postAll(message: WorkerToPanel): void {
    for (const port of this.ports.keys()) this.send(port, message);
  }

  private send(port: PanelPort, message: WorkerToPanel): void {
    try {
      port.postMessage(message);
    } catch {
      this.ports.delete(port);
    }
  }
}
