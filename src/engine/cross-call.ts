/**
 * Findings that need more than one call: one API seen answering several unrelated origins each with
 * their own origin is evidence that it echoes any Origin, which no single call can show; one API seen
 * answering two different origins is evidence that its Access-Control-Allow-Origin depends on Origin,
 * which makes a missing `Vary: Origin` a warning (on one call it is an info line). Computed over
 * a tab's log (or an opened report) as a pure function; the panel shows the log through it, so the list,
 * the counts and the detail agree. Pure: no browser globals. The per-call findings are in findings.ts.
 */
import { getHeader } from './headers';
import { originOf } from './origin';
import { MISSING_VARY_ID, PROBE_ORIGIN, probeTarget } from './findings';
import type { LogEntry } from './log-entry';
import { siteOf } from './site';
import type { Finding, Leg, ObservedResponse, Verdict } from './types';

export const ECHO_FINDING_ID = 'origin-echoed-to-several-sites';

interface Echo {
  api: string;
  /** The origin the API answered with, which is the origin the call came from. */
  origin: string;
  site: string;
  credentials: boolean;
  url: string;
}

const echoCache = new WeakMap<LogEntry, Echo | null>();

/** The last answer of a call, when it names exactly the origin the request carried: its leg and value. */
function ownOriginGrant(e: LogEntry): { leg: Leg & { response: ObservedResponse }; acao: string } | null {
  const legs = e.exchange.legs;
  for (let i = legs.length - 1; i >= 0; i--) {
    const leg = legs[i]!;
    if (!leg.response) continue;
    const acao = getHeader(leg.response.headers, 'access-control-allow-origin');
    const sent = getHeader(leg.requestHeaders, 'origin') ?? e.verdict.requestOrigin;
    return acao && acao !== '*' && acao !== 'null' && acao === sent
      ? { leg: leg as Leg & { response: ObservedResponse }, acao }
      : null;
  }
  return null;
}

/** The echo a call shows: an allowed call whose response names exactly the origin it came from. */
function echoOf(e: LogEntry): Echo | null {
  let hit = echoCache.get(e);
  if (hit !== undefined) return hit;
  hit = null;
  const grant = e.verdict.outcome === 'allowed' ? ownOriginGrant(e) : null;
  if (grant)
    hit = {
      api: originOf(grant.leg.url),
      origin: grant.acao,
      site: siteOf(grant.acao),
      credentials: getHeader(grant.leg.response.headers, 'access-control-allow-credentials') === 'true',
      url: grant.leg.url,
    };
  echoCache.set(e, hit);
  return hit;
}

function finding(api: string, origins: string[], credentials: boolean, url: string): Finding {
  const shown = origins.slice(0, 5).join(', ') + (origins.length > 5 ? ', …' : '');
  const target = probeTarget(url);
  return {
    id: ECHO_FINDING_ID,
    severity: credentials ? 'danger' : 'warning',
    title: `${api} answered ${origins.length} unrelated origins, each with its own origin`,
    detail: `In this log, ${api} allowed ${shown}: each call got its own origin back in Access-Control-Allow-Origin. An allowlist of unrelated sites is possible, but this is what a server that echoes any Origin looks like${credentials ? ", and with Access-Control-Allow-Credentials: true any website can then read this user's data" : ''}.`,
    advice: `Check with an origin that is on no list: \`cors-lens probe ${target} --origin ${PROBE_ORIGIN}\` (or \`curl -s -o /dev/null -D - -H 'Origin: ${PROBE_ORIGIN}' '${target}'\`). Compare Origin against a fixed allowlist on the server.`,
  };
}

/** The verdict with extra findings, its one line updated as the engine words it. */
export function withFindings<V extends Pick<Verdict, 'outcome' | 'title' | 'findings'>>(
  v: V,
  extra: readonly Finding[],
): V {
  const findings = [...v.findings.filter((f) => !extra.some((x) => x.id === f.id)), ...extra];
  let title = v.title;
  if (v.outcome === 'allowed') {
    const top =
      findings.find((x) => x.severity === 'danger') ?? findings.find((x) => x.severity === 'warning');
    if (top) title = `Allowed, but: ${top.title}`;
  }
  return { ...v, findings, title };
}

const answeredCache = new WeakMap<LogEntry, { api: string; acao: string } | null>();

/**
 * The origin an API granted on this call, when it named the very origin the call came from (any
 * outcome); null otherwise. A value that differs from the request's origin is a fixed value, not
 * evidence that the answer follows Origin.
 */
function answeredOrigin(e: LogEntry): { api: string; acao: string } | null {
  let hit = answeredCache.get(e);
  if (hit !== undefined) return hit;
  const grant = ownOriginGrant(e);
  hit = grant ? { api: originOf(grant.leg.url), acao: grant.acao } : null;
  answeredCache.set(e, hit);
  return hit;
}

/** The missing-Vary line raised to a warning: the log shows the value depends on Origin. */
function varyWarning(api: string, origins: string[]): Finding {
  const shown = origins.slice(0, 5).join(', ') + (origins.length > 5 ? ', …' : '');
  return {
    id: MISSING_VARY_ID,
    severity: 'warning',
    title: 'Access-Control-Allow-Origin depends on Origin, without Vary: Origin',
    detail: `In this log, ${api} answered Access-Control-Allow-Origin with ${origins.length} different origins (${shown}), so the value depends on the request's Origin, and this response does not send Vary: Origin. A browser or CDN cache can then serve one origin's copy to another, or a copy without CORS headers, and calls fail at random.`,
    advice: 'Add Vary: Origin to every response whose Access-Control-Allow-Origin depends on the request.',
  };
}

const annotated = new WeakMap<LogEntry, { key: string; entry: LogEntry }>();

/**
 * The log with cross-call findings added. Entries that gain nothing are returned as they are (and the
 * array itself when nothing changes), so identity-based caches downstream stay valid.
 */
export function annotateLog(entries: LogEntry[]): LogEntry[] {
  const evidence = new CrossCallEvidence();
  for (const e of entries) evidence.add(e);
  if (!evidence.any()) return entries;
  let changed = false;
  const out = entries.map((e) => {
    const extra = evidence.extra(e);
    if (!extra.length) return e;
    const key = extra.map((x) => `${x.severity}|${x.title}|${x.detail}`).join('\n');
    const cached = annotated.get(e);
    if (cached && cached.key === key) {
      changed = true;
      return cached.entry;
    }
    const entry: LogEntry = { exchange: e.exchange, verdict: withFindings(e.verdict, extra) };
    annotated.set(e, { key, entry });
    changed = true;
    return entry;
  });
  return changed ? out : entries;
}

/** What the findings an entry gains from the other calls depend on: a reader can keep this instead of it. */
export interface CrossCallKeys {
  /** The API whose answer echoed this call's own origin on an allowed call. */
  echoApi: string | null;
  /** The API that granted this call's own origin (any outcome). */
  answeredApi: string | null;
  /** Whether the call has the missing-Vary finding (raised to a warning when the API's grants vary). */
  missingVary: boolean;
}

export function crossCallKeys(e: LogEntry): CrossCallKeys {
  return {
    echoApi: echoOf(e)?.api ?? null,
    answeredApi: answeredOrigin(e)?.api ?? null,
    missingVary: e.verdict.findings.some((x) => x.id === MISSING_VARY_ID),
  };
}

/**
 * The cross-call evidence of a log, gathered call by call (`add` every entry, then `extra` for each):
 * a big HAR's calls are added as they are judged, not held; a reader that keeps only a call's
 * {@link CrossCallKeys} asks `extraFor` them.
 */
export class CrossCallEvidence {
  private readonly byApi = new Map<string, Map<string, Echo>>();
  private readonly answered = new Map<string, Set<string>>();
  /** Echoing calls without a finding of their own, per API: they gain one if the API is flagged. */
  private readonly plainEchoes = new Map<string, number>();
  private withOwnFindings = 0;
  private findings: { flagged: Map<string, Finding>; varying: Map<string, Finding> } | null = null;

  add(e: LogEntry): void {
    this.findings = null;
    const echo = echoOf(e);
    if (e.verdict.findings.length) this.withOwnFindings++;
    else if (echo) this.plainEchoes.set(echo.api, (this.plainEchoes.get(echo.api) ?? 0) + 1);
    if (echo) {
      let sites = this.byApi.get(echo.api);
      if (!sites) this.byApi.set(echo.api, (sites = new Map<string, Echo>()));
      const had = sites.get(echo.site);
      if (!had || (echo.credentials && !had.credentials)) sites.set(echo.site, echo);
    }
    const a = answeredOrigin(e);
    if (a) {
      let set = this.answered.get(a.api);
      if (!set) this.answered.set(a.api, (set = new Set<string>()));
      set.add(a.acao);
    }
  }

  private computed(): { flagged: Map<string, Finding>; varying: Map<string, Finding> } {
    if (this.findings) return this.findings;
    const flagged = new Map<string, Finding>();
    for (const [api, sites] of this.byApi) {
      if (sites.size < 2) continue;
      const echoes = [...sites.values()];
      const origins = [...new Set(echoes.map((x) => x.origin))].sort();
      flagged.set(
        api,
        finding(
          api,
          origins,
          echoes.some((x) => x.credentials),
          echoes[0]!.url,
        ),
      );
    }
    const varying = new Map<string, Finding>();
    for (const [api, set] of this.answered)
      if (set.size >= 2) varying.set(api, varyWarning(api, [...set].sort()));
    return (this.findings = { flagged, varying });
  }

  /** Whether any entry gains a finding. */
  any(): boolean {
    const { flagged, varying } = this.computed();
    return flagged.size > 0 || varying.size > 0;
  }

  /** How many of the added entries have findings once annotated (the report's `withFindings`). */
  withFindings(): number {
    let n = this.withOwnFindings;
    for (const api of this.computed().flagged.keys()) n += this.plainEchoes.get(api) ?? 0;
    return n;
  }

  /** The findings an entry gains from the other calls (the evidence of every added entry). */
  extra(e: LogEntry): Finding[] {
    const { flagged, varying } = this.computed();
    if (!flagged.size && !varying.size) return [];
    return this.extraFor(crossCallKeys(e));
  }

  /** {@link extra} for an entry no longer held, by what it was keyed on ({@link crossCallKeys}). */
  extraFor(k: CrossCallKeys): Finding[] {
    const { flagged, varying } = this.computed();
    const extra: Finding[] = [];
    const f = k.echoApi !== null && flagged.get(k.echoApi);
    if (f) extra.push(f);
    const vary = k.answeredApi !== null && k.missingVary && varying.get(k.answeredApi);
    if (vary) extra.push(vary);
    return extra;
  }

  /** The entry with the findings it gains (the same object when it gains none). */
  annotate(e: LogEntry): LogEntry {
    const extra = this.extra(e);
    return extra.length ? { exchange: e.exchange, verdict: withFindings(e.verdict, extra) } : e;
  }
}
