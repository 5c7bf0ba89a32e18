/**
 * What the other browser would decide on the same exchange, for the verdict's `otherBrowser` note
 * ("Firefox would also block this: …", "Fails in Firefox, passes in Chrome because …").
 *
 * Both browsers apply the same Fetch rules to the headers that were exchanged, so the other browser's
 * decision differs only where a profile difference applies to this exchange:
 * - request headers one browser counts as CORS-unsafe and the other does not (`User-Agent` set by a
 *   script; Chrome's safelisted client hints such as `DPR`), which change whether a preflight is sent
 *   and what it asks for;
 * - `Authorization` let through by `*` (both lenient, each with its own warning).
 * The other browser's reason name is always given, so a blocked call can be searched under both.
 */
import { getHeader, splitList } from './headers';
import { FIREFOX_OBSERVED_REASONS, firefoxReason, otherProfile, type BrowserProfile } from './profile';
import { kindInfo } from './catalogue';
import type { Kind } from './kinds';
import type { Exchange, OtherBrowserNote, Verdict } from './types';

/** Firefox's reason for a verdict kind, with its MDN page; undefined when Firefox logs none. */
export function firefoxReasonOf(kind: Kind): ReturnType<typeof firefoxReason> {
  const name = FIREFOX_OBSERVED_REASONS[kind] ?? kindInfo(kind).firefox;
  return name ? firefoxReason(name) : undefined;
}

function list(names: string[]): string {
  return names.map((n) => `\`${n}\``).join(', ');
}

/** Request-header names that `from` asks the server about and `to` would not (or the reverse). */
function headerDifference(
  ex: Exchange,
  verdict: Verdict,
  from: BrowserProfile,
  to: BrowserProfile,
): { onlyFrom: string[]; onlyTo: string[] } {
  const leg = ex.legs[verdict.legIndex] ?? ex.legs[0];
  const acrh = getHeader(leg?.preflight?.requestHeaders, 'access-control-request-headers');
  const asked = acrh === null ? [] : splitList(acrh).map((s) => s.toLowerCase());
  // Names `from` put in its preflight that `to` would drop (forbidden) or not ask for (safelisted).
  const onlyFrom = asked.filter(
    (n) => to.extraForbiddenHeaders.includes(n) || to.extraSafelistedHeaders.includes(n),
  );
  // Names the page sent without a preflight in `from` that `to` would have to ask about.
  const onlyTo =
    acrh === null
      ? (leg?.requestHeaders ?? [])
          .map((h) => h.name.toLowerCase())
          .filter((n) => from.extraSafelistedHeaders.includes(n))
      : [];
  return { onlyFrom: [...new Set(onlyFrom)], onlyTo: [...new Set(onlyTo)] };
}

/** The note on what the other browser would do with this exchange; undefined when there is no verdict to compare. */
export function otherBrowserNote(
  ex: Exchange,
  verdict: Verdict,
  p: BrowserProfile,
): OtherBrowserNote | undefined {
  const o = otherProfile(p);
  const reason =
    o.name === 'firefox' ? firefoxReasonOf(verdict.kind)?.name : kindInfo(verdict.kind).chromeError;
  const { onlyFrom, onlyTo } = headerDifference(ex, verdict, p, o);

  if (verdict.outcome === 'blocked' && verdict.step === 'preflight' && onlyFrom.length > 0) {
    const failed = verdict.failedParameter;
    const why = onlyFrom
      .map((n) =>
        o.extraForbiddenHeaders.includes(n)
          ? `${o.label} does not let a script set \`${n}\` (it drops it silently)`
          : `${o.label} counts \`${n}\` as a safelisted header`,
      )
      .join('; ');
    const decisive = failed !== undefined && onlyFrom.includes(failed.toLowerCase());
    const acrh = getHeader(
      ex.legs[verdict.legIndex]?.preflight?.requestHeaders,
      'access-control-request-headers',
    );
    const rest = splitList(acrh ?? '')
      .map((s) => s.toLowerCase())
      .filter((n) => !onlyFrom.includes(n));
    if (decisive || (rest.length === 0 && ['GET', 'HEAD', 'POST'].includes(ex.method.toUpperCase()))) {
      return {
        browser: o.name,
        agrees: false,
        text: `Fails in ${p.label}, may pass in ${o.label}: ${why}, so it would not ask the server about ${list(onlyFrom)}${rest.length === 0 ? ' and would send no preflight at all' : ''}. Whether ${o.label} then allows the call depends on the response to the ${ex.method} request itself, which ${p.label} never sent.`,
      };
    }
  }
  if (onlyTo.length > 0 && verdict.outcome === 'allowed') {
    return {
      browser: o.name,
      agrees: 'unknown',
      text: `Passes in ${p.label}, may fail in ${o.label}: ${p.label} counts ${list(onlyTo)} as safelisted, ${o.label} does not, so ${o.label} first sends a preflight asking the server to allow ${list(onlyTo)}. This server was never asked; unless it answers that preflight with ${list(onlyTo)} in Access-Control-Allow-Headers, ${o.label} blocks the call (${o.name === 'firefox' ? 'CORSMissingAllowHeaderFromPreflight or CORSMissingAllowOrigin' : 'HeaderDisallowedByPreflightResponse'}).`,
    };
  }
  if (verdict.outcome === 'blocked') {
    return {
      browser: o.name,
      agrees: true,
      text: `${o.label} would also block this${reason ? `: ${reason}` : ''}.`,
      ...(reason ? { reason } : {}),
    };
  }
  if (verdict.outcome === 'allowed') {
    const auth = verdict.findings.some((f) => f.id === 'authorization-wildcard-deprecated');
    return {
      browser: o.name,
      agrees: true,
      text: auth
        ? `${o.label} would also allow this, with its own warning. ${o.authorizationByWildcard.warning}`
        : `${o.label} would also allow this.`,
    };
  }
  if (verdict.outcome === 'failed' && reason) {
    return {
      browser: o.name,
      agrees: true,
      text: `${o.label} would also fail this call: ${reason}.`,
      reason,
    };
  }
  return undefined;
}
