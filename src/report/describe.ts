/**
 * Plain-data views of a log entry shared by the panel and the report: the row state, the steps of an
 * exchange (preflight and actual request per redirect leg) and header look-ups. Pure: no browser globals.
 */
import type { Exchange, HeaderLine, HeaderList, LogEntry, ObservedResponse, Step, Verdict } from '../engine';

/** The state shown in the first column of a row. */
export type RowState = 'blocked' | 'finding' | 'allowed' | 'failed' | 'pending' | 'not-cors';

/**
 * A verdict has findings worth flagging in the list: a warning or a danger. Info findings (a header
 * scripts cannot read, a Max-Age above the cap…) show in the detail only, or nearly every row of a
 * typical API would be flagged.
 */
export function hasConcern(v: Pick<Verdict, 'findings'>): boolean {
  return v.findings.some((f) => f.severity !== 'info');
}

/**
 * A load the CORS rules do not apply to and that did not fail: a classic script, an image, a
 * stylesheet, a beacon, a no-cors fetch. Recorded and exported, but not in the panel's default view (a
 * busy page makes hundreds of them); failed ones stay in view.
 */
export function isNoCorsLoad(entry: LogEntry): boolean {
  const k = entry.verdict.kind;
  return k === 'no-cors-load' || k === 'opaque-response';
}

export function rowState(entry: LogEntry): RowState {
  return rowStateOf(entry.verdict);
}

/** What a call's row shows of its verdict (a big HAR's reader keeps only this of each call). */
export type RowVerdict = Pick<
  Verdict,
  'outcome' | 'title' | 'findings' | 'chromeError' | 'failedParameter' | 'browser' | 'firefoxReason'
>;

/** {@link rowState} from the two fields it reads. */
export function rowStateOf(v: Pick<Verdict, 'outcome' | 'findings'>): RowState {
  switch (v.outcome) {
    case 'blocked':
      return 'blocked';
    case 'allowed':
      return hasConcern(v) ? 'finding' : 'allowed';
    case 'failed':
      return 'failed';
    case 'not-cors':
      return 'not-cors';
    default:
      return 'pending';
  }
}

export const ROW_STATE_LABEL: Record<RowState, string> = {
  blocked: 'Blocked',
  finding: 'Allowed, with findings',
  allowed: 'Allowed',
  failed: 'Failed (not CORS)',
  pending: 'Pending',
  'not-cors': 'Not a CORS request',
};

// Header reading is the engine's: one definition of "a header's value" for verdicts and reports.
export { lineValue, getHeader as headerValue } from '../engine';

export function isPreflighted(exchange: Exchange): boolean {
  return exchange.legs.some((l) => l.preflight !== undefined);
}

/** One request/response pair of an exchange, in the order the browser made them. */
export interface StepView {
  /** `preflight` for an OPTIONS preflight, `actual` for a leg of the actual request. */
  kind: 'preflight' | 'actual';
  legIndex: number;
  method: string;
  url: string;
  /** Headers the browser sent; undefined when the request was never sent or not observed. */
  requestHeaders?: HeaderList;
  response?: ObservedResponse;
  /** Where a followed redirect went. */
  redirectTo?: string;
  /** net::ERR_* of a preflight that failed below HTTP. */
  error?: string;
  /** The browser never sent this request (e.g. its preflight failed). */
  notSent: boolean;
}

export function stepsOf(exchange: Exchange): StepView[] {
  const out: StepView[] = [];
  exchange.legs.forEach((leg, legIndex) => {
    if (leg.preflight) {
      out.push({
        kind: 'preflight',
        legIndex,
        method: 'OPTIONS',
        url: leg.preflight.url,
        requestHeaders: leg.preflight.requestHeaders,
        response: leg.preflight.response,
        error: leg.preflight.error,
        notSent: false,
      });
    }
    out.push({
      kind: 'actual',
      legIndex,
      method: exchange.method,
      url: leg.url,
      requestHeaders: leg.requestHeaders,
      response: leg.response,
      redirectTo: leg.redirectUrl,
      notSent: leg.requestHeaders === undefined && leg.response === undefined,
    });
  });
  return out;
}

/** The step a verdict points at (its decisive leg; the preflight when the verdict's step is `preflight`). */
export function decisiveStepIndex(steps: StepView[], step: Step, legIndex: number): number {
  const wantPreflight = step === 'preflight';
  let i = steps.findIndex((s) => s.legIndex === legIndex && (s.kind === 'preflight') === wantPreflight);
  if (i < 0) i = steps.findIndex((s) => s.legIndex === legIndex);
  if (i < 0) i = steps.length - 1;
  return Math.max(0, i);
}

export function durationMs(exchange: Exchange): number | null {
  return exchange.endTime !== undefined ? Math.max(0, exchange.endTime - exchange.startTime) : null;
}

export function formatDuration(ms: number | null): string {
  if (ms === null) return '…';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

/** The final status code of the actual request, if any response arrived. */
export function finalStatus(exchange: Exchange): number | null {
  if (exchange.outcome.state === 'completed') return exchange.outcome.statusCode;
  for (let i = exchange.legs.length - 1; i >= 0; i--) {
    const r = exchange.legs[i]?.response;
    if (r) return r.statusCode;
  }
  return null;
}

/** Headers worth showing side by side: CORS ones first, then the rest in arrival order. */
export function orderHeaders(list: HeaderList | undefined): HeaderLine[] {
  if (!list) return [];
  const cors = (n: string) =>
    n === 'origin' || n.startsWith('access-control-') || n === 'vary' || n === 'location';
  // A stable partition (what a stable sort on this two-valued key gives), each name lower-cased
  // once; missing lines go last, as a sort puts them.
  const first: HeaderLine[] = [];
  const rest: HeaderLine[] = [];
  const missing: HeaderLine[] = [];
  for (const line of list) {
    if (line === undefined) missing.push(line);
    else (cors(line.name.toLowerCase()) ? first : rest).push(line);
  }
  return [...first, ...rest, ...missing];
}

/** Sentence used next to every curl command (the top struggle: "it works in Postman"). */
export const WHY_CURL_WORKS =
  'curl and Postman are not browsers: they do not enforce CORS, so they show whatever the server answers; ' +
  'these commands send the Origin (and Access-Control-Request-*) headers the browser sent, so the response ' +
  'headers you get are the ones Chrome judged.';
