import { useEffect, useRef, useState } from 'preact/hooks';
import type { LogEntry } from '../../shared/protocol';
import { reportJson, type ReportScope } from '../../report/json';
import { reportMarkdown } from '../../report/markdown';
import { apiOriginOf } from '../api-origin';
import { copyText, download } from '../env';
import type { Store } from '../store';

function stamp(d = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}`;
}

/** The "Export" control: Markdown / JSON downloads and Copy Markdown, for one call or all blocked calls. */
export function ExportMenu({ store }: { store: Store }) {
  const [open, setOpen] = useState(false);
  const [status, setStatus] = useState('');
  const [scope, setScope] = useState<ReportScope>('call');
  const root = useRef<HTMLDivElement>(null);
  const selected = store.selected.value;
  const blocked = store.entries.value.filter((e) => e.verdict.outcome === 'blocked');
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

  const pick = (): { entries: LogEntry[]; name: string; title: string } => {
    if (effective === 'call' && selected) {
      return {
        entries: [selected],
        name: `cors-lens-${selected.verdict.kind}-${stamp()}`,
        title: selected.verdict.title,
      };
    }
    if (effective === 'blocked') {
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
  };

  const run = async (what: 'md' | 'json' | 'copy') => {
    const { entries, name, title } = pick();
    if (!entries.length) {
      setStatus('Nothing to export: no calls in this selection.');
      return;
    }
    const redact = store.redact.value;
    const picked = entries.length === 1 ? store.stacks.value[apiOriginOf(entries[0]!)] : undefined;
    if (what === 'json') {
      download(
        `${name}.json`,
        reportJson(entries, { redact, scope: effective, stacks: store.stacks.value }),
        'application/json',
      );
      setStatus(`Saved ${name}.json`);
      return;
    }
    const md = reportMarkdown(entries, { redact, title, preferredStack: picked });
    if (what === 'md') {
      download(`${name}.md`, md, 'text/markdown');
      setStatus(`Saved ${name}.md`);
    } else {
      const ok = await copyText(md);
      setStatus(
        ok ? `Copied Markdown for ${entries.length} call${entries.length === 1 ? '' : 's'}` : 'Copy failed',
      );
    }
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
          <fieldset>
            <legend>Calls</legend>
            <label>
              <input
                type="radio"
                name="export-scope"
                checked={effective === 'call'}
                disabled={!selected}
                onChange={() => setScope('call')}
              />{' '}
              Selected call
            </label>
            <label>
              <input
                type="radio"
                name="export-scope"
                checked={effective === 'blocked'}
                onChange={() => setScope('blocked')}
              />{' '}
              All blocked calls ({blocked.length})
            </label>
            <label>
              <input
                type="radio"
                name="export-scope"
                checked={effective === 'listed'}
                onChange={() => setScope('listed')}
              />{' '}
              All calls in the list ({listed.length})
            </label>
          </fieldset>
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
