/**
 * Putting a HAR's entries back together: redirect hops into chains (by `redirectURL`), and each leg with
 * its preflight (entries have no id linking them: by URL, method, headers, Origin and time). Pure.
 */
import { corsUnsafeRequestHeaderNames, normalizeMethod } from '../engine';
import { resolveUrl, type Hop } from './read';

/** Binary search: first index in `list` (sorted by start) with start >= t. */
function lowerBound(list: Hop[], t: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((list[mid] as Hop).start < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** How far apart (ms) a preflight and its request may start: the browser starts them together. */
const PAIR_WINDOW_MS = 30_000;

/**
 * The preflight for one leg: same URL, `Access-Control-Request-Method` = the leg's method, the
 * closest in time; one whose `Access-Control-Request-Headers` and `Origin` match the leg's is preferred.
 */
export function pairPreflight(byKey: Map<string, Hop[]>, leg: Hop): Hop | undefined {
  const list = byKey.get(`${normalizeMethod(leg.method)} ${leg.url}`);
  if (!list) return undefined;
  const unsafe = corsUnsafeRequestHeaderNames(leg.reqHeaders).join(',');
  let best: Hop | undefined;
  let bestScore = Infinity;
  const from = lowerBound(list, leg.start - PAIR_WINDOW_MS);
  for (let i = from; i < list.length; i++) {
    const p = list[i] as Hop;
    if (p.start > leg.end + PAIR_WINDOW_MS) break;
    if (p.used) continue;
    let score = Math.abs(p.start - leg.start);
    if (p.acrh !== unsafe) score += 1e9;
    if (p.origin && leg.origin && p.origin !== leg.origin) score += 1e8;
    if (score < bestScore) {
      bestScore = score;
      best = p;
    }
  }
  if (best) best.used = true;
  return best;
}

/** The preflights by `<Access-Control-Request-Method> <url>`, each list in start order. */
export function preflightsByKey(preflights: Hop[]): Map<string, Hop[]> {
  const byKey = new Map<string, Hop[]>();
  for (const p of preflights) {
    const key = `${normalizeMethod(p.acrm ?? '')} ${p.url}`;
    const list = byKey.get(key);
    if (list) list.push(p);
    else byKey.set(key, [p]);
  }
  return byKey;
}

/** The requests as redirect chains: each hop followed by the one its `redirectURL` points at. */
export function redirectChains(requests: Hop[]): Hop[][] {
  const byUrl = new Map<string, Hop[]>();
  for (const r of requests) {
    const list = byUrl.get(r.url);
    if (list) list.push(r);
    else byUrl.set(r.url, [r]);
  }
  const chains: Hop[][] = [];
  for (const r of requests) {
    if (r.used) continue;
    r.used = true;
    const chain = [r];
    let cur = r;
    while (cur.redirectURL && cur.status >= 300 && cur.status < 400 && chain.length <= 21) {
      const target = resolveUrl(cur.redirectURL, cur.url);
      const next = (byUrl.get(target) ?? []).find((n) => !n.used && n.start >= cur.start);
      if (!next) break;
      next.used = true;
      chain.push(next);
      cur = next;
    }
    chains.push(chain);
  }
  return chains;
}
