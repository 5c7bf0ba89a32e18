/**
 * `cors-lens probe`: the server's origin policy under forged `Origin` values, graded by what an
 * attacker gains. The set of origins is derived from the given one, bounded and listed before any
 * request is sent; requests go one after another, only to the URL given, and redirects are not followed.
 *
 * Grading (what scanners get wrong, see the reference): a forged origin granted with
 * `Access-Control-Allow-Credentials: true` reads the user's data with their cookies — critical for an
 * origin anyone can own, high for one that needs a foothold (a sub-domain, the http twin); a grant
 * without credentials reads only what anyone can fetch anyway (`*` on public data is fine).
 */
import {
  type BrowserDefaults,
  evaluate,
  type Exchange,
  fetchSite,
  getHeader,
  type HeaderLine,
  siteOfHost,
} from '../engine';
import { send, type SendOptions } from './http';

export type ProbeClass =
  | 'baseline'
  | 'unrelated'
  | 'null'
  | 'prefix'
  | 'suffix'
  | 'site-suffix'
  | 'unescaped-dot'
  | 'subdomain'
  | 'http-twin';

export interface ProbeOrigin {
  id: ProbeClass;
  origin: string;
  /** What this origin tests, in words. */
  label: string;
}

export const ATTACKER_HOST = 'attacker.example';

function isIpHost(host: string): boolean {
  return /^\[.*\]$/.test(host) || /^[\d.]+$/.test(host);
}

/**
 * The forged origins for `origin` (a serialized http(s) origin), in the order they are sent. Each
 * appears once; variants that are not valid host names for this origin (an IP address has no
 * sub-domains or look-alikes) are left out.
 */
export function probeOrigins(origin: string): ProbeOrigin[] {
  const out: ProbeOrigin[] = [{ id: 'baseline', origin, label: 'your origin (baseline)' }];
  const add = (id: ProbeClass, o: string, label: string) => {
    if (!out.some((x) => x.origin === o)) out.push({ id, origin: o, label });
  };
  add('unrelated', `https://${ATTACKER_HOST}`, 'an unrelated origin');
  add('null', 'null', '`null` (sandboxed iframes, file: pages, redirected requests)');
  if (origin === 'null') return out;
  const u = new URL(origin);
  const scheme = u.protocol.slice(0, -1);
  const host = u.hostname;
  const port = u.port ? `:${u.port}` : '';
  if (!isIpHost(host)) {
    add('prefix', `${scheme}://${host}.${ATTACKER_HOST}${port}`, 'your host as the prefix of another host');
    add('suffix', `${scheme}://attacker${host}${port}`, 'your host as the suffix of another host');
    const site = siteOfHost(host);
    if (site !== host) {
      add(
        'site-suffix',
        `${scheme}://attacker${site}${port}`,
        `your site (${site}) as the suffix of another host`,
      );
    }
    if (host.includes('.')) {
      add(
        'unescaped-dot',
        `${scheme}://${host.replace('.', 'x')}${port}`,
        'your host with a dot replaced (an unescaped `.` in a regular expression)',
      );
    }
    add('subdomain', `${scheme}://attacker.${host}${port}`, 'a sub-domain of your host');
  }
  if (scheme === 'https') add('http-twin', `http://${host}${port}`, 'the http twin of your https origin');
  return out;
}

export type Severity = 'critical' | 'high' | 'low' | 'info' | 'none';

export const SEVERITY_ORDER: readonly Severity[] = ['none', 'info', 'low', 'high', 'critical'];

export interface Observation {
  status: number;
  acao: string | null;
  acac: string | null;
  vary: string | null;
  /** A page on the forged origin could read the response without credentials. */
  readable: boolean;
  /** … and with credentials (cookies). */
  readableWithCredentials: boolean;
}

export interface Grade {
  severity: Severity;
  title: string;
  detail: string;
}

/** Classes an attacker can own outright (register a domain, use a sandboxed iframe). */
const OWNABLE: ReadonlySet<ProbeClass> = new Set([
  'unrelated',
  'null',
  'prefix',
  'suffix',
  'site-suffix',
  'unescaped-dot',
]);

export function grade(p: ProbeOrigin, o: Observation): Grade {
  if (p.id === 'baseline') {
    return o.readable
      ? {
          severity: 'none',
          title: 'Your origin is allowed',
          detail: o.readableWithCredentials ? 'With and without credentials.' : 'Without credentials only.',
        }
      : {
          severity: 'none',
          title: 'Your origin is not allowed',
          detail:
            'The server does not grant your own origin: calls from your page are blocked (run `cors-lens check` for the reason).',
        };
  }
  if (!o.readable && !o.readableWithCredentials) {
    return {
      severity: 'none',
      title: `Refused ${p.label}`,
      detail: 'A page on this origin cannot read the response.',
    };
  }
  const reflected = o.acao !== null && o.acao !== '*';
  if (o.readableWithCredentials && reflected) {
    const owned = OWNABLE.has(p.id);
    return {
      severity: owned ? 'critical' : 'high',
      title: `${p.origin} may read responses with the user's cookies`,
      detail: owned
        ? `The server answers \`Access-Control-Allow-Origin: ${o.acao}\` with \`Access-Control-Allow-Credentials: true\` for ${p.label}, which anyone can own: any logged-in user who visits such a page has this response read by it.`
        : `The server answers \`Access-Control-Allow-Origin: ${o.acao}\` with \`Access-Control-Allow-Credentials: true\` for ${p.label}: whoever controls it (cross-site scripting on a sub-domain, or a network attacker for http) reads the user's data with their cookies.`,
    };
  }
  if (o.acao === '*') {
    return {
      severity: 'info',
      title: 'Access-Control-Allow-Origin: * (public data)',
      detail:
        'Any page can read this response, but never with cookies: fine for public data. It matters only if the response depends on where the request comes from (an intranet address, client certificates).',
    };
  }
  return {
    severity: 'low',
    title: `${p.origin} is allowed without credentials`,
    detail: `The server reflects or allows ${p.label} without \`Access-Control-Allow-Credentials: true\`: such a page reads only what anyone can fetch, but the origin check is wrong and becomes critical if credentials are ever allowed.`,
  };
}

export interface ProbeResult extends Observation {
  probe: ProbeOrigin;
  grade: Grade;
  notes: string[];
  error?: string;
  /**
   * Why this origin was not tested: its request failed (a network error, the timeout), the server
   * answered 429 or 5xx (an overloaded or failing server says nothing of its origin policy), or the
   * total time limit was reached before it was sent.
   */
  untested?: string;
}

export interface ProbeRunOptions extends SendOptions {
  defaults: BrowserDefaults;
  /** The whole run's limit: origins not sent by then are not tested (default 60 s). */
  totalTimeoutMs?: number;
  onProbe?: (i: number, total: number, p: ProbeOrigin) => void;
}

export const PROBE_TIMEOUT_MS = 10_000;
export const PROBE_TOTAL_TIMEOUT_MS = 60_000;

/** Why an answer tells nothing of the origin policy: 429 (rate limited) and 5xx (a failing server). */
export function untestedStatus(status: number): string | undefined {
  if (status === 429) return 'the server answered 429 Too Many Requests';
  if (status >= 500) return `the server answered ${status}`;
  return undefined;
}

/** The forged origins that were not tested (the baseline is not a forged origin). */
export function untestedOrigins(results: readonly ProbeResult[]): ProbeResult[] {
  return results.filter((r) => r.probe.id !== 'baseline' && r.untested !== undefined);
}

/** What a page on `origin` could read: the engine's verdict for a simple GET, with and without credentials. */
export function observe(
  url: string,
  origin: string,
  reqHeaders: HeaderLine[],
  status: number,
  headers: HeaderLine[],
): Observation {
  const ex: Exchange = {
    id: 'probe',
    method: 'GET',
    initiator: origin,
    type: 'xmlhttprequest',
    tabId: -1,
    startTime: 0,
    legs: [{ url, requestHeaders: reqHeaders, response: { statusCode: status, headers } }],
    outcome: { state: 'completed', statusCode: status },
  };
  const v = evaluate(ex);
  const allowed = v.outcome === 'allowed' && v.kind !== 'allowed-contrary';
  return {
    status,
    acao: getHeader(headers, 'access-control-allow-origin'),
    acac: getHeader(headers, 'access-control-allow-credentials'),
    vary: getHeader(headers, 'vary'),
    readable: allowed,
    readableWithCredentials: allowed && v.credentials !== 'omit',
  };
}

export async function runProbe(
  url: string,
  origin: string,
  options: ProbeRunOptions,
): Promise<ProbeResult[]> {
  const list = probeOrigins(origin);
  const results: ProbeResult[] = [];
  const total = options.totalTimeoutMs ?? PROBE_TOTAL_TIMEOUT_MS;
  const perRequest = options.timeoutMs ?? PROBE_TIMEOUT_MS;
  const deadline = Date.now() + total;
  const empty: Observation = {
    status: 0,
    acao: null,
    acac: null,
    vary: null,
    readable: false,
    readableWithCredentials: false,
  };
  for (const [i, p] of list.entries()) {
    const left = deadline - Date.now();
    if (left <= 0) {
      const why = `not sent: the total time limit of ${total} ms was reached`;
      results.push({
        ...empty,
        probe: p,
        grade: { severity: 'none', title: 'Not sent', detail: why },
        notes: [],
        error: 'not sent',
        untested: why,
      });
      continue;
    }
    options.onProbe?.(i, list.length, p);
    const headers: HeaderLine[] = [
      { name: 'Accept', value: '*/*' },
      { name: 'Origin', value: p.origin },
      { name: 'User-Agent', value: options.defaults.userAgent },
      { name: 'Sec-Fetch-Mode', value: 'cors' },
      { name: 'Sec-Fetch-Site', value: fetchSite(p.origin, url) },
      { name: 'Sec-Fetch-Dest', value: 'empty' },
    ];
    const r = await send(url, 'GET', headers, { ...options, timeoutMs: Math.min(perRequest, left) });
    if (!r.ok) {
      results.push({
        ...empty,
        probe: p,
        grade: { severity: 'none', title: 'No answer', detail: r.reason },
        notes: [],
        error: r.netError,
        untested: `${r.netError}: ${r.reason}`,
      });
      continue;
    }
    const o = observe(url, p.origin, headers, r.response.statusCode, r.response.headers);
    const g = grade(p, o);
    const notes: string[] = [];
    const untested = untestedStatus(o.status);
    if (
      g.severity !== 'none' &&
      g.severity !== 'info' &&
      o.acao === p.origin &&
      !/\borigin\b/i.test(o.vary ?? '')
    ) {
      notes.push(
        "The answer depends on Origin but lacks `Vary: Origin`: a shared cache can serve one origin's answer to another.",
      );
    }
    if (o.status >= 300 && o.status < 400)
      notes.push(
        `The server answered ${o.status} (a redirect, not followed): this is the policy of the redirect, not of the final resource.`,
      );
    else if (o.status >= 400 && g.severity !== 'none')
      notes.push(
        `The server answered ${o.status}: the CORS headers may come from an error handler rather than the endpoint itself.`,
      );
    results.push({ ...o, probe: p, grade: g, notes, ...(untested ? { untested } : {}) });
  }
  return results;
}

export function worstSeverity(results: readonly { grade: Grade }[]): Severity {
  let worst = 0;
  for (const r of results) worst = Math.max(worst, SEVERITY_ORDER.indexOf(r.grade.severity));
  return SEVERITY_ORDER[worst] as Severity;
}
