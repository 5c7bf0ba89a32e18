/** The detail's closing sections: the findings on the call, and the browser's own wording of the verdict. */
import { type LogEntry, profileOf } from '../../engine';
import { safeHttpUrl } from '../../report/printable';
import { failedParameterWords, markCode } from '../../report/words';
import { CopyButton } from './CopyButton';
import { Inline } from './Inline';
import { Section } from './Section';

export function Findings({ entry }: { entry: LogEntry }) {
  const findings = entry.verdict.findings;
  if (!findings.length) return null;
  // What to act on first: dangers, then warnings, then information.
  const order = { danger: 0, warning: 1, info: 2 } as const;
  const sorted = [...findings].sort((a, b) => order[a.severity] - order[b.severity]);
  return (
    <Section title="Findings" id="sec-findings">
      <ul class="findings">
        {sorted.map((f, i) => (
          <li key={i} class={`sev-${f.severity}`}>
            <span class="sev">{SEVERITY_WORDS[f.severity]}</span>{' '}
            <strong>
              <Inline text={markCode(f.title)} />
            </strong>
            <p>
              <Inline text={markCode(f.detail)} />
            </p>
            {f.advice && (
              <p class="advice">
                <Inline text={markCode(f.advice)} />
              </p>
            )}
          </li>
        ))}
      </ul>
    </Section>
  );
}

const SEVERITY_WORDS = { danger: 'Danger', warning: 'Act', info: 'Note' } as const;

/**
 * The browser whose rules a verdict applies, by its profile's label ("Chrome" when a stored verdict
 * predates Firefox support or names a browser the engine has no profile for).
 */
export function browserLabel(verdict: LogEntry['verdict']): string {
  return profileOf(verdict.browser).label;
}

export function ChromeSays({ entry }: { entry: LogEntry }) {
  const { verdict } = entry;
  const byChrome = profileOf(verdict.browser).name === 'chrome';
  const label = browserLabel(verdict);
  const reason = verdict.firefoxReason;
  if (!verdict.chromeError && !verdict.netError && !verdict.consoleMessage && !verdict.otherBrowser)
    return null;
  const param = failedParameterWords(verdict);
  return (
    <Section title={`What ${label} says`} id="sec-chrome">
      <dl class="kv">
        <dt>Verdict by</dt>
        <dd class="verdict-browser">{label}'s rules</dd>
        {/* The engine names the reason of Firefox's verdicts only (Verdict.firefoxReason). */}
        {verdict.browser === 'firefox' && reason && (
          <>
            <dt>{label}'s reason</dt>
            <dd>
              {safeHttpUrl(reason.url) ? (
                <a
                  class="firefox-reason"
                  href={safeHttpUrl(reason.url) ?? undefined}
                  target="_blank"
                  rel="noreferrer"
                >
                  <code>{reason.name}</code>
                </a>
              ) : (
                <code class="firefox-reason">{reason.name}</code>
              )}
            </dd>
          </>
        )}
        {verdict.chromeError && (
          <>
            <dt>{byChrome ? "Chrome's error" : "Chrome's name for it"}</dt>
            <dd>
              <code class="chrome-error">{verdict.chromeError}</code>
            </dd>
          </>
        )}
        {verdict.chromeError && param !== undefined && (
          <>
            <dt>About</dt>
            <dd>
              <code class="failed-parameter">{param}</code>
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
      </dl>
      {verdict.consoleMessage && (
        <div class="console">
          <div class="recipe-bar">
            <span>Console message</span>
            <CopyButton text={verdict.consoleMessage} label="Copy message" />
          </div>
          <pre class="code console-message" tabIndex={0} aria-label={`${label} console message`}>
            {verdict.consoleMessage}
          </pre>
        </div>
      )}
      {verdict.otherBrowser && (
        <p class={`other-browser agrees-${String(verdict.otherBrowser.agrees)}`}>
          {verdict.otherBrowser.text}
        </p>
      )}
    </Section>
  );
}
