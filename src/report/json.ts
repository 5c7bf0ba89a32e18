/**
 * The JSON report: a documented, versioned schema (docs/report-format.md). Each call carries flat
 * fields for people and tools (url, method, outcome, kind, chromeError, …) and the full `exchange` and
 * `verdict`, so that the panel can open a report again (Import). Pure.
 */
import type { Exchange, Verdict } from '../engine/types';
import type { LogEntry } from '../shared/protocol';
import { curlCommands } from './curl';
import { durationMs, finalStatus, isPreflighted } from './describe';
import { redactEntry } from './redact';

export const REPORT_FORMAT = 'cors-lens-report';
export const REPORT_VERSION = 1;

export type ReportScope = 'call' | 'blocked' | 'listed';

export interface ReportOptions {
  /** Redact secrets (default true). */
  redact?: boolean;
  scope?: ReportScope;
  /** ISO time the report was made (defaults to now). */
  generatedAt?: string;
  generator?: string;
  /** The inspected page, when known. */
  pageUrl?: string;
}

export interface ReportCall {
  id: string;
  url: string;
  method: string;
  initiator: string | null;
  type: string;
  startedAt: string;
  durationMs: number | null;
  preflighted: boolean;
  status: number | null;
  outcome: Verdict['outcome'];
  kind: string;
  title: string;
  chromeError: string | null;
  failedParameter: string | null;
  netError: string | null;
  step: Verdict['step'];
  requestOrigin: string;
  credentials: Verdict['credentials'];
  confidence: Verdict['confidence'];
  consoleMessage: string | null;
  explanation: string[];
  facts: Verdict['facts'];
  findings: Verdict['findings'];
  fix: { summary: string; headers: NonNullable<Verdict['fix']>['headers'] } | null;
  curl: { preflight: string | null; actual: string };
  exchange: Exchange;
  verdict: Verdict;
}

export interface Report {
  format: typeof REPORT_FORMAT;
  version: typeof REPORT_VERSION;
  generatedAt: string;
  generator: string;
  redacted: boolean;
  scope: ReportScope;
  pageUrl: string | null;
  counts: { calls: number; blocked: number; withFindings: number };
  calls: ReportCall[];
}

function iso(ms: number): string {
  const d = new Date(ms);
  return Number.isFinite(d.getTime()) ? d.toISOString() : new Date(0).toISOString();
}

export function reportCall(entry: LogEntry, redact = true): ReportCall {
  const { exchange, verdict } = redact ? redactEntry(entry) : entry;
  const leg0 = exchange.legs[0];
  return {
    id: exchange.id,
    url: leg0?.url ?? '',
    method: exchange.method,
    initiator: exchange.initiator ?? null,
    type: exchange.type,
    startedAt: iso(exchange.startTime),
    durationMs: durationMs(exchange),
    preflighted: isPreflighted(exchange),
    status: finalStatus(exchange),
    outcome: verdict.outcome,
    kind: verdict.kind,
    title: verdict.title,
    chromeError: verdict.chromeError ?? null,
    failedParameter: verdict.failedParameter ?? null,
    netError: verdict.netError ?? null,
    step: verdict.step,
    requestOrigin: verdict.requestOrigin,
    credentials: verdict.credentials,
    confidence: verdict.confidence,
    consoleMessage: verdict.consoleMessage ?? null,
    explanation: verdict.explanation,
    facts: verdict.facts,
    findings: verdict.findings,
    fix: verdict.fix ? { summary: verdict.fix.summary, headers: verdict.fix.headers } : null,
    // The entry is already redacted: do not redact twice (it would turn [REDACTED] into itself anyway).
    curl: curlCommands(exchange, { redact: false, legIndex: 0 }),
    exchange,
    verdict,
  };
}

export function buildReport(entries: readonly LogEntry[], options: ReportOptions = {}): Report {
  const redact = options.redact ?? true;
  const calls = entries.map((e) => reportCall(e, redact));
  return {
    format: REPORT_FORMAT,
    version: REPORT_VERSION,
    generatedAt: options.generatedAt ?? new Date().toISOString(),
    generator: options.generator ?? 'CORS Lens',
    redacted: redact,
    scope: options.scope ?? 'listed',
    pageUrl: options.pageUrl ?? null,
    counts: {
      calls: calls.length,
      blocked: calls.filter((c) => c.outcome === 'blocked').length,
      withFindings: calls.filter((c) => c.findings.length > 0).length,
    },
    calls,
  };
}

export function reportJson(entries: readonly LogEntry[], options: ReportOptions = {}): string {
  return JSON.stringify(buildReport(entries, options), null, 2) + '\n';
}

export type ParsedReport =
  | { ok: true; entries: LogEntry[]; generatedAt: string | null; redacted: boolean; pageUrl: string | null }
  | { ok: false; error: string };

function isObj(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function validExchange(x: unknown): x is Exchange {
  return (
    isObj(x) &&
    typeof x.id === 'string' &&
    typeof x.method === 'string' &&
    typeof x.startTime === 'number' &&
    Array.isArray(x.legs) &&
    x.legs.every((l) => isObj(l) && typeof l.url === 'string') &&
    isObj(x.outcome)
  );
}

function validVerdict(x: unknown): x is Verdict {
  return (
    isObj(x) &&
    typeof x.outcome === 'string' &&
    typeof x.kind === 'string' &&
    typeof x.title === 'string' &&
    Array.isArray(x.explanation) &&
    Array.isArray(x.facts) &&
    Array.isArray(x.findings) &&
    isObj(x.confidence)
  );
}

/** Reads a JSON report back into log entries (the panel's Import). Never throws. */
export function parseReport(text: string): ParsedReport {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    return { ok: false, error: `Not JSON: ${e instanceof Error ? e.message : String(e)}` };
  }
  if (!isObj(data) || data.format !== REPORT_FORMAT) {
    return { ok: false, error: `Not a CORS Lens report (expected "format": "${REPORT_FORMAT}").` };
  }
  if (data.version !== REPORT_VERSION) {
    return {
      ok: false,
      error: `Report format version ${String(data.version)} is not supported (this panel reads version ${REPORT_VERSION}).`,
    };
  }
  if (!Array.isArray(data.calls)) return { ok: false, error: 'The report has no "calls" array.' };
  const entries: LogEntry[] = [];
  for (const [i, c] of data.calls.entries()) {
    if (!isObj(c) || !validExchange(c.exchange) || !validVerdict(c.verdict)) {
      return { ok: false, error: `Call ${i + 1} lacks a valid "exchange" and "verdict".` };
    }
    entries.push({ exchange: c.exchange, verdict: c.verdict });
  }
  return {
    ok: true,
    entries,
    generatedAt: typeof data.generatedAt === 'string' ? data.generatedAt : null,
    redacted: data.redacted !== false,
    pageUrl: typeof data.pageUrl === 'string' ? data.pageUrl : null,
  };
}
