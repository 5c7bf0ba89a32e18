/**
 * `har`'s file reading and text output, shared by `cors-lens har` and the MCP tool `cors_explain_har`.
 */
import { createReadStream, readFileSync, statSync } from 'node:fs';
import { explainHarText, type HarCall, type HarResult } from '../har';
import { checkCommand } from '../har/check-command';
import { HarStream } from '../har/stream';
import { explainTraceZip, looksLikeZip } from '../har/trace';
import { annotateLog, type LogEntry, type Verdict } from '../engine';
import { printable, printableFix } from '../report/printable';
import { redactVerdict } from '../report/redact';
import { RunError } from './args';
import type { HarNotes } from './output';
import type { RecheckRecord, RecheckSummary } from './recheck';
import { ApiFixes } from './fixes';
import { renderCall, renderHeaderChanges, renderRecipe, renderRowOf, type RowVerdict } from './render';
import type { Colors } from './term';

export type JudgedHar = HarResult & { ok: true };

/** Above this size a HAR is read as a stream (memory stays flat); below, JSON.parse is faster. */
export const STREAM_FROM_BYTES = 32 * 1024 * 1024;

export function readError(file: string, e: unknown): RunError {
  const code = (e as NodeJS.ErrnoException).code;
  return new RunError(
    code === 'ENOENT'
      ? `${file}: no such file`
      : code === 'EISDIR'
        ? `${file} is a directory`
        : `${file}: ${(e as Error).message}`,
  );
}

/**
 * Reads and judges a HAR file or a Playwright trace (its `trace.network`); the file's bytes are garbage
 * once this returns.
 */
export async function readHarFile(file: string, onProgress?: (message: string) => void): Promise<JudgedHar> {
  let size: number;
  try {
    const st = statSync(file);
    if (st.isDirectory()) throw Object.assign(new Error('directory'), { code: 'EISDIR' });
    size = st.size;
  } catch (e) {
    throw readError(file, e);
  }
  const big = size > 5_000_000;
  const mb = (n: number) => Math.round(n / 1e6);
  const options = {
    onProgress:
      big && onProgress ? (d: number, t: number) => onProgress(`judging call ${d} of ${t}`) : undefined,
  };
  let result: HarResult;
  try {
    if (size > STREAM_FROM_BYTES) {
      const stream = new HarStream();
      let read = 0;
      let zip: boolean | undefined;
      for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
        zip ??= looksLikeZip(chunk);
        if (zip) break;
        read += chunk.length;
        onProgress?.(`reading ${file} (${mb(read)} of ${mb(size)} MB)`);
        stream.write(chunk);
      }
      result = zip ? explainTraceZip(readFileSync(file), options) : stream.end(options);
    } else {
      const bytes = readFileSync(file);
      if (big) onProgress?.(`reading ${file} (${mb(size)} MB)`);
      result = looksLikeZip(bytes)
        ? explainTraceZip(bytes, options)
        : explainHarText(bytes.toString('utf8'), options);
    }
  } catch (e) {
    if (e instanceof RunError) throw e;
    throw readError(file, e);
  }
  if (!result.ok) throw new RunError(`${file}: ${result.error}`);
  return result;
}

/** The judged calls, with the cross-call evidence (one API answering several origins) the panel shows. */
export function harEntries(result: JudgedHar): LogEntry[] {
  return annotateLog(result.calls.map(({ exchange, verdict }) => ({ exchange, verdict })));
}

/**
 * What the report adds for a HAR: the file's notes, each call's notes, the `cors-lens check` command for a
 * call whose answer the file does not hold, the producer and unreadable entries, and re-checks.
 */
export function harNotes(
  result: JudgedHar,
  redact = true,
  recheck?: { summary: RecheckSummary; records: Map<HarCall, RecheckRecord> },
): HarNotes {
  return {
    file: result.notes,
    calls: result.calls.map((x) => x.notes),
    checks: result.calls.map((x) => (x.check ? checkCommand(x.check.spec, redact) : undefined)),
    envelope: {
      producer: { id: result.producer.id, label: result.producer.label },
      problems: result.problems,
      ...(recheck ? { recheck: recheck.summary } : {}),
      fixes: fixesField(result.calls.map((x) => (redact ? redactVerdict(x.verdict) : x.verdict))),
    },
    extra: result.calls.map((x) => {
      const r = recheck?.records.get(x);
      return r ? { recheck: r } : undefined;
    }),
  };
}

/**
 * The report's `fixes`: one merged fix per API origin for its blocked calls (the text output's "Fix for"
 * sections): the response header lines that make every one of them pass.
 */
export function fixesField(verdicts: Iterable<Verdict> | ApiFixes): object[] {
  let fixes: ApiFixes;
  if (verdicts instanceof ApiFixes) fixes = verdicts;
  else {
    fixes = new ApiFixes();
    for (const v of verdicts) if (v.outcome === 'blocked') fixes.add(v.fix);
  }
  return fixes.list().map((f) => ({ apiOrigin: f.apiOrigin, blockedCalls: f.calls, headers: f.headers }));
}

/** A judged HAR as the text report reads it. */
export interface HarView {
  summary: Omit<JudgedHar, 'calls'>;
  calls: number;
  blocked: number;
  /** One row per call in start order, with the call's notes, its cross-call findings added. */
  rows(c: Colors): Iterable<string>;
  /** The first 20 blocked calls, annotated (their details are printed). */
  shown: LogEntry[];
  /** The blocked calls' fixes merged per API origin (made printable). */
  fixes: ApiFixes;
}

/** How many blocked calls the text report details; the others are in its rows. */
export const SHOWN_BLOCKED = 20;

/** A call's row and its notes. */
export function rowText(
  c: Colors,
  method: string,
  url: string | undefined,
  verdict: RowVerdict,
  notes: readonly string[],
): string {
  let text = renderRowOf(c, method, url, verdict);
  for (const n of notes) text += `         ${c.dim(printable(n))}\n`;
  return text;
}

function viewOf(result: JudgedHar): HarView {
  const entries = harEntries(result);
  const shown: LogEntry[] = [];
  const fixes = new ApiFixes();
  let blocked = 0;
  for (const e of entries) {
    if (e.verdict.outcome !== 'blocked') continue;
    blocked++;
    if (shown.length < SHOWN_BLOCKED) shown.push(e);
    fixes.add(printableFix(e.verdict.fix));
  }
  return {
    summary: result,
    calls: result.calls.length,
    blocked,
    shown,
    fixes,
    *rows(c: Colors) {
      for (const [i, e] of entries.entries())
        yield rowText(c, e.exchange.method, e.exchange.legs[0]?.url, e.verdict, result.calls[i]?.notes ?? []);
    },
  };
}

/**
 * The text report in pieces (a 10,000-call file is never one string): the counts, unreadable entries,
 * one row per call (at most `maxRows`), the details of the first 20 blocked calls, one fix per API
 * origin (for `stack`, else the stack the responses point at), and what the file could not tell.
 */
export function harTextParts(
  c: Colors,
  file: string,
  result: JudgedHar,
  width: number,
  maxRows = Infinity,
  stack?: string,
): Generator<string> {
  return viewTextParts(c, file, viewOf(result), width, maxRows, stack);
}

export function* viewTextParts(
  c: Colors,
  file: string,
  view: HarView,
  width: number,
  maxRows = Infinity,
  stack?: string,
): Generator<string> {
  const { stats: s, producer, problems, notes } = view.summary;
  yield `${c.bold(printable(file))}: ${s.entries} entries (written by ${producer.label}), ${view.calls} cross-origin calls, ${c.red(`${view.blocked} blocked`)}, ${s.preflights} preflights${s.unpairedPreflights ? ` (${s.unpairedPreflights} without their request)` : ''}, ${s.skipped} not CORS${s.unreadable ? `, ${c.yellow(`${s.unreadable} unreadable`)}` : ''}\n`;
  for (const p of problems.slice(0, 10))
    yield `  ${c.yellow(`entry ${p.index}`)}: ${printable(p.problem)}${p.skipped ? ' (left out)' : ''}\n`;
  if (problems.length > 10) yield `  ${c.dim(`… and more: --json lists up to ${problems.length} of them`)}\n`;
  yield '\n';
  let rows = 0;
  for (const row of view.rows(c)) {
    if (rows++ >= maxRows) break;
    yield row;
  }
  if (view.calls > maxRows) yield `… and ${view.calls - maxRows} more calls.\n`;
  for (const entry of view.shown)
    yield `\n${c.dim('─'.repeat(40))}\n${renderCall(c, entry.exchange, entry.verdict, width, { recipe: false })}`;
  if (view.blocked > view.shown.length)
    yield `\n${view.blocked - view.shown.length} more blocked calls: use --markdown or --json for all of them.\n`;
  // One recipe per API origin: the plans of its blocked calls merged, so that two calls never get two
  // conflicting configurations for one server.
  for (const api of view.fixes.list()) {
    yield `\n${c.dim('─'.repeat(40))}\n${c.bold(`Fix for ${printable(api.apiOrigin)}`)} (${api.calls} blocked ${api.calls === 1 ? 'call' : 'calls'})\n`;
    yield `${renderHeaderChanges(c, api.headers).join('\n')}\n`;
    yield `${renderRecipe(c, api.plan, api.detected, stack, width).join('\n')}\n`;
  }
  if (notes.length) yield '\n';
  for (const n of notes) yield `${c.yellow('note')}: ${printable(n)}\n`;
}
