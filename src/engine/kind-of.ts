/**
 * The catalogue id for a simulated failure (simulate.ts), refined into the reference's
 * sub-diagnoses (docs/cors-failures.md §3). Shared by evaluate() and the fix completion
 * (explain/complete.ts), which judges the exchange again with the fix applied.
 */
import type { Kind } from './catalogue';
import { getHeader, splitList } from './headers';
import type { SimFailure, Simulation } from './simulate';
import type { Exchange } from './types';

/** The origin of the first response checked on leg `legIndex` at `step`, else on that leg at all. */
function checkedOrigin(sim: Simulation, legIndex: number, step: string): string | undefined {
  let onLeg: string | undefined;
  for (const c of sim.checked) {
    if (c.legIndex !== legIndex) continue;
    if (c.step === step) return c.origin;
    onLeg ??= c.origin;
  }
  return onLeg;
}

/** The catalogue id for a simulated failure, refined into the reference's sub-diagnoses. */
export function kindOf(ex: Exchange, f: SimFailure, sim: Simulation, requestOrigin: string): Kind {
  if (f.special) return f.special;
  const leg = ex.legs[f.legIndex];
  // The origin the failing check compared (Firefox checks a later hop's preflight against the page's
  // origin and its request against the taint: profile.ts).
  const step = f.step === 'preflight' ? 'preflight' : 'actual';
  const origin = checkedOrigin(sim, f.legIndex, step) ?? requestOrigin;
  const tainted = origin === 'null' && requestOrigin !== 'null';
  switch (f.chromeError) {
    case 'MissingAllowOriginHeader': {
      const r = leg?.response;
      if (f.step === 'redirect' || (r && r.statusCode >= 300 && r.statusCode < 400))
        return 'missing-allow-origin.redirect-hop';
      if (r && r.statusCode >= 400) return 'missing-allow-origin.error-status';
      if (r?.fromCache) return 'missing-allow-origin.cached-variant';
      return 'missing-allow-origin';
    }
    case 'WildcardOriginNotAllowed':
      return 'wildcard-origin-with-credentials';
    case 'AllowOriginMismatch':
      if (tainted) return 'redirect-tainted-origin';
      return origin === 'null' ? 'allow-origin-mismatch.null-origin' : 'allow-origin-mismatch';
    case 'MultipleAllowOriginValues':
      return 'multiple-allow-origin-values';
    case 'InvalidAllowOriginValue':
      return 'invalid-allow-origin-value';
    case 'InvalidAllowCredentials':
      return 'invalid-allow-credentials';
    case 'PreflightDisallowedRedirect':
      return 'preflight-disallowed-redirect';
    case 'PreflightMissingAllowOriginHeader':
      return 'preflight-missing-allow-origin';
    case 'PreflightWildcardOriginNotAllowed':
      return 'preflight-wildcard-origin-with-credentials';
    case 'PreflightAllowOriginMismatch':
      return tainted ? 'preflight-redirect-tainted-origin' : 'preflight-allow-origin-mismatch';
    case 'PreflightMultipleAllowOriginValues':
      return 'preflight-multiple-allow-origin-values';
    case 'PreflightInvalidAllowOriginValue':
      return 'preflight-invalid-allow-origin-value';
    case 'PreflightInvalidAllowCredentials':
      return 'preflight-invalid-allow-credentials';
    case 'PreflightInvalidStatus':
      return 'preflight-invalid-status';
    case 'InvalidAllowMethodsPreflightResponse':
      return 'invalid-allow-methods';
    case 'InvalidAllowHeadersPreflightResponse':
      return 'invalid-allow-headers';
    case 'MethodDisallowedByPreflightResponse': {
      const acam = splitList(getHeader(leg?.preflight?.response?.headers, 'access-control-allow-methods'));
      const m = f.failedParameter ?? '';
      if (acam.some((a) => a !== m && a.toUpperCase() === m.toUpperCase())) return 'method-not-allowed.case';
      if (acam.includes('*') && sim.credentials) return 'method-not-allowed.wildcard-with-credentials';
      return 'method-not-allowed';
    }
    case 'HeaderDisallowedByPreflightResponse': {
      const acah = splitList(getHeader(leg?.preflight?.response?.headers, 'access-control-allow-headers'));
      const name = f.failedParameter ?? '';
      if (acah.includes('*') && sim.credentials) return 'header-not-allowed.wildcard-with-credentials';
      if (acah.includes('*') && name === 'authorization') return 'header-not-allowed.authorization-wildcard';
      if (name === 'content-type') return 'header-not-allowed.content-type';
      if (['accept', 'accept-language', 'content-language', 'range'].includes(name))
        return 'header-not-allowed.oversized-safelisted';
      return 'header-not-allowed';
    }
    case 'RedirectContainsCredentials':
      return 'redirect-contains-credentials';
    default:
      return 'unexplained-failure';
  }
}
