/**
 * The Markdown report: pastes cleanly into GitHub issues and Jira (GFM tables, fenced code, no HTML).
 * One call or many: a summary, the verdict, the header tables, the fix and the curl commands. Pure.
 */
import {
  type Exchange,
  type Fact,
  type Fix,
  type HeaderList,
  type LogEntry,
  profileOf,
  type Recipe,
  type Verdict,
} from '../engine';
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
  rowStateOf,
  stepsOf,
  type RowVerdict,
  WHY_CURL_WORKS,
  type StepView,
} from './describe';
import { printable, printableEntry, safeHttpUrl } from './printable';
import { redactEntry, redactText } from './redact';
import { codeParts } from './words';

export interface MarkdownOptions {
  redact?: boolean;
  /** Stack id of the recipe to put first (the user's pick); defaults to the verdict's order. */
  preferredStack?: string;
  /** ISO time for the header line (defaults to now). */
  generatedAt?: string;
  title?: string;
}

/**
 * Markdown that cannot be hijacked: every text from a server, a file or the engine goes through
 * {@link prose}, {@link code} or {@link fenced}. Values are made printable first (printable.ts).
 */

/** Escapes text for a GFM table cell (one line, no pipes). */
export function cell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ').trim() || ' ';
}

/** Inline code that survives backticks inside the value (a fence longer than any backtick run). */
export function code(text: string): string {
  text = printable(text);
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((s) => s.length));
  const fence = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

/** A fenced block longer than any backtick run in the body; the body keeps its lines. */
export function fenced(lang: string, body: string): string {
  body = printable(body, { lines: 'code' });
  const longest = Math.max(2, ...(body.match(/`{3,}/g) ?? []).map((s) => s.length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}${lang}\n${body.replace(/\n+$/, '')}\n${fence}`;
}

/**
 * A bare URL or e-mail address, which GitHub would turn into a link: shown as code instead. Each branch
 * may start only where its first run starts (the look-behinds), so a megabyte of letters is scanned once,
 * not once per position (without them, `split` on a 1 MB header value never returned).
 */
const AUTOLINK =
  /((?<![a-z0-9+.-])(?:https?:\/\/|www\.|[a-z][a-z0-9+.-]*:)[^\s<>`]+|(?<![\w.+-])[\w.+-]+@[\w-]+\.[\w.-]+)/i;
/** What can open a link, an image, HTML, a code span or a table cell, or escape an escape. */
const SPECIAL = /[\\`[\]<>|*_&!]/g;

function escapeText(text: string, table: boolean): string {
  return text
    .split(AUTOLINK)
    .map((part, i) => (i % 2 ? code(table ? cell(part) : part) : part.replace(SPECIAL, '\\$&')))
    .join('');
}

/**
 * Text for Markdown: the engine's `code` spans become code spans with a safe fence, bare URLs become
 * code, and the rest is escaped so that it can open no link, image or HTML (and, with `table`, no
 * new cell). One line: line breaks become spaces.
 */
export function prose(text: string, table = false): string {
  const line = printable(text.replace(/\r?\n/g, ' '));
  return codeParts(line)
    .map((p) => (p.code ? code(table ? cell(p.text) : p.text) : escapeText(p.text, table)))
    .join('');
}

/**
 * Code in a table cell: one line, pipes escaped. Backslashes are doubled too, though a code span shows
 * them doubled: a value's own backslash before a pipe (`a\|`) would otherwise escape the escape, and
 * GFM would end the cell there.
 */
function cellCode(text: string): string {
  return code(cell(text));
}

function stepTitle(s: StepView): string {
  const what =
    s.kind === 'preflight' ? 'Preflight' : s.legIndex > 0 ? `Redirect leg ${s.legIndex}` : 'Request';
  const status = s.response
    ? ` → ${prose(String(s.response.statusCode))}${s.redirectTo ? ` redirect to ${code(s.redirectTo)}` : ''}`
    : s.error
      ? ` → ${prose(s.error)}`
      : s.notSent
        ? ' → never sent'
        : ' → no response';
  return `${what}: ${prose(s.method)} ${code(s.url)}${status}`;
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
    const name = mark ? `**${prose(h.name, true)}** ⟵ decisive` : prose(h.name, true);
    lines.push(`| ${name} | ${code(cell(lineValue(h)))} |`);
  }
  return lines.join('\n');
}

/** What the stack of the first recipe rests on: the evidence seen, or that nothing pointed at one. */
function stackLine(fix: Fix, first: Recipe): string {
  const top = fix.detected?.[0];
  if (top && top.stack === first.stack)
    return `Server stack: looks like ${first.label} (${prose(top.confidence)} confidence, from ${cellCode(top.evidence)}).`;
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
  out.push(`${h(1)} Fix`, '', prose(fix.summary), '');
  if (fix.headers.length) {
    out.push('| Response | Header | Value |', '|---|---|---|');
    for (const c of fix.headers) {
      out.push(
        `| ${prose(c.on, true)} | ${prose(c.name, true)} | ${c.value === null ? '_remove_' : cellCode(c.value)} |`,
      );
    }
    out.push('');
  }
  const [first, ...others] = recipeOrder(fix.recipes, options.preferredStack);
  if (first && !options.preferredStack) out.push(stackLine(fix, first), '');
  if (first) {
    out.push(`${h(2)} ${prose(first.label)}`, '', fenced(first.language, first.code), '');
    for (const n of first.notes) out.push(`- ${prose(n)}`);
    if (first.notes.length) out.push('');
    if (others.length) {
      const names = others.slice(0, 4).map((r) => r.label);
      const more = others.length > 4 ? ` and ${others.length - 4} more` : '';
      out.push(`The same fix for other stacks (${names.join(', ')}${more}) is in the CORS Lens panel.`, '');
    }
  }
  return out;
}

/** The summary table's rows of one call: each value is Markdown that keeps to its cell. */
function summaryRows(exchange: Exchange, verdict: Verdict, state: string, url: string): [string, string][] {
  const status = finalStatus(exchange);
  const label = profileOf(verdict.browser).label;
  const summary: [string, string][] = [
    ['Outcome', `${state}${verdict.step !== 'none' ? ` (at the ${prose(verdict.step, true)} step)` : ''}`],
    ['Verdict kind', cellCode(verdict.kind)],
    ['Verdict by', `${label}'s rules`],
  ];
  // The engine names the reason of Firefox's verdicts only (Verdict.firefoxReason).
  if (verdict.browser === 'firefox' && verdict.firefoxReason) {
    // A link only to an http(s) page: a report from elsewhere may name any URL.
    const href = safeHttpUrl(verdict.firefoxReason.url);
    const name = cellCode(verdict.firefoxReason.name);
    summary.push([`${label}'s reason`, href ? `[${name}](<${href}>)` : name]);
  }
  if (verdict.chromeError) summary.push(["Chrome's error", cellCode(verdict.chromeError)]);
  // Chrome reports an empty failedParameter for most kinds; an empty code span renders as two backticks.
  if (verdict.failedParameter) summary.push(['Failed parameter', cellCode(verdict.failedParameter)]);
  if (verdict.netError) summary.push(['Network error', cellCode(verdict.netError)]);
  summary.push(
    ['Request', `${cellCode(`${exchange.method} ${url}`)}${isPreflighted(exchange) ? ' (preflighted)' : ''}`],
    ['Page origin', cellCode(verdict.requestOrigin)],
  );
  if (exchange.initiator) summary.push(['Initiator', cellCode(exchange.initiator)]);
  const start = new Date(exchange.startTime);
  summary.push(
    ['Status', status === null ? 'no response' : prose(String(status), true)],
    ['Credentials', prose(verdict.credentials, true)],
    [
      'Confidence',
      verdict.confidence.level === 'certain'
        ? 'certain'
        : `inferred: ${prose(verdict.confidence.reason, true)}`,
    ],
    [
      'Time',
      `${Number.isNaN(start.getTime()) ? 'unknown' : start.toISOString()} (${prose(formatDuration(durationMs(exchange)), true)})`,
    ],
  );
  if (verdict.otherBrowser)
    summary.push([
      `In ${profileOf(verdict.otherBrowser.browser).label}`,
      prose(verdict.otherBrowser.text, true),
    ]);
  return summary;
}

/** Each step's request and response headers, the decisive ones in bold. */
function stepsMarkdown(exchange: Exchange, verdict: Verdict, h: (n: number) => string): string[] {
  const out: string[] = [];
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
  return out;
}

/** The checks table. */
function checksMarkdown(facts: Fact[], h: (n: number) => string): string[] {
  const out: string[] = [];
  if (facts.length) {
    out.push(`${h(1)} Checks`, '');
    out.push('| Step | Header | Expected | Received | Result |', '|---|---|---|---|---|');
    for (const f of facts) {
      const result = `${f.ok ? 'ok' : 'FAILED'}${f.decisive ? ' (decisive)' : ''}`;
      out.push(
        `| ${prose(f.step, true)} | ${f.decisive ? `**${prose(f.name, true)}**` : prose(f.name, true)} | ${prose(f.expected, true)} | ${
          f.received === null ? '_absent_' : cellCode(f.received)
        } | ${result} |`,
      );
    }
    out.push('');
  }
  return out;
}

/** The Markdown of one call, headings starting at `level`. */
export function callMarkdown(entry: LogEntry, options: MarkdownOptions = {}, level = 2): string {
  const redact = options.redact ?? true;
  const raw = redact ? redactEntry(entry) : entry;
  const { exchange, verdict } = printableEntry(raw);
  const h = (n: number) => '#'.repeat(Math.min(6, level + n));
  const url = exchange.legs[0]?.url ?? '';
  const out: string[] = [];
  const state = ROW_STATE_LABEL[rowState({ exchange, verdict })];

  out.push(`${h(0)} ${state}: ${prose(exchange.method)} ${code(url)}`);
  out.push('');
  out.push(`**${prose(verdict.title)}**`);
  out.push('');
  const label = profileOf(verdict.browser).label;
  const summary = summaryRows(exchange, verdict, state, url);
  // Each value is already Markdown that keeps to its cell.
  out.push('| | |', '|---|---|', ...summary.map(([k, v]) => `| ${k} | ${v} |`));
  out.push('');

  if (verdict.consoleMessage) {
    out.push(`${label}'s console message:`, '');
    out.push(fenced('text', verdict.consoleMessage), '');
  }

  if (verdict.explanation.length) {
    out.push(`${h(1)} Why`, '');
    for (const p of verdict.explanation) out.push(prose(p), '');
  }

  out.push(...stepsMarkdown(exchange, verdict, h), ...checksMarkdown(verdict.facts, h));

  if (verdict.fix) out.push(...fixMarkdown(verdict.fix, options, h));

  if (verdict.findings.length) {
    out.push(`${h(1)} Findings`, '');
    for (const f of verdict.findings) {
      out.push(
        `- **${prose(f.title)}** (${prose(f.severity)}, ${code(f.id)}): ${prose(f.detail)}${f.advice ? ` ${prose(f.advice)}` : ''}`,
      );
    }
    out.push('');
  }

  // From the exact values: curl quotes a control character as $'\x1b', which the shell turns back into it.
  const curl = curlCommands(raw.exchange, { redact: false, legIndex: 0 });
  out.push(`${h(1)} Reproduce with curl`, '', WHY_CURL_WORKS, '');
  out.push(fenced('sh', [curl.preflight, curl.actual].filter(Boolean).join('\n\n')), '');
  return out.join('\n');
}

/** A report for one or many calls. */
export function reportMarkdown(entries: readonly LogEntry[], options: MarkdownOptions = {}): string {
  return [...reportMarkdownParts(entries, options)].join('');
}

/** A call as a report's table shows it: its method, first URL, and the verdict fields a row reads. */
export interface CallRow {
  method: string;
  url: string | undefined;
  verdict: RowVerdict;
}

/**
 * The calls of a report, read twice: once as table rows, once whole (a big HAR's reader keeps only the
 * rows and judges the calls again for their sections).
 */
export interface ReportCalls {
  count: number;
  rows(): Iterable<CallRow>;
  /** The same calls in the same order. */
  entries(): Iterable<LogEntry>;
}

/**
 * {@link reportMarkdown} piece by piece (the pieces joined are the report), so that a report of
 * thousands of calls can be written out without ever existing as one string.
 */
export function reportMarkdownParts(
  entries: readonly LogEntry[],
  options: MarkdownOptions = {},
): Generator<string, void, undefined> {
  return markdownParts(
    {
      count: entries.length,
      rows: () =>
        entries.map((e) => ({ method: e.exchange.method, url: e.exchange.legs[0]?.url, verdict: e.verdict })),
      entries: () => entries,
    },
    options,
  );
}

/** {@link reportMarkdownParts} for calls read twice ({@link ReportCalls}). */
export function* markdownParts(
  calls: ReportCalls,
  options: MarkdownOptions = {},
): Generator<string, void, undefined> {
  const redact = options.redact ?? true;
  const when = options.generatedAt ?? new Date().toISOString();
  const note = `_Generated by CORS Lens on ${when}${redact ? '; secrets redacted' : '; secrets NOT redacted'}._`;
  if (calls.count === 1) {
    for (const e of calls.entries()) yield `${callMarkdown(e, options, 2)}\n${note}\n`;
    return;
  }
  const head = [`# ${prose(options.title ?? `CORS Lens report: ${calls.count} calls`)}`, '', note, ''];
  if (!calls.count) {
    yield head.join('\n') + '\nNo calls.\n';
    return;
  }
  head.push('| # | Outcome | Method | URL | Verdict | Chrome error |', '|---|---|---|---|---|---|');
  yield head.join('\n') + '\n';
  // The table redacts the two texts it quotes (the URL, the title) as redactEntry() would: each
  // call's whole entry is redacted once, for its section below.
  const red = (text: string) => (redact ? redactText(text) : text);
  let i = 0;
  for (const r of calls.rows()) {
    yield `| ${++i} | ${ROW_STATE_LABEL[rowStateOf(r.verdict)]} | ${prose(r.method, true)} | ${cellCode(red(r.url ?? ''))} | ${prose(
      red(r.verdict.title),
      true,
    )} | ${r.verdict.chromeError ? cellCode(r.verdict.chromeError) : ' '} |\n`;
  }
  yield '\n';
  i = 0;
  for (const e of calls.entries()) yield `${++i > 1 ? '\n' : ''}${callMarkdown(e, options, 2)}\n---\n`;
}
