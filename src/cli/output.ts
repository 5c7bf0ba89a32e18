/** Where the command line writes: stdout and stderr with their colours, reports and help texts. */
import { buildReport, INDENT_MAX_CALLS, reportCall, reportJson, type ReportCall } from '../report/json';
import { prose, reportMarkdownParts } from '../report/markdown';
import type { LogEntry } from '../shared/protocol';
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
        out.write(s);
        return;
      }
    }
    this.used += this.buf.write(s, this.used);
  }

  flush(): void {
    if (!this.used) return;
    // The stream may keep the buffer until it is written: the next chunk gets a new one.
    out.write(this.buf.subarray(0, this.used));
    this.buf = Buffer.allocUnsafe(ChunkedOutput.SIZE);
    this.used = 0;
  }
}

/** What a HAR could not tell, per call and for the file: added to the report as `notes` fields. */
export interface HarNotes {
  file: string[];
  calls: string[][];
}

/**
 * The JSON report, written call by call when it is big (the same bytes as reportJson(), which is
 * compact above INDENT_MAX_CALLS calls), so that a 10,000-call HAR never exists as one string.
 */
function writeJsonReport(
  entries: LogEntry[],
  redact: boolean,
  scope: 'call' | 'listed',
  notes?: HarNotes,
): void {
  const options = { redact, scope, generator: `cors-lens ${VERSION}` };
  const withNotes = <T extends object>(call: T, i: number): T =>
    notes?.calls[i]?.length ? { ...call, notes: notes.calls[i] } : call;
  if (entries.length <= INDENT_MAX_CALLS) {
    if (!notes) {
      out.write(reportJson(entries, options));
      return;
    }
    const report = buildReport(entries, options);
    out.write(
      JSON.stringify({ ...report, notes: notes.file, calls: report.calls.map(withNotes) }, null, 2) + '\n',
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
    ...(notes ? { notes: notes.file } : {}),
    calls: [],
  };
  // `calls` is the envelope's last field: open it, stream the calls, close it.
  const head = JSON.stringify(envelope);
  const w = new ChunkedOutput();
  w.write(head.slice(0, head.length - 2));
  entries.forEach((e, i) => {
    // reportCall's object is new: the notes go on it as they would on a copy, as the last field.
    const call: ReportCall & { notes?: string[] } = reportCall(e, redact);
    const callNotes = notes?.calls[i];
    if (callNotes?.length) call.notes = callNotes;
    if (i) w.write(',');
    w.write(JSON.stringify(call));
  });
  w.write(']}\n');
  w.flush();
}

export function writeReport(
  entries: LogEntry[],
  format: 'json' | 'markdown',
  redact: boolean,
  scope: 'call' | 'listed',
  title?: string,
  notes?: HarNotes,
): void {
  if (format === 'json') writeJsonReport(entries, redact, scope, notes);
  else {
    const w = new ChunkedOutput();
    for (const part of reportMarkdownParts(entries, { redact, ...(title ? { title } : {}) })) w.write(part);
    if (notes?.file.length)
      w.write(`\n## What the file could not tell\n\n${notes.file.map((n) => `- ${prose(n)}`).join('\n')}\n`);
    w.flush();
  }
}

/** `cors-lens --help` or `cors-lens <command> --help`. */
export function help(command?: string): number {
  out.write(command ? commandHelp(command, c) : HELP(c));
  return 0;
}
