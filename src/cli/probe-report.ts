/**
 * `probe`'s results as the command line prints them (text, or the `cors-lens-probe` JSON), shared by
 * `cors-lens probe` and the MCP tool `cors_probe`.
 */
import type { ProbeResult, Severity } from './probe';
import type { Colors } from './term';
import { VERSION } from './version';

export interface ProbeRun {
  url: string;
  origin: string;
  credentials: boolean;
  results: ProbeResult[];
  worst: Severity;
}

/** The `cors-lens-probe` JSON document (`cors-lens probe --json`). */
export function probeJson(run: ProbeRun): Record<string, unknown> {
  return {
    format: 'cors-lens-probe',
    version: 1,
    generatedAt: new Date().toISOString(),
    generator: `cors-lens ${VERSION}`,
    url: run.url,
    origin: run.origin,
    credentials: run.credentials,
    requests: run.results.length,
    worst: run.worst,
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

/** The results as text: one entry per forged origin, then the worst finding. */
export function probeText(c: Colors, run: ProbeRun): string {
  const lines: string[] = [];
  for (const r of run.results) {
    const sev =
      r.probe.id === 'baseline'
        ? c.dim('base')
        : r.error
          ? c.magenta('error')
          : severityText(c, r.grade.severity);
    const hdr = r.error ? r.error : `${r.status} ACAO=${r.acao ?? '-'} ACAC=${r.acac ?? '-'}`;
    lines.push(`${sev.padEnd(c.isColorSupported ? 18 : 8)} ${r.probe.origin}`, `         ${c.dim(hdr)}`);
    if (r.grade.severity !== 'none' || r.probe.id === 'baseline')
      lines.push(`         ${r.grade.title}. ${r.grade.detail}`);
    for (const n of r.notes) lines.push(`         ${c.dim(n)}`);
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
    w === 'critical' || w === 'high'
      ? c.bold(c.red(`Worst finding: ${w}.`))
      : w === 'low'
        ? c.yellow('Worst finding: low (an origin check is wrong, but no credentials are granted).')
        : c.green('No forged origin may read responses with credentials.'),
  );
  return lines.join('\n') + '\n';
}
