/**
 * The JSON report: a documented, versioned schema (docs/report-format.md). Each call is the verdict as
 * flat fields (url, method, outcome, kind, chromeError, facts, findings, fix, …) plus the observed
 * `exchange`, so that the panel can open a report again (Import). Pure.
 */
import {
  type Exchange,
  type Fix,
  isChromeCorsError,
  isKind,
  type LogEntry,
  type Recipe,
  type Verdict,
} from '../engine';
import { curlCommands } from './curl';
import { durationMs, finalStatus, isPreflighted } from './describe';
import { redactEntry } from './redact';
import { isRecord as isObj } from '../lib/validate';

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
  /** The stack picked per API origin: its recipe is the one kept in the report. */
  stacks?: Readonly<Record<string, string>>;
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
  kind: Verdict['kind'];
  title: string;
  /** Whose rules the verdict applies (absent in reports written before Firefox support: Chrome). */
  browser?: NonNullable<Verdict['browser']>;
  /** Firefox's reason name and MDN page, when Firefox logs one for this verdict. */
  firefoxReason?: NonNullable<Verdict['firefoxReason']> | null;
  /** What the other browser would decide. */
  otherBrowser?: NonNullable<Verdict['otherBrowser']> | null;
  chromeError: NonNullable<Verdict['chromeError']> | null;
  failedParameter: string | null;
  netError: string | null;
  step: Verdict['step'];
  legIndex: number;
  requestOrigin: string;
  credentials: Verdict['credentials'];
  confidence: Verdict['confidence'];
  consoleMessage: string | null;
  explanation: string[];
  facts: Verdict['facts'];
  findings: Verdict['findings'];
  /** The fix; `recipe` is the one for the stack shown (the others derive from `plan`). */
  fix: {
    summary: string;
    headers: Fix['headers'];
    plan: Fix['plan'];
    recipe: Recipe | null;
    /** The stacks the responses pointed at, with the evidence (empty: unknown). */
    detected?: Fix['detected'];
  } | null;
  curl: { preflight: string | null; actual: string };
  /** The exchange as observed (redacted unless the report says otherwise). */
  exchange: Exchange;
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

function pickRecipe(fix: Fix, stacks: Readonly<Record<string, string>> | undefined): Recipe | null {
  const want = stacks?.[fix.plan.apiOrigin];
  return fix.recipes.find((r) => r.stack === want) ?? fix.recipes[0] ?? null;
}

export function reportCall(
  entry: LogEntry,
  redact = true,
  stacks?: Readonly<Record<string, string>>,
): ReportCall {
  const { exchange, verdict } = redact ? redactEntry(entry) : entry;
  const leg0 = exchange.legs[0];
  const fix = verdict.fix;
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
    browser: verdict.browser ?? 'chrome',
    firefoxReason: verdict.firefoxReason ?? null,
    otherBrowser: verdict.otherBrowser ?? null,
    chromeError: verdict.chromeError ?? null,
    failedParameter: verdict.failedParameter ?? null,
    netError: verdict.netError ?? null,
    step: verdict.step,
    legIndex: verdict.legIndex,
    requestOrigin: verdict.requestOrigin,
    credentials: verdict.credentials,
    confidence: verdict.confidence,
    consoleMessage: verdict.consoleMessage ?? null,
    explanation: verdict.explanation,
    facts: verdict.facts,
    findings: verdict.findings,
    fix: fix
      ? {
          summary: fix.summary,
          headers: fix.headers,
          plan: fix.plan,
          recipe: pickRecipe(fix, stacks),
          ...(fix.detected ? { detected: fix.detected } : {}),
        }
      : null,
    // The entry is already redacted when asked: redacting again would change nothing.
    curl: curlCommands(exchange, { redact: false, legIndex: 0 }),
    exchange,
  };
}

/** The verdict a report call describes (the inverse of {@link reportCall}, recipes aside). */
export function callVerdict(c: ReportCall): Verdict {
  const v: Verdict = {
    outcome: c.outcome,
    kind: c.kind,
    step: c.step,
    legIndex: c.legIndex,
    title: c.title,
    explanation: c.explanation,
    facts: c.facts,
    confidence: c.confidence,
    credentials: c.credentials,
    requestOrigin: c.requestOrigin,
    findings: c.findings,
  };
  if (c.browser === 'chrome' || c.browser === 'firefox') v.browser = c.browser;
  if (c.firefoxReason) v.firefoxReason = c.firefoxReason;
  if (c.otherBrowser) v.otherBrowser = c.otherBrowser;
  if (c.chromeError !== null) v.chromeError = c.chromeError;
  if (c.failedParameter !== null) v.failedParameter = c.failedParameter;
  if (c.netError !== null) v.netError = c.netError;
  if (c.consoleMessage !== null) v.consoleMessage = c.consoleMessage;
  if (c.fix) {
    v.fix = {
      summary: c.fix.summary,
      headers: c.fix.headers,
      plan: c.fix.plan,
      recipes: c.fix.recipe ? [c.fix.recipe] : [],
    };
    if (c.fix.detected) v.fix.detected = c.fix.detected;
  }
  return v;
}

export function buildReport(entries: readonly LogEntry[], options: ReportOptions = {}): Report {
  const redact = options.redact ?? true;
  const calls = entries.map((e) => reportCall(e, redact, options.stacks));
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

/** Indented for people up to this many calls; compact above (a 10,000-call log stays small). */
export const INDENT_MAX_CALLS = 500;

export function reportJson(entries: readonly LogEntry[], options: ReportOptions = {}): string {
  const indent = entries.length <= INDENT_MAX_CALLS ? 2 : undefined;
  return JSON.stringify(buildReport(entries, options), null, indent) + '\n';
}

export type ParsedReport =
  | { ok: true; entries: LogEntry[]; generatedAt: string | null; redacted: boolean; pageUrl: string | null }
  | { ok: false; error: string };

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

function validCall(x: unknown): x is ReportCall {
  return (
    isObj(x) &&
    typeof x.outcome === 'string' &&
    isKind(x.kind) &&
    (x.chromeError === null || x.chromeError === undefined || isChromeCorsError(x.chromeError)) &&
    typeof x.title === 'string' &&
    typeof x.step === 'string' &&
    Array.isArray(x.explanation) &&
    Array.isArray(x.facts) &&
    Array.isArray(x.findings) &&
    isObj(x.confidence) &&
    (x.fix === null ||
      (isObj(x.fix) &&
        isObj(x.fix.plan) &&
        Array.isArray(x.fix.headers) &&
        (x.fix.detected === undefined ||
          (Array.isArray(x.fix.detected) &&
            x.fix.detected.every(
              (d) => isObj(d) && typeof d.stack === 'string' && typeof d.evidence === 'string',
            ))))) &&
    validExchange(x.exchange)
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
    if (!validCall(c)) {
      return {
        ok: false,
        error: `Call ${i + 1} is not a valid call (needs its verdict fields and "exchange").`,
      };
    }
    const verdict = callVerdict({ ...c, legIndex: typeof c.legIndex === 'number' ? c.legIndex : 0 });
    entries.push({ exchange: c.exchange, verdict });
  }
  return {
    ok: true,
    entries,
    generatedAt: typeof data.generatedAt === 'string' ? data.generatedAt : null,
    redacted: data.redacted !== false,
    pageUrl: typeof data.pageUrl === 'string' ? data.pageUrl : null,
  };
}
