/**
 * The command runners: each takes its arguments (after the command name) and returns the exit code
 * (0 allowed / as expected, 1 blocked / a difference / a serious finding); usage and run errors are thrown.
 */
import { appendFileSync, readFileSync } from 'node:fs';
import { STACKS } from '../engine/fix';
import type { HeaderLine } from '../engine/types';
import { parseHeaderArg, parseMethod, parseOrigin, parseRequestUrl } from '../engine/request';
import { printable } from '../report/printable';
import { recheckCalls } from './recheck';
import type { LogEntry } from '../shared/protocol';
import { exclusive, need, parse, RunError, timeoutOf, UsageError } from './args';
import { browserProfile } from './browser';
import { CLI_DEFAULTS, runCheck } from './check';
import { actualLabel, matches, parseCiConfig, type CiConfig } from './ci';
import { annotations, configAnnotation, summary, type CiRow } from './github';
import { c, ce, ChunkedOutput, err, help, out, writeReport } from './output';
import { harEntries, harNotes, harTextParts, readHarFile, writeBigHar, type JudgedHar } from './har-file';
import { PROBE_TOTAL_TIMEOUT_MS, probeOrigins, runProbe, worstSeverity, type ProbeResult } from './probe';
import { probeConclusion, probeJson, probeText } from './probe-report';
import { renderCall, STACK_NAMES } from './render';
import { Progress } from './term';
import { VERSION } from './version';

/** The --stack value, checked against the stacks the recipes know. */
function stackOf(command: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (!STACKS.some((s) => s.id === value))
    throw new UsageError(`--stack: unknown stack "${printable(value)}"; valid: ${STACK_NAMES}`, command);
  return value;
}

const defaults = CLI_DEFAULTS;

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
    err.write(`cors-lens: ${ne.netError} for ${printable(ne.url)}: ${printable(ne.reason)}\n`);
    return 2;
  }
  return result.verdict.outcome === 'blocked' ? 1 : 0;
}

// ------------------------------------------------------------------------------------------ probe

async function probe(args: string[]): Promise<number> {
  const { values: v, positionals } = parse('probe', args, {
    origin: { type: 'string', short: 'o' },
    credentials: { type: 'boolean' },
    json: { type: 'boolean' },
    insecure: { type: 'boolean', short: 'k' },
    timeout: { type: 'string' },
    'total-timeout': { type: 'string' },
  });
  if (v.help) return help('probe');
  const timeoutMs = timeoutOf('probe', v.timeout);
  const totalTimeoutMs = timeoutOf('probe', v['total-timeout'], PROBE_TOTAL_TIMEOUT_MS, '--total-timeout');
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
      `${c.bold('Probing')} ${url}\n${c.dim(`${list.length} GET requests, one after another (timeout ${timeoutMs} ms each, ${totalTimeoutMs} ms in all), with these Origin headers:`)}\n`,
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
      timeoutMs,
      totalTimeoutMs,
      onProbe: (i, n, p) => progress.update(`probe ${i + 1}/${n}: Origin ${p.origin}`, true),
    });
  } finally {
    progress.stop();
  }
  const base = results[0];
  if (base?.error && results.every((r) => r.error)) {
    err.write(`cors-lens: ${base.error} for ${url}: ${printable(base.grade.detail)}\n`);
    return 2;
  }
  const worst = worstSeverity(results);
  const run = {
    url,
    origin,
    credentials: v.credentials === true,
    results,
    worst,
    timeoutMs,
    totalTimeoutMs,
  };
  out.write(v.json ? `${JSON.stringify(probeJson(run), null, 2)}\n` : probeText(c, run));
  const { serious, inconclusive, why } = probeConclusion(run);
  if (inconclusive) {
    err.write(`cors-lens: probe inconclusive: ${printable(why)}\n`);
    return 2;
  }
  return serious ? 1 : 0;
}

// ------------------------------------------------------------------------------------------ har

async function har(args: string[]): Promise<number> {
  const { values: v, positionals } = parse('har', args, {
    stack: { type: 'string' },
    json: { type: 'boolean' },
    markdown: { type: 'boolean' },
    'no-redact': { type: 'boolean' },
    recheck: { type: 'boolean' },
    'recheck-max': { type: 'string' },
    timeout: { type: 'string' },
    insecure: { type: 'boolean', short: 'k' },
  });
  if (v.help) return help('har');
  exclusive('har', v);
  if (positionals.length !== 1)
    throw new UsageError(positionals.length ? 'give one HAR file' : 'missing the HAR file', 'har');
  const max = v['recheck-max'] === undefined ? 20 : Number(v['recheck-max']);
  if (!Number.isInteger(max) || max < 1)
    throw new UsageError(`--recheck-max must be a positive whole number, not "${v['recheck-max']}"`, 'har');
  if (!v.recheck && (v['recheck-max'] !== undefined || v.timeout !== undefined || v.insecure))
    throw new UsageError('--recheck-max, --timeout and --insecure go with --recheck', 'har');
  const timeoutMs = timeoutOf('har', v.timeout);
  const file = positionals[0] as string;
  const stack = stackOf('har', v.stack);
  const progress = new Progress(err);
  if (!v.recheck && !v.markdown) {
    // A big file is judged as a stream and written out call by call (memory stays flat).
    const width = Math.min(110, (out.columns ?? 100) - 2);
    const options = { json: v.json === true, redact: !v['no-redact'], stack, width, colors: c, progress };
    const code = await writeBigHar(file, options).finally(() => progress.stop());
    if (code !== null) return code;
  }
  let result: JudgedHar;
  try {
    result = await readHarFile(file, (m) => progress.update(m));
  } finally {
    progress.stop();
  }
  let recheck: Awaited<ReturnType<typeof recheckCalls>> | undefined;
  if (v.recheck) {
    const n = result.calls.filter((x) => x.check).length;
    const bounds = `at most ${max} checks, one after another, each request timing out after ${timeoutMs} ms`;
    if (!v.json && !v.markdown)
      out.write(
        `${c.bold('Re-checking')} ${n} call${n === 1 ? '' : 's'} whose answer the file does not hold, live against the servers: ${bounds}.\n`,
      );
    const progress = new Progress(err);
    try {
      recheck = await recheckCalls(result.calls, {
        timeoutMs,
        max,
        insecure: v.insecure === true,
        defaults,
        onCheck: (i, t) => progress.update(`re-check ${i}/${t}`, true),
      });
    } finally {
      progress.stop();
    }
    if (!v.json && !v.markdown) {
      const s = recheck.summary;
      out.write(
        `${s.checks} check${s.checks === 1 ? '' : 's'} made${s.skipped ? `; ${s.skipped} call${s.skipped === 1 ? '' : 's'} left undetermined (the cap of ${max} was reached: raise it with --recheck-max)` : ''}.\n\n`,
      );
    }
  }
  const entries = harEntries(result);
  const blocked = entries.filter((e) => e.verdict.outcome === 'blocked').length;
  if (v.json || v.markdown) {
    writeReport(
      entries,
      v.json ? 'json' : 'markdown',
      !v['no-redact'],
      'listed',
      `CORS Lens: ${file} (${entries.length} cross-origin calls)`,
      harNotes(result, !v['no-redact'], recheck),
    );
  } else {
    const w = new ChunkedOutput();
    for (const part of harTextParts(
      c,
      file,
      result,
      Math.min(110, (out.columns ?? 100) - 2),
      Infinity,
      stack,
    ))
      w.write(part);
    w.flush();
  }
  return blocked > 0 ? 1 : 0;
}

// ------------------------------------------------------------------------------------------ ci

/** The config file, judged; in GitHub Actions an unreadable one is also an error annotation on it. */
function readCiConfig(file: string): CiConfig {
  let message: string;
  try {
    const parsed = parseCiConfig(readFileSync(file, 'utf8'));
    if (parsed.ok) return parsed.config;
    message = `${file}: ${parsed.error}`;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    message =
      code === 'ENOENT'
        ? `${file}: no such file (the ci command reads a list of checks; see cors-lens ci --help)`
        : `${file}: ${(e as Error).message}`;
  }
  if (process.env.GITHUB_ACTIONS === 'true') out.write(`${configAnnotation(file, message)}\n`);
  throw new RunError(message);
}

async function ci(args: string[]): Promise<number> {
  const { values: v, positionals } = parse('ci', args, {
    json: { type: 'boolean' },
    insecure: { type: 'boolean', short: 'k' },
    browser: { type: 'string' },
  });
  if (v.help) return help('ci');
  if (positionals.length > 1) throw new UsageError('give at most one config file', 'ci');
  const browser = need(browserProfile(v.browser ?? 'chrome'), 'ci', '--browser');
  const file = positionals[0] ?? 'cors-lens.json';
  const { cases, insecure, timeoutMs } = readCiConfig(file);
  const progress = new Progress(err);
  const rows: CiRow[] = [];
  for (const [i, k] of cases.entries()) {
    progress.update(`check ${i + 1}/${cases.length}: ${k.name}`, true);
    const r = await runCheck(
      { url: k.url, origin: k.origin, method: k.method, headers: k.headers, credentials: k.credentials },
      {
        defaults,
        insecure: insecure || v.insecure === true,
        timeoutMs: timeoutMs ?? 10_000,
        browser: browser.name,
      },
    );
    const row: CiRow = {
      name: k.name,
      method: k.method,
      url: k.url,
      expect: k.expect + (k.failedParameter !== undefined ? ` (${k.failedParameter})` : ''),
      actual: actualLabel(r.verdict) + (r.verdict.failedParameter ? ` (${r.verdict.failedParameter})` : ''),
      ok: matches(k, r.verdict),
      verdict: r.verdict,
      networkError: r.networkError ? `${r.networkError.netError}: ${r.networkError.reason}` : null,
    };
    rows.push(row);
    if (!v.json) {
      progress.stop();
      out.write(`${row.ok ? c.green('✓') : c.red('✗')} ${printable(k.name)}\n`);
      if (!row.ok)
        out.write(
          `    expected ${c.bold(printable(row.expect))}, got ${c.bold(printable(row.actual))}: ${printable(r.verdict.title)}\n`,
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
          browser: browser.name,
          passed: rows.length - failed,
          failed,
          results: rows.map((r) => ({
            name: r.name,
            expect: r.expect,
            actual: r.actual,
            failedParameter: r.verdict.failedParameter ?? null,
            ok: r.ok,
            title: r.verdict.title,
            networkError: r.networkError,
          })),
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
  reportToGitHub(rows, v.json === true);
  return failed ? 1 : 0;
}

/**
 * In GitHub Actions: annotations on stdout (not with --json, whose stdout is one JSON document), and
 * the summary table appended to GITHUB_STEP_SUMMARY. An unwritable summary file is a warning only.
 */
function reportToGitHub(rows: CiRow[], json: boolean): void {
  if (process.env.GITHUB_ACTIONS === 'true' && !json)
    for (const line of annotations(rows)) out.write(`${line}\n`);
  const file = process.env.GITHUB_STEP_SUMMARY;
  if (!file) return;
  try {
    appendFileSync(file, summary(rows, VERSION));
  } catch (e) {
    err.write(`cors-lens: could not append the job summary to ${file}: ${(e as Error).message}\n`);
  }
}

// ------------------------------------------------------------------------------------------ mcp

/**
 * Loaded only when asked for: the MCP SDK is a separate bundle (dist/cli/mcp.js), with its own copies
 * of the error classes, so the arguments are checked here.
 */
async function mcp(args: string[]): Promise<number> {
  const { values: v, positionals } = parse('mcp', args, {});
  if (v.help) return help('mcp');
  if (positionals.length)
    throw new UsageError('takes no arguments (it talks MCP on stdin and stdout)', 'mcp');
  const { runMcp } = await import('./mcp');
  return runMcp();
}

export const COMMANDS: Record<string, (args: string[]) => number | Promise<number>> = {
  check,
  probe,
  har,
  ci,
  mcp,
};
