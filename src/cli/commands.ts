/**
 * The command handlers, one per row of the command table (command-table.ts), which declares each
 * command's options, arguments and help. A handler gets the parsed values and returns the exit code
 * (0 allowed / as expected, 1 blocked / a difference / a serious finding); usage and run errors are thrown.
 */
import { appendFileSync, readFileSync } from 'node:fs';
import {
  type HeaderLine,
  type LogEntry,
  parseHeaderArg,
  parseMethod,
  parseOrigin,
  parseRequestUrl,
  STACKS,
} from '../engine';
import { printable } from '../report/printable';
import { recheckCalls, type Rechecks } from './recheck';
import type { HarCall } from '../har';
import { exclusive, need, parse, RunError, timeoutOf, UsageError } from './args';
import { browserProfile } from './browser';
import {
  COMMAND_TABLE,
  parseConfig,
  positionalsError,
  type CommandName,
  type ValuesOf,
} from './command-table';
import { CLI_DEFAULTS, runCheck } from './check';
import { actualLabel, matches, parseCiConfig, type CiConfig } from './ci';
import { annotations, configAnnotation, summary, type CiRow } from './github';
import { c, ce, ChunkedOutput, err, help, out, writeReport } from './output';
import { harEntries, harNotes, harTextParts, readHarFile, type JudgedHar } from './har-file';
import { writeBigHar } from './har-big';
import { probeOrigins, runProbe, worstSeverity, type ProbeResult } from './probe';
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

type Handler<N extends CommandName> = (v: ValuesOf<N>, positionals: string[]) => number | Promise<number>;

/**
 * A row of the command table joined to its handler: the arguments parsed by the row's options (with
 * `--help` answered from the row), the values typed by them.
 */
function command<N extends CommandName>(
  name: N,
  handler: Handler<N>,
): (args: string[]) => number | Promise<number> {
  const config = parseConfig(COMMAND_TABLE[name].options);
  return (args) => {
    const { values, positionals } = parse(name, args, config);
    if (values.help) return help(name);
    // parseArgs gives each option the type `config` declares, and `config` is the row's options.
    return handler(values as ValuesOf<N>, positionals);
  };
}

/** The usage error for the wrong number of positional arguments. */
function positionalsOf(name: CommandName, positionals: string[]): void {
  const error = positionalsError(COMMAND_TABLE[name].positionals, positionals);
  if (error !== undefined) throw new UsageError(error, name);
}

// ------------------------------------------------------------------------------------------ check

const CHECK = COMMAND_TABLE.check.options;

async function check(v: ValuesOf<'check'>, positionals: string[]): Promise<number> {
  exclusive('check', v);
  positionalsOf('check', positionals);
  if (v.origin === undefined)
    throw new UsageError('missing --origin (the origin of the page that makes the call)', 'check');
  const browser = need(browserProfile(v.browser ?? CHECK.browser.default), 'check', '--browser');
  const stack = stackOf('check', v.stack);
  const url = need(parseRequestUrl(positionals[0] as string), 'check');
  const origin = need(parseOrigin(v.origin), 'check', '--origin');
  const method = need(parseMethod(v.method ?? CHECK.method.default), 'check', '--method');
  const headers: HeaderLine[] = (v.header ?? []).map((h) => need(parseHeaderArg(h), 'check', '--header'));
  const progress = new Progress(err);
  const result = await runCheck(
    { url, origin, method, headers, credentials: v.credentials === true },
    {
      defaults,
      insecure: v.insecure === true,
      timeoutMs: timeoutOf('check', v.timeout, Number(CHECK.timeout.default)),
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
  if (v.json || v.markdown) await writeReport([entry], v.json ? 'json' : 'markdown', !v['no-redact'], 'call');
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

const PROBE = COMMAND_TABLE.probe.options;

async function probe(v: ValuesOf<'probe'>, positionals: string[]): Promise<number> {
  const timeoutMs = timeoutOf('probe', v.timeout, Number(PROBE.timeout.default));
  const totalTimeoutMs = timeoutOf(
    'probe',
    v['total-timeout'],
    Number(PROBE['total-timeout'].default),
    '--total-timeout',
  );
  positionalsOf('probe', positionals);
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

const HAR = COMMAND_TABLE.har.options;

async function har(v: ValuesOf<'har'>, positionals: string[]): Promise<number> {
  exclusive('har', v);
  positionalsOf('har', positionals);
  const max = Number(v['recheck-max'] ?? HAR['recheck-max'].default);
  if (!Number.isInteger(max) || max < 1)
    throw new UsageError(`--recheck-max must be a positive whole number, not "${v['recheck-max']}"`, 'har');
  if (!v.recheck && (v['recheck-max'] !== undefined || v.timeout !== undefined || v.insecure))
    throw new UsageError('--recheck-max, --timeout and --insecure go with --recheck', 'har');
  const timeoutMs = timeoutOf('har', v.timeout, Number(HAR.timeout.default));
  const file = positionals[0] as string;
  const stack = stackOf('har', v.stack);
  const progress = new Progress(err);
  /** Re-checks `calls`, the first of the `total` calls whose answer the file does not hold. */
  const runRecheck = async (calls: HarCall[], total: number): Promise<Rechecks> => {
    const bounds = `at most ${max} checks, one after another, each request timing out after ${timeoutMs} ms`;
    if (!v.json && !v.markdown)
      out.write(
        `${c.bold('Re-checking')} ${total} call${total === 1 ? '' : 's'} whose answer the file does not hold, live against the servers: ${bounds}.\n`,
      );
    const progress = new Progress(err);
    let recheck: Rechecks;
    try {
      recheck = await recheckCalls(calls, {
        timeoutMs,
        max,
        insecure: v.insecure === true,
        defaults,
        notHeld: total - calls.filter((x) => x.check).length,
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
    return recheck;
  };
  // A big file is judged as a stream and written out call by call (memory stays flat).
  const width = Math.min(110, (out.columns ?? 100) - 2);
  const format = v.json ? 'json' : v.markdown ? 'markdown' : 'text';
  const options = {
    format,
    redact: !v['no-redact'],
    stack,
    width,
    colors: c,
    progress,
    ...(v.recheck ? { recheck: { max, run: runRecheck } } : {}),
  } as const;
  const code = await writeBigHar(file, options).finally(() => progress.stop());
  if (code !== null) return code;
  let result: JudgedHar;
  try {
    result = await readHarFile(file, (m) => progress.update(m));
  } finally {
    progress.stop();
  }
  const recheck = v.recheck
    ? await runRecheck(result.calls, result.calls.filter((x) => x.check).length)
    : undefined;
  const entries = harEntries(result);
  const blocked = entries.filter((e) => e.verdict.outcome === 'blocked').length;
  if (v.json || v.markdown) {
    await writeReport(
      entries,
      v.json ? 'json' : 'markdown',
      !v['no-redact'],
      'listed',
      `CORS Lens: ${file} (${entries.length} cross-origin calls)`,
      harNotes(result, !v['no-redact'], recheck),
    );
  } else {
    const width = Math.min(110, (out.columns ?? 100) - 2);
    await new ChunkedOutput().writeParts(harTextParts(c, file, result, width, Infinity, stack));
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

async function ci(v: ValuesOf<'ci'>, positionals: string[]): Promise<number> {
  positionalsOf('ci', positionals);
  const browser = need(
    browserProfile(v.browser ?? COMMAND_TABLE.ci.options.browser.default),
    'ci',
    '--browser',
  );
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
async function mcp(_v: ValuesOf<'mcp'>, positionals: string[]): Promise<number> {
  positionalsOf('mcp', positionals);
  const { runMcp } = await import('./mcp');
  return runMcp();
}

/** Each row of the command table (src/cli/command-table.ts) with its handler. */
export const COMMANDS: Record<CommandName, (args: string[]) => number | Promise<number>> = {
  check: command('check', check),
  probe: command('probe', probe),
  har: command('har', har),
  ci: command('ci', ci),
  mcp: command('mcp', mcp),
};
