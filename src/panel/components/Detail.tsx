import { useEffect, useMemo, useState } from 'preact/hooks';
import type { ComponentChildren } from 'preact';
import type { Fact, HeaderList, Recipe } from '../../engine/types';
import type { LogEntry } from '../../shared/protocol';
import { curlCommands } from '../../report/curl';
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
import { detectStacks, recipesFor, responseHeadersOf } from '../../engine/fix';
import { apiOriginOf } from '../api-origin';
import { copyText, loadStack, saveStack } from '../env';
import type { Store } from '../store';

/** Renders `code` spans of engine text as <code>; everything else stays text. */
export function Inline({ text }: { text: string }) {
  const parts = text.split(/(`[^`]+`)/g);
  return (
    <>
      {parts.map((p, i) =>
        p.length > 2 && p.startsWith('`') && p.endsWith('`') ? <code key={i}>{p.slice(1, -1)}</code> : p,
      )}
    </>
  );
}

function CopyButton({ text, label }: { text: string; label: string }) {
  const [done, setDone] = useState<null | boolean>(null);
  return (
    <button
      type="button"
      class="copy"
      onClick={() => {
        void copyText(text).then((ok) => {
          setDone(ok);
          setTimeout(() => setDone(null), 1500);
        });
      }}
    >
      {done === null ? label : done ? 'Copied' : 'Copy failed'}
    </button>
  );
}

function Section({ title, id, children }: { title: string; id: string; children: ComponentChildren }) {
  return (
    <section class="sec" aria-labelledby={id}>
      <h3 id={id}>{title}</h3>
      {children}
    </section>
  );
}

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
                <code>{lineValue(h)}</code>
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function decisiveNames(facts: Fact[], kind: StepView['kind']): Set<string> {
  return new Set(
    facts
      .filter((f) => f.decisive && (kind === 'preflight' ? f.step === 'preflight' : f.step !== 'preflight'))
      .map((f) => f.name.toLowerCase()),
  );
}

function FixView({ entry, store }: { entry: LogEntry; store: Store }) {
  const fix = entry.verdict.fix;
  const apiOrigin = apiOriginOf(entry);
  const picked = store.stacks.value[apiOrigin];
  // The verdict may carry only the likely stacks (a report only the one it showed): add every other
  // supported stack from the plan, with the same engine code.
  const recipes = useMemo(() => {
    if (!fix) return [];
    const responseHeaders = responseHeadersOf(entry.exchange);
    const have = new Set(fix.recipes.map((r) => r.stack));
    return [...fix.recipes, ...recipesFor(fix.plan, { responseHeaders }).filter((r) => !have.has(r.stack))];
  }, [fix, entry.exchange]);
  useEffect(() => {
    if (!apiOrigin || picked !== undefined) return;
    void loadStack(apiOrigin).then((s) => {
      if (s) store.stacks.value = { ...store.stacks.value, [apiOrigin]: s };
    });
  }, [apiOrigin, picked, store]);
  if (!fix) return null;
  // The stack comes from the user's pick or from evidence in the responses; with neither it is unknown,
  // and the panel asks instead of showing one stack's code as if it were theirs.
  const detected = fix.detected ?? detectStacks(responseHeadersOf(entry.exchange));
  const top = detected[0];
  const shown = picked ?? top?.stack;
  const recipe: Recipe | undefined = shown === undefined ? undefined : recipes.find((r) => r.stack === shown);
  const topLabel = recipes.find((r) => r.stack === top?.stack)?.label ?? top?.stack;
  return (
    <Section title="Fix" id="sec-fix">
      <p>
        <Inline text={fix.summary} />
      </p>
      {fix.headers.length > 0 && (
        <table class="changes">
          <caption class="sr-only">Header changes</caption>
          <thead>
            <tr>
              <th scope="col">On the response to</th>
              <th scope="col">Header</th>
              <th scope="col">Value</th>
            </tr>
          </thead>
          <tbody>
            {fix.headers.map((c, i) => (
              <tr key={i}>
                <td>
                  {c.on === 'both' ? 'preflight and request' : c.on === 'actual' ? 'request' : 'preflight'}
                </td>
                <td>{c.name}</td>
                <td>{c.value === null ? <em>remove it</em> : <code>{c.value}</code>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {fix.plan.note && (
        <p>
          <Inline text={fix.plan.note} />
        </p>
      )}
      {recipes.length > 0 && (
        <div class="recipe">
          {picked === undefined && (
            <p class="stack-evidence">
              {top ? (
                <>
                  Server stack: looks like {topLabel} ({top.confidence} confidence), from{' '}
                  <code>{top.evidence}</code>. Not yours? Pick it below.
                </>
              ) : (
                <>
                  Server stack: unknown. Nothing in the responses points at one. The header changes above are
                  what any stack must send; pick your stack to see its code.
                </>
              )}
            </p>
          )}
          <div class="recipe-bar">
            <label>
              Server stack{' '}
              <select
                value={recipe?.stack ?? ''}
                onChange={(e) => {
                  const stack = e.currentTarget.value;
                  store.stacks.value = { ...store.stacks.value, [apiOrigin]: stack };
                  void saveStack(apiOrigin, stack);
                }}
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
                  <Inline text={n} />
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </Section>
  );
}

export function Detail({ entry, store, onClose }: { entry: LogEntry; store: Store; onClose: () => void }) {
  const { exchange, verdict } = entry;
  const state = rowState(entry);
  const steps = useMemo(() => stepsOf(exchange), [exchange]);
  const decisive = decisiveStepIndex(steps, verdict.step, verdict.legIndex);
  const [shown, setShown] = useState(decisive);
  useEffect(() => setShown(decisive), [exchange.id, decisive]);
  const step = steps[Math.min(shown, steps.length - 1)];
  const names = step && shown === decisive ? decisiveNames(verdict.facts, step.kind) : new Set<string>();
  const redact = store.redact.value;
  const curl = useMemo(() => curlCommands(exchange, { redact }), [exchange, redact]);
  const url = exchange.legs[0]?.url ?? '';

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
        <Inline text={verdict.title} />
      </h2>
      {verdict.explanation.map((p, i) => (
        <p key={i} class="explain">
          <Inline text={p} />
        </p>
      ))}

      {(verdict.chromeError || verdict.netError || verdict.consoleMessage) && (
        <Section title="What Chrome says" id="sec-chrome">
          <dl class="kv">
            {verdict.chromeError && (
              <>
                <dt>Chrome's error</dt>
                <dd>
                  <code class="chrome-error">{verdict.chromeError}</code>
                  {verdict.failedParameter !== undefined && (
                    <>
                      {' '}
                      failed parameter <code>{verdict.failedParameter || '""'}</code>
                    </>
                  )}
                </dd>
              </>
            )}
            {verdict.netError && (
              <>
                <dt>Network error</dt>
                <dd>
                  <code>{verdict.netError}</code>
                </dd>
              </>
            )}
            <dt>Verdict kind</dt>
            <dd>
              <code>{verdict.kind}</code>
            </dd>
          </dl>
          {verdict.consoleMessage && (
            <div class="console">
              <div class="recipe-bar">
                <span>Console message</span>
                <CopyButton text={verdict.consoleMessage} label="Copy message" />
              </div>
              <pre class="code console-message" tabIndex={0} aria-label="Chrome console message">
                {verdict.consoleMessage}
              </pre>
            </div>
          )}
        </Section>
      )}

      <Section title="How sure" id="sec-confidence">
        <p class="confidence">
          {verdict.confidence.level === 'certain' ? (
            'Certain: every fact the rule needs was observed.'
          ) : (
            <>
              Inferred: <Inline text={verdict.confidence.reason} />
            </>
          )}{' '}
          Credentials mode: {verdict.credentials}. Page origin <code>{verdict.requestOrigin}</code>.
        </p>
      </Section>

      {steps.length > 0 && (
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
                    <td>{f.step}</td>
                    <td>{f.name}</td>
                    <td>
                      <Inline text={f.expected} />
                    </td>
                    <td>{f.received === null ? <em>absent</em> : <code>{f.received}</code>}</td>
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
      )}

      <FixView entry={entry} store={store} />

      {verdict.findings.length > 0 && (
        <Section title="Findings" id="sec-findings">
          <ul class="findings">
            {verdict.findings.map((f) => (
              <li key={f.id} class={`sev-${f.severity}`}>
                <strong>
                  <Inline text={f.title} />
                </strong>{' '}
                <span class="sev">({f.severity})</span>
                <p>
                  <Inline text={f.detail} />
                </p>
                {f.advice && (
                  <p class="advice">
                    <Inline text={f.advice} />
                  </p>
                )}
              </li>
            ))}
          </ul>
        </Section>
      )}

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
