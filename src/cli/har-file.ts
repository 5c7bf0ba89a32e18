/**
 * `har`'s file reading and text output, shared by `cors-lens har` and the MCP tool `cors_explain_har`.
 */
import { readFileSync } from 'node:fs';
import { explainHarText, type HarResult } from '../har';
import { annotateLog } from '../report/echo';
import { printable } from '../report/printable';
import type { LogEntry } from '../shared/protocol';
import { RunError } from './args';
import type { HarNotes } from './output';
import { renderCall, renderRow } from './render';
import type { Colors } from './term';

export type JudgedHar = HarResult & { ok: true };

/** Reads and judges a HAR file; the file's text and parsed JSON are garbage once this returns. */
export function readHarFile(file: string, onProgress?: (message: string) => void): JudgedHar {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new RunError(
      code === 'ENOENT'
        ? `${file}: no such file`
        : code === 'EISDIR'
          ? `${file} is a directory`
          : `${file}: ${(e as Error).message}`,
    );
  }
  const big = text.length > 5_000_000;
  if (big) onProgress?.(`reading ${file} (${Math.round(text.length / 1e6)} MB)`);
  const result = explainHarText(text, {
    onProgress: big && onProgress ? (d, t) => onProgress(`judging call ${d} of ${t}`) : undefined,
  });
  if (!result.ok) throw new RunError(`${file}: ${result.error}`);
  return result;
}

/** The judged calls, with the cross-call evidence (one API answering several origins) the panel shows. */
export function harEntries(result: JudgedHar): LogEntry[] {
  return annotateLog(result.calls.map(({ exchange, verdict }) => ({ exchange, verdict })));
}

export function harNotes(result: JudgedHar): HarNotes {
  return { file: result.notes, calls: result.calls.map((x) => x.notes) };
}

/**
 * The text report in pieces (a 10,000-call file is never one string): the counts, one row per call
 * (at most `maxRows`), the details of the first 20 blocked calls, and what the file could not tell.
 */
export function* harTextParts(
  c: Colors,
  file: string,
  result: JudgedHar,
  width: number,
  maxRows = Infinity,
): Generator<string> {
  const s = result.stats;
  const entries = harEntries(result);
  const calls = result.calls.map((call, i) => ({ ...call, verdict: entries[i]!.verdict }));
  const blocked = calls.filter((x) => x.verdict.outcome === 'blocked');
  const flavor =
    result.flavor === 'other'
      ? 'unknown exporter'
      : `${result.flavor === 'chrome' ? 'Chrome' : 'Firefox'} HAR`;
  yield `${c.bold(printable(file))}: ${s.entries} entries (${flavor}), ${calls.length} cross-origin calls, ${c.red(`${blocked.length} blocked`)}, ${s.preflights} preflights${s.unpairedPreflights ? ` (${s.unpairedPreflights} without their request)` : ''}, ${s.skipped} not CORS\n\n`;
  for (const call of calls.slice(0, maxRows)) {
    yield renderRow(c, call.exchange, call.verdict);
    for (const n of call.notes) yield `         ${c.dim(printable(n))}\n`;
  }
  if (calls.length > maxRows) yield `… and ${calls.length - maxRows} more calls.\n`;
  const shown = blocked.slice(0, 20);
  for (const call of shown)
    yield `\n${c.dim('─'.repeat(40))}\n${renderCall(c, call.exchange, call.verdict, width)}`;
  if (blocked.length > shown.length)
    yield `\n${blocked.length - shown.length} more blocked calls: use --markdown or --json for all of them.\n`;
  if (result.notes.length) yield '\n';
  for (const n of result.notes) yield `${c.yellow('note')}: ${printable(n)}\n`;
}
