/**
 * The panel store: Preact signals around the pure reducer (state.ts) plus view state (filters,
 * selection, redaction). Components read signals; only {@link Store.dispatch} changes the data.
 */
import { batch, computed, signal, type ReadonlySignal, type Signal } from '@preact/signals';
import type { LogEntry } from '../shared/protocol';
import { annotateLog } from '../report/echo';
import {
  countEntries,
  filterEntries,
  initialState,
  reduce,
  type Counts,
  type FilterKind,
  type PanelAction,
  type PanelState,
} from './state';

export interface Store {
  state: ReadonlySignal<PanelState>;
  dispatch(action: PanelAction): void;
  dispatchAll(actions: readonly PanelAction[]): void;
  /** The entries on screen before filtering: the opened report, or the live log. */
  entries: ReadonlySignal<LogEntry[]>;
  counts: ReadonlySignal<Counts>;
  filter: Signal<FilterKind>;
  text: Signal<string>;
  visible: ReadonlySignal<LogEntry[]>;
  selectedId: Signal<string | null>;
  selected: ReadonlySignal<LogEntry | null>;
  /** Redact secrets in exports and curl (on by default). */
  redact: Signal<boolean>;
  /** The recipe stack picked per API origin (mirrored to chrome.storage.local by env.ts). */
  stacks: Signal<Record<string, string>>;
}

export function createStore(tabId: number | null = null): Store {
  const state = signal<PanelState>(initialState(tabId));
  // Cross-call findings (one API echoing several unrelated origins) are part of what every view shows.
  const entries = computed(() => annotateLog(state.value.report?.entries ?? state.value.entries));
  const counts = computed(() => countEntries(entries.value));
  const filter = signal<FilterKind>('all');
  const text = signal('');
  const visible = computed(() => filterEntries(entries.value, filter.value, text.value));
  const selectedId = signal<string | null>(null);
  const selected = computed(() => {
    const id = selectedId.value;
    if (id === null) return null;
    const list = entries.value;
    for (let i = list.length - 1; i >= 0; i--) if (list[i]!.exchange.id === id) return list[i]!;
    return null;
  });
  return {
    state,
    dispatch(action) {
      state.value = reduce(state.value, action);
    },
    dispatchAll(actions) {
      if (!actions.length) return;
      batch(() => {
        let s = state.value;
        for (const a of actions) s = reduce(s, a);
        state.value = s;
      });
    },
    entries,
    counts,
    filter,
    text,
    visible,
    selectedId,
    selected,
    redact: signal(true),
    stacks: signal<Record<string, string>>({}),
  };
}
