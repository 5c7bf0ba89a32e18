/**
 * The Markdown report: pastes cleanly into GitHub issues and Jira (GFM tables, fenced code, no HTML).
 * One call or many: a summary, the verdict, the header tables, the fix and the curl commands. Pure.
 */
import type { Fact, Fix, HeaderList, Recipe } from '../engine/types';
import type { LogEntry } from '../shared/protocol';
import { curlCommands } from './curl';
import {
  decisiveStepIndex,
  durationMs,
  finalStatus,
  formatDuration,
  isPreflighted,
  lineValue,
  orderHeaders,
  ROW_STATE_LABEL,
  rowState,
  stepsOf,
  WHY_CURL_WORKS,
  type StepView,
} from './describe';
import { redactEntry, redactText } from './redact';

export interface MarkdownOptions {
  redact?: boolean;
  /** Stack id of the recipe to put first (the user's pick); defaults to the verdict's order. */
  preferredStack?: string;
  /** ISO time for the header line (defaults to now). */
  generatedAt?: string;
  title?: string;
}

/** Escapes text for a GFM table cell (one line, no pipes). */
export function cell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ').trim() || ' ';
}

/** Inline code that survives backticks inside the value. */
export function code(text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((s) => s.length));
  const fence = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

function fenced(lang: string, body: string): string {
  const longest = Math.max(2, ...(body.match(/`{3,}/g) ?? []).map((s) => s.length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}${lang}\n${body.replace(/\n+$/, '')}\n${fence}`;
}

function stepTitle(s: StepView): string {
  const what =
    s.kind === 'preflight' ? 'Preflight' : s.legIndex > 0 ? `Redirect leg ${s.legIndex}` : 'Request';
  const status = s.response
    ? ` → ${s.response.statusCode}${s.redirectTo ? ` redirect to ${s.redirectTo}` : ''}`
    : s.error
      ? ` → ${s.error}`
      : s.notSent
        ? ' → never sent'
        : ' → no response';
  return `${what}: ${s.method} ${s.url}${status}`;
}

function decisiveNames(facts: Fact[], kind: 'preflight' | 'actual'): Set<string> {
  return new Set(
    facts
      .filter((f) => f.decisive && (kind === 'preflight' ? f.step === 'preflight' : f.step !== 'preflight'))
      .map((f) => f.name.toLowerCase()),
  );
}

function headerTable(title: string, list: HeaderList | undefined, decisive: Set<string>): string {
  const rows = orderHeaders(list);
  // An observed list can be empty (a bare 404): say so, rather than "not observed".
  if (!rows.length) return list ? `_${title}: no headers at all._` : `_${title}: not observed._`;
  const lines = [`| ${title} | Value |`, '|---|---|'];
  for (const h of rows) {
    const mark = decisive.has(h.name.toLowerCase());
    const name = mark ? `**${cell(h.name)}** ⟵ decisive` : cell(h.name);
    lines.push(`| ${name} | ${code(cell(lineValue(h)))} |`);
  }
  return lines.join('\n');
}

/** What the stack of the first recipe rests on: the evidence seen, or that nothing pointed at one. */
function stackLine(fix: Fix, first: Recipe): string {
  const top = fix.detected?.[0];
  if (top && top.stack === first.stack)
    return `Server stack: looks like ${first.label} (${top.confidence} confidence, from ${code(cell(top.evidence))}).`;
  return `Server stack: unknown — nothing in the responses points at one. The header changes above are what any stack must send; the code below is for ${first.label} as an example: pick your stack in the CORS Lens panel.`;
}

function recipeOrder(recipes: Recipe[], preferred: string | undefined): Recipe[] {
  if (!preferred) return recipes;
  const i = recipes.findIndex((r) => r.stack === preferred);
  return i <= 0 ? recipes : [recipes[i]!, ...recipes.slice(0, i), ...recipes.slice(i + 1)];
}

/** The Fix section: the sentence, the header changes, and the recipe for the stack shown. */
function fixMarkdown(fix: Fix, options: MarkdownOptions, h: (n: number) => string): string[] {
  const out: string[] = [];
  out.push(`${h(1)} Fix`, '', fix.summary, '');
  if (fix.headers.length) {
    out.push('| Response | Header | Value |', '|---|---|---|');
    for (const c of fix.headers) {
      out.push(`| ${c.on} | ${cell(c.name)} | ${c.value === null ? '_remove_' : code(cell(c.value))} |`);
    }
    out.push('');
  }
  const [first, ...others] = recipeOrder(fix.recipes, options.preferredStack);
  if (first && !options.preferredStack) out.push(stackLine(fix, first), '');
  if (first) {
    out.push(`${h(2)} ${first.label}`, '', fenced(first.language, first.code), '');
    for (const n of first.notes) out.push(`- ${n}`);
    if (first.notes.length) out.push('');
    if (others.length) {
      const names = others.slice(0, 4).map((r) => r.label);
      const more = others.length > 4 ? ` and ${others.length - 4} more` : '';
      out.push(`The same fix for other stacks (${names.join(', ')}${more}) is in the CORS Lens panel.`, '');
    }
  }
  return out;
}

/** The Markdown of one call, headings starting at `level`. */
export function callMarkdown(entry: LogEntry, options: MarkdownOptions = {}, level = 2): string {
  const redact = options.redact ?? true;
  const { exchange, verdict } = redact ? redactEntry(entry) : entry;
  const h = (n: number) => '#'.repeat(Math.min(6, level + n));
  const url = exchange.legs[0]?.url ?? '';
  const out: string[] = [];
  const state = ROW_STATE_LABEL[rowState({ exchange, verdict })];

  out.push(`${h(0)} ${state}: ${exchange.method} ${url}`);
  out.push('');
  out.push(`**${verdict.title}**`);
  out.push('');
  const status = finalStatus(exchange);
  const summary: [string, string][] = [
    ['Outcome', `${state}${verdict.step !== 'none' ? ` (at the ${verdict.step} step)` : ''}`],
    ['Verdict kind', code(verdict.kind)],
  ];
  const label = verdict.browser === 'firefox' ? 'Firefox' : 'Chrome';
  summary.push(['Verdict by', `${label}'s rules`]);
  if (verdict.browser === 'firefox' && verdict.firefoxReason)
    summary.push(["Firefox's reason", `[${code(verdict.firefoxReason.name)}](${verdict.firefoxReason.url})`]);
  if (verdict.chromeError) summary.push(["Chrome's error", code(verdict.chromeError)]);
  // Chrome reports an empty failedParameter for most kinds; an empty code span renders as two backticks.
  if (verdict.failedParameter) summary.push(['Failed parameter', code(verdict.failedParameter)]);
  if (verdict.netError) summary.push(['Network error', code(verdict.netError)]);
  summary.push(
    ['Request', `${code(`${exchange.method} ${url}`)}${isPreflighted(exchange) ? ' (preflighted)' : ''}`],
    ['Page origin', code(verdict.requestOrigin)],
  );
  if (exchange.initiator) summary.push(['Initiator', code(exchange.initiator)]);
  summary.push(
    ['Status', status === null ? 'no response' : String(status)],
    ['Credentials', verdict.credentials],
    [
      'Confidence',
      verdict.confidence.level === 'certain' ? 'certain' : `inferred: ${verdict.confidence.reason}`,
    ],
    ['Time', `${new Date(exchange.startTime).toISOString()} (${formatDuration(durationMs(exchange))})`],
  );
  if (verdict.otherBrowser)
    summary.push([
      verdict.otherBrowser.browser === 'firefox' ? 'In Firefox' : 'In Chrome',
      verdict.otherBrowser.text,
    ]);
  out.push('| | |', '|---|---|', ...summary.map(([k, v]) => `| ${k} | ${cell(v)} |`));
  out.push('');

  if (verdict.consoleMessage) {
    out.push(`${label}'s console message:`, '');
    out.push(fenced('text', verdict.consoleMessage), '');
  }

  if (verdict.explanation.length) {
    out.push(`${h(1)} Why`, '');
    for (const p of verdict.explanation) out.push(p, '');
  }

  const steps = stepsOf(exchange);
  if (steps.length) {
    const decisive = decisiveStepIndex(steps, verdict.step, verdict.legIndex);
    out.push(`${h(1)} What the browser asked, what the server answered`, '');
    steps.forEach((s, i) => {
      out.push(`${h(2)} ${i + 1}. ${stepTitle(s)}${i === decisive ? ' (decisive step)' : ''}`, '');
      if (s.notSent) {
        out.push('_The browser never sent this request: the check before it failed._', '');
        return;
      }
      const names = i === decisive ? decisiveNames(verdict.facts, s.kind) : new Set<string>();
      out.push(headerTable('The browser asked', s.requestHeaders, names), '');
      out.push(headerTable('The server answered', s.response?.headers, names), '');
    });
  }

  if (verdict.facts.length) {
    out.push(`${h(1)} Checks`, '');
    out.push('| Step | Header | Expected | Received | Result |', '|---|---|---|---|---|');
    for (const f of verdict.facts) {
      const result = `${f.ok ? 'ok' : 'FAILED'}${f.decisive ? ' (decisive)' : ''}`;
      out.push(
        `| ${f.step} | ${cell(f.decisive ? `**${f.name}**` : f.name)} | ${cell(f.expected)} | ${
          f.received === null ? '_absent_' : code(cell(f.received))
        } | ${result} |`,
      );
    }
    out.push('');
  }

  if (verdict.fix) out.push(...fixMarkdown(verdict.fix, options, h));

  if (verdict.findings.length) {
    out.push(`${h(1)} Findings`, '');
    for (const f of verdict.findings) {
      out.push(
        `- **${f.title}** (${f.severity}, ${code(f.id)}): ${f.detail}${f.advice ? ` ${f.advice}` : ''}`,
      );
    }
    out.push('');
  }

  const curl = curlCommands(exchange, { redact: false, legIndex: 0 });
  out.push(`${h(1)} Reproduce with curl`, '', WHY_CURL_WORKS, '');
  out.push(fenced('sh', [curl.preflight, curl.actual].filter(Boolean).join('\n\n')), '');
  return out.join('\n');
}

/** A report for one or many calls. */
export function reportMarkdown(entries: readonly LogEntry[], options: MarkdownOptions = {}): string {
  return [...reportMarkdownParts(entries, options)].join('');
}

/**
 * {@link reportMarkdown} piece by piece (the pieces joined are the report), so that a report of
 * thousands of calls can be written out without ever existing as one string.
 */
export function* reportMarkdownParts(
  entries: readonly LogEntry[],
  options: MarkdownOptions = {},
): Generator<string, void, undefined> {
  const redact = options.redact ?? true;
  const when = options.generatedAt ?? new Date().toISOString();
  const note = `_Generated by CORS Lens on ${when}${redact ? '; secrets redacted' : '; secrets NOT redacted'}._`;
  if (entries.length === 1) {
    yield `${callMarkdown(entries[0]!, options, 2)}\n${note}\n`;
    return;
  }
  const head = [`# ${options.title ?? `CORS Lens report: ${entries.length} calls`}`, '', note, ''];
  if (!entries.length) {
    yield head.join('\n') + '\nNo calls.\n';
    return;
  }
  head.push('| # | Outcome | Method | URL | Verdict | Chrome error |', '|---|---|---|---|---|---|');
  yield head.join('\n') + '\n';
  // The table redacts the two texts it quotes (the URL, the title) as redactEntry() would: each
  // call's whole entry is redacted once, for its section below.
  const red = (text: string) => (redact ? redactText(text) : text);
  for (const [i, e] of entries.entries()) {
    yield `| ${i + 1} | ${ROW_STATE_LABEL[rowState(e)]} | ${e.exchange.method} | ${cell(red(e.exchange.legs[0]?.url ?? ''))} | ${cell(
      red(e.verdict.title),
    )} | ${e.verdict.chromeError ? code(e.verdict.chromeError) : ' '} |\n`;
  }
  yield '\n';
  const last = entries.length - 1;
  for (const [i, e] of entries.entries())
    yield `${callMarkdown(e, options, 2)}\n---\n${i < last ? '\n' : ''}`;
}
