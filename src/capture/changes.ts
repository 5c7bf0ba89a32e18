/**
 * The change list: what one capture command (an event, a clear, a setting) asks the service worker to do
 * afterwards. Capture stays pure by describing its side effects here instead of performing them.
 */
import type { Verdict } from '../engine';
import type { StoredEntry, StoredTab } from './stored';

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

export function emptyChanges(): Changes {
  return { put: {}, remove: [], upserts: [], cleared: [], badges: [], settings: [] };
}

/** Collects the changes of the command being run; created on first use, so "nothing changed" is cheap. */
export class ChangeCollector {
  private pending: Changes | undefined;

  /** Starts a command: forgets anything left from the last one. */
  begin(): void {
    this.pending = undefined;
  }

  /** The current command's changes. */
  get current(): Changes {
    this.pending ??= emptyChanges();
    return this.pending;
  }

  /** Ends the command: what changed, or undefined when nothing did. */
  end(): Changes | undefined {
    const changes = this.pending;
    this.pending = undefined;
    return changes;
  }

  /** Ends the command: what changed (an empty list when nothing did). */
  endOrEmpty(): Changes {
    return this.end() ?? emptyChanges();
  }
}
