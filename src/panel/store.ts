/**
 * The panel store: Preact signals around the pure reducer (state.ts) plus view state (filters,
 * selection, redaction). Components read signals; only {@link Store.dispatch} changes the data.
 */
import { batch, computed, effect, signal, type ReadonlySignal, type Signal } from '@preact/signals';
import { annotateLog, type LogEntry } from '../engine';
import { apiOriginOf } from './api-origin';
import {
  countEntries,
  initialState,
  reduce,
  refiningFilter,
  warmSearchKeys,
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
  /** The kind picked in the toolbar; `all` hides the no-cors loads unless {@link Store.showNoCors}. */
  filter: Signal<Exclude<FilterKind, 'cors'>>;
  /** Show the no-cors loads in the "all" view (off by default: the calls CORS rules apply to first). */
  showNoCors: Signal<boolean>;
  text: Signal<string>;
  visible: ReadonlySignal<LogEntry[]>;
  selectedId: Signal<string | null>;
  selected: ReadonlySignal<LogEntry | null>;
  /** Redact secrets in exports and curl (on by default). */
  redact: Signal<boolean>;
  /** The recipe stack picked per API origin (remembered through the store's {@link StackMemory}). */
  stacks: ReadonlySignal<Readonly<Record<string, string>>>;
  /** Picks the recipe stack for an API origin, and remembers it. */
  pickStack(apiOrigin: string, stack: string): void;
}

/**
 * Where the picked stacks are remembered between sessions (chrome.storage.local in the panel: env.ts's
 * loadStack and saveStack). The store recalls the selected call's API origin's stack when none is
 * picked yet, and saves each pick.
 */
export interface StackMemory {
  load(apiOrigin: string): Promise<string | null>;
  save(apiOrigin: string, stack: string): Promise<void>;
}

/** Recalls the remembered stack of the selected call's API origin when none is picked yet. */
function recallStacks(
  selected: ReadonlySignal<LogEntry | null>,
  stacks: Signal<Readonly<Record<string, string>>>,
  memory: StackMemory,
): void {
  effect(() => {
    const entry = selected.value;
    if (!entry) return;
    const apiOrigin = apiOriginOf(entry);
    if (!apiOrigin || stacks.peek()[apiOrigin] !== undefined) return;
    void memory.load(apiOrigin).then((s) => {
      if (s && stacks.peek()[apiOrigin] === undefined) stacks.value = { ...stacks.peek(), [apiOrigin]: s };
    });
  });
}

/**
 * Builds the filter's search keys of every call in idle time, a slice at a time (browsers only), after
 * each change of the log or the opened report. (It follows `state`, not `entries`, so that the entries
 * are still derived when something on screen needs them, not at dispatch.)
 */
function warmInIdleTime(state: ReadonlySignal<PanelState>, entries: ReadonlySignal<LogEntry[]>): void {
  if (typeof requestIdleCallback !== 'function') return;
  let job: number | undefined;
  effect(() => {
    void state.value;
    if (job !== undefined) cancelIdleCallback(job);
    let list: LogEntry[] | null = null;
    let at = 0;
    const step = (deadline: IdleDeadline) => {
      list ??= entries.peek();
      // A few milliseconds at a time: a keystroke arriving meanwhile waits at most that long.
      const until = performance.now() + 4;
      at = warmSearchKeys(list, at, () => deadline.timeRemaining() > 1 && performance.now() < until);
      job = at < list.length ? requestIdleCallback(step) : undefined;
    };
    job = requestIdleCallback(step);
  });
}

export function createStore(tabId: number | null = null, memory?: StackMemory): Store {
  const state = signal<PanelState>(initialState(tabId));
  // Cross-call findings (one API echoing several unrelated origins) are part of what every view shows.
  const entries = computed(() => annotateLog(state.value.report?.entries ?? state.value.entries));
  const counts = computed(() => countEntries(entries.value));
  const filter = signal<Exclude<FilterKind, 'cors'>>('all');
  const showNoCors = signal(false);
  const text = signal('');
  const filterFn = refiningFilter();
  const visible = computed(() => {
    const kind: FilterKind = filter.value === 'all' && !showNoCors.value ? 'cors' : filter.value;
    return filterFn(entries.value, kind, text.value);
  });
  warmInIdleTime(state, entries);
  const selectedId = signal<string | null>(null);
  const selected = computed(() => {
    const id = selectedId.value;
    if (id === null) return null;
    const list = entries.value;
    for (let i = list.length - 1; i >= 0; i--) if (list[i]!.exchange.id === id) return list[i]!;
    return null;
  });
  const stacks = signal<Readonly<Record<string, string>>>({});
  if (memory) recallStacks(selected, stacks, memory);
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
    showNoCors,
    text,
    visible,
    selectedId,
    selected,
    redact: signal(true),
    stacks,
    pickStack(apiOrigin, stack) {
      stacks.value = { ...stacks.value, [apiOrigin]: stack };
      void memory?.save(apiOrigin, stack);
    },
  };
}
