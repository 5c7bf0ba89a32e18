/** Where the command line writes: stdout and stderr with their colours, reports and help texts. */
import { once } from 'node:events';
import { buildReport, INDENT_MAX_CALLS, reportCall, reportJson, type ReportCall } from '../report/json';
import { fenced, prose, reportMarkdownParts } from '../report/markdown';
import { redactText } from '../report/redact';
import type { LogEntry } from '../engine';
import { HELP, commandHelp } from './help';
import { colorsFor } from './term';
import { VERSION } from './version';

export const out = process.stdout;
export const err = process.stderr;
export const c = colorsFor(out);
export const ce = colorsFor(err);

/**
 * Output gathered and written in pieces of about 1 MB: a few large writes instead of one per line
 * (stdout to a file or a pipe is written synchronously), and no big report held as one string. Each
 * piece is encoded into the chunk's buffer as it comes (no 1 MB string is joined, then encoded).
 */
export class ChunkedOutput {
  private static readonly SIZE = 1 << 20;
  private buf = Buffer.allocUnsafe(ChunkedOutput.SIZE);
  private used = 0;

  write(s: string): void {
    // At most 3 UTF-8 bytes per UTF-16 unit. Every piece ends with a whole character (the callers
    // write whole lines and whole JSON values), so encoding piece by piece gives the same bytes.
    if (this.used + s.length * 3 > this.buf.length) {
      this.flush();
      if (s.length * 3 > this.buf.length) {
        if (!out.write(s)) this.full = true;
        return;
      }
    }
    this.used += this.buf.write(s, this.used);
  }

  flush(): void {
    if (!this.used) return;
    // The stream may keep the buffer until it is written: the next chunk gets a new one.
    if (!out.write(this.buf.subarray(0, this.used))) this.full = true;
    this.buf = Buffer.allocUnsafe(ChunkedOutput.SIZE);
    this.used = 0;
  }

  /** Whether stdout holds more than it should (a pipe to a slower reader, `| jq`). */
  private full = false;

  /**
   * Writes the pieces in order and flushes. Whenever stdout is full, waits for it to drain before the
   * next piece is made: otherwise the whole output would pile up in memory.
   */
  async writeParts(parts: Iterable<string>): Promise<void> {
    for (const part of parts) {
      this.write(part);
      if (!this.full) continue;
      this.full = false;
      if (out.writableNeedDrain) await once(out, 'drain');
    }
    this.flush();
  }
}

/**
 * What a HAR could not tell, per call and for the file: added to the report as `notes` fields; the
 * `cors-lens check` command for each call whose answer the file does not hold (`checkCommand`); the
 * producer; and the entries that could not be read (`problems`).
 */
export interface HarNotes {
  file: string[];
  calls: string[][];
  checks?: (string | undefined)[];
  /** Extra envelope fields (`producer`, `problems`, and `recheck` with --recheck). */
  envelope?: Record<string, unknown>;
  /** Extra fields per call (`recheck` with --recheck). */
  extra?: (Record<string, unknown> | undefined)[];
}

/** The HAR fields of one call, in a fixed order after the report's own. */
function harFields(notes: HarNotes | undefined, i: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (!notes) return out;
  const n = notes.calls[i];
  if (n?.length) out.notes = n;
  const check = notes.checks?.[i];
  if (check) out.checkCommand = check;
  const extra = notes.extra?.[i];
  if (extra) Object.assign(out, extra);
  return out;
}

/**
 * The JSON report, written call by call when it is big (the same bytes as reportJson(), which is
 * compact above INDENT_MAX_CALLS calls), so that a 10,000-call HAR never exists as one string.
 */
async function writeJsonReport(
  entries: LogEntry[],
  redact: boolean,
  scope: 'call' | 'listed',
  notes?: HarNotes,
): Promise<void> {
  const options = { redact, scope, generator: `cors-lens ${VERSION}` };
  const withNotes = <T extends object>(call: T, i: number): T => ({ ...call, ...harFields(notes, i) });
  if (entries.length <= INDENT_MAX_CALLS) {
    if (!notes) {
      out.write(reportJson(entries, options));
      return;
    }
    const report = buildReport(entries, options);
    out.write(
      JSON.stringify(
        { ...report, ...notes.envelope, notes: notes.file, calls: report.calls.map(withNotes) },
        null,
        2,
      ) + '\n',
    );
    return;
  }
  const { calls: _none, ...head0 } = buildReport([], options);
  const envelope: object = {
    ...head0,
    counts: {
      calls: entries.length,
      blocked: entries.filter((e) => e.verdict.outcome === 'blocked').length,
      withFindings: entries.filter((e) => e.verdict.findings.length > 0).length,
    },
    ...(notes ? { ...notes.envelope, notes: notes.file } : {}),
    calls: [],
  };
  // `calls` is the envelope's last field: open it, stream the calls, close it.
  const head = JSON.stringify(envelope);
  await new ChunkedOutput().writeParts(
    (function* () {
      yield head.slice(0, head.length - 2);
      for (const [i, e] of entries.entries()) {
        // reportCall's object is new: the notes go on it as they would on a copy, as the last field.
        const call: ReportCall = Object.assign(reportCall(e, redact), harFields(notes, i));
        yield `${i ? ',' : ''}${JSON.stringify(call)}`;
      }
      yield ']}\n';
    })(),
  );
}

export async function writeReport(
  entries: LogEntry[],
  format: 'json' | 'markdown',
  redact: boolean,
  scope: 'call' | 'listed',
  title?: string,
  notes?: HarNotes,
): Promise<void> {
  if (format === 'json') return writeJsonReport(entries, redact, scope, notes);
  const checks: CheckToAsk[] = [];
  for (const [i, cmd] of (notes?.checks ?? []).entries()) {
    const e = entries[i];
    if (cmd)
      checks.push({
        method: e?.exchange.method ?? '',
        url: e?.exchange.legs[0]?.url ?? '',
        cmd,
        recheck: notes?.extra?.[i]?.recheck as CheckToAsk['recheck'],
      });
  }
  const bounds = notes?.envelope?.recheck as RecheckBounds | undefined;
  await new ChunkedOutput().writeParts(
    (function* () {
      yield* reportMarkdownParts(entries, { redact, ...(title ? { title } : {}) });
      yield* harTailMarkdown(notes?.file ?? [], checks, bounds, redact);
    })(),
  );
}

/** A call whose answer the file does not hold: the command that asks the server, and its re-check. */
export interface CheckToAsk {
  method: string;
  url: string;
  cmd: string;
  recheck?: { checkedAt: string; outcome: string | null; chromeError: string | null; error: string | null };
}

export interface RecheckBounds {
  max: number;
  timeoutMs: number;
  checks: number;
}

/** The Markdown report's end for a HAR: what the file could not tell, and the commands to ask the server. */
export function* harTailMarkdown(
  fileNotes: readonly string[],
  checks: readonly CheckToAsk[],
  bounds: RecheckBounds | undefined,
  redact: boolean,
): Generator<string> {
  if (fileNotes.length)
    yield `\n## What the file could not tell\n\n${fileNotes.map((n) => `- ${prose(n)}`).join('\n')}\n`;
  if (!checks.length) return;
  yield `\n## Ask the server: calls whose answer the file does not hold\n\nThe file records that these calls failed, not what the server answered. Each command asks the server the same question (origin, method and request headers from the file):\n\n`;
  if (bounds)
    yield `With \`--recheck\`: at most ${bounds.max} checks, one after another, each request timing out after ${bounds.timeoutMs} ms; ${bounds.checks} made.\n\n`;
  for (const { cmd, method, url, recheck: r } of checks) {
    // The command quotes its own control characters; the fence makes the comment line printable.
    const label = `${method} ${redact ? redactText(url) : url}`;
    yield `${fenced('sh', `# ${label}\n${cmd}`)}\n\n`;
    if (r)
      yield r.error
        ? `Re-checked live at ${r.checkedAt}: the server could not be asked (${prose(r.error)}).\n\n`
        : `Re-checked live at ${r.checkedAt} (the server's answer now, not seen in the file): **${r.outcome ?? ''}**${r.chromeError ? ` (\`${r.chromeError}\`)` : ''}.\n\n`;
  }
}

/** `cors-lens --help` or `cors-lens <command> --help`. */
export function help(command?: string): number {
  out.write(command ? commandHelp(command, c) : HELP(c));
  return 0;
}
