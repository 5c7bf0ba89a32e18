/** The fixes of many calls grouped per API origin, one plan each (for `har`). */
import {
  type Fix,
  type FixPlan,
  type HeaderChange,
  mergePlans,
  planHeaderChanges,
  scopeOf,
  type StackEvidence,
  type Verdict,
} from '../engine';

export interface ApiFix {
  apiOrigin: string;
  /** Blocked calls whose fixes were merged. */
  calls: number;
  plan: FixPlan;
  headers: HeaderChange[];
  /** The stack evidence of the first call that had any. */
  detected: StackEvidence[];
}

/** One merged plan per API origin, in the order the API origins first appear. */
export function fixesByApi(verdicts: readonly Verdict[]): ApiFix[] {
  const fixes = new ApiFixes();
  for (const v of verdicts) fixes.add(v.fix);
  return fixes.list();
}

/** {@link fixesByApi} call by call: a big HAR's verdicts are merged as they are made, not held. */
export class ApiFixes {
  private readonly by = new Map<
    string,
    { calls: number; plan: FixPlan; special: HeaderChange[]; detected: StackEvidence[] }
  >();

  /** A blocked call's fix (nothing for a call without one). */
  add(fix: Fix | undefined): void {
    if (!fix) return;
    const api = fix.plan.apiOrigin;
    const special = fix.headers.filter((h) => h.name === 'Status');
    const have = this.by.get(api);
    if (!have) {
      this.by.set(api, { calls: 1, plan: fix.plan, special, detected: [...(fix.detected ?? [])] });
      return;
    }
    have.calls++;
    const merged = mergePlans(have.plan, fix.plan);
    // Calls under different paths: the configuration covers the whole API.
    have.plan = scopeOf(merged.path) === scopeOf(fix.plan.path) ? merged : { ...merged, path: '/' };
    if (!have.special.length) have.special = special;
    if (!have.detected.length) have.detected = [...(fix.detected ?? [])];
  }

  list(): ApiFix[] {
    return [...this.by].map(([apiOrigin, a]) => ({
      apiOrigin,
      calls: a.calls,
      plan: a.plan,
      headers: planHeaderChanges(a.plan, a.special),
      detected: a.detected,
    }));
  }
}
