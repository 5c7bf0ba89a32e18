import { useMemo, useState } from 'preact/hooks';
import type { LogEntry } from '../../engine';
import { rowState, ROW_STATE_LABEL } from '../../report/describe';
import {
  canTry,
  editRow,
  editStatus,
  headersText,
  observedWorkbench,
  suggestedWorkbench,
  tryAnswers,
  type Answer,
  type AnswerKey,
  type Workbench,
} from '../../report/try-fix';
import { markCode } from '../../report/words';
import { StateMark } from './CallList';
import { CopyButton } from './CopyButton';
import { Inline } from './Inline';

const LABEL: Record<AnswerKey, string> = { preflight: 'Preflight', response: 'Response' };

function AnswerEditor({
  which,
  title,
  answer,
  observed,
  decisive,
  onChange,
}: {
  which: AnswerKey;
  title: string;
  answer: Answer;
  observed: Answer | undefined;
  decisive: Set<string>;
  onChange: (wb: (w: Workbench) => Workbench) => void;
}) {
  const label = LABEL[which];
  const seen = new Map((observed?.rows ?? []).map((r) => [r.name.toLowerCase(), r.value]));
  return (
    <fieldset class={`answer answer-${which}`}>
      <legend>{title}</legend>
      <label class="status">
        Status{' '}
        <input
          type="number"
          min={100}
          max={999}
          value={answer.status}
          aria-label={`${label} status`}
          onInput={(e) => {
            const n = Number(e.currentTarget.value);
            onChange((w) => editStatus(w, which, n));
          }}
        />
      </label>
      {!answer.observed && (
        <p class="muted">
          Never sent (its preflight failed): taken to carry the preflight's origin headers, status 200.
        </p>
      )}
      <table class="edit-headers">
        <caption class="sr-only">{title}: header lines</caption>
        <tbody>
          {answer.rows.map((r, i) => {
            const key = r.name.trim().toLowerCase();
            const mark = decisive.has(key);
            const changed = seen.get(key) !== r.value;
            return (
              <tr key={i} class={`${mark ? 'decisive' : ''}${changed ? ' changed' : ''}`}>
                <td class="name">
                  <input
                    type="text"
                    spellcheck={false}
                    value={r.name}
                    aria-label={`${label} header name, line ${i + 1}`}
                    onInput={(e) => {
                      const name = e.currentTarget.value;
                      onChange((w) => editRow(w, which, i, { name, value: w[which]!.rows[i]!.value }));
                    }}
                  />
                  {mark && <span class="tag">decisive</span>}
                </td>
                <td class="value">
                  <input
                    type="text"
                    spellcheck={false}
                    value={r.value}
                    aria-label={`${label}: value of ${r.name || `line ${i + 1}`}`}
                    onInput={(e) => {
                      const value = e.currentTarget.value;
                      onChange((w) => editRow(w, which, i, { name: w[which]!.rows[i]!.name, value }));
                    }}
                  />
                </td>
                <td class="remove">
                  <button
                    type="button"
                    aria-label={`Remove ${r.name || `line ${i + 1}`} from the ${label.toLowerCase()}`}
                    onClick={() => onChange((w) => editRow(w, which, i, null))}
                  >
                    ×
                  </button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <button
        type="button"
        class="add"
        onClick={() => onChange((w) => editRow(w, which, w[which]!.rows.length, { name: '', value: '' }))}
      >
        Add a header to the {label.toLowerCase()}
      </button>
    </fieldset>
  );
}

/**
 * "Try a fix": the server's answers as editable rows, pre-filled with the suggested fix. Every edit
 * re-runs the engine on the edited exchange (src/report/try-fix.ts); nothing is sent anywhere.
 */
export function TryFix({ entry }: { entry: LogEntry }) {
  const { exchange, verdict } = entry;
  const [open, setOpen] = useState(false);
  const observed = useMemo(() => observedWorkbench(exchange, verdict), [exchange, verdict]);
  const suggested = useMemo(() => suggestedWorkbench(exchange, verdict), [exchange, verdict]);
  const [wb, setWb] = useState<Workbench>(suggested);
  const tried = useMemo(
    () => (open ? tryAnswers(exchange, verdict, wb) : null),
    [open, exchange, verdict, wb],
  );
  if (!canTry(verdict)) return null;
  const state = tried ? rowState({ exchange, verdict: tried.verdict }) : 'pending';
  const path = (() => {
    const u = exchange.legs[wb.legIndex]?.url ?? '';
    const m = /^[a-z]+:\/\/[^/]*(\/[^#]*)?/i.exec(u);
    return m?.[1] ?? '/';
  })();
  return (
    <section class="sec try" aria-labelledby="sec-try">
      <h3 id="sec-try">
        <button type="button" class="disclose" aria-expanded={open} onClick={() => setOpen(!open)}>
          <span aria-hidden="true">{open ? '▾' : '▸'}</span> Try a fix
        </button>
      </h3>
      {!open && (
        <p class="muted">
          Edit the server's answers{verdict.fix ? ', starting from the suggested fix,' : ''} and see the
          verdict the browser would reach. Nothing is sent anywhere.
        </p>
      )}
      {open && tried && (
        <div class="try-body">
          <div class={`try-result state-${state}`} role="status">
            <StateMark state={state} />{' '}
            <strong>
              {state === 'allowed' || state === 'finding'
                ? 'The browser would allow it'
                : ROW_STATE_LABEL[state]}
            </strong>
            : <Inline text={markCode(tried.verdict.title)} />
            <div class="muted">
              Judged as a call {tried.credentials ? 'with' : 'without'} credentials
              {verdict.credentials === 'unknown' ? ' (the browser showed none)' : ''}. Nothing was sent.
            </div>
          </div>
          <div class="try-bar">
            <button type="button" onClick={() => setWb(suggested)} disabled={!verdict.fix}>
              Start from the suggested fix
            </button>
            <button type="button" onClick={() => setWb(observed)}>
              Start from what the server sent
            </button>
            <CopyButton text={headersText(exchange, wb)} label="Copy headers" />
          </div>
          {wb.preflight && (
            <AnswerEditor
              which="preflight"
              title={`Answer to the preflight (OPTIONS ${path})`}
              answer={wb.preflight}
              observed={observed.preflight}
              decisive={tried.decisive.preflight}
              onChange={(f) => setWb(f)}
            />
          )}
          <AnswerEditor
            which="response"
            title={`Answer to the request (${exchange.method} ${path})`}
            answer={wb.response}
            observed={observed.response}
            decisive={tried.decisive.response}
            onChange={(f) => setWb(f)}
          />
        </div>
      )}
    </section>
  );
}
