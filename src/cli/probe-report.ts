/**
 * `probe`'s results as the command line prints them (text, or the `cors-lens-probe` JSON), shared by
 * `cors-lens probe` and the MCP tool `cors_probe`.
 */
import { printable } from '../report/printable';
import { untestedOrigins, type ProbeResult, type Severity } from './probe';
import type { Colors } from './term';
import { VERSION } from './version';

export interface ProbeRun {
  url: string;
  origin: string;
  credentials: boolean;
  results: ProbeResult[];
  worst: Severity;
  /** The bounds the run kept: each request's timeout and the whole run's. */
  timeoutMs: number;
  totalTimeoutMs: number;
}

/** What the run may conclude: a forged origin whose request failed was not tested, so no all-clear rests on it. */
export interface ProbeConclusion {
  untested: ProbeResult[];
  /** A critical or high finding: the exit code is 1 whatever else was not tested. */
  serious: boolean;
  /** Some forged origins were not tested and nothing serious was found: exit 2. */
  inconclusive: boolean;
  /** "N of M forged origins not tested: origin (reason); …" */
  why: string;
}

export function probeConclusion(run: ProbeRun): ProbeConclusion {
  const untested = untestedOrigins(run.results);
  const serious = run.worst === 'critical' || run.worst === 'high';
  const forged = run.results.length - 1;
  const why = `${untested.length} of ${forged} forged origins not tested: ${untested
    .map((r) => `${r.probe.origin} (${r.untested ?? ''})`)
    .join('; ')}`;
  return { untested, serious, inconclusive: untested.length > 0 && !serious, why };
}

/** The `cors-lens-probe` JSON document (`cors-lens probe --json`). */
export function probeJson(run: ProbeRun): Record<string, unknown> {
  const { untested, inconclusive } = probeConclusion(run);
  return {
    format: 'cors-lens-probe',
    version: 1,
    generatedAt: new Date().toISOString(),
    generator: `cors-lens ${VERSION}`,
    url: run.url,
    origin: run.origin,
    credentials: run.credentials,
    requests: run.results.length,
    timeoutMs: run.timeoutMs,
    totalTimeoutMs: run.totalTimeoutMs,
    worst: run.worst,
    inconclusive,
    untested: untested.map((r) => ({ origin: r.probe.origin, reason: r.untested ?? '' })),
    results: run.results.map((r) => ({
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
      untested: r.untested ?? null,
    })),
  };
}

const severityText = (c: Colors, s: string): string =>
  s === 'critical'
    ? c.bold(c.red(s))
    : s === 'high'
      ? c.red(s)
      : s === 'low'
        ? c.yellow(s)
        : s === 'info'
          ? c.cyan(s)
          : c.green('ok');

/** The results as text: one entry per forged origin, then the conclusion. Outside text is made printable. */
export function probeText(c: Colors, run: ProbeRun): string {
  const { serious, inconclusive, untested, why } = probeConclusion(run);
  const lines: string[] = [];
  for (const r of run.results) {
    // A forged origin without a usable answer is marked as not tested, never as `ok`.
    const sev =
      r.probe.id === 'baseline'
        ? c.dim('base')
        : r.untested !== undefined && r.grade.severity === 'none'
          ? c.magenta('untested')
          : severityText(c, r.grade.severity);
    const hdr = printable(r.error ? r.error : `${r.status} ACAO=${r.acao ?? '-'} ACAC=${r.acac ?? '-'}`);
    lines.push(`${sev.padEnd(c.isColorSupported ? 18 : 8)} ${r.probe.origin}`, `         ${c.dim(hdr)}`);
    if (r.grade.severity !== 'none' || r.probe.id === 'baseline')
      lines.push(`         ${printable(r.grade.title)}. ${printable(r.grade.detail)}`);
    for (const n of r.notes) lines.push(`         ${c.dim(printable(n))}`);
    if (r.untested !== undefined && !r.error && r.probe.id !== 'baseline')
      lines.push(`         ${c.magenta('not tested')}: ${printable(r.untested)}`);
  }
  const base = run.results[0];
  if (run.credentials && base && !base.error && !base.readableWithCredentials)
    lines.push(
      '',
      `${c.yellow('note')}: your own origin is not granted credentials (Access-Control-Allow-Credentials: true is missing or it is not named exactly).`,
    );
  const w = run.worst;
  lines.push(
    '',
    serious
      ? c.bold(c.red(`Worst finding: ${w}.`))
      : inconclusive
        ? c.bold(c.magenta(`Inconclusive: ${printable(why)}.`))
        : w === 'low'
          ? c.yellow('Worst finding: low (an origin check is wrong, but no credentials are granted).')
          : c.green('No forged origin may read responses with credentials.'),
  );
  if (serious && untested.length) lines.push(c.dim(printable(`Also: ${why}.`)));
  return lines.join('\n') + '\n';
}
