/**
 * Human-readable terminal output for one call: the same verdict title, explanation, fix and findings
 * as the panel, as plain text (coloured on a TTY).
 */
import {
  type Exchange,
  type FixPlan,
  profileOf,
  type HeaderChange,
  recipesFor,
  sharedNotes,
  type StackEvidence,
  STACKS,
  type Verdict,
} from '../engine';
import { ROW_STATE_LABEL, rowState, rowStateOf, stepsOf, type RowVerdict } from '../report/describe';
export type { RowVerdict } from '../report/describe';
import { printable, printableEntry } from '../report/printable';
import type { Colors } from './term';

/** `code` spans (the engine's explanations quote values in backticks) in a colour; kept as is without colour. */
function spans(c: Colors, text: string): string {
  if (!c.isColorSupported) return text;
  return text.replace(/`([^`]+)`/g, (_m, v: string) => c.cyan(v));
}

function wrap(text: string, width: number, indent = ''): string {
  const out: string[] = [];
  for (const para of text.split('\n')) {
    let line = '';
    for (const word of para.split(/ +/)) {
      if (line && line.length + 1 + word.length > width) {
        out.push(indent + line);
        line = word;
      } else line = line ? `${line} ${word}` : word;
    }
    out.push(indent + line);
  }
  return out.join('\n');
}

export function outcomeColor(
  c: Colors,
  outcome: Verdict['outcome'],
  hasConcern = false,
): (s: string) => string {
  switch (outcome) {
    case 'blocked':
      return (s) => c.bold(c.red(s));
    case 'allowed':
      return hasConcern ? (s) => c.bold(c.yellow(s)) : (s) => c.bold(c.green(s));
    case 'failed':
      return (s) => c.bold(c.magenta(s));
    default:
      return (s) => c.bold(s);
  }
}

export function renderTrace(c: Colors, exchange: Exchange): string[] {
  const out: string[] = [];
  for (const s of stepsOf(exchange)) {
    const what = s.kind === 'preflight' ? 'preflight' : s.legIndex > 0 ? `redirect ${s.legIndex}` : 'request';
    const status = s.response
      ? String(s.response.statusCode)
      : s.error
        ? s.error
        : s.notSent
          ? 'not sent'
          : 'no response';
    out.push(`  ${c.dim(what.padEnd(10))} ${s.method} ${s.url} ${c.dim('→')} ${status}`);
  }
  return out;
}

export interface RenderOptions {
  /** The stack the user named (--stack); wins over the evidence in the responses. */
  stack?: string;
  /** Print the recipe (default); `har` prints one per API origin instead. */
  recipe?: boolean;
}

/** Every string from the server or the file is escaped before it meets a colour code (printable.ts). */
export function renderCall(
  c: Colors,
  rawExchange: Exchange,
  rawVerdict: Verdict,
  width = 100,
  opts: RenderOptions = {},
): string {
  const { exchange, verdict } = printableEntry({ exchange: rawExchange, verdict: rawVerdict });
  const lines: string[] = [];
  const state = rowState({ exchange, verdict });
  const color = outcomeColor(c, verdict.outcome, state === 'finding');
  const label = ROW_STATE_LABEL[state];
  // The title often starts with the state ("Allowed, but: …"): say it once.
  const head = verdict.title.toLowerCase().startsWith((label.split(',')[0] ?? label).toLowerCase())
    ? color(spans(c, verdict.title))
    : `${color(label)}: ${spans(c, verdict.title)}`;
  lines.push(head);
  // Whose rules judged the call (`--browser`): its reason and console words under its name; Chrome's
  // error name stays as a cross-reference.
  const browser = profileOf(verdict.browser).label;
  const chrome: string[] = [];
  if (verdict.browser === 'firefox' && verdict.firefoxReason)
    chrome.push(`${browser} reason ${c.bold(verdict.firefoxReason.name)}`);
  if (verdict.chromeError) chrome.push(`Chrome error ${c.bold(verdict.chromeError)}`);
  if (verdict.failedParameter) chrome.push(`failed parameter ${c.bold(verdict.failedParameter)}`);
  if (verdict.netError) chrome.push(verdict.netError);
  if (chrome.length) lines.push(c.dim(chrome.join(' · ')));
  lines.push('', ...renderTrace(c, exchange));
  if (verdict.consoleMessage)
    lines.push('', c.dim(`${browser}'s console message:`), wrap(verdict.consoleMessage, width, '  '));
  if (verdict.explanation.length) {
    lines.push('', c.bold('Why'));
    for (const p of verdict.explanation) lines.push(spans(c, wrap(p, width, '  ')));
  }
  if (verdict.confidence.level === 'inferred') {
    lines.push('', c.dim(wrap(`Inferred: ${verdict.confidence.reason}`, width, '  ')));
  }
  const fix = verdict.fix;
  if (fix) {
    lines.push('', c.bold('Fix'), spans(c, wrap(fix.summary, width, '  ')));
    lines.push(...renderHeaderChanges(c, fix.headers));
    if (opts.recipe !== false)
      lines.push(...renderRecipe(c, fix.plan, fix.detected ?? [], opts.stack, width));
  }
  if (verdict.findings.length) {
    lines.push('', c.bold('Findings'));
    for (const f of verdict.findings) {
      const sev =
        f.severity === 'danger'
          ? c.red(f.severity)
          : f.severity === 'warning'
            ? c.yellow(f.severity)
            : c.dim(f.severity);
      lines.push(`  - [${sev}] ${spans(c, f.title)}`);
      lines.push(spans(c, wrap(`${f.detail}${f.advice ? ` ${f.advice}` : ''}`, width - 4, '    ')));
    }
  }
  return lines.join('\n') + '\n';
}

/** One line per call, for lists (har). */
export function renderRow(c: Colors, exchange: Exchange, verdict: Verdict): string {
  return renderRowOf(c, exchange.method, exchange.legs[0]?.url, verdict);
}

/**
 * {@link renderRow} from the fields it shows. Only those are escaped (a big HAR has a row per call; the
 * rest of the verdict's words are not built for it).
 */
export function renderRowOf(c: Colors, method: string, url: string | undefined, verdict: RowVerdict): string {
  const state = rowStateOf(verdict);
  const color = outcomeColor(c, verdict.outcome, state === 'finding');
  const word = (s: string) => printable(s, { lines: true });
  const label = {
    blocked: 'BLOCKED',
    finding: 'ALLOWED*',
    allowed: 'allowed',
    failed: 'FAILED',
    pending: 'pending',
    'not-cors': 'not-cors',
  }[state];
  // The name the judging browser gives the failure: Firefox's reason for a verdict by Firefox's rules
  // (as its console and the panel's Firefox build name it), else Chrome's error.
  const name =
    verdict.browser === 'firefox' && verdict.firefoxReason ? verdict.firefoxReason.name : verdict.chromeError;
  const err = name
    ? ` ${c.dim(`[${word(name)}${verdict.chromeError && verdict.failedParameter ? `: ${word(verdict.failedParameter)}` : ''}]`)}`
    : '';
  return `${color(label.padEnd(8))} ${printable(method)} ${url === undefined ? '' : printable(url)}\n         ${spans(c, word(verdict.title))}${err}\n`;
}

export function renderHeaderChanges(c: Colors, headers: readonly HeaderChange[]): string[] {
  return headers.map((h) => {
    const value = h.value === null ? c.red('(remove)') : c.cyan(h.value);
    return `  ${c.dim(`[${h.on}]`)} ${h.name}: ${value}`;
  });
}

/** The valid --stack names, for help and errors. */
export const STACK_NAMES = STACKS.map((s) => s.id).join(', ');

/**
 * The recipe for the stack the user named or the responses point at, with its notes. With neither,
 * the stack is unknown: say so, and leave the header lines (printed above) as the fix, as the panel
 * does; a stack's code is never shown as if it were theirs.
 */
export function renderRecipe(
  c: Colors,
  plan: FixPlan,
  detected: readonly StackEvidence[],
  stack: string | undefined,
  width: number,
): string[] {
  const lines: string[] = [''];
  const top = detected[0];
  const chosen = stack ?? top?.stack;
  const recipe = chosen
    ? recipesFor(plan, { stack: chosen, detected }).find((r) => r.stack === chosen)
    : undefined;
  const notes = recipe ? recipe.notes : sharedNotes(plan);
  if (!recipe) {
    lines.push(
      wrap(
        `Server stack: unknown. Nothing in the responses points at one, so the header lines above are the fix: what any stack must send. For code, name your stack with --stack <name> (${STACK_NAMES}).`,
        width,
        '  ',
      ),
    );
  } else {
    lines.push(
      c.dim(
        wrap(
          stack
            ? `${recipe.label} (--stack ${stack}):`
            : `Server stack: looks like ${recipe.label} (${top?.confidence} confidence), from \`${top?.evidence}\`. Not yours? Pass --stack <name>.`,
          width,
          '  ',
        ),
      ),
    );
    for (const l of recipe.code.split('\n')) lines.push(`    ${l}`);
  }
  if (notes.length) {
    lines.push('', c.dim('  Notes:'));
    for (const n of notes) lines.push(spans(c, wrap(n, width - 4, '    ').replace(/^ {4}/, '  - ')));
  }
  return lines;
}
