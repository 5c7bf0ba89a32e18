#!/usr/bin/env node
/**
 * cors-lens: the CORS Lens verdict engine on the command line.
 * Exit codes: 0 allowed (or nothing wrong), 1 blocked (or a difference / a serious finding),
 * 2 usage error or network failure (one line on stderr).
 */
import { readFile } from 'node:fs/promises';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { HeaderLine } from '../engine/types';
import { parseHeaderArg, parseMethod, parseOrigin, parseRequestUrl } from '../engine/request';
import { explainHarText } from '../har';
import { buildReport, INDENT_MAX_CALLS, reportCall, reportJson } from '../report/json';
import { reportMarkdown } from '../report/markdown';
import type { LogEntry } from '../shared/protocol';
import { browserProfile } from './browser';
import { runCheck } from './check';
import { actualLabel, matches, parseCiConfig } from './ci';
import { HELP, commandHelp } from './help';
import { probeOrigins, runProbe, worstSeverity, type ProbeResult } from './probe';
import { renderCall, renderRow } from './render';
import { colorsFor, Progress } from './term';
import { VERSION } from './version';

export class UsageError extends Error {
  constructor(
    message: string,
    readonly command?: string,
  ) {
    super(message);
  }
}

/** A failure that is not the user's typing: unreachable server, unreadable file. Exit 2, no usage hint. */
export class RunError extends Error {}

const out = process.stdout;
const err = process.stderr;
const c = colorsFor(out);
const ce = colorsFor(err);
const defaults = { userAgent: `cors-lens/${VERSION} (Chrome CORS rules)` };

type HelpOption = { help: { type: 'boolean'; short: 'h' } };

function parse<const O extends NonNullable<ParseArgsConfig['options']>>(
  command: string,
  args: string[],
  options: O,
) {
  const all = { ...options, help: { type: 'boolean', short: 'h' } } as O & HelpOption;
  try {
    return parseArgs({ args, options: all, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError(
      e instanceof Error ? e.message.replace(/\. To specify a positional.*$/s, '') : String(e),
      command,
    );
  }
}

function need<T>(
  r: { ok: true; value: T } | { ok: false; error: string },
  command: string,
  what?: string,
): T {
  if (!r.ok) throw new UsageError(what ? `${what}: ${r.error}` : r.error, command);
  return r.value;
}

function exclusive(command: string, v: Record<string, unknown>): void {
  if (v.json && v.markdown) throw new UsageError('--json and --markdown exclude each other', command);
}

function timeoutOf(command: string, v: string | boolean | undefined): number {
  if (v === undefined) return 10_000;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0)
    throw new UsageError(`--timeout must be a positive number of milliseconds, not "${String(v)}"`, command);
  return n;
}

/** What a HAR could not tell, per call and for the file: added to the report as `notes` fields. */
interface HarNotes {
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
  let chunk = head.slice(0, head.length - 2);
  entries.forEach((e, i) => {
    chunk += (i ? ',' : '') + JSON.stringify(withNotes(reportCall(e, redact), i));
    if (chunk.length > 1 << 20) {
      out.write(chunk);
      chunk = '';
    }
  });
  out.write(`${chunk}]}\n`);
}

function writeReport(
  entries: LogEntry[],
  format: 'json' | 'markdown',
  redact: boolean,
  scope: 'call' | 'listed',
  title?: string,
  notes?: HarNotes,
): void {
  if (format === 'json') writeJsonReport(entries, redact, scope, notes);
  else {
    let md = reportMarkdown(entries, { redact, ...(title ? { title } : {}) });
    if (notes?.file.length)
      md += `\n## What the file could not tell\n\n${notes.file.map((n) => `- ${n}`).join('\n')}\n`;
    out.write(md);
  }
}

// ------------------------------------------------------------------------------------------ check

async function check(args: string[]): Promise<number> {
  const { values: v, positionals } = parse('check', args, {
    origin: { type: 'string', short: 'o' },
    method: { type: 'string', short: 'X' },
    header: { type: 'string', short: 'H', multiple: true },
    credentials: { type: 'boolean' },
    browser: { type: 'string' },
    json: { type: 'boolean' },
    markdown: { type: 'boolean' },
    insecure: { type: 'boolean', short: 'k' },
    timeout: { type: 'string' },
    'no-redact': { type: 'boolean' },
  });
  if (v.help) return help('check');
  exclusive('check', v);
  if (positionals.length !== 1)
    throw new UsageError(positionals.length ? 'give one URL' : 'missing the URL to check', 'check');
  if (v.origin === undefined)
    throw new UsageError('missing --origin (the origin of the page that makes the call)', 'check');
  need(browserProfile(v.browser ?? 'chrome'), 'check', '--browser');
  const url = need(parseRequestUrl(positionals[0] as string), 'check');
  const origin = need(parseOrigin(v.origin), 'check', '--origin');
  const method = need(parseMethod(v.method ?? 'GET'), 'check', '--method');
  const headers: HeaderLine[] = (v.header ?? []).map((h) => need(parseHeaderArg(h), 'check', '--header'));
  const progress = new Progress(err);
  const result = await runCheck(
    { url, origin, method, headers, credentials: v.credentials === true },
    {
      defaults,
      insecure: v.insecure === true,
      timeoutMs: timeoutOf('check', v.timeout),
      onRequest: (m, u) => progress.update(`${m} ${u}`, true),
    },
  ).finally(() => progress.stop());
  if (result.dropped.length) {
    err.write(
      `${ce.yellow('note')}: the browser drops forbidden request headers set by scripts: ${result.dropped.join(', ')}\n`,
    );
  }
  const entry: LogEntry = { exchange: result.exchange, verdict: result.verdict };
  if (v.json || v.markdown) writeReport([entry], v.json ? 'json' : 'markdown', !v['no-redact'], 'call');
  else out.write(renderCall(c, result.exchange, result.verdict, Math.min(110, (out.columns ?? 100) - 2)));
  if (result.networkError) {
    const ne = result.networkError;
    err.write(`cors-lens: ${ne.netError} for ${ne.url}: ${ne.reason}\n`);
    return 2;
  }
  return result.verdict.outcome === 'blocked' ? 1 : 0;
}

// ------------------------------------------------------------------------------------------ probe

const SEV_COLOR = (s: string): string =>
  s === 'critical'
    ? c.bold(c.red(s))
    : s === 'high'
      ? c.red(s)
      : s === 'low'
        ? c.yellow(s)
        : s === 'info'
          ? c.cyan(s)
          : c.green('ok');

async function probe(args: string[]): Promise<number> {
  const { values: v, positionals } = parse('probe', args, {
    origin: { type: 'string', short: 'o' },
    credentials: { type: 'boolean' },
    json: { type: 'boolean' },
    insecure: { type: 'boolean', short: 'k' },
    timeout: { type: 'string' },
  });
  if (v.help) return help('probe');
  if (positionals.length !== 1)
    throw new UsageError(positionals.length ? 'give one URL' : 'missing the URL to probe', 'probe');
  if (v.origin === undefined)
    throw new UsageError(
      "missing --origin (your page's origin: the forged ones are derived from it)",
      'probe',
    );
  const url = need(parseRequestUrl(positionals[0] as string), 'probe');
  const origin = need(parseOrigin(v.origin), 'probe', '--origin');
  const list = probeOrigins(origin);
  if (!v.json) {
    out.write(
      `${c.bold('Probing')} ${url}\n${c.dim(`${list.length} GET requests, one after another, with these Origin headers:`)}\n`,
    );
    for (const p of list) out.write(`  ${p.origin.padEnd(48)} ${c.dim(p.label)}\n`);
    out.write('\n');
  }
  const progress = new Progress(err);
  let results: ProbeResult[];
  try {
    results = await runProbe(url, origin, {
      defaults,
      insecure: v.insecure === true,
      timeoutMs: timeoutOf('probe', v.timeout),
      onProbe: (i, n, p) => progress.update(`probe ${i + 1}/${n}: Origin ${p.origin}`, true),
    });
  } finally {
    progress.stop();
  }
  const base = results[0];
  if (base?.error && results.every((r) => r.error)) {
    err.write(`cors-lens: ${base.error} for ${url}: ${base.grade.detail}\n`);
    return 2;
  }
  const worst = worstSeverity(results);
  const credentials = v.credentials === true;
  if (v.json) {
    out.write(
      JSON.stringify(
        {
          format: 'cors-lens-probe',
          version: 1,
          generatedAt: new Date().toISOString(),
          generator: `cors-lens ${VERSION}`,
          url,
          origin,
          credentials,
          requests: results.length,
          worst,
          results: results.map((r) => ({
            id: r.probe.id,
            origin: r.probe.origin,
            label: r.probe.label,
            status: r.status,
            accessControlAllowOrigin: r.acao,
            accessControlAllowCredentials: r.acac,
            vary: r.vary,
            readable: r.readable,
            readableWithCredentials: r.readableWithCredentials,
            severity: r.grade.severity,
            title: r.grade.title,
            detail: r.grade.detail,
            notes: r.notes,
            error: r.error ?? null,
          })),
        },
        null,
        2,
      ) + '\n',
    );
  } else {
    for (const r of results) {
      const sev =
        r.probe.id === 'baseline'
          ? c.dim('base')
          : r.error
            ? c.magenta('error')
            : SEV_COLOR(r.grade.severity);
      const hdr = r.error ? r.error : `${r.status} ACAO=${r.acao ?? '-'} ACAC=${r.acac ?? '-'}`;
      out.write(`${sev.padEnd(c.isColorSupported ? 18 : 8)} ${r.probe.origin}\n         ${c.dim(hdr)}\n`);
      if (r.grade.severity !== 'none' || r.probe.id === 'baseline')
        out.write(`         ${r.grade.title}. ${r.grade.detail}\n`);
      for (const n of r.notes) out.write(`         ${c.dim(n)}\n`);
    }
    if (credentials && base && !base.error && !base.readableWithCredentials)
      out.write(
        `\n${c.yellow('note')}: your own origin is not granted credentials (Access-Control-Allow-Credentials: true is missing or it is not named exactly).\n`,
      );
    const line =
      worst === 'critical' || worst === 'high'
        ? c.bold(c.red(`Worst finding: ${worst}.`))
        : worst === 'low'
          ? c.yellow('Worst finding: low (an origin check is wrong, but no credentials are granted).')
          : c.green('No forged origin may read responses with credentials.');
    out.write(`\n${line}\n`);
  }
  return worst === 'critical' || worst === 'high' ? 1 : 0;
}

// ------------------------------------------------------------------------------------------ har

async function har(args: string[]): Promise<number> {
  const { values: v, positionals } = parse('har', args, {
    json: { type: 'boolean' },
    markdown: { type: 'boolean' },
    'no-redact': { type: 'boolean' },
  });
  if (v.help) return help('har');
  exclusive('har', v);
  if (positionals.length !== 1)
    throw new UsageError(positionals.length ? 'give one HAR file' : 'missing the HAR file', 'har');
  const file = positionals[0] as string;
  let text: string;
  try {
    text = await readFile(file, 'utf8');
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
  const progress = new Progress(err);
  const big = text.length > 5_000_000;
  if (big) progress.update(`reading ${file} (${Math.round(text.length / 1e6)} MB)`);
  const result = explainHarText(text, {
    onProgress: big ? (d, t) => progress.update(`judging call ${d} of ${t}`) : undefined,
  });
  progress.stop();
  if (!result.ok) throw new RunError(`${file}: ${result.error}`);
  const entries: LogEntry[] = result.calls.map(({ exchange, verdict }) => ({ exchange, verdict }));
  const blocked = entries.filter((e) => e.verdict.outcome === 'blocked').length;
  if (v.json || v.markdown) {
    const notes = { file: result.notes, calls: result.calls.map((x) => x.notes) };
    writeReport(
      entries,
      v.json ? 'json' : 'markdown',
      !v['no-redact'],
      'listed',
      `CORS Lens: ${file} (${entries.length} cross-origin calls)`,
      notes,
    );
  } else {
    const s = result.stats;
    out.write(
      `${c.bold(file)}: ${s.entries} entries (${result.flavor === 'other' ? 'unknown exporter' : `${result.flavor === 'chrome' ? 'Chrome' : 'Firefox'} HAR`}), ${entries.length} cross-origin calls, ${c.red(`${blocked} blocked`)}, ${s.preflights} preflights${s.unpairedPreflights ? ` (${s.unpairedPreflights} without their request)` : ''}, ${s.skipped} not CORS\n\n`,
    );
    for (const call of result.calls) {
      out.write(renderRow(c, call.exchange, call.verdict));
      for (const n of call.notes) out.write(`         ${c.dim(n)}\n`);
    }
    const details = result.calls.filter((x) => x.verdict.outcome === 'blocked');
    const shown = details.slice(0, 20);
    for (const call of shown)
      out.write(
        `\n${c.dim('─'.repeat(40))}\n${renderCall(c, call.exchange, call.verdict, Math.min(110, (out.columns ?? 100) - 2))}`,
      );
    if (details.length > shown.length)
      out.write(
        `\n${details.length - shown.length} more blocked calls: use --markdown or --json for all of them.\n`,
      );
    if (result.notes.length) out.write('\n');
    for (const n of result.notes) out.write(`${c.yellow('note')}: ${n}\n`);
  }
  return blocked > 0 ? 1 : 0;
}

// ------------------------------------------------------------------------------------------ ci

async function ci(args: string[]): Promise<number> {
  const { values: v, positionals } = parse('ci', args, {
    json: { type: 'boolean' },
    insecure: { type: 'boolean', short: 'k' },
  });
  if (v.help) return help('ci');
  if (positionals.length > 1) throw new UsageError('give at most one config file', 'ci');
  const file = positionals[0] ?? 'cors-lens.json';
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new RunError(
      code === 'ENOENT'
        ? `${file}: no such file (the ci command reads a list of checks; see cors-lens ci --help)`
        : `${file}: ${(e as Error).message}`,
    );
  }
  const parsed = parseCiConfig(text);
  if (!parsed.ok) throw new RunError(`${file}: ${parsed.error}`);
  const { cases, insecure, timeoutMs } = parsed.config;
  const progress = new Progress(err);
  const rows: {
    name: string;
    expect: string;
    actual: string;
    failedParameter: string | null;
    ok: boolean;
    title: string;
    networkError: string | null;
  }[] = [];
  for (const [i, k] of cases.entries()) {
    progress.update(`check ${i + 1}/${cases.length}: ${k.name}`, true);
    const r = await runCheck(
      { url: k.url, origin: k.origin, method: k.method, headers: k.headers, credentials: k.credentials },
      { defaults, insecure: insecure || v.insecure === true, timeoutMs: timeoutMs ?? 10_000 },
    );
    const ok = matches(k, r.verdict);
    rows.push({
      name: k.name,
      expect: k.expect + (k.failedParameter !== undefined ? ` (${k.failedParameter})` : ''),
      actual: actualLabel(r.verdict) + (r.verdict.failedParameter ? ` (${r.verdict.failedParameter})` : ''),
      failedParameter: r.verdict.failedParameter ?? null,
      ok,
      title: r.verdict.title,
      networkError: r.networkError ? `${r.networkError.netError}: ${r.networkError.reason}` : null,
    });
    if (!v.json) {
      progress.stop();
      const mark = ok ? c.green('✓') : c.red('✗');
      out.write(`${mark} ${k.name}\n`);
      if (!ok)
        out.write(
          `    expected ${c.bold(rows[i]!.expect)}, got ${c.bold(rows[i]!.actual)}: ${r.verdict.title}\n`,
        );
    }
  }
  progress.stop();
  const failed = rows.filter((r) => !r.ok).length;
  if (v.json) {
    out.write(
      JSON.stringify(
        {
          format: 'cors-lens-ci',
          version: 1,
          generator: `cors-lens ${VERSION}`,
          passed: rows.length - failed,
          failed,
          results: rows,
        },
        null,
        2,
      ) + '\n',
    );
  } else {
    out.write(
      `\n${failed ? c.red(`${failed} of ${rows.length} checks differ from their expectation.`) : c.green(`All ${rows.length} checks as expected.`)}\n`,
    );
  }
  return failed ? 1 : 0;
}

// ------------------------------------------------------------------------------------------ entry

function help(command?: string): number {
  out.write(command ? commandHelp(command, c) : HELP(c));
  return 0;
}

const COMMANDS: Record<string, (args: string[]) => Promise<number>> = { check, probe, har, ci };

export async function main(argv: string[]): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined || first === '--help' || first === '-h') return help();
  if (first === 'help') {
    const topic = rest[0];
    if (topic && !COMMANDS[topic]) throw new UsageError(`unknown command "${topic}"`);
    return help(topic);
  }
  if (first === '--version' || first === '-V' || first === 'version') {
    out.write(`${VERSION}\n`);
    return 0;
  }
  const run = COMMANDS[first];
  if (!run)
    throw new UsageError(
      first.startsWith('-')
        ? `unknown option "${first}" (a command comes first)`
        : `unknown command "${first}"`,
    );
  return run(rest);
}

function fail(e: unknown): number {
  if (e instanceof UsageError) {
    err.write(`cors-lens${e.command ? ` ${e.command}` : ''}: ${e.message}\n`);
    err.write(ce.dim(`Run 'cors-lens${e.command ? ` ${e.command}` : ''} --help' for usage.\n`));
    return 2;
  }
  if (e instanceof RunError) {
    err.write(`cors-lens: ${e.message}\n`);
    return 2;
  }
  // A bug: one line, and the stack only when asked for.
  err.write(`cors-lens: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
  if (process.env.CORS_LENS_DEBUG && e instanceof Error && e.stack) err.write(`${e.stack}\n`);
  return 2;
}

// Output to a closed pipe (`cors-lens har big.har | head`) is not an error.
out.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
});

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.exitCode = fail(e);
  },
);
