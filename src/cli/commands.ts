/**
 * The command runners: each takes its arguments (after the command name) and returns the exit code
 * (0 allowed / as expected, 1 blocked / a difference / a serious finding); usage and run errors are thrown.
 */
import { readFileSync } from 'node:fs';
import { STACKS } from '../engine/fix';
import type { HeaderLine } from '../engine/types';
import { parseHeaderArg, parseMethod, parseOrigin, parseRequestUrl } from '../engine/request';
import { explainHarText, type HarResult } from '../har';
import type { LogEntry } from '../shared/protocol';
import { exclusive, need, parse, RunError, timeoutOf, UsageError } from './args';
import { browserProfile } from './browser';
import { runCheck } from './check';
import { actualLabel, matches, parseCiConfig } from './ci';
import { c, ce, ChunkedOutput, err, help, out, writeReport } from './output';
import { probeOrigins, runProbe, worstSeverity, type ProbeResult } from './probe';
import { fixesByApi } from './fixes';
import { renderCall, renderHeaderChanges, renderRecipe, renderRow, STACK_NAMES } from './render';
import { Progress } from './term';
import { VERSION } from './version';

/** The --stack value, checked against the stacks the recipes know. */
function stackOf(command: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (!STACKS.some((s) => s.id === value))
    throw new UsageError(`--stack: unknown stack "${value}"; valid: ${STACK_NAMES}`, command);
  return value;
}

const defaults = { userAgent: `cors-lens/${VERSION} (Chrome CORS rules)` };

// ------------------------------------------------------------------------------------------ check

async function check(args: string[]): Promise<number> {
  const { values: v, positionals } = parse('check', args, {
    origin: { type: 'string', short: 'o' },
    method: { type: 'string', short: 'X' },
    header: { type: 'string', short: 'H', multiple: true },
    credentials: { type: 'boolean' },
    browser: { type: 'string' },
    stack: { type: 'string' },
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
  const browser = need(browserProfile(v.browser ?? 'chrome'), 'check', '--browser');
  const stack = stackOf('check', v.stack);
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
      browser: browser.name,
    },
  ).finally(() => progress.stop());
  if (result.dropped.length) {
    err.write(
      `${ce.yellow('note')}: the browser drops forbidden request headers set by scripts: ${result.dropped.join(', ')}\n`,
    );
  }
  const entry: LogEntry = { exchange: result.exchange, verdict: result.verdict };
  if (v.json || v.markdown) writeReport([entry], v.json ? 'json' : 'markdown', !v['no-redact'], 'call');
  else
    out.write(
      renderCall(c, result.exchange, result.verdict, Math.min(110, (out.columns ?? 100) - 2), { stack }),
    );
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

/** Reads and judges a HAR file; the file's text and parsed JSON are garbage once this returns. */
function readHar(file: string): HarResult & { ok: true } {
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
  const progress = new Progress(err);
  const big = text.length > 5_000_000;
  if (big) progress.update(`reading ${file} (${Math.round(text.length / 1e6)} MB)`);
  const result = explainHarText(text, {
    onProgress: big ? (d, t) => progress.update(`judging call ${d} of ${t}`) : undefined,
  });
  progress.stop();
  if (!result.ok) throw new RunError(`${file}: ${result.error}`);
  return result;
}

function har(args: string[]): number {
  const { values: v, positionals } = parse('har', args, {
    stack: { type: 'string' },
    json: { type: 'boolean' },
    markdown: { type: 'boolean' },
    'no-redact': { type: 'boolean' },
  });
  if (v.help) return help('har');
  exclusive('har', v);
  if (positionals.length !== 1)
    throw new UsageError(positionals.length ? 'give one HAR file' : 'missing the HAR file', 'har');
  const file = positionals[0] as string;
  const stack = stackOf('har', v.stack);
  const result = readHar(file);
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
    const w = new ChunkedOutput();
    w.write(
      `${c.bold(file)}: ${s.entries} entries (${result.flavor === 'other' ? 'unknown exporter' : `${result.flavor === 'chrome' ? 'Chrome' : 'Firefox'} HAR`}), ${entries.length} cross-origin calls, ${c.red(`${blocked} blocked`)}, ${s.preflights} preflights${s.unpairedPreflights ? ` (${s.unpairedPreflights} without their request)` : ''}, ${s.skipped} not CORS\n\n`,
    );
    for (const call of result.calls) {
      w.write(renderRow(c, call.exchange, call.verdict));
      for (const n of call.notes) w.write(`         ${c.dim(n)}\n`);
    }
    const details = result.calls.filter((x) => x.verdict.outcome === 'blocked');
    const shown = details.slice(0, 20);
    const width = Math.min(110, (out.columns ?? 100) - 2);
    for (const call of shown)
      w.write(
        `\n${c.dim('─'.repeat(40))}\n${renderCall(c, call.exchange, call.verdict, width, { recipe: false })}`,
      );
    if (details.length > shown.length)
      w.write(
        `\n${details.length - shown.length} more blocked calls: use --markdown or --json for all of them.\n`,
      );
    // One recipe per API origin: the plans of its blocked calls merged, so that two calls never get
    // two conflicting configurations for one server.
    for (const api of fixesByApi(details.map((x) => x.verdict))) {
      w.write(
        `\n${c.dim('─'.repeat(40))}\n${c.bold(`Fix for ${api.apiOrigin}`)} (${api.calls} blocked ${api.calls === 1 ? 'call' : 'calls'})\n`,
      );
      w.write(`${renderHeaderChanges(c, api.headers).join('\n')}\n`);
      w.write(`${renderRecipe(c, api.plan, api.detected, stack, width).join('\n')}\n`);
    }
    if (result.notes.length) w.write('\n');
    for (const n of result.notes) w.write(`${c.yellow('note')}: ${n}\n`);
    w.flush();
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
    text = readFileSync(file, 'utf8');
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

export const COMMANDS: Record<string, (args: string[]) => number | Promise<number>> = {
  check,
  probe,
  har,
  ci,
};
