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
import { originOf, originsAlongChain } from './origin';
import { simulate } from './simulate';
import { otherProfile, type BrowserProfile } from './profile';
import type { Exchange, OtherBrowserNote, Verdict } from './types';

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

/**
 * A preflighted call redirected to another origin: Chrome sends and checks the tainted `null` on the
 * later hops' preflights, Firefox the page's origin (profile.ts, `taintsPreflightedRedirects`); both
 * send `null` on the requests themselves. Each browser's reading is simulated.
 */
function taintDifference(
  ex: Exchange,
  verdict: Verdict,
  p: BrowserProfile,
  o: BrowserProfile,
): OtherBrowserNote | undefined {
  if (p.taintsPreflightedRedirects === o.taintsPreflightedRedirects) return undefined;
  if (ex.legs.length < 2 || !ex.legs.some((l) => l.preflight)) return undefined;
  const page = verdict.requestOrigin;
  const chain = originsAlongChain(
    page,
    ex.legs.map((l) => l.url),
  );
  const at = chain.findIndex((c) => c === 'null');
  if (page === 'null' || at < 0) return undefined;
  const credentials = verdict.credentials === 'include';
  const hop = ex.legs[at]?.url ?? '';
  const from = ex.legs[at - 1]?.url ?? '';
  if (p.taintsPreflightedRedirects && verdict.outcome === 'blocked') {
    // Chrome blocked; Firefox checks the later hops against the page's origin.
    const fx = simulate(ex, page, credentials, true);
    if (fx.failure) return undefined;
    return {
      browser: o.name,
      agrees: false,
      text: `Fails in ${p.label}, passes in ${o.label} as far as ${p.label} got: after the redirect from ${originOf(from)} to ${originOf(hop)}, ${p.label} sends Origin: null (a tainted origin) on the preflight, while ${o.label} sends ${page} there (measured in Firefox 153 ESR), and ${originOf(hop)} allows ${page}. Both send Origin: null on the request itself, which ${p.label} never sent: its answer must allow that too (\`*\` without credentials, or the Origin echoed).`,
    };
  }
  if (!p.taintsPreflightedRedirects && verdict.outcome === 'allowed') {
    // Firefox allowed; Chrome sends and checks `null` from the tainting hop on.
    const untainted = ex.legs.map((l, i) =>
      i < at
        ? l
        : {
            ...l,
            requestHeaders: l.requestHeaders?.filter((h) => h.name.toLowerCase() !== 'origin'),
            ...(l.preflight
              ? {
                  preflight: {
                    ...l.preflight,
                    requestHeaders: l.preflight.requestHeaders?.filter(
                      (h) => h.name.toLowerCase() !== 'origin',
                    ),
                  },
                }
              : {}),
          },
    );
    const chromeReading = simulate({ ...ex, legs: untainted }, page, credentials, false);
    const f = chromeReading.failure;
    if (!f) return undefined;
    return {
      browser: o.name,
      agrees: false,
      text: `Passes in ${p.label}, fails in ${o.label}: after the redirect from ${originOf(from)} to ${originOf(hop)}, ${o.label} sends Origin: null (a tainted origin, https://fetch.spec.whatwg.org/#concept-request-tainted-origin) on the preflight too, and ${originOf(hop)} allows ${page}, not \`null\`${f.chromeError ? ` (${f.chromeError})` : ''}. ${p.label} sends ${page} on that preflight (measured in Firefox 153 ESR). Call ${originOf(hop)} directly to work in both.`,
      ...(f.chromeError ? { reason: f.chromeError } : {}),
    };
  }
  return undefined;
}

/** The note on what the other browser would do with this exchange; undefined when there is no verdict to compare. */
export function otherBrowserNote(
  ex: Exchange,
  verdict: Verdict,
  p: BrowserProfile,
): OtherBrowserNote | undefined {
  const o = otherProfile(p);
  const reason = o.reasonOf(verdict.kind)?.name;
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
  const taint = taintDifference(ex, verdict, p, o);
  if (taint) return taint;
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
