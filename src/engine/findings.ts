/**
 * What passed but should worry the developer (docs/cors-failures.md §6 and §3H): "something should have
 * been blocked… but wasn't". Findings never change the outcome; they sit next to it.
 */
import { parseMaxAge } from './cors-check';
import { getHeader, headerHealth, lineValue, splitList } from './headers';
import { originOf, parseUrl } from './origin';
import { CORS_SAFELISTED_RESPONSE_HEADERS } from './safelist';
import { CHROME, FIREFOX, otherProfile, type BrowserProfile } from './profile';
import type { OrbResult } from './orb';
import type { CheckedResponse, Simulation } from './simulate';
import type { Exchange, Finding, Leg, Verdict } from './types';

/** Response headers that are infrastructure, not data a script would want to read. */
const INFRA_HEADERS = new Set([
  'connection',
  'content-encoding',
  'date',
  'keep-alive',
  'server',
  'set-cookie',
  'transfer-encoding',
  'vary',
  'x-powered-by',
  'via',
  'alt-svc',
  'strict-transport-security',
  'x-content-type-options',
  'x-frame-options',
  'content-security-policy',
  'referrer-policy',
  'permissions-policy',
  'cross-origin-resource-policy',
  'cross-origin-opener-policy',
  'cross-origin-embedder-policy',
  'timing-allow-origin',
  'accept-ranges',
  'age',
  'report-to',
  'nel',
  'cf-ray',
  'cf-cache-status',
]);

/** The made-up origin used to test whether a server echoes any Origin. */
export const PROBE_ORIGIN = 'https://evil.example';

/** The URL to probe: origin and path, without the query (it may hold secrets). */
export function probeTarget(url: string): string {
  const u = parseUrl(url);
  return u ? `${u.origin}${u.pathname}` : url;
}

function listHas(value: string | null, item: string): boolean {
  return splitList(value).some((s) => s.toLowerCase() === item);
}
type Add = (f: Finding) => void;

/** How to tell a fixed Access-Control-Allow-Origin from one chosen per Origin: ask with another one. */
export function checkAdvice(target: string): string {
  return `To find out, ask with an origin that is not on any list: \`cors-lens probe ${target} --origin ${PROBE_ORIGIN}\`, or \`curl -s -o /dev/null -D - -H 'Origin: ${PROBE_ORIGIN}' '${target}'\`. If Access-Control-Allow-Origin comes back as ${PROBE_ORIGIN}, the server echoes any origin; if it changes with the Origin at all, the response needs Vary: Origin.`;
}

export const MISSING_VARY_ID = 'missing-vary-origin';

/**
 * A specific Access-Control-Allow-Origin without `Vary: Origin`, seen on one call: information. A
 * hard-coded value (nginx `add_header Access-Control-Allow-Origin https://app.example always;`) needs no
 * Vary; a value chosen per Origin does (https://fetch.spec.whatwg.org/#cors-protocol-and-http-caches).
 */
function missingVaryInfo(acao: string, url: string, credentialed: boolean): Finding {
  return {
    id: MISSING_VARY_ID,
    severity: 'info',
    title: `Access-Control-Allow-Origin: ${acao} without Vary: Origin (fine if the value is fixed)`,
    detail: `The response names one origin and sends no Vary: Origin. A server that always sends this value (hard-coded) needs no Vary. A server that picks it per request Origin does: without it, a browser or CDN cache can serve this copy to another origin, or a copy without CORS headers to this one, and calls fail at random. One call cannot tell which.${credentialed ? ` With Access-Control-Allow-Credentials: true it also matters whether the server copies any Origin: then every website could read this user's data from ${originOf(url)}.` : ''}`,
    advice: checkAdvice(probeTarget(url)),
  };
}

/** Findings about the CORS headers of one checked response (preflight or actual). */
function responseFindings(c: CheckedResponse, allowed: boolean, add: Add, p: BrowserProfile): void {
  const acao = getHeader(c.headers, 'access-control-allow-origin');
  const acac = getHeader(c.headers, 'access-control-allow-credentials');
  const where = c.step === 'preflight' ? 'The preflight answer' : 'The response';

  if (acao === 'null') {
    add({
      id: 'allow-origin-null',
      severity: 'danger',
      title: 'Access-Control-Allow-Origin: null',
      detail: `${where} from ${originOf(c.url)} allows the origin \`null\`. Sandboxed iframes and data:/file: documents all have that origin, and any attacker can create one, so this grants access to every site.`,
      advice: 'Never allow `null`; list real origins.',
    });
  }
  const vary = getHeader(c.headers, 'vary');
  const noVary = !listHas(vary, 'origin') && !listHas(vary, '*');
  const credentialed = acac === 'true';
  if (acao && acao !== '*' && acao !== 'null' && c.step === 'actual' && noVary) {
    // One call cannot tell a hard-coded value (which needs no Vary) from one chosen per Origin: one
    // info line with a way to find out. Evidence that the value depends on Origin (the same API seen
    // answering two origins in the log, src/engine/cross-call.ts; a probe) makes it a warning.
    add(missingVaryInfo(acao, c.url, credentialed && allowed));
  } else if (acao && acao !== '*' && acao !== 'null' && credentialed && c.step === 'actual' && allowed) {
    // Seen from the browser, an allowlist and a server that echoes any Origin look the same: this is
    // information with a way to find out, not a warning. Evidence raises it (one API echoing several
    // unrelated origins across calls, src/engine/cross-call.ts).
    const target = probeTarget(c.url);
    add({
      id: 'credentialed-origin-grant',
      severity: 'info',
      title: `${acao} may read responses with the user's cookies (allowlist or echo cannot be told from here)`,
      detail: `The server answered with exactly this page's origin and Access-Control-Allow-Credentials: true. That is the right setup when ${acao} comes from a fixed allowlist. From the browser it looks the same as a server that copies whatever Origin it receives, which would let every website read this user's data from ${originOf(c.url)}; nothing in this call shows which.`,
      advice: checkAdvice(target),
    });
  }
  if (acao === '*' && c.step === 'actual' && getHeader(c.headers, 'set-cookie') !== null) {
    add({
      id: 'wildcard-with-set-cookie',
      severity: 'warning',
      title: 'Set-Cookie on a response shared with `*`',
      detail:
        'The response is shared with every origin (`*`) and also sets a cookie. Cross-origin requests that can read a `*` response carry no credentials, so the browser ignores this cookie: sessions silently fail to start.',
      advice:
        'For cookie-based sessions, answer with the exact origin and Access-Control-Allow-Credentials: true.',
    });
  }
  if (acao === '*' && acac === 'true') {
    add({
      id: 'wildcard-with-allow-credentials',
      severity: 'warning',
      title: '`*` together with Access-Control-Allow-Credentials: true',
      detail: `${where} sends Access-Control-Allow-Origin: * and Access-Control-Allow-Credentials: true. This works only while no cookies are sent; the moment the page uses credentials: "include", every call fails. (This is what cors({ origin: "*", credentials: true }) produces.)`,
      advice:
        'Use an origin allowlist when credentials are needed; drop Allow-Credentials when they are not.',
    });
  }
  const resourceUrl = parseUrl(c.url);
  const allowedOrigin = acao && acao !== '*' && acao !== 'null' ? parseUrl(acao) : null;
  if (resourceUrl?.protocol === 'https:' && allowedOrigin?.protocol === 'http:') {
    add({
      id: 'http-origin-on-https',
      severity: 'warning',
      title: `An http: origin is allowed to read an https: resource`,
      detail: `${originOf(c.url)} is served over HTTPS but allows ${acao}, an unencrypted origin. Anyone on the network path of that page can inject script into it and read this API's responses.`,
      advice: 'Allow only https: origins in production.',
    });
  }
  listFindings(c, acac, where, add, p);
}

/** `*` in the allow lists of a credentialed answer, and the preflight's Max-Age. */
function listFindings(
  c: CheckedResponse,
  acac: string | null,
  where: string,
  add: Add,
  p: BrowserProfile,
): void {
  if (acac === 'true') {
    const starred = [
      'access-control-allow-methods',
      'access-control-allow-headers',
      'access-control-expose-headers',
    ].filter((h) => listHas(getHeader(c.headers, h), '*'));
    if (starred.length) {
      add({
        id: 'wildcard-list-ignored-with-credentials',
        severity: 'warning',
        title: '`*` in a list is ignored for credentialed calls',
        detail: `${where} allows credentials and uses \`*\` in ${starred.join(', ')}. For requests with credentials \`*\` is taken literally (a header named "*"), so these calls need the names listed.`,
        advice: 'List the methods and headers explicitly.',
      });
    }
  }
  if (c.step === 'preflight') {
    const ma = parseMaxAge(c.headers);
    // The lower of the two caps: a value above it is cut down in at least one browser.
    const cap = Math.min(CHROME.maxAgeCap, FIREFOX.maxAgeCap);
    if (ma.raw !== null && !ma.invalid && Number(ma.raw) > cap) {
      const o = otherProfile(p);
      const here = Number(ma.raw) > p.maxAgeCap;
      add({
        id: 'max-age-above-cap',
        severity: 'info',
        title: `Access-Control-Max-Age ${ma.raw} is above what ${here ? p.label : o.label} honours`,
        detail: `${p.label} caches a preflight for at most ${p.maxAgeCap} s and ${o.label} for at most ${o.maxAgeCap} s; ${ma.raw} s is cut down to ${Math.min(p.maxAgeCap, Number(ma.raw))} s in ${p.label} and ${Math.min(o.maxAgeCap, Number(ma.raw))} s in ${o.label}. Long caching also hides CORS configuration changes from users until it expires.`,
        advice: `Use ${cap} or less; 600 is a common choice.`,
      });
    } else if (ma.invalid) {
      add({
        id: 'max-age-invalid',
        severity: 'info',
        title: `Access-Control-Max-Age ${JSON.stringify(ma.raw)} is not a number of seconds`,
        detail: 'Chrome falls back to 5 seconds and Firefox does not cache the preflight at all.',
        advice: 'Send a non-negative integer, e.g. 600.',
      });
    }
  }
}

/** §3H: a readable answer that looks like a CORS problem but is not (an auth status, hidden headers). */
function lookalikeFindings(ex: Exchange, verdict: Verdict, allowed: boolean, add: Add): void {
  const lastLeg = [...ex.legs].reverse().find((l) => l.response);
  const final = lastLeg?.response;
  if (allowed && final && lastLeg) {
    if (
      (final.statusCode === 401 || final.statusCode === 403) &&
      !ex.legs.some((l) => getHeader(l.requestHeaders, 'cookie') !== null)
    ) {
      const redirected = ex.legs.length > 1 && originOf(ex.legs[0]?.url ?? '') !== originOf(lastLeg.url);
      add(
        redirected
          ? {
              id: 'authorization-stripped-on-redirect',
              severity: 'info',
              title: `${final.statusCode} after a cross-origin redirect`,
              detail:
                'Browsers remove the Authorization header when a request is redirected to another origin, so the final server saw no credentials.',
              advice: 'Call the final URL directly for authenticated requests.',
            }
          : {
              id: 'credentials-not-sent',
              severity: 'info',
              title: `${final.statusCode} and no cookies were sent`,
              detail:
                'CORS let the page read this answer, but the request carried no Cookie header. Cross-origin fetch() sends cookies only with credentials: "include" (and the server must then allow credentials); third-party cookie blocking can also drop them.',
              advice:
                'If the API uses cookie sessions, send credentials: "include" and answer with the exact origin plus Access-Control-Allow-Credentials: true.',
            },
      );
    }
    if (ex.type === 'xmlhttprequest') {
      const aceh = getHeader(final.headers, 'access-control-expose-headers');
      const credentials = verdict.credentials === 'include';
      // trim() also drops Unicode spaces around a name (Chrome keeps them): a lenient reading, so no
      // header is reported hidden because of an invisible character.
      const exposed = new Set(splitList(aceh).map((s) => s.trim().toLowerCase()));
      const hidden = [
        ...new Set(
          final.headers
            .map((h) => (h.name ?? '').toLowerCase())
            .filter(
              (n) =>
                n &&
                !CORS_SAFELISTED_RESPONSE_HEADERS.has(n) &&
                !INFRA_HEADERS.has(n) &&
                !n.startsWith('access-control-') &&
                !exposed.has(n) &&
                !(exposed.has('*') && !credentials),
            ),
        ),
      ];
      if (hidden.length) {
        add({
          id: 'header-not-exposed',
          severity: 'info',
          title: `Script cannot read ${hidden.length === 1 ? `the ${hidden[0]} header` : `${hidden.length} response headers`}`,
          detail: `response.headers.get() returns null for ${hidden.slice(0, 8).join(', ')}${hidden.length > 8 ? ', …' : ''}: cross-origin responses expose only the safelisted headers and those named in Access-Control-Expose-Headers${exposed.has('*') && credentials ? ' (`*` does not count for credentialed calls)' : ''}.`,
          advice: `If the page reads them, add Access-Control-Expose-Headers: ${hidden.slice(0, 8).join(', ')}.`,
        });
      }
    }
  }
}

export function findingsFor(
  ex: Exchange,
  sim: Simulation | undefined,
  verdict: Verdict,
  p: BrowserProfile = CHROME,
): Finding[] {
  const out: Finding[] = [];
  const add: Add = (f) => {
    if (!out.some((o) => o.id === f.id)) out.push(f);
  };
  const allowed = verdict.outcome === 'allowed';
  for (const c of sim?.checked ?? []) responseFindings(c, allowed, add, p);

  if (sim?.authorizationByWildcard && allowed) {
    add({
      id: 'authorization-wildcard-deprecated',
      severity: 'warning',
      title: `Authorization passed only because ${p.label} is lenient about \`*\``,
      detail: `The preflight answer allows headers with \`*\` and does not list Authorization. The Fetch standard says \`*\` never covers Authorization. ${p.authorizationByWildcard.warning} The call will break once browsers enforce the standard.`,
      advice: 'List Authorization explicitly in Access-Control-Allow-Headers.',
    });
  }

  lookalikeFindings(ex, verdict, allowed, add);
  return out;
}

/** Malformed or suspicious header lists, on any response of the exchange. */
export function headerFindings(ex: Exchange): Finding[] {
  const out: Finding[] = [];
  const seen = new Set<string>();
  // Each leg's response, then its preflight's; named only when one of them has a problem.
  for (let k = 0; k < ex.legs.length * 2; k++) {
    const leg = ex.legs[k >> 1] as Leg;
    const headers = k % 2 ? leg.preflight?.response?.headers : leg.response?.headers;
    const problems = headerHealth(headers);
    if (!problems.length) continue;
    const where = `${k % 2 ? 'preflight' : 'response'} ${(k >> 1) + 1}`;
    for (const p of problems) {
      const key = `${p.kind}:${p.name}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const value = headers?.find((h) => (h?.name ?? '').toLowerCase() === p.name);
      out.push({
        id: `malformed-header.${p.kind}`,
        severity: p.kind === 'duplicate' ? 'warning' : 'info',
        title:
          p.kind === 'duplicate'
            ? `${p.name} sent ${p.detail}`
            : p.kind === 'too-many'
              ? `Unusually many response headers (${p.detail})`
              : `Malformed header ${p.name ? `\`${p.name.slice(0, 64)}\`` : ''}: ${p.detail}`,
        detail:
          p.kind === 'duplicate'
            ? `The ${where} carries ${p.name} on ${p.detail}. Browsers join repeated lines with ", ", which changes the value; usually a proxy and the application both add the header.`
            : `The ${where} has a header that does not follow HTTP syntax (${p.detail})${value ? `; value starts ${JSON.stringify(lineValue(value).slice(0, 40))}` : ''}.`,
        advice: p.kind === 'duplicate' ? 'Emit each CORS header from exactly one layer.' : undefined,
      });
    }
  }
  return out;
}

/**
 * A no-cors fetch whose ORB verdict depends on the body (https://fetch.spec.whatwg.org/#orb-algorithm
 * sniffing steps): extensions never see the body, so the call's fate is a likelihood.
 */
export function orbBodyFinding(orb: OrbResult): Finding {
  return {
    id: 'orb-decided-by-body',
    severity: 'info',
    title: `Opaque Response Blocking: the body decides (${orb.likely === 'blocked' ? 'probably blocked' : 'probably allowed'})`,
    detail: `${orb.text} Extensions cannot see the body, so CORS Lens cannot tell whether Chrome handed this no-cors response to the page; the DevTools Issues panel says "Response was blocked by ORB" when it did not.`,
    advice:
      'To read the response in the page, call it with CORS (the default fetch mode) and allow your origin on the server.',
  };
}
