import { useLayoutEffect, useMemo, useReducer, useRef } from 'preact/hooks';
import {
  Virtualizer,
  elementScroll,
  observeElementOffset,
  observeElementRect,
  type VirtualizerOptions,
} from '@tanstack/virtual-core';
import type { LogEntry } from '../../shared/protocol';
import {
  durationMs,
  formatDuration,
  isPreflighted,
  ROW_STATE_LABEL,
  rowState,
  type RowState,
} from '../../report/describe';
import { markCode, plainText, urlParts } from '../../report/words';
import { Inline } from './Inline';
import type { Store } from '../store';

/** Estimated row height before a row is measured (rows wrap their verdict, so heights vary). */
export const ROW_HEIGHT = 24;
const ESTIMATE = 40;

type Opts = Pick<VirtualizerOptions<HTMLDivElement, HTMLDivElement>, 'count' | 'getItemKey'>;

/** Preact binding of @tanstack/virtual-core (what @tanstack/react-virtual does, in a few lines). */
function useVirtualizer(opts: Opts, getScrollElement: () => HTMLDivElement | null) {
  const [, rerender] = useReducer((n: number) => n + 1, 0);
  const options: VirtualizerOptions<HTMLDivElement, HTMLDivElement> = {
    ...opts,
    getScrollElement,
    estimateSize: () => ESTIMATE,
    overscan: 12,
    // Rows are as tall as their verdict needs: measured once rendered (and again when they resize).
    measureElement: (el) => el.getBoundingClientRect().height,
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

function Row({
  entry,
  index,
  top,
  selected,
  onSelect,
  measure,
}: {
  entry: LogEntry;
  index: number;
  top: number;
  selected: boolean;
  onSelect: (id: string) => void;
  measure: (el: HTMLDivElement | null) => void;
}) {
  const state = rowState(entry);
  const { exchange, verdict } = entry;
  const url = exchange.legs[0]?.url ?? '';
  const { head, tail } = urlParts(url);
  const pre = isPreflighted(exchange);
  return (
    <div
      id={rowDomId(exchange.id)}
      ref={measure}
      data-index={index}
      role="option"
      aria-selected={selected}
      class={`row state-${state}${selected ? ' selected' : ''}`}
      style={{ transform: `translateY(${top}px)` }}
      onMouseDown={(e) => {
        e.preventDefault();
        (e.currentTarget.parentElement?.parentElement as HTMLElement | null)?.focus();
        onSelect(exchange.id);
      }}
    >
      <StateMark state={state} />
      <span class="c-method">
        {exchange.method}
        {pre && (
          <span class="pre" title="Preflighted: an OPTIONS request went first">
            <span aria-hidden="true">+P</span>
            <span class="sr-only"> with preflight</span>
          </span>
        )}
      </span>
      <span class="c-url" title={url}>
        <span class="u-head">{head}</span>
        {tail && <span class="u-tail">{tail}</span>}
      </span>
      <span class="c-verdict" title={plainText(verdict.title)}>
        <Inline text={markCode(verdict.title)} />
      </span>
      <span class="c-time" title={clock(exchange.startTime)}>
        {formatDuration(durationMs(exchange))}
      </span>
    </div>
  );
}

export function CallList({ store, onOpen }: { store: Store; onOpen: () => void }) {
  const rows = store.visible.value;
  const selectedId = store.selectedId.value;
  const scrollRef = useRef<HTMLDivElement>(null);
  const v = useVirtualizer(
    { count: rows.length, getItemKey: (i) => rows[i]?.exchange.id ?? i },
    () => scrollRef.current,
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
                onSelect={(id) => {
                  store.selectedId.value = id;
                }}
              />
            );
          })}
        </div>
      </div>
    </div>
  );
}
