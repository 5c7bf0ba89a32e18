import { useEffect, useMemo, useState } from 'preact/hooks';
import { type Fact, type HeaderList, type LogEntry, titleCase } from '../../engine';
import { curlCommands } from '../../report/curl';
import { printableEntry } from '../../report/printable';
import {
  decisiveStepIndex,
  durationMs,
  formatDuration,
  lineValue,
  orderHeaders,
  ROW_STATE_LABEL,
  rowState,
  stepsOf,
  WHY_CURL_WORKS,
  type StepView,
} from '../../report/describe';
import { confidenceWords, markCode } from '../../report/words';
import { Inline } from './Inline';
import { TryFix } from './TryFix';
import { CopyButton } from './CopyButton';
import { Section } from './Section';
import { ChromeSays, Findings } from './Wording';
import type { Store } from '../store';
import { fixChoice, type FixChoice } from '../selectors';

function stepLabel(s: StepView): string {
  if (s.kind === 'preflight') return 'Preflight';
  return s.legIndex === 0 ? 'Request' : `Redirect leg ${s.legIndex}`;
}

function stepResult(s: StepView): string {
  if (s.response) {
    return s.redirectTo
      ? `${s.response.statusCode}, redirected to ${s.redirectTo}`
      : String(s.response.statusCode);
  }
  if (s.error) return s.error;
  return s.notSent ? 'never sent' : 'no response';
}

function HeaderTable({
  caption,
  list,
  decisive,
  emptyText,
}: {
  caption: string;
  list: HeaderList | undefined;
  decisive: Set<string>;
  emptyText: string;
}) {
  const rows = orderHeaders(list);
  if (!rows.length) return <p class="muted">{emptyText}</p>;
  return (
    <table class="headers">
      <caption class="sr-only">{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Header</th>
          <th scope="col">Value</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((h, i) => {
          const mark = decisive.has(h.name.toLowerCase());
          return (
            <tr key={i} class={mark ? 'decisive' : undefined}>
              <th scope="row">
                {h.name}
                {mark && <span class="tag">decisive</span>}
              </th>
              <td>
                <HeaderValue value={lineValue(h)} />
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

/**
 * A header value that never breaks inside a token (an origin, a method, a header name): it wraps after
 * the commas of a list, and a single token wider than the column scrolls.
 */
export function HeaderValue({ value }: { value: string }) {
  const parts = value.split(/(,\s*)/);
  return (
    <code class="hv">
      {parts.map((p, i) =>
        i % 2 === 1 ? (
          <span key={i}>
            {p}
            <wbr />
          </span>
        ) : (
          <span key={i} class="tok">
            {p}
          </span>
        ),
      )}
    </code>
  );
}

/** `Name: value` as one code line, wrapping only after the commas of the value. */
function HeaderLineView({ name, value }: { name: string; value: string }) {
  return (
    <code class="header-line">
      <span class="tok">{name}:</span> <HeaderValue value={value} />
    </code>
  );
}

const STEP_WORDS: Record<string, string> = {
  preflight: 'Preflight',
  actual: 'Response',
  redirect: 'Redirect',
  network: 'Network',
  none: '',
};

/** A fact's header name as a header (`Access-Control-Allow-Origin`); pseudo-names stay words. */
function factName(name: string): string {
  return /^[a-z0-9-]+$/.test(name) && name.includes('-') ? titleCase(name) : name;
}

function decisiveNames(facts: Fact[], kind: StepView['kind']): Set<string> {
  return new Set(
    facts
      .filter((f) => f.decisive && (kind === 'preflight' ? f.step === 'preflight' : f.step !== 'preflight'))
      .map((f) => f.name.toLowerCase()),
  );
}

/** Where the shown stack comes from, when the user has not picked one. */
function StackEvidenceLine({ choice: { top, topLabel } }: { choice: FixChoice }) {
  return (
    <p class="stack-evidence">
      {top ? (
        <>
          Server stack: looks like {topLabel} ({top.confidence} confidence), from <code>{top.evidence}</code>.
          Not yours? Pick it below.
        </>
      ) : (
        <>
          Server stack: unknown. Nothing in the responses points at one. The header changes above are what any
          stack must send; pick your stack to see its code.
        </>
      )}
    </p>
  );
}

function FixView({ entry, store }: { entry: LogEntry; store: Store }) {
  const choice = fixChoice(entry, store.stacks.value);
  if (!choice) return null;
  const { fix, recipes, recipe } = choice;
  return (
    <Section title="Fix" id="sec-fix">
      <p class="fix-summary">
        <Inline text={markCode(fix.summary)} />
      </p>
      {fix.headers.length > 0 && (
        <ul class="changes" aria-label="Header changes">
          {fix.headers.map((c, i) => (
            <li key={i}>
              <span class="on">
                {c.on === 'both' ? 'Preflight and request:' : c.on === 'actual' ? 'Request:' : 'Preflight:'}
              </span>{' '}
              {c.value === null ? (
                <>
                  remove <code>{c.name}</code>
                </>
              ) : (
                <HeaderLineView name={c.name} value={c.value} />
              )}
            </li>
          ))}
        </ul>
      )}
      {fix.plan.note && (
        <p>
          <Inline text={markCode(fix.plan.note)} />
        </p>
      )}
      {recipes.length > 0 && (
        <div class="recipe">
          {choice.picked === undefined && <StackEvidenceLine choice={choice} />}
          <div class="recipe-bar">
            <label>
              Server stack{' '}
              <select
                value={recipe?.stack ?? ''}
                onChange={(e) => store.pickStack(choice.apiOrigin, e.currentTarget.value)}
              >
                {!recipe && (
                  <option value="" disabled>
                    Unknown: pick yours
                  </option>
                )}
                {recipes.map((r) => (
                  <option key={r.stack} value={r.stack}>
                    {r.label}
                  </option>
                ))}
              </select>
            </label>
            {recipe && <CopyButton text={recipe.code} label="Copy code" />}
          </div>
          {recipe && (
            <pre class="code" tabIndex={0} aria-label={`${recipe.label} configuration`}>
              <code>{recipe.code}</code>
            </pre>
          )}
          {recipe && recipe.notes.length > 0 && (
            <ul class="notes">
              {recipe.notes.map((n, i) => (
                <li key={i}>
                  <Inline text={markCode(n)} />
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </Section>
  );
}

function Evidence({ entry }: { entry: LogEntry }) {
  const { exchange, verdict } = entry;
  const steps = useMemo(() => stepsOf(exchange), [exchange]);
  const decisive = decisiveStepIndex(steps, verdict.step, verdict.legIndex);
  const [shown, setShown] = useState(decisive);
  useEffect(() => setShown(decisive), [exchange.id, decisive]);
  const step = steps[Math.min(shown, steps.length - 1)];
  const names = step && shown === decisive ? decisiveNames(verdict.facts, step.kind) : new Set<string>();
  if (!steps.length) return null;
  return (
    <Section title="The browser asked, the server answered" id="sec-steps">
      <ol class="steps" aria-label="Requests in order">
        {steps.map((s, i) => (
          <li key={i} class={`${i === decisive ? 'decisive-step' : ''}${s.notSent ? ' not-sent' : ''}`}>
            <button type="button" aria-pressed={i === shown} onClick={() => setShown(i)}>
              <span class="step-n">{i + 1}</span> {stepLabel(s)} <strong>{s.method}</strong>{' '}
              <span class="step-url">{s.url}</span> → {stepResult(s)}
              {i === decisive && <span class="tag">decisive</span>}
            </button>
          </li>
        ))}
      </ol>
      {step && (
        <div class="pair">
          <div>
            <h4>The browser asked</h4>
            <HeaderTable
              caption="Request headers"
              list={step.requestHeaders}
              decisive={names}
              emptyText={step.notSent ? 'Never sent: the check before it failed.' : 'Not observed.'}
            />
          </div>
          <div>
            <h4>
              The server answered
              {step.response ? ` (${step.response.statusLine ?? step.response.statusCode})` : ''}
            </h4>
            <HeaderTable
              caption="Response headers"
              list={step.response?.headers}
              decisive={names}
              emptyText={step.error ? `No response: ${step.error}` : 'No response observed.'}
            />
          </div>
        </div>
      )}
      {verdict.facts.length > 0 && (
        <table class="facts">
          <caption>Checks, in Chrome's order</caption>
          <thead>
            <tr>
              <th scope="col">Step</th>
              <th scope="col">Header</th>
              <th scope="col">Needed</th>
              <th scope="col">Received</th>
              <th scope="col">Result</th>
            </tr>
          </thead>
          <tbody>
            {verdict.facts.map((f, i) => (
              <tr key={i} class={`${f.decisive ? 'decisive' : ''} ${f.ok ? 'ok' : 'bad'}`}>
                <td>{STEP_WORDS[f.step] ?? f.step}</td>
                <td class="nowrap">{factName(f.name)}</td>
                <td>
                  <Inline text={markCode(f.expected)} />
                </td>
                <td>{f.received === null ? <em>absent</em> : <HeaderValue value={f.received} />}</td>
                <td>
                  {f.ok ? 'ok' : 'failed'}
                  {f.decisive && <span class="tag">decisive</span>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Section>
  );
}

export function Detail({
  entry: raw,
  store,
  onClose,
}: {
  entry: LogEntry;
  store: Store;
  onClose: () => void;
}) {
  // Every value is shown with its control and bidi characters escaped (report/printable.ts); curl is
  // built from the exact values and quotes them itself.
  const entry = printableEntry(raw);
  const { exchange, verdict } = entry;
  const state = rowState(entry);
  const redact = store.redact.value;
  const curl = useMemo(() => curlCommands(raw.exchange, { redact }), [raw.exchange, redact]);
  const url = exchange.legs[0]?.url ?? '';
  const sure = confidenceWords(verdict);
  const hasFix = !!verdict.fix;

  return (
    <article class={`detail state-${state}`} aria-labelledby="detail-title">
      <header class="detail-head">
        <div class="detail-meta">
          <span class="badge">{ROW_STATE_LABEL[state]}</span>
          <span class="method">{exchange.method}</span>
          <span class="url">{url}</span>
        </div>
        <button type="button" class="close" aria-label="Close details" onClick={onClose}>
          ×
        </button>
      </header>
      <h2 id="detail-title" tabIndex={-1}>
        <Inline text={markCode(verdict.title)} />
      </h2>

      {/* Fix first: what to change, where the eye lands. An allowed call's findings take that place. */}
      <FixView entry={entry} store={store} />
      {!hasFix && <Findings entry={entry} />}
      <TryFix key={exchange.id} entry={entry} />

      <Section title="Why" id="sec-why">
        {verdict.explanation.map((p, i) => (
          <p key={i} class="explain">
            <Inline text={markCode(p)} />
          </p>
        ))}
        <p class="confidence">
          <strong>{sure.level}:</strong> <Inline text={sure.reason} /> {sure.credentials} Page origin{' '}
          <code>{verdict.requestOrigin}</code>.
        </p>
      </Section>

      <Evidence entry={entry} />
      {hasFix && <Findings entry={entry} />}
      <ChromeSays entry={entry} />

      <Section title="Copy as curl" id="sec-curl">
        <p class="muted">{WHY_CURL_WORKS}</p>
        {curl.preflight && (
          <div class="curl">
            <div class="recipe-bar">
              <span>Preflight</span>
              <CopyButton text={curl.preflight} label="Copy preflight as curl" />
            </div>
            <pre class="code curl-preflight" tabIndex={0} aria-label="Preflight as curl">
              {curl.preflight}
            </pre>
          </div>
        )}
        <div class="curl">
          <div class="recipe-bar">
            <span>{curl.preflight ? 'Actual request' : 'Request'}</span>
            <CopyButton text={curl.actual} label="Copy request as curl" />
          </div>
          <pre class="code curl-actual" tabIndex={0} aria-label="Request as curl">
            {curl.actual}
          </pre>
        </div>
        <p class="muted">
          {redact ? 'Secrets are redacted (Export → Redact secrets to change).' : 'Secrets are NOT redacted.'}{' '}
          Started {new Date(exchange.startTime).toLocaleTimeString()}, took{' '}
          {formatDuration(durationMs(exchange))}.
        </p>
      </Section>
    </article>
  );
}
