import { useEffect, useRef, useState } from 'preact/hooks';
import type { LogEntry } from '../../engine';
import { reportJson, type ReportScope } from '../../report/json';
import { reportMarkdown } from '../../report/markdown';
import { apiOriginOf } from '../api-origin';
import { copyText, download } from '../env';
import type { Store } from '../store';

function stamp(d = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}`;
}

type ExportAction = 'md' | 'json' | 'copy';

interface Picked {
  entries: LogEntry[];
  name: string;
  title: string;
}

/** The calls a scope stands for, with the file name and the report title. */
function pickEntries(
  scope: ReportScope,
  selected: LogEntry | null,
  blocked: LogEntry[],
  listed: LogEntry[],
): Picked {
  if (scope === 'call' && selected) {
    return {
      entries: [selected],
      name: `cors-lens-${selected.verdict.kind}-${stamp()}`,
      title: selected.verdict.title,
    };
  }
  if (scope === 'blocked') {
    return {
      entries: blocked,
      name: `cors-lens-blocked-${stamp()}`,
      title: `CORS Lens: ${blocked.length} blocked call${blocked.length === 1 ? '' : 's'}`,
    };
  }
  return {
    entries: listed,
    name: `cors-lens-calls-${stamp()}`,
    title: `CORS Lens: ${listed.length} calls`,
  };
}

/** Downloads or copies the report; returns the status line to show. */
async function runExport(
  what: ExportAction,
  { entries, name, title }: Picked,
  scope: ReportScope,
  store: Store,
): Promise<string> {
  if (!entries.length) return 'Nothing to export: no calls in this selection.';
  const redact = store.redact.value;
  const picked = entries.length === 1 ? store.stacks.value[apiOriginOf(entries[0]!)] : undefined;
  if (what === 'json') {
    download(
      `${name}.json`,
      reportJson(entries, { redact, scope, stacks: store.stacks.value }),
      'application/json',
    );
    return `Saved ${name}.json`;
  }
  const md = reportMarkdown(entries, { redact, title, preferredStack: picked });
  if (what === 'md') {
    download(`${name}.md`, md, 'text/markdown');
    return `Saved ${name}.md`;
  }
  const ok = await copyText(md);
  return ok ? `Copied Markdown for ${entries.length} call${entries.length === 1 ? '' : 's'}` : 'Copy failed';
}

/** Which calls to export: the selected one, all blocked ones, or all in the list. */
function ScopeChoice(props: {
  scope: ReportScope;
  hasSelection: boolean;
  blocked: number;
  listed: number;
  onChange: (scope: ReportScope) => void;
}) {
  const { scope, onChange } = props;
  return (
    <fieldset>
      <legend>Calls</legend>
      <label>
        <input
          type="radio"
          name="export-scope"
          checked={scope === 'call'}
          disabled={!props.hasSelection}
          onChange={() => onChange('call')}
        />{' '}
        Selected call
      </label>
      <label>
        <input
          type="radio"
          name="export-scope"
          checked={scope === 'blocked'}
          onChange={() => onChange('blocked')}
        />{' '}
        All blocked calls ({props.blocked})
      </label>
      <label>
        <input
          type="radio"
          name="export-scope"
          checked={scope === 'listed'}
          onChange={() => onChange('listed')}
        />{' '}
        All calls in the list ({props.listed})
      </label>
    </fieldset>
  );
}

/** The "Export" control: Markdown / JSON downloads and Copy Markdown, for one call or all blocked calls. */
export function ExportMenu({ store }: { store: Store }) {
  const [open, setOpen] = useState(false);
  const [status, setStatus] = useState('');
  const [scope, setScope] = useState<ReportScope>('call');
  const root = useRef<HTMLDivElement>(null);
  const selected = store.selected.value;
  // The count is the toolbar's (same rule); the calls themselves are only gathered for an export.
  const blockedCount = store.counts.value.blocked;
  const listed = store.visible.value;
  const effective: ReportScope = scope === 'call' && !selected ? 'blocked' : scope;

  useEffect(() => {
    if (!open) return;
    const onDoc = (e: MouseEvent) => {
      if (root.current && !root.current.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', onDoc);
    return () => document.removeEventListener('mousedown', onDoc);
  }, [open]);

  const run = async (what: ExportAction) => {
    const blocked = store.entries.value.filter((e) => e.verdict.outcome === 'blocked');
    setStatus(await runExport(what, pickEntries(effective, selected, blocked, listed), effective, store));
  };

  return (
    <div class="export" ref={root}>
      <button
        type="button"
        aria-expanded={open}
        aria-controls="export-panel"
        onClick={() => {
          setOpen(!open);
          setStatus('');
          if (!open) setScope(selected ? 'call' : 'blocked');
        }}
      >
        Export
      </button>
      {open && (
        <div
          id="export-panel"
          class="popover"
          role="group"
          aria-label="Export"
          onKeyDown={(e) => {
            if (e.key === 'Escape') {
              e.stopPropagation();
              setOpen(false);
              (root.current?.querySelector('button') as HTMLButtonElement | null)?.focus();
            }
          }}
        >
          <ScopeChoice
            scope={effective}
            hasSelection={!!selected}
            blocked={blockedCount}
            listed={listed.length}
            onChange={setScope}
          />
          <div class="export-actions">
            <button type="button" onClick={() => void run('md')}>
              Markdown
            </button>
            <button type="button" onClick={() => void run('json')}>
              JSON
            </button>
            <button type="button" onClick={() => void run('copy')}>
              Copy Markdown
            </button>
          </div>
          <label class="redact">
            <input
              type="checkbox"
              checked={store.redact.value}
              onChange={(e) => {
                store.redact.value = e.currentTarget.checked;
              }}
            />{' '}
            Redact secrets (cookies, authorization, tokens in URLs)
          </label>
          <p class="export-status" role="status">
            {status}
          </p>
        </div>
      )}
    </div>
  );
}
