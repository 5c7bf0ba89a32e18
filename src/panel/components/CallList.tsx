import { Component } from 'preact';
import { useLayoutEffect, useMemo, useReducer, useRef } from 'preact/hooks';
import {
  Virtualizer,
  elementScroll,
  observeElementOffset,
  observeElementRect,
  type VirtualizerOptions,
} from '@tanstack/virtual-core';
import type { LogEntry } from '../../engine';
import {
  durationMs,
  formatDuration,
  isPreflighted,
  ROW_STATE_LABEL,
  rowState,
  type RowState,
} from '../../report/describe';
import { printableEntry } from '../../report/printable';
import { markCode, plainText, urlParts } from '../../report/words';
import { Inline } from './Inline';
import type { Store } from '../store';

/** Estimated row height before a row is measured (rows wrap their verdict, so heights vary). */
export const ROW_HEIGHT = 24;
const ESTIMATE = 40;

type Opts = Pick<VirtualizerOptions<HTMLDivElement, HTMLDivElement>, 'count' | 'getItemKey'>;

/**
 * The height most rows measured so far have (a row's height depends on the panel's width and on how
 * far its verdict wraps, so a fixed guess is wrong in most layouts). Rows not measured yet are placed
 * with it: when a filter brings in rows never shown before, they nearly always measure what they were
 * guessed at, so the list is laid out once instead of being re-rendered and measured again.
 */
function typicalHeight() {
  const seen = new Map<number, number>();
  let typical = ESTIMATE;
  let typicalCount = 0;
  return {
    get: () => typical,
    note(h: number) {
      const n = (seen.get(h) ?? 0) + 1;
      seen.set(h, n);
      if (n > typicalCount || h === typical) {
        typical = h;
        typicalCount = n;
      }
    },
  };
}

/** Preact binding of @tanstack/virtual-core (what @tanstack/react-virtual does, in a few lines). */
function useVirtualizer(opts: Opts, getScrollElement: () => HTMLDivElement | null) {
  const [, rerender] = useReducer((n: number) => n + 1, 0);
  const typical = useMemo(typicalHeight, []);
  const options: VirtualizerOptions<HTMLDivElement, HTMLDivElement> = {
    ...opts,
    getScrollElement,
    estimateSize: typical.get,
    overscan: 12,
    // Rows are as tall as their verdict needs: measured once rendered (and again when they resize).
    measureElement: (el) => {
      const h = el.getBoundingClientRect().height;
      typical.note(h);
      return h;
    },
    observeElementRect,
    observeElementOffset,
    scrollToFn: elementScroll,
    onChange: () => rerender(0),
  };
  const ref = useRef<Virtualizer<HTMLDivElement, HTMLDivElement> | null>(null);
  if (!ref.current) ref.current = new Virtualizer(options);
  ref.current.setOptions(options);
  useLayoutEffect(() => ref.current!._didMount(), []);
  useLayoutEffect(() => ref.current!._willUpdate());
  return ref.current;
}

export const rowDomId = (id: string) => `call-${id.replace(/[^A-Za-z0-9_-]/g, '_')}`;

function clock(ms: number): string {
  const d = new Date(ms);
  return Number.isFinite(d.getTime()) ? d.toLocaleTimeString() : '';
}

/** The state mark: a coloured shape (also told apart by its glyph) whose accessible name is the state. */
const GLYPH: Record<RowState, string> = {
  blocked: '✕',
  finding: '!',
  allowed: '✓',
  failed: '–',
  pending: '…',
  'not-cors': '○',
};

export function StateMark({ state }: { state: RowState }) {
  return (
    <span class="mark" role="img" aria-label={ROW_STATE_LABEL[state]} title={ROW_STATE_LABEL[state]}>
      <span aria-hidden="true">{GLYPH[state]}</span>
    </span>
  );
}

/** What a row shows, worked out once per call (entries are immutable: an update is a new object). */
interface RowView {
  domId: string;
  state: RowState;
  method: string;
  pre: boolean;
  url: string;
  head: string;
  tail: string;
  /** The verdict title with header names and `*` marked as code, and as plain text for its tooltip. */
  verdict: string;
  verdictPlain: string;
  duration: string;
  clock: string;
}

const rowViews = new WeakMap<LogEntry, RowView>();

function rowView(entry: LogEntry): RowView {
  let view = rowViews.get(entry);
  if (!view) {
    // Shown as text with control and bidi characters escaped (report/printable.ts).
    const { exchange, verdict } = printableEntry(entry);
    const url = exchange.legs[0]?.url ?? '';
    const { head, tail } = urlParts(url);
    view = {
      domId: rowDomId(exchange.id),
      state: rowState(entry),
      method: exchange.method,
      pre: isPreflighted(exchange),
      url,
      head,
      tail,
      verdict: markCode(verdict.title),
      verdictPlain: plainText(verdict.title),
      duration: formatDuration(durationMs(exchange)),
      clock: clock(exchange.startTime),
    };
    rowViews.set(entry, view);
  }
  return view;
}

interface RowProps {
  entry: LogEntry;
  index: number;
  top: number;
  selected: boolean;
  onSelect: (id: string) => void;
  measure: (el: HTMLDivElement | null) => void;
}

/**
 * One call in the list. Re-rendered only when one of its props changes: typing in the filter
 * re-renders the list, and rows that stay on screen with the same place and selection are left alone.
 */
class Row extends Component<RowProps> {
  // A shallow comparison of every prop (what preact/compat's memo does, without pulling in compat).
  override shouldComponentUpdate(next: RowProps): boolean {
    return (Object.keys(next) as (keyof RowProps)[]).some((k) => this.props[k] !== next[k]);
  }

  override render({ entry, index, top, selected, onSelect, measure }: RowProps) {
    const v = rowView(entry);
    return (
      <div
        id={v.domId}
        ref={measure}
        data-index={index}
        role="option"
        aria-selected={selected}
        class={`row state-${v.state}${selected ? ' selected' : ''}`}
        style={{ transform: `translateY(${top}px)` }}
        onMouseDown={(e) => {
          e.preventDefault();
          (e.currentTarget.parentElement?.parentElement as HTMLElement | null)?.focus();
          onSelect(entry.exchange.id);
        }}
      >
        <StateMark state={v.state} />
        <span class="c-method">
          {v.method}
          {v.pre && (
            <span class="pre" title="Preflighted: an OPTIONS request went first">
              <span aria-hidden="true">+P</span>
              <span class="sr-only"> with preflight</span>
            </span>
          )}
        </span>
        <span class="c-url" title={v.url}>
          <span class="u-head">{v.head}</span>
          {v.tail && <span class="u-tail">{v.tail}</span>}
        </span>
        <span class="c-verdict" title={v.verdictPlain}>
          <Inline text={v.verdict} />
        </span>
        <span class="c-time" title={v.clock}>
          {v.duration}
        </span>
      </div>
    );
  }
}

export function CallList({ store, onOpen }: { store: Store; onOpen: () => void }) {
  const rows = store.visible.value;
  const selectedId = store.selectedId.value;
  const scrollRef = useRef<HTMLDivElement>(null);
  // Stable while the rows are: the virtualizer re-derives every row's position when its key function
  // changes, which is a walk over all the rows, not just the ones on screen.
  const getItemKey = useMemo(() => (i: number) => rows[i]?.exchange.id ?? i, [rows]);
  const v = useVirtualizer({ count: rows.length, getItemKey }, () => scrollRef.current);
  const onSelect = useMemo(
    () => (id: string) => {
      store.selectedId.value = id;
    },
    [store],
  );
  const selIndex = useMemo(
    () => (selectedId === null ? -1 : rows.findIndex((e) => e.exchange.id === selectedId)),
    [rows, selectedId],
  );
  const items = v.getVirtualItems();

  const select = (index: number) => {
    if (!rows.length) return;
    const i = Math.max(0, Math.min(rows.length - 1, index));
    store.selectedId.value = rows[i]!.exchange.id;
    v.scrollToIndex(i, { align: 'auto' });
  };

  const onKeyDown = (e: KeyboardEvent) => {
    const page = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? 240) / ROW_HEIGHT) - 1);
    const handled: Record<string, () => void> = {
      ArrowDown: () => select(selIndex < 0 ? 0 : selIndex + 1),
      ArrowUp: () => select(selIndex < 0 ? 0 : selIndex - 1),
      PageDown: () => select(selIndex + page),
      PageUp: () => select(selIndex - page),
      Home: () => select(0),
      End: () => select(rows.length - 1),
      Enter: () => {
        if (selIndex < 0) select(0);
        onOpen();
      },
      Escape: () => {
        store.selectedId.value = null;
      },
    };
    const fn = handled[e.key];
    if (fn && !e.altKey && !e.ctrlKey && !e.metaKey) {
      e.preventDefault();
      fn();
    }
  };

  const activeRendered = selIndex >= 0 && items.some((it) => it.index === selIndex);
  return (
    <div class="list">
      <div class="list-head" aria-hidden="true">
        <span class="mark-head" />
        <span class="c-method">Method</span>
        <span class="c-url">URL</span>
        <span class="c-verdict">Verdict</span>
        <span class="c-time">Time</span>
      </div>
      <div
        ref={scrollRef}
        class="list-scroll"
        role="listbox"
        tabIndex={0}
        aria-label={`Cross-origin calls, ${rows.length} shown. Arrow keys select, Enter opens the details.`}
        aria-activedescendant={activeRendered ? rowDomId(selectedId!) : undefined}
        onKeyDown={onKeyDown}
      >
        <div role="presentation" class="list-inner" style={{ height: `${v.getTotalSize()}px` }}>
          {items.map((it) => {
            const entry = rows[it.index];
            if (!entry) return null;
            return (
              <Row
                key={entry.exchange.id}
                entry={entry}
                index={it.index}
                top={it.start}
                measure={v.measureElement}
                selected={it.index === selIndex}
                onSelect={onSelect}
              />
            );
          })}
        </div>
      </div>
    </div>
  );
}
