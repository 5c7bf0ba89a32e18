import { useRef, useState } from 'preact/hooks';
import type { Ref } from 'preact';
import { parseReportOrHar } from '../open-report';
import { printable } from '../../report/printable';
import type { FilterKind, PanelState } from '../state';
import type { Store } from '../store';
import { ExportMenu } from './ExportMenu';

export interface ToolbarProps {
  store: Store;
  filterRef: Ref<HTMLInputElement>;
  onClear: () => void;
  onPreserveLog: (on: boolean) => void;
  onPopOut?: () => void;
}

const FILTERS: { kind: Exclude<FilterKind, 'cors'>; label: string }[] = [
  { kind: 'all', label: 'CORS calls' },
  { kind: 'blocked', label: 'Blocked' },
  { kind: 'findings', label: 'With findings' },
];

export function Toolbar({ store, filterRef, onClear, onPreserveLog, onPopOut }: ToolbarProps) {
  const state = store.state.value;
  const live = state.report === null;
  const fileRef = useRef<HTMLInputElement>(null);
  const [importError, setImportError] = useState('');

  const openFile = async (file: File) => {
    performance.mark('cors-lens:import-start');
    const parsed = parseReportOrHar(new Uint8Array(await file.arrayBuffer()));
    if (!parsed.ok) {
      setImportError(printable(`Could not open ${file.name}: ${parsed.error}`));
      return;
    }
    setImportError('');
    store.selectedId.value = null;
    store.dispatch({
      type: 'report-opened',
      report: {
        name: file.name,
        entries: parsed.entries,
        generatedAt: parsed.generatedAt,
        redacted: parsed.redacted,
      },
    });
    performance.mark('cors-lens:import-dispatched');
  };

  return (
    <div class="toolbar" role="toolbar" aria-label="CORS Lens">
      {live && <LiveControls state={state} onClear={onClear} onPreserveLog={onPreserveLog} />}
      <span class="sep" aria-hidden="true" />
      <Filters store={store} />
      <input
        ref={filterRef}
        class="text-filter"
        type="search"
        aria-label="Filter calls by URL, method, verdict or Chrome error (press / to focus)"
        placeholder="Filter  ( / )"
        value={store.text.value}
        onInput={(e) => {
          store.text.value = e.currentTarget.value;
        }}
      />
      <span class="grow" />
      <ExportMenu store={store} />
      <button
        type="button"
        onClick={() => fileRef.current?.click()}
        title="Open a CORS Lens JSON report, a HAR file or a Playwright trace (trace.zip)"
      >
        Open report…
      </button>
      <input
        ref={fileRef}
        type="file"
        accept=".json,.har,.zip,application/json,application/zip"
        class="sr-only"
        tabIndex={-1}
        aria-label="Open a CORS Lens JSON report, a HAR file or a Playwright trace"
        onChange={(e) => {
          const input = e.currentTarget;
          const file = input.files?.[0];
          if (file) void openFile(file);
          input.value = '';
        }}
      />
      {onPopOut && (
        <button type="button" onClick={onPopOut} title="Open this panel in its own window">
          Pop out
        </button>
      )}
      {importError && (
        <p class="import-error" role="alert">
          {importError}
        </p>
      )}
    </div>
  );
}

/** Clear and Preserve log: the live log's controls (an opened report has neither). */
function LiveControls({
  state,
  onClear,
  onPreserveLog,
}: {
  state: PanelState;
  onClear: () => void;
  onPreserveLog: (on: boolean) => void;
}) {
  return (
    <>
      <button
        type="button"
        onClick={onClear}
        title="Clear the log of this tab"
        disabled={state.tabId === null}
      >
        Clear
      </button>
      <label class="check">
        <input
          type="checkbox"
          checked={state.settings.preserveLog}
          disabled={state.tabId === null}
          onChange={(e) => onPreserveLog(e.currentTarget.checked)}
        />{' '}
        Preserve log
      </label>
    </>
  );
}

/** The kind filters, each with its count. */
function Filters({ store }: { store: Store }) {
  const counts = store.counts.value;
  return (
    <div class="filters" role="group" aria-label="Show">
      {FILTERS.map((f) => (
        <button
          key={f.kind}
          type="button"
          aria-pressed={store.filter.value === f.kind}
          class={`filter filter-${f.kind}`}
          onClick={() => {
            store.filter.value = f.kind;
          }}
        >
          {f.kind === 'all' && store.showNoCors.value ? 'All calls' : f.label}{' '}
          <span class="count">
            {f.kind === 'all' ? (store.showNoCors.value ? counts.all : counts.cors) : counts[f.kind]}
          </span>
        </button>
      ))}
    </div>
  );
}
