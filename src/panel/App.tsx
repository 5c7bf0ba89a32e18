import { useEffect, useRef } from 'preact/hooks';
import { useComputed } from '@preact/signals';
import { PROTOCOL_VERSION } from '../shared/protocol';
import type { Store } from './store';
import { CallList } from './components/CallList';
import { Detail } from './components/Detail';
import { Toolbar } from './components/Toolbar';
import { printable } from '../report/printable';

export interface AppProps {
  store: Store;
  /** Sends `clear` / `set-preserve-log` to the worker (absent when there is no tab). */
  send?: (m: { type: 'clear' } | { type: 'set-preserve-log'; preserveLog: boolean }) => void;
  onPopOut?: () => void;
}

function Status({ store }: { store: Store }) {
  const s = store.state.value;
  if (s.report) {
    return (
      <div class="banner info" role="status">
        Viewing the report <strong>{printable(s.report.name)}</strong>
        {s.report.generatedAt ? ` (made ${new Date(s.report.generatedAt).toLocaleString()})` : ''},{' '}
        {s.report.entries.length} calls{s.report.redacted ? ', secrets redacted' : ''}.{' '}
        <button
          type="button"
          class="link"
          onClick={() => {
            store.selectedId.value = null;
            store.dispatch({ type: 'report-closed' });
          }}
        >
          {s.tabId === null ? 'Close the report' : 'Back to live calls'}
        </button>
      </div>
    );
  }
  switch (s.connection) {
    case 'version-mismatch':
      return (
        <div class="banner error" role="alert">
          This panel speaks protocol version {s.mismatch?.panelProtocol ?? PROTOCOL_VERSION}, but the
          extension's background worker speaks version {s.mismatch?.workerProtocol ?? '?'}. The extension was
          probably updated while DevTools was open: close DevTools and open it again (or reload the extension
          at chrome://extensions).
        </div>
      );
    case 'reconnecting':
      return (
        <div class="banner warn" role="status">
          Lost the connection to the extension's background worker; reconnecting…
        </div>
      );
    default:
      if (s.dropped > 0) {
        return (
          <div class="banner info" role="status">
            {s.dropped} older call{s.dropped === 1 ? ' was' : 's were'} dropped: the log keeps the most recent
            ones.
          </div>
        );
      }
      return null;
  }
}

/** Capture's health, shown only when something went wrong (the live log may then be incomplete). */
export function Footer({ store }: { store: Store }) {
  const s = store.state.value;
  const unreadable = s.health.unreadableEvents;
  if (s.report || unreadable === 0) return null;
  return (
    <footer class="footer" role="status">
      {unreadable} {unreadable === 1 ? 'event' : 'events'} could not be read: some calls may be missing or
      incomplete.
    </footer>
  );
}

/**
 * The one switch for the no-cors loads (classic scripts, images, stylesheets, beacons, no-cors fetches):
 * hidden by default so that the calls CORS rules apply to fill the first screen; counted, one click away.
 */
export function NoCorsSwitch({ store }: { store: Store }) {
  const hidden = store.counts.value.noCors;
  if (store.filter.value !== 'all' || hidden === 0) return null;
  const shown = store.showNoCors.value;
  const loads = `${hidden} no-cors ${hidden === 1 ? 'load' : 'loads'}`;
  return (
    <button
      type="button"
      class="no-cors-switch"
      aria-pressed={shown}
      title="Classic scripts, images, stylesheets, beacons and no-cors fetches: the CORS rules do not apply to them"
      onClick={() => {
        store.showNoCors.value = !shown;
      }}
    >
      {shown ? `Hide the ${loads}` : `${loads} hidden · show`}
    </button>
  );
}

function Empty({ store }: { store: Store }) {
  const s = store.state.value;
  if (store.entries.value.length > 0) {
    const onlyNoCors = store.filter.value === 'all' && !store.showNoCors.value && !store.text.value.trim();
    return (
      <p class="empty">
        {onlyNoCors
          ? 'No calls that CORS rules apply to yet: this page has made only no-cors loads (shown by the switch above).'
          : 'No calls match the filter.'}
      </p>
    );
  }
  if (s.report) return <p class="empty">This report has no calls.</p>;
  switch (s.connection) {
    case 'no-tab':
      return (
        <div class="empty">
          <p>
            <strong>No page to inspect.</strong> Open DevTools on a page and choose the <em>CORS</em> tab, or
            open this page with <code>?tabId=N</code> (the tab id of the page to watch).
          </p>
          <p>You can also open a CORS Lens JSON report with “Open report…”.</p>
        </div>
      );
    case 'connecting':
      return <p class="empty">Connecting to the extension…</p>;
    case 'version-mismatch':
      return null;
    default:
      return (
        <div class="empty">
          <p>
            <strong>No cross-origin calls captured yet.</strong>{' '}
            {s.lastCleared === 'navigation'
              ? 'The page navigated, which clears the log; turn on “Preserve log” to keep calls across navigations.'
              : 'Reload the page to see calls made before DevTools opened.'}
          </p>
        </div>
      );
  }
}

export function App({ store, send, onPopOut }: AppProps) {
  const filterRef = useRef<HTMLInputElement>(null);
  const selected = store.selected.value;
  // Only whether any row passes the filter: the list follows the rows itself, so a keystroke in the
  // filter does not re-render the whole panel (the open detail included).
  const hasRows = useComputed(() => store.visible.value.length > 0).value;

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const t = e.target as HTMLElement | null;
      const typing = t && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT');
      if (e.key === '/' && !typing && !e.ctrlKey && !e.metaKey && !e.altKey) {
        e.preventDefault();
        filterRef.current?.focus();
        filterRef.current?.select();
      } else if (e.key === 'Escape' && t === filterRef.current) {
        if (store.text.value) store.text.value = '';
        else document.querySelector<HTMLElement>('.list-scroll')?.focus();
      } else if (e.key === 'Escape' && t?.closest('.detail')) {
        document.querySelector<HTMLElement>('.list-scroll')?.focus();
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [store]);

  const openDetail = () => {
    requestAnimationFrame(() => document.getElementById('detail-title')?.focus());
  };

  return (
    <div class={`app${selected ? ' with-detail' : ''}`}>
      <Toolbar
        store={store}
        filterRef={filterRef}
        onClear={() => {
          const tabId = store.state.value.tabId;
          store.selectedId.value = null;
          if (tabId !== null) store.dispatch({ type: 'cleared', tabId, reason: 'user' });
          send?.({ type: 'clear' });
        }}
        onPreserveLog={(on) => send?.({ type: 'set-preserve-log', preserveLog: on })}
        onPopOut={onPopOut}
      />
      <Status store={store} />
      <main class="split">
        <h1 class="sr-only">CORS Lens: cross-origin calls of this tab</h1>
        <div class="list-pane">
          <NoCorsSwitch store={store} />
          {hasRows ? <CallList store={store} onOpen={openDetail} /> : <Empty store={store} />}
        </div>
        {selected && (
          <div class="detail-pane">
            <Detail
              entry={selected}
              store={store}
              onClose={() => {
                store.selectedId.value = null;
                document.querySelector<HTMLElement>('.list-scroll')?.focus();
              }}
            />
          </div>
        )}
      </main>
      <Footer store={store} />
    </div>
  );
}
