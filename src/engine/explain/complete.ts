/**
 * A fix that works in one round. The explainer of a blocked call names what the first failing rule
 * needs; the browser then runs the next check, and the next. Here the fix is applied to the exchange
 * and every check the browser makes is run again (preflight: allow-origin, credentials, status,
 * methods, headers; then the response: https://fetch.spec.whatwg.org/#cors-preflight-fetch and
 * https://fetch.spec.whatwg.org/#http-fetch step 4.5), adding what each next failure needs, until the
 * simulation passes (or a bounded number of rounds).
 *
 * The header lines are derived from the final plan, so they say what the recipes (built from the same
 * plan) configure: the complete set, not only the first rule that failed.
 */
import { contextOf } from '../fix/common';
import { recipesFor } from '../fix';
import { getHeader } from '../headers';
import { kindOf } from '../kind-of';
import { simulate } from '../simulate';
import type { Exchange, Fix, FixPlan, HeaderChange, HeaderList, Leg, Verdict } from '../types';
import { explain } from './index';

/** Every round fixes at least one more rule; the browser checks fewer than this many per response. */
const MAX_ROUNDS = 8;

/** The header lines derived from a plan (the others, `Status` and `Location`, come from explainers). */
const DERIVED = new Set([
  'access-control-allow-origin',
  'access-control-allow-credentials',
  'access-control-allow-methods',
  'access-control-allow-headers',
  'vary',
]);

const lower = (s: string) => s.toLowerCase();

/** Header changes an explainer asked for that are not derived from the plan (a status, a Location). */
function specialChanges(changes: readonly HeaderChange[]): HeaderChange[] {
  return changes.filter((c) => !DERIVED.has(lower(c.name)));
}

function dedupeChanges(changes: readonly HeaderChange[]): HeaderChange[] {
  const seen = new Set<string>();
  return changes.filter((c) => {
    const key = `${c.on} ${lower(c.name)}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * The header lines a plan stands for, as the recipes configure them: the origin (the recipes'
 * allowlist entry for this page), credentials when the plan has them, the methods and request
 * headers a preflight must allow, `Vary: Origin`; then the explainers' other changes.
 */
export function planHeaderChanges(plan: FixPlan, special: readonly HeaderChange[] = []): HeaderChange[] {
  const ctx = contextOf(plan);
  const on: HeaderChange['on'] = plan.handlePreflight ? 'both' : 'actual';
  const out: HeaderChange[] = [
    { on, name: 'Access-Control-Allow-Origin', value: ctx.origins[0] ?? plan.origin },
  ];
  if (ctx.credentials) out.push({ on, name: 'Access-Control-Allow-Credentials', value: 'true' });
  if (plan.handlePreflight && ctx.extraMethods.length > 0)
    out.push({ on: 'preflight', name: 'Access-Control-Allow-Methods', value: ctx.methods.join(', ') });
  if (plan.handlePreflight && ctx.headers.length > 0)
    out.push({ on: 'preflight', name: 'Access-Control-Allow-Headers', value: ctx.headers.join(', ') });
  out.push({ on, name: 'Vary', value: 'Origin' });
  return dedupeChanges([...out, ...specialChanges(special)]);
}

/** One response's header lines and status with the changes for `step` applied. */
function patch(
  headers: HeaderList,
  status: number,
  changes: readonly HeaderChange[],
  step: 'preflight' | 'actual',
): { statusCode: number; headers: HeaderList } {
  let list = [...headers];
  let statusCode = status;
  for (const c of changes) {
    if (c.on !== 'both' && c.on !== step) continue;
    const name = lower(c.name);
    if (name === 'status') {
      const n = parseInt(c.value ?? '', 10);
      if (Number.isFinite(n)) statusCode = n;
      continue;
    }
    if (name === 'vary' && c.value !== null) {
      const have = (getHeader(list, 'vary') ?? '').split(',').map((s) => s.trim());
      const add = c.value.split(',').map((s) => s.trim());
      const value = [...have, ...add.filter((a) => !have.some((h) => lower(h) === lower(a)))]
        .filter(Boolean)
        .join(', ');
      list = [...list.filter((h) => lower(h.name) !== 'vary'), { name: c.name, value }];
      continue;
    }
    list = list.filter((h) => lower(h.name) !== name);
    if (c.value !== null) list.push({ name: c.name, value: c.value });
  }
  return { statusCode, headers: list };
}

/**
 * The exchange as the server would answer it with `changes` applied to leg `i`. A request the
 * browser never sent (its preflight failed) gets a 200 answer that carries only what the changes add:
 * nothing is assumed about a response nobody saw.
 */
export function applyChanges(ex: Exchange, i: number, changes: readonly HeaderChange[]): Exchange {
  const leg = ex.legs[i];
  if (!leg) return ex;
  const next: Leg = { ...leg };
  const pf = leg.preflight;
  if (pf && !pf.error) {
    const r = pf.response ?? { statusCode: 204, headers: [] };
    next.preflight = { ...pf, response: { ...r, ...patch(r.headers, r.statusCode, changes, 'preflight') } };
  }
  const r = leg.response ?? { statusCode: 200, headers: [] };
  next.response = { ...r, ...patch(r.headers, r.statusCode, changes, 'actual') };
  const legs = ex.legs.slice(0, i + 1);
  legs[i] = next;
  return { ...ex, legs, outcome: { state: 'completed', statusCode: next.response.statusCode } };
}

function union<T>(a: readonly T[] | undefined, b: readonly T[] | undefined): T[] {
  return [...new Set([...(a ?? []), ...(b ?? [])])];
}

/** Both plans' requirements in one (the first plan's wording wins where only one can be said). */
export function mergePlans(a: FixPlan, b: FixPlan): FixPlan {
  const credentials = a.credentials || b.credentials;
  const removeKeys = new Set((a.remove ?? []).map((r) => `${lower(r.name)}:${r.value}`));
  const remove = [
    ...(a.remove ?? []),
    ...(b.remove ?? []).filter((r) => !removeKeys.has(`${lower(r.name)}:${r.value}`)),
  ];
  // Calls from another page origin to the same API: that origin belongs on the allowlist too.
  const alsoAllow = union(a.alsoAllow, [
    ...(b.origin !== a.origin ? [b.origin] : []),
    ...(b.alsoAllow ?? []),
  ]);
  const merged: FixPlan = {
    ...a,
    credentials,
    methods: union(a.methods, b.methods),
    headers: union(a.headers, b.headers),
    handlePreflight: a.handlePreflight || b.handlePreflight,
    errorResponses: a.errorResponses || b.errorResponses,
  };
  if (credentials) delete merged.credentialsOptional;
  const avoidRedirect = a.avoidRedirect ?? b.avoidRedirect;
  if (avoidRedirect) merged.avoidRedirect = avoidRedirect;
  if (remove.length) merged.remove = remove;
  if (alsoAllow.length) merged.alsoAllow = alsoAllow;
  const note = a.note ?? b.note;
  if (note !== undefined) merged.note = note;
  return merged;
}

export interface CompleteInput {
  ex: Exchange;
  requestOrigin: string;
  verdict: Verdict;
  browser?: string;
}

export interface Completed {
  fix: Fix;
  /** The fix applied to the exchange passes every check (false: a change outside the headers is needed). */
  passes: boolean;
  /** Rounds of re-checking it took (1: the first rule was the only one). */
  rounds: number;
}

/**
 * Whether a header line asks for something the server does not send yet. A request never sent is
 * taken to carry what its preflight answer carried (only to word the summary; the check above
 * assumes nothing).
 */
function changesObserved(leg: Leg | undefined, h: HeaderChange): boolean {
  const pf = leg?.preflight?.response?.headers;
  const actual = leg?.response?.headers ?? pf;
  const differs = (list: HeaderList | undefined) => getHeader(list, h.name) !== h.value;
  if (h.on === 'preflight') return differs(pf);
  if (h.on === 'actual') return differs(actual);
  return differs(pf) || differs(actual);
}

const onWords: Record<HeaderChange['on'], string> = {
  preflight: 'on the preflight answer',
  actual: 'on the response',
  both: 'on the preflight answer and the response',
};

/**
 * The complete fix for a blocked call: `fix` (the first failing rule's) extended until the exchange
 * with the fix applied passes, with header lines derived from the final plan.
 */
export function completeFix(input: CompleteInput, fix: Fix): Completed {
  const { ex, requestOrigin, verdict } = input;
  const i = verdict.legIndex;
  let plan = fix.plan;
  let special = specialChanges(fix.headers);
  let passes = false;
  let rounds = 0;
  for (; rounds < MAX_ROUNDS; rounds++) {
    const changes = planHeaderChanges(plan, special);
    const patched = applyChanges(ex, i, changes);
    const sim = simulate(patched, requestOrigin, verdict.credentials === 'include' || plan.credentials);
    const f = sim.failure;
    if (!f) {
      passes = true;
      break;
    }
    if (f.legIndex !== i || f.special || !f.chromeError) break;
    const kind = kindOf(patched, f, sim, requestOrigin);
    const v: Verdict = {
      ...verdict,
      kind,
      step: f.step,
      chromeError: f.chromeError,
      failedParameter: f.failedParameter ?? '',
      credentials: sim.credentials ? 'include' : verdict.credentials,
    };
    const nextFix = explain({
      ex: patched,
      requestOrigin,
      kind,
      verdict: v,
      sim,
      browser: input.browser,
    }).fix;
    if (!nextFix) break;
    const merged = mergePlans(plan, nextFix.plan);
    const nextSpecial = dedupeChanges([...special, ...specialChanges(nextFix.headers)]);
    if (JSON.stringify(merged) === JSON.stringify(plan) && nextSpecial.length === special.length) break;
    plan = merged;
    special = nextSpecial;
  }
  if (!passes) plan = fix.plan;
  const headers = planHeaderChanges(plan, passes ? special : specialChanges(fix.headers));
  const said = new Set(fix.headers.map((h) => lower(h.name)));
  // "Needed as well" only for a line without which the fixed call still fails: the recipe's complete
  // list (e.g. the methods of a GET, whose own method needs none) is in the lines, not in the sentence.
  const credentialed = verdict.credentials === 'include' || plan.credentials;
  const needed = (h: HeaderChange): boolean =>
    !!simulate(
      applyChanges(
        ex,
        i,
        headers.filter((x) => x !== h),
      ),
      requestOrigin,
      credentialed,
    ).failure;
  const more = headers.filter(
    (h) =>
      DERIVED.has(lower(h.name)) &&
      !said.has(lower(h.name)) &&
      lower(h.name) !== 'vary' &&
      changesObserved(ex.legs[i], h) &&
      needed(h),
  );
  const summary =
    passes && more.length
      ? `${fix.summary} The call then needs ${more.map((h) => `${h.name}: ${h.value ?? '(removed)'} ${onWords[h.on]}`).join(', and ')} as well: the lines below are the complete set.`
      : fix.summary;
  const detected = fix.detected ?? [];
  return {
    fix: {
      ...fix,
      summary,
      headers,
      plan,
      recipes: plan === fix.plan ? fix.recipes : recipesFor(plan, { detected, primary: true }),
    },
    passes,
    rounds: rounds + 1,
  };
}
