/**
 * `cors-lens har` (text, --json, --markdown, with or without --recheck) on a file above
 * {@link STREAM_FROM_BYTES}: read as a stream, its entries held packed (src/har/compact.ts), its calls
 * judged one by one, and no verdict held (docs/har-producers.md, "Big files"). The same bytes as the
 * whole-file path (test/cli/har-big.test.ts, test/cli/har-recheck.test.ts).
 */
import { createReadStream, statSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { CrossCallEvidence, crossCallKeys, withFindings, type CrossCallKeys, type LogEntry } from '../engine';
import { checkCommand } from '../har/check-command';
import type { HarCall } from '../har';
import type { CheckSpec } from '../har/check-command';
import type { HarWalk } from '../har/reader';
import { HarStream } from '../har/stream';
import { looksLikeZip } from '../har/trace';
import { buildReport, INDENT_MAX_CALLS, reportCall } from '../report/json';
import { markdownParts, type CallRow, type ReportCalls } from '../report/markdown';
import { printableFix } from '../report/printable';
import { redactFix } from '../report/redact';
import { RunError } from './args';
import { ApiFixes } from './fixes';
import {
  fixesField,
  harEntries,
  harNotes,
  readError,
  rowText,
  SHOWN_BLOCKED,
  STREAM_FROM_BYTES,
  viewTextParts,
  type HarView,
} from './har-file';
import { ChunkedOutput, harTailMarkdown, writeReport, type CheckToAsk } from './output';
import type { RecheckRecord, RecheckSummary, Rechecks } from './recheck';
import type { RowVerdict } from './render';
import type { Colors } from './term';
import { VERSION } from './version';

export interface BigHarOptions {
  format: 'text' | 'json' | 'markdown';
  redact: boolean;
  stack?: string;
  width: number;
  colors: Colors;
  progress: { update(message: string): void; stop(): void };
  /** `--recheck`: the first `max` calls whose answer the file does not hold are asked live by `run`. */
  recheck?: {
    max: number;
    run(calls: HarCall[], total: number): Promise<Rechecks>;
  };
}

/** A big file's calls, walked again as often as needed (with re-checked calls in place). */
type CallSource = Pick<HarWalk, 'calls' | 'summary' | 'all'>;

/**
 * Reads and judges a big file, writing it out as text or JSON. Returns the exit code, or null when the
 * file is not big or is a Playwright trace (the caller then reads it whole).
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
  const onProgress = (d: number, t: number) => o.progress.update(`judging call ${d} of ${t}`);
  let walk: CallSource = r.walk;
  let rechecks: Rechecks | undefined;
  if (o.recheck) ({ walk, rechecks } = await recheckFirst(r.walk, o.recheck, onProgress, o.progress));
  if (o.format === 'json') return writeJson(walk, o, onProgress, rechecks);
  const first = firstWalk(walk, onProgress, o.redact, rechecks?.records);
  o.progress.stop();
  const parts =
    o.format === 'text'
      ? viewTextParts(o.colors, file, textView(first), o.width, Infinity, o.stack)
      : markdownReport(file, first, o.redact, rechecks?.summary);
  await new ChunkedOutput().writeParts(parts);
  return first.blocked > 0 ? 1 : 0;
}

/**
 * `--recheck` on a big file: a first walk finds the calls whose answer the file does not hold and keeps
 * the first `max` of them (no more can be asked), which are re-checked; later walks give those calls,
 * changed by the re-check, in place of the file's.
 */
async function recheckFirst(
  walk: HarWalk,
  recheck: NonNullable<BigHarOptions['recheck']>,
  onProgress: (d: number, t: number) => void,
  progress: BigHarOptions['progress'],
): Promise<{ walk: CallSource; rechecks: Rechecks }> {
  const kept: { start: number; item: HarCall }[] = [];
  let total = 0;
  for (const call of walk.calls({ onProgress })) {
    if (!call.check) continue;
    total++;
    keepFirst(kept, recheck.max, call.exchange.startTime, call);
  }
  // The re-checks print their own lines and progress.
  progress.stop();
  const rechecks = await recheck.run(
    kept.map((k) => k.item),
    total,
  );
  const byId = new Map([...rechecks.records.keys()].map((c) => [c.exchange.id, c]));
  const swap = (c: HarCall): HarCall => byId.get(c.exchange.id) ?? c;
  return {
    rechecks,
    walk: {
      *calls(options) {
        for (const c of walk.calls(options)) yield swap(c);
      },
      summary: () => walk.summary(),
      all: (options) => {
        const all = walk.all(options);
        return { ...all, calls: all.calls.map(swap) };
      },
    },
  };
}

/** What the text and Markdown reports keep of a call: its row, and what its cross-call findings depend on. */
interface HeldRow extends CallRow {
  start: number;
  /** The row's verdict fields; of the findings, only those above `info` (they alone change a row). */
  verdict: RowVerdict;
  keys: CrossCallKeys;
  notes: readonly string[];
  /** The command that asks the server, for a call whose answer the file does not hold. */
  ask?: CheckToAsk;
}

const NO_NOTES: readonly string[] = [];

/** A big file's first walk, for the text and Markdown reports. */
interface FirstWalk {
  walk: CallSource;
  evidence: CrossCallEvidence;
  /** Every call's row, in start order. */
  held: HeldRow[];
  /** The first blocked calls whole, in start order. */
  shown: { start: number; item: LogEntry }[];
  fixes: ApiFixes;
  blocked: number;
}

/**
 * Each call judged once and kept as its row's few fields (about 200 bytes a call), the first blocked
 * calls whole, the fixes merged as they come.
 */
function firstWalk(
  walk: CallSource,
  onProgress: (done: number, total: number) => void,
  redact: boolean,
  records?: Map<HarCall, RecheckRecord>,
): FirstWalk {
  const evidence = new CrossCallEvidence();
  const held: HeldRow[] = [];
  const shown: { start: number; item: LogEntry }[] = [];
  const fixes = new ApiFixes();
  let blocked = 0;
  for (const call of walk.calls({ onProgress })) {
    const entry: LogEntry = { exchange: call.exchange, verdict: call.verdict };
    const v = call.verdict;
    evidence.add(entry);
    const method = call.exchange.method;
    const url = call.exchange.legs[0]?.url;
    held.push({
      start: call.exchange.startTime,
      method,
      url,
      verdict: {
        outcome: v.outcome,
        title: v.title,
        findings: v.findings.filter((f) => f.severity !== 'info'),
        chromeError: v.chromeError,
        failedParameter: v.failedParameter,
        browser: v.browser,
        firefoxReason: v.firefoxReason,
      },
      keys: crossCallKeys(entry),
      notes: call.notes.length ? call.notes : NO_NOTES,
      ...(call.check ? { ask: askOf(call, call.check.spec, redact, records?.get(call)) } : {}),
    });
    if (v.outcome !== 'blocked') continue;
    blocked++;
    fixes.add(printableFix(v.fix));
    keepFirst(shown, SHOWN_BLOCKED, call.exchange.startTime, entry);
  }
  // The first walk yields the preflights without a request last: in start order, as `all()` sorts them.
  held.sort((a, b) => a.start - b.start);
  return { walk, evidence, held, shown, fixes, blocked };
}

function askOf(call: HarCall, spec: CheckSpec, redact: boolean, recheck?: RecheckRecord): CheckToAsk {
  const ask: CheckToAsk = {
    method: call.exchange.method,
    url: call.exchange.legs[0]?.url ?? '',
    cmd: checkCommand(spec, redact),
  };
  if (recheck) ask.recheck = recheck;
  return ask;
}

/** A held row with the findings its call gains from the others. */
function annotatedRow(first: FirstWalk, h: HeldRow): CallRow {
  const extra = first.evidence.extraFor(h.keys);
  return extra.length ? { ...h, verdict: withFindings(h.verdict, extra) } : h;
}

function textView(first: FirstWalk): HarView {
  return {
    summary: first.walk.summary(),
    calls: first.held.length,
    blocked: first.blocked,
    shown: first.shown.map((x) => first.evidence.annotate(x.item)),
    fixes: first.fixes,
    *rows(c: Colors) {
      for (const h of first.held) {
        const row = annotatedRow(first, h);
        yield rowText(c, row.method, row.url, row.verdict, h.notes);
      }
    },
  };
}

/**
 * The Markdown report: the table from the held rows, then each call's section as a second walk judges
 * it again, then what the file could not tell and the commands that ask the server.
 */
function* markdownReport(
  file: string,
  first: FirstWalk,
  redact: boolean,
  recheck?: RecheckSummary,
): Generator<string> {
  const count = first.held.length;
  const calls: ReportCalls = {
    count,
    rows: () => first.held.map((h) => annotatedRow(first, h)),
    entries: function* () {
      for (const call of first.walk.calls())
        yield first.evidence.annotate({ exchange: call.exchange, verdict: call.verdict });
    },
  };
  yield* markdownParts(calls, { redact, title: `CORS Lens: ${file} (${count} cross-origin calls)` });
  const checks = first.held.flatMap((h) => (h.ask ? [h.ask] : []));
  yield* harTailMarkdown(first.walk.summary().notes, checks, recheck, redact);
}

/**
 * Keeps the first `limit` items in start order. Calls come in start order but for the preflights without
 * a request, which come last: one of them goes in before the later calls of the same start time only if
 * it started earlier (as the stable sort orders them).
 */
function keepFirst<T>(kept: { start: number; item: T }[], limit: number, start: number, item: T): void {
  if (kept.length >= limit && start >= (kept[limit - 1] as { start: number }).start) return;
  let at = kept.length;
  while (at > 0 && (kept[at - 1] as { start: number }).start > start) at--;
  kept.splice(at, 0, { start, item });
  if (kept.length > limit) kept.pop();
}

/**
 * `--json`: the calls are judged twice instead of held (a call's report is a few kB), once to count them
 * and gather the cross-call evidence and the merged fixes (the envelope's fields come before the calls),
 * once to write each one out as it is judged.
 */
async function writeJson(
  walk: CallSource,
  o: BigHarOptions,
  onProgress: (d: number, t: number) => void,
  rechecks?: Rechecks,
): Promise<number> {
  const evidence = new CrossCallEvidence();
  let calls = 0;
  let blocked = 0;
  const fixes = new ApiFixes();
  for (const call of walk.calls({ onProgress })) {
    calls++;
    if (call.verdict.outcome === 'blocked') {
      blocked++;
      const fix = call.verdict.fix;
      fixes.add(o.redact && fix ? redactFix(fix) : fix);
    }
    evidence.add({ exchange: call.exchange, verdict: call.verdict });
  }
  o.progress.stop();
  const summary = walk.summary();
  const code = blocked > 0 ? 1 : 0;
  if (calls <= INDENT_MAX_CALLS) {
    // Few calls (big bodies): the indented report, as for a small file.
    const result = walk.all();
    await writeReport(
      harEntries(result),
      'json',
      o.redact,
      'listed',
      undefined,
      harNotes(result, o.redact, rechecks),
    );
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
    ...(rechecks ? { recheck: rechecks.summary } : {}),
    fixes: fixesField(fixes),
    notes: summary.notes,
    calls: [],
  });
  await new ChunkedOutput().writeParts(
    (function* () {
      yield head.slice(0, head.length - 2);
      let i = 0;
      for (const call of walk.calls()) {
        const entry = evidence.annotate({ exchange: call.exchange, verdict: call.verdict });
        const fields: { notes?: string[]; checkCommand?: string; recheck?: RecheckRecord } = {};
        if (call.notes.length) fields.notes = call.notes;
        if (call.check) fields.checkCommand = checkCommand(call.check.spec, o.redact);
        const recheck = rechecks?.records.get(call);
        if (recheck) fields.recheck = recheck;
        yield `${i++ ? ',' : ''}${JSON.stringify(Object.assign(reportCall(entry, o.redact), fields))}`;
      }
      yield ']}\n';
    })(),
  );
  return code;
}
