/**
 * "Try a fix": the server's answers to one call (the preflight's and the response's headers) as an
 * editable working set, and the verdict the browser would reach with them. Pure: the edited exchange
 * is built here and judged by the engine; nothing is sent anywhere.
 */
import {
  evaluate,
  type Exchange,
  type HeaderChange,
  type HeaderList,
  isOkStatus,
  type Leg,
  parseUrl,
  simulate,
  type Verdict,
} from '../engine';

export interface HeaderRow {
  name: string;
  value: string;
}

/** One answer of the server: its status and header lines, as the user edits them. */
export interface Answer {
  status: number;
  rows: HeaderRow[];
  /** False when the browser never sent this request (the answer is made up: status 200, no headers). */
  observed: boolean;
}

export interface Workbench {
  /** The leg whose answers are edited (the verdict's decisive leg). */
  legIndex: number;
  /** The preflight's answer, when the leg had a preflight. */
  preflight?: Answer;
  response: Answer;
}

export type AnswerKey = 'preflight' | 'response';

/** Calls whose answers can be tried: the ones the CORS rules decided. */
export function canTry(verdict: Verdict): boolean {
  return verdict.outcome === 'blocked' || verdict.outcome === 'allowed';
}

/** Header lines as rows, the CORS ones first (the ones a fix edits), otherwise in arrival order. */
function rowsOf(list: HeaderList | undefined): HeaderRow[] {
  const rank = (n: string) => (n.startsWith('access-control-') || n === 'vary' || n === 'location' ? 0 : 1);
  return (list ?? [])
    .map((h) => ({ name: h.name, value: h.value ?? '' }))
    .sort((a, b) => rank(a.name.toLowerCase()) - rank(b.name.toLowerCase()));
}

/** Response headers a request carries like its preflight did (the ones every CORS check reads). */
const CARRIED = ['access-control-allow-origin', 'access-control-allow-credentials', 'vary'];

/**
 * What the request's answer is taken to be when the browser never sent the request (its preflight
 * failed): the preflight's Allow-Origin, Allow-Credentials and Vary lines, status 200.
 */
function assumedResponse(preflight: Answer | undefined): Answer {
  const rows = (preflight?.rows ?? []).filter((r) => CARRIED.includes(r.name.toLowerCase()));
  return { status: 200, rows: rows.map((r) => ({ ...r })), observed: false };
}

/** The answers exactly as the server sent them. */
export function observedWorkbench(ex: Exchange, verdict: Verdict): Workbench {
  const legIndex = Math.max(0, Math.min(ex.legs.length - 1, verdict.legIndex));
  const leg: Leg = ex.legs[legIndex] ?? { url: '' };
  const pf = leg.preflight;
  const preflight: Answer | undefined = pf
    ? { status: pf.response?.statusCode ?? 0, rows: rowsOf(pf.response?.headers), observed: !!pf.response }
    : undefined;
  return {
    legIndex,
    preflight,
    response: leg.response
      ? { status: leg.response.statusCode, rows: rowsOf(leg.response.headers), observed: true }
      : assumedResponse(preflight),
  };
}

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** One header change applied to a set of rows (Vary is merged: Origin is added to what is there). */
export function applyChange(rows: readonly HeaderRow[], name: string, value: string | null): HeaderRow[] {
  const at = rows.findIndex((r) => same(r.name, name));
  if (value === null) return rows.filter((r) => !same(r.name, name));
  if (at < 0) return [...rows, { name, value }];
  let next = value;
  if (same(name, 'vary')) {
    const have = rows[at]!.value.split(',').map((s) => s.trim());
    const want = value.split(',').map((s) => s.trim());
    next = [...have.filter(Boolean), ...want.filter((w) => !have.some((h) => same(h, w)))].join(', ');
  }
  // One line per header: later duplicates (a proxy adding the header again) go.
  return rows
    .map((r, i) => (i === at ? { name: r.name, value: next } : r))
    .filter((r, i) => i === at || !same(r.name, name));
}

function applyChanges(answer: Answer, changes: readonly HeaderChange[], step: AnswerKey): Answer {
  let { rows, status } = answer;
  for (const c of changes) {
    const applies = c.on === 'both' || (step === 'preflight' ? c.on === 'preflight' : c.on === 'actual');
    if (!applies) continue;
    if (same(c.name, 'status')) {
      const n = parseInt(c.value ?? '', 10);
      if (Number.isFinite(n)) status = n;
      continue;
    }
    rows = applyChange(rows, c.name, c.value);
  }
  return { ...answer, rows, status };
}

/** The answers with the verdict's suggested fix applied (the observed answers when there is none). */
export function suggestedWorkbench(ex: Exchange, verdict: Verdict): Workbench {
  const wb = observedWorkbench(ex, verdict);
  const fix = verdict.fix;
  if (!fix) return wb;
  let preflight = wb.preflight && applyChanges(wb.preflight, fix.headers, 'preflight');
  // A preflight must be answered with a 2xx (the plan says "handle OPTIONS").
  if (preflight && fix.plan.handlePreflight && !isOkStatus(preflight.status)) {
    preflight = { ...preflight, status: 204 };
  }
  // A request never sent takes its CORS lines from the (fixed) preflight answer.
  const response = wb.response.observed ? wb.response : assumedResponse(preflight);
  return { ...wb, preflight, response: applyChanges(response, fix.headers, 'response') };
}

/** Replace one row of an answer (or add one at the end when `index` is the row count). */
export function editRow(wb: Workbench, key: AnswerKey, index: number, row: HeaderRow | null): Workbench {
  const answer = wb[key];
  if (!answer) return wb;
  const rows = answer.rows.slice();
  if (row === null) rows.splice(index, 1);
  else rows[index] = row;
  return { ...wb, [key]: { ...answer, rows } };
}

export function editStatus(wb: Workbench, key: AnswerKey, status: number): Workbench {
  const answer = wb[key];
  if (!answer || !Number.isInteger(status) || status < 100 || status > 999) return wb;
  return { ...wb, [key]: { ...answer, status } };
}

const toList = (rows: readonly HeaderRow[]): HeaderList =>
  rows.filter((r) => r.name.trim() !== '').map((r) => ({ name: r.name.trim(), value: r.value.trim() }));

/**
 * The exchange as it would have gone with these answers. A request the browser never sent (its
 * preflight failed) gets the Origin it would have carried; later legs are kept as observed.
 */
export function editedExchange(ex: Exchange, verdict: Verdict, wb: Workbench): Exchange {
  const i = wb.legIndex;
  const leg: Leg = ex.legs[i] ?? { url: ex.legs[0]?.url ?? '' };
  const next: Leg = { ...leg };
  if (leg.preflight && wb.preflight) {
    next.preflight = {
      url: leg.preflight.url,
      requestHeaders: leg.preflight.requestHeaders,
      response: { statusCode: wb.preflight.status, headers: toList(wb.preflight.rows) },
    };
  }
  const origin =
    leg.preflight?.requestHeaders?.find((h) => same(h.name, 'origin'))?.value ?? verdict.requestOrigin;
  next.requestHeaders = leg.requestHeaders ?? [{ name: 'Origin', value: origin }];
  next.response = {
    ...(leg.response ?? {}),
    statusCode: wb.response.status,
    headers: toList(wb.response.rows),
  };
  const legs = ex.legs.slice();
  legs[i] = next;
  const edited: Exchange = { ...ex, legs, outcome: { state: 'completed', statusCode: wb.response.status } };
  return edited;
}

export interface Tried {
  verdict: Verdict;
  /** The credentials mode assumed: the original verdict's, or none when the browser did not show it. */
  credentials: boolean;
  /** Header names (lower case) that decided the new verdict, per answer. */
  decisive: { preflight: Set<string>; response: Set<string> };
}

/**
 * The verdict the browser would reach with the edited answers. Chrome's outcome is predicted with the
 * engine's own checks for the call's credentials mode (unknown counts as none, fetch's default), and
 * the engine then explains that outcome as it would for an observed call.
 */
export function tryAnswers(ex: Exchange, verdict: Verdict, wb: Workbench): Tried {
  const edited = editedExchange(ex, verdict, wb);
  const credentials = verdict.credentials === 'include';
  const sim = simulate(edited, verdict.requestOrigin, credentials);
  const last = edited.legs[edited.legs.length - 1];
  let judged: Exchange;
  if (!sim.failure) {
    judged = { ...edited, outcome: { state: 'completed', statusCode: last?.response?.statusCode ?? 200 } };
  } else if (sim.failure.step === 'preflight') {
    // A failed preflight means the request itself is never sent, nor anything after it.
    const i = sim.failure.legIndex;
    const legs = edited.legs.slice(0, i + 1);
    const { requestHeaders: _sent, response: _answer, redirectUrl: _to, ...unsent } = legs[i]!;
    legs[i] = unsent;
    judged = { ...edited, legs, outcome: { state: 'failed', error: 'net::ERR_FAILED' } };
  } else {
    judged = { ...edited, outcome: { state: 'failed', error: 'net::ERR_FAILED' } };
  }
  const v = evaluate(judged);
  const decisive = { preflight: new Set<string>(), response: new Set<string>() };
  for (const f of v.facts) {
    if (!f.decisive || (v.legIndex !== wb.legIndex && f.step !== 'preflight')) continue;
    (f.step === 'preflight' ? decisive.preflight : decisive.response).add(f.name.toLowerCase());
  }
  return { verdict: v, credentials, decisive };
}

/** The working set as text, for "Copy headers". */
export function headersText(ex: Exchange, wb: Workbench): string {
  const leg = ex.legs[wb.legIndex];
  const u = parseUrl(leg?.url ?? '');
  const path = u ? u.pathname + u.search : '/';
  const block = (title: string, a: Answer) =>
    [`# ${title} -> ${a.status}`, ...toList(a.rows).map((h) => `${h.name}: ${h.value ?? ''}`)].join('\n');
  const out: string[] = [];
  if (wb.preflight) out.push(block(`Answer to the preflight (OPTIONS ${path})`, wb.preflight));
  out.push(block(`Answer to the request (${ex.method} ${path})`, wb.response));
  return out.join('\n\n') + '\n';
}
