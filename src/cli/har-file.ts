/**
 * `har`'s file reading and text output, shared by `cors-lens har` and the MCP tool `cors_explain_har`.
 */
import { createReadStream, readFileSync, statSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { explainHarText, type HarCall, type HarResult } from '../har';
import { checkCommand } from '../har/check-command';
import { HarStream } from '../har/stream';
import { explainTraceZip, looksLikeZip } from '../har/trace';
import { annotateLog, CrossCallEvidence, type LogEntry, type Verdict } from '../engine';
import { buildReport, INDENT_MAX_CALLS, reportCall } from '../report/json';
import { printable, printableFix } from '../report/printable';
import { redactFix, redactVerdict } from '../report/redact';
import { RunError } from './args';
import { ChunkedOutput, writeReport, type HarNotes } from './output';
import { VERSION } from './version';
import type { RecheckRecord, RecheckSummary } from './recheck';
import { ApiFixes } from './fixes';
import { renderCall, renderHeaderChanges, renderRecipe, renderRow } from './render';
import type { Colors } from './term';

export type JudgedHar = HarResult & { ok: true };

/** Above this size a HAR is read as a stream (memory stays flat); below, JSON.parse is faster. */
const STREAM_FROM_BYTES = 32 * 1024 * 1024;

function readError(file: string, e: unknown): RunError {
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
function fixesField(verdicts: Iterable<Verdict> | ApiFixes): object[] {
  let fixes: ApiFixes;
  if (verdicts instanceof ApiFixes) fixes = verdicts;
  else {
    fixes = new ApiFixes();
    for (const v of verdicts) if (v.outcome === 'blocked') fixes.add(v.fix);
  }
  return fixes.list().map((f) => ({ apiOrigin: f.apiOrigin, blockedCalls: f.calls, headers: f.headers }));
}

/** A judged HAR as the reports read it: the file's summary and its calls, annotated, one by one. */
interface HarView {
  summary: Omit<JudgedHar, 'calls'>;
  calls: number;
  blocked: number;
  /** Each call in start order, its verdict with the cross-call evidence added (`entry`). */
  each(): Iterable<{ entry: LogEntry; call: HarCall }>;
}

function viewOf(result: JudgedHar): HarView {
  const entries = harEntries(result);
  return {
    summary: result,
    calls: result.calls.length,
    blocked: entries.filter((e) => e.verdict.outcome === 'blocked').length,
    each: () => result.calls.map((call, i) => ({ entry: entries[i] as LogEntry, call })),
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

function* viewTextParts(
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
  // Only the first 20 blocked calls are held (for their details); the fixes are merged as the calls come.
  const shown: LogEntry[] = [];
  // One recipe per API origin: the plans of its blocked calls merged, so that two calls never get two
  // conflicting configurations for one server.
  const fixes = new ApiFixes();
  let rows = 0;
  for (const { entry, call } of view.each()) {
    if (rows++ < maxRows) {
      yield renderRow(c, entry.exchange, entry.verdict);
      for (const n of call.notes) yield `         ${c.dim(printable(n))}\n`;
    }
    if (entry.verdict.outcome !== 'blocked') continue;
    if (shown.length < 20) shown.push(entry);
    fixes.add(printableFix(entry.verdict.fix));
  }
  if (view.calls > maxRows) yield `… and ${view.calls - maxRows} more calls.\n`;
  for (const entry of shown)
    yield `\n${c.dim('─'.repeat(40))}\n${renderCall(c, entry.exchange, entry.verdict, width, { recipe: false })}`;
  if (view.blocked > shown.length)
    yield `\n${view.blocked - shown.length} more blocked calls: use --markdown or --json for all of them.\n`;
  for (const api of fixes.list()) {
    yield `\n${c.dim('─'.repeat(40))}\n${c.bold(`Fix for ${printable(api.apiOrigin)}`)} (${api.calls} blocked ${api.calls === 1 ? 'call' : 'calls'})\n`;
    yield `${renderHeaderChanges(c, api.headers).join('\n')}\n`;
    yield `${renderRecipe(c, api.plan, api.detected, stack, width).join('\n')}\n`;
  }
  if (notes.length) yield '\n';
  for (const n of notes) yield `${c.yellow('note')}: ${printable(n)}\n`;
}

export interface BigHarOptions {
  json: boolean;
  redact: boolean;
  stack?: string;
  width: number;
  colors: Colors;
  progress: { update(message: string): void; stop(): void };
}

/**
 * `cors-lens har` (text or --json) on a file above {@link STREAM_FROM_BYTES}: read as a stream, and its
 * calls judged twice instead of held, once to count them and gather the cross-call evidence, once to
 * write each one out as it is judged. The same bytes as the whole-file path. Returns the exit code, or
 * null when the file is not big or is a Playwright trace (the caller then reads it whole).
 */
export async function writeBigHar(file: string, o: BigHarOptions): Promise<number | null> {
  let size: number;
  try {
    size = statSync(file).size;
  } catch {
    return null;
  }
  if (size <= STREAM_FROM_BYTES) return null;
  // Judging makes short-lived garbage at a high rate while little stays live (the packed entries): by
  // default V8 lets the heap grow to four times what is live before a full collection, which is what
  // decided the peak resident size. Growing by half keeps it near what is live (measured in
  // bench/har-stream.bench.ts: 1 GB, text output, 303 MB -> 190 MB peak, same time).
  setFlagsFromString('--heap-growing-percent=50');
  const mb = (n: number) => Math.round(n / 1e6);
  const stream = new HarStream();
  let read = 0;
  try {
    for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
      if (read === 0 && looksLikeZip(chunk)) return null;
      read += chunk.length;
      o.progress.update(`reading ${file} (${mb(read)} of ${mb(size)} MB)`);
      stream.write(chunk);
    }
  } catch (e) {
    throw readError(file, e);
  }
  const r = stream.endWalk();
  if (!r.ok) throw new RunError(`${file}: ${r.error}`);
  const walk = r.walk;
  const evidence = new CrossCallEvidence();
  let calls = 0;
  let blocked = 0;
  const fixes = new ApiFixes();
  const onProgress = (d: number, t: number) => o.progress.update(`judging call ${d} of ${t}`);
  for (const call of walk.calls({ onProgress })) {
    calls++;
    if (call.verdict.outcome === 'blocked') {
      blocked++;
      // The JSON envelope's `fixes` come before the calls; the text merges them on its own pass.
      if (o.json) fixes.add(o.redact && call.verdict.fix ? redactFix(call.verdict.fix) : call.verdict.fix);
    }
    evidence.add({ exchange: call.exchange, verdict: call.verdict });
  }
  o.progress.stop();
  const summary = walk.summary();
  const code = blocked > 0 ? 1 : 0;
  if (o.json && calls <= INDENT_MAX_CALLS) {
    // Few calls (big bodies): the indented report, as for a small file.
    const result = walk.all();
    writeReport(harEntries(result), 'json', o.redact, 'listed', undefined, harNotes(result, o.redact));
    return code;
  }
  const each = function* (): Generator<{ entry: LogEntry; call: HarCall }> {
    for (const call of walk.calls())
      yield { entry: evidence.annotate({ exchange: call.exchange, verdict: call.verdict }), call };
  };
  const w = new ChunkedOutput();
  if (!o.json) {
    const view: HarView = { summary, calls, blocked, each };
    for (const part of viewTextParts(o.colors, file, view, o.width, Infinity, o.stack)) w.write(part);
    w.flush();
    return code;
  }
  // The compact report, written call by call: `calls` is the envelope's last field.
  const { calls: _none, ...head0 } = buildReport([], {
    redact: o.redact,
    scope: 'listed',
    generator: `cors-lens ${VERSION}`,
  });
  const head = JSON.stringify({
    ...head0,
    counts: { calls, blocked, withFindings: evidence.withFindings() },
    producer: { id: summary.producer.id, label: summary.producer.label },
    problems: summary.problems,
    fixes: fixesField(fixes),
    notes: summary.notes,
    calls: [],
  });
  w.write(head.slice(0, head.length - 2));
  let i = 0;
  for (const { entry, call } of each()) {
    const fields: { notes?: string[]; checkCommand?: string } = {};
    if (call.notes.length) fields.notes = call.notes;
    if (call.check) fields.checkCommand = checkCommand(call.check.spec, o.redact);
    if (i++) w.write(',');
    w.write(JSON.stringify(Object.assign(reportCall(entry, o.redact), fields)));
  }
  w.write(']}\n');
  w.flush();
  return code;
}
