/**
 * `cors-lens ci` in GitHub Actions: workflow commands (annotations) and the job summary. Pure: the
 * caller writes the lines to stdout and appends the summary to the file named by GITHUB_STEP_SUMMARY.
 *
 * Workflow commands (docs/ci.md, after GitHub's documentation): one line, `::error title=…::message`
 * or `::warning …`. In the message, `%`, CR and LF are escaped as `%25`, `%0D`, `%0A`; in a property
 * value (`title=`), also `:` and `,` as `%3A` and `%2C`, or the runner would end the property there.
 */
import type { Finding, Verdict } from '../engine';

/** One check of a `ci` run, as the annotations and the summary need it. */
export interface CiRow {
  name: string;
  method: string;
  url: string;
  expect: string;
  actual: string;
  ok: boolean;
  verdict: Verdict;
  networkError: string | null;
}

export function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** The findings that make a passing check risky (notes alone do not). */
export function riskyFindings(v: Verdict): Finding[] {
  return v.findings.filter((f) => f.severity === 'danger' || f.severity === 'warning');
}

const endpoint = (r: CiRow): string => `${r.method} ${r.url}`;

/** Collapses white space so that a message stays one line before escaping. */
const oneLine = (s: string): string => s.replace(/\s+/g, ' ').trim();

function fixOf(r: CiRow): string {
  if (r.networkError) return `The server could not be reached (${r.networkError}).`;
  return r.verdict.fix ? `Fix: ${r.verdict.fix.summary}` : '';
}

/** One `::error` per check that differs from its expectation, one `::warning` per risky passing check. */
export function annotations(rows: CiRow[]): string[] {
  const lines: string[] = [];
  for (const r of rows) {
    const title = escapeProperty(`CORS: ${endpoint(r)}`);
    if (!r.ok) {
      const msg = `${r.name}: expected ${r.expect}, got ${r.actual}. ${r.verdict.title}. ${fixOf(r)}`;
      lines.push(`::error title=${title}::${escapeData(oneLine(msg))}`);
      continue;
    }
    const risky = riskyFindings(r.verdict);
    const first = risky[0];
    if (!first) continue;
    const more =
      risky.length > 1 ? ` (and ${risky.length - 1} more finding${risky.length > 2 ? 's' : ''})` : '';
    const msg = `${r.name}: ${r.actual}, but ${first.title}${more}. ${first.advice ?? first.detail}`;
    lines.push(`::warning title=${title}::${escapeData(oneLine(msg))}`);
  }
  return lines;
}

/** A config file that cannot be used: one `::error` on that file. */
export function configAnnotation(file: string, message: string): string {
  return `::error file=${escapeProperty(file)},title=${escapeProperty('CORS Lens: config')}::${escapeData(oneLine(message))}`;
}

/** A Markdown table cell: one line, `|` escaped, code spans for the machine names. */
const cell = (s: string): string => oneLine(s).replace(/\\/g, '\\\\').replace(/\|/g, '\\|');

/** The job summary: a heading, the counts, one table row per check. */
export function summary(rows: CiRow[], version: string): string {
  const failed = rows.filter((r) => !r.ok).length;
  const risky = rows.filter((r) => r.ok && riskyFindings(r.verdict).length).length;
  const head = failed
    ? `**${failed} of ${rows.length} checks differ from their expectation.**`
    : `All ${rows.length} checks as expected.`;
  const out = [
    '## CORS Lens',
    '',
    `${head}${risky ? ` ${risky} passing check${risky > 1 ? 's have' : ' has'} risky findings.` : ''}`,
    '',
    '| | Check | Endpoint | Expected | Got | Verdict and fix |',
    '| --- | --- | --- | --- | --- | --- |',
  ];
  for (const r of rows) {
    const findings = riskyFindings(r.verdict);
    const mark = !r.ok ? '❌' : findings.length ? '⚠️' : '✅';
    const detail = !r.ok
      ? `${r.verdict.title}. ${fixOf(r)}`
      : findings.length
        ? findings.map((f) => `${f.title}. ${f.advice ?? f.detail}`).join(' ')
        : r.verdict.title;
    out.push(
      `| ${mark} | ${cell(r.name)} | ${cell(endpoint(r))} | \`${cell(r.expect)}\` | \`${cell(r.actual)}\` | ${cell(detail)} |`,
    );
  }
  out.push('', `<sub>cors-lens ${version}</sub>`, '', '');
  return out.join('\n');
}
