/**
 * Plain words for a verdict: a title, an explanation built from the concrete values, Chrome's console
 * message (so users can search it) and the fix (stack-independent header changes plus recipes).
 */
import { isOkStatus } from './cors-check';
import { getHeader, splitList } from './headers';
import { kindInfo, type ChromeCorsError, type Kind } from './catalogue';
import { addressSpaceOf, originOf, parseUrl } from './origin';
import { isCorsSafelistedMethod, normalizeMethod } from './safelist';
import type { Simulation } from './simulate';
import { recipesFor } from './fix';
import type { Exchange, Fix, FixPlan, HeaderChange, Leg, Verdict } from './types';

export interface ExplainInput {
  ex: Exchange;
  requestOrigin: string;
  kind: Kind;
  verdict?: Verdict;
  sim?: Simulation;
}

export interface Explained {
  title: string;
  explanation: string[];
  consoleMessage?: string;
  fix?: Fix;
}

const q = (v: string | null | undefined) => (v === null || v === undefined ? '(absent)' : `\`${v}\``);

/** The word Chrome uses for the resource in its console message. */
function resourceWord(type: string): string {
  switch (type) {
    case 'xmlhttprequest':
      return 'fetch';
    case 'script':
      return 'script';
    case 'stylesheet':
      return 'stylesheet';
    case 'image':
      return 'image';
    case 'font':
      return 'font';
    case 'media':
      return 'media';
    default:
      return 'resource';
  }
}

/** Chrome's console detail for each CorsError (cors_error_string.cc). */
function consoleDetail(chromeError: ChromeCorsError, p: string, location?: string): string | undefined {
  const pre = "Response to preflight request doesn't pass access control check: ";
  const base = chromeError.replace(
    /^Preflight(?=(Missing|Wildcard|Multiple|InvalidAllowOrigin|AllowOrigin|InvalidAllowCredentials))/,
    '',
  );
  const prefix = base !== chromeError ? pre : '';
  switch (base) {
    case 'MissingAllowOriginHeader':
      return `${prefix}No 'Access-Control-Allow-Origin' header is present on the requested resource.`;
    case 'WildcardOriginNotAllowed':
      return `${prefix}The value of the 'Access-Control-Allow-Origin' header in the response must not be the wildcard '*' when the request's credentials mode is 'include'.`;
    case 'AllowOriginMismatch':
      return `${prefix}The 'Access-Control-Allow-Origin' header has a value '${p}' that is not equal to the supplied origin.`;
    case 'MultipleAllowOriginValues':
      return `${prefix}The 'Access-Control-Allow-Origin' header contains multiple values '${p}', but only one is allowed.`;
    case 'InvalidAllowOriginValue':
      return `${prefix}The 'Access-Control-Allow-Origin' header contains the invalid value '${p}'.`;
    case 'InvalidAllowCredentials':
      return `${prefix}The value of the 'Access-Control-Allow-Credentials' header in the response is '${p}' which must be 'true' when the request's credentials mode is 'include'.`;
    case 'PreflightInvalidStatus':
      return `${pre}It does not have HTTP ok status.`;
    case 'PreflightDisallowedRedirect':
      return `${pre}Redirect is not allowed for a preflight request.`;
    case 'InvalidAllowMethodsPreflightResponse':
      return 'Cannot parse Access-Control-Allow-Methods response header field in preflight response.';
    case 'InvalidAllowHeadersPreflightResponse':
      return 'Cannot parse Access-Control-Allow-Headers response header field in preflight response.';
    case 'MethodDisallowedByPreflightResponse':
      return `Method ${p} is not allowed by Access-Control-Allow-Methods in preflight response.`;
    case 'HeaderDisallowedByPreflightResponse':
      return `Request header field ${p} is not allowed by Access-Control-Allow-Headers in preflight response.`;
    case 'DisallowedByMode':
      return 'Cross origin requests are not allowed by request mode.';
    case 'LocalNetworkAccessPermissionDenied':
      return `Permission was denied for this request to access the \`${p}\` address space.`;
    case 'InsecureLocalNetwork':
      return `The request client is not a secure context and the resource is in more-private address space \`${p}\`.`;
    case 'RedirectContainsCredentials':
      return `Redirect location '${location ?? ''}' contains a username and password, which is disallowed for cross-origin requests.`;
    default:
      return undefined;
  }
}

export function consoleMessage(ex: Exchange, v: Verdict, location?: string): string | undefined {
  if (!v.chromeError) return undefined;
  const param = v.chromeError.includes('LocalNetwork')
    ? addressSpaceOf(ex.legs[v.legIndex]?.url ?? '')
    : (v.failedParameter ?? '');
  const detail = consoleDetail(v.chromeError, param, location);
  if (!detail) return undefined;
  const first = ex.legs[0]?.url ?? '';
  const at = ex.legs[v.legIndex]?.url ?? first;
  const redirected = at !== first ? ` (redirected from '${first}')` : '';
  return `Access to ${resourceWord(ex.type)} at '${at}'${redirected} from origin '${v.requestOrigin}' has been blocked by CORS policy: ${detail}`;
}

function pathOf(url: string): string {
  return parseUrl(url)?.pathname ?? '/';
}

function listOf(value: string | null): string[] {
  return splitList(value).filter((s) => s !== '*');
}

/** Build the stack-independent plan from the observed values. */
function planFor(input: ExplainInput, leg: Leg, extra: Partial<FixPlan>): FixPlan {
  const { ex, requestOrigin, verdict } = input;
  const pf = leg.preflight;
  const acrm = getHeader(pf?.requestHeaders, 'access-control-request-method') ?? normalizeMethod(ex.method);
  const acrh = listOf(getHeader(pf?.requestHeaders, 'access-control-request-headers')).map((h) =>
    h.toLowerCase(),
  );
  const existingMethods = listOf(getHeader(pf?.response?.headers, 'access-control-allow-methods'));
  const existingHeaders = listOf(getHeader(pf?.response?.headers, 'access-control-allow-headers')).map((h) =>
    h.toLowerCase(),
  );
  const methods = pf
    ? [
        ...new Set([
          ...existingMethods.filter((m) => !isCorsSafelistedMethod(m) || m === acrm),
          ...(isCorsSafelistedMethod(acrm) ? [] : [acrm]),
        ]),
      ]
    : [];
  const headers = pf ? [...new Set([...existingHeaders, ...acrh])] : [];
  const status = leg.response?.statusCode ?? 0;
  return {
    origin: requestOrigin,
    credentials: verdict?.credentials === 'include',
    methods,
    headers,
    handlePreflight: !!pf,
    errorResponses: status >= 400 || (!!pf?.response && !isOkStatus(pf.response.statusCode)),
    path: pathOf(leg.url),
    apiOrigin: originOf(leg.url),
    ...extra,
  };
}

function makeFix(
  input: ExplainInput,
  leg: Leg,
  summary: string,
  headers: HeaderChange[],
  extra: Partial<FixPlan> = {},
): Fix {
  const plan = planFor(input, leg, extra);
  const responseHeaders = input.ex.legs
    .flatMap((l) => [l.response?.headers, l.preflight?.response?.headers])
    .filter((h) => !!h);
  return { summary, headers, plan, recipes: recipesFor(plan, { responseHeaders, primary: true }) };
}

/** Header changes that make a CORS check pass for `origin` (with ACAC when credentialed). */
function allowOriginChanges(on: HeaderChange['on'], origin: string, credentials: boolean): HeaderChange[] {
  const out: HeaderChange[] = [{ on, name: 'Access-Control-Allow-Origin', value: origin }];
  if (credentials) out.push({ on, name: 'Access-Control-Allow-Credentials', value: 'true' });
  out.push({ on, name: 'Vary', value: 'Origin' });
  return out;
}

export function explain(input: ExplainInput): Explained {
  const { ex, requestOrigin, kind, verdict } = input;
  const info = kindInfo(kind);
  const legIndex = verdict?.legIndex ?? 0;
  const leg: Leg = ex.legs[legIndex] ?? ex.legs[0] ?? { url: '' };
  const url = leg.url;
  const api = originOf(url);
  const page = requestOrigin;
  const creds = verdict?.credentials === 'include';
  const credWord = verdict?.confidence.level === 'inferred' && creds ? ' (it was sent with credentials)' : '';
  const p = verdict?.failedParameter ?? '';
  const onPf = verdict?.step === 'preflight';
  const resp = onPf ? leg.preflight?.response : leg.response;
  const status = resp?.statusCode;
  const acac = getHeader(resp?.headers, 'access-control-allow-credentials');
  const sentOrigin = input.sim?.checked.find((c) => c.legIndex === legIndex)?.origin ?? page;
  // Where the origin headers must go: a preflight's fix applies to the actual response too (it was
  // never sent, so nothing shows it passing), and a preflighted call needs them on both.
  const on: HeaderChange['on'] = onPf || leg.preflight ? 'both' : 'actual';
  const method =
    getHeader(leg.preflight?.requestHeaders, 'access-control-request-method') ?? normalizeMethod(ex.method);
  const preflightWhy = `Before sending this ${method} request, Chrome asked ${api} for permission with a preflight (OPTIONS ${pathOf(url)}).`;
  const location = getHeader(leg.response?.headers, 'location') ?? undefined;
  const cm = verdict ? consoleMessage(ex, verdict, leg.redirectUrl ?? location) : undefined;
  const out = (title: string, explanation: string[], fix?: Fix): Explained => ({
    title,
    explanation,
    consoleMessage: cm,
    fix,
  });

  switch (kind) {
    case 'navigation':
      return out('Navigation (not a CORS request)', ['Page and frame navigations are not subject to CORS.']);
    case 'same-origin':
      return out('Same-origin request (not CORS)', [`The request stays on ${page}; CORS does not apply.`]);
    case 'opaque-response':
      return out('no-cors fetch: the response is opaque', [
        `The page fetched ${url} with mode "no-cors", so Chrome sent it without asking the server for permission and hands the page an opaque response: status 0, no headers, empty body. Nothing was blocked and no error is shown, which is why this often looks like "the API returns nothing".`,
        `If the page needs to read the answer, remove mode: "no-cors" and have ${api} send Access-Control-Allow-Origin: ${page}.`,
      ]);
    case 'no-cors-load':
      return out('No-CORS load (not a CORS request)', [
        `This ${resourceWord(ex.type)} was loaded without CORS (no crossorigin attribute or a no-cors request): the page can display or run it but cannot read it, and CORS headers are not consulted.`,
      ]);
    case 'pending':
      return out('In flight', ['The request has not finished yet.']);
    case 'allowed':
    case 'allowed-contrary': {
      const text = [
        `Chrome let the page read the response from ${api}: the server allowed ${q(acaoOfLast(ex))} and the page's origin is ${page}.`,
      ];
      if (kind === 'allowed-contrary') {
        text.push(
          'By the rules CORS Lens applies, these headers should have been refused, yet Chrome allowed the call. Please report this exchange (Export → JSON) so the rules can be corrected.',
        );
      }
      if (verdict?.confidence.level === 'inferred') text.push(verdict.confidence.reason);
      return out(kind === 'allowed' ? 'Allowed' : 'Allowed, although the headers look wrong', text);
    }
    case 'unexplained-failure':
      return out('Blocked, for a reason the headers do not show', [
        `Chrome failed this request to ${url} with net::ERR_FAILED, but every response header CORS Lens could observe passes the CORS rules.`,
        'Check the DevTools Console for Chrome\'s own message. Common hidden causes: a request mode of "same-origin", Local Network Access (a public page calling a private address), or a preflight sent before CORS Lens was listening (reload the page with DevTools open).',
      ]);
    case 'preflight-network-error':
      return out(`Preflight could not reach ${api} (${verdict?.netError ?? 'network error'})`, [
        `${preflightWhy} That OPTIONS request failed below HTTP with ${verdict?.netError ?? 'a network error'}, so Chrome never sent the ${method} request. This is not a CORS header problem: the server was unreachable (refused connection, DNS, TLS, reset).`,
        'Fix connectivity first; then check the preflight again.',
      ]);
    case 'network-failure-not-cors':
      return out(`Network error: ${verdict?.netError ?? 'unknown'} (not CORS)`, [
        `The request to ${url} failed with ${verdict?.netError ?? 'a network error'} before any CORS check: the server was unreachable, the certificate invalid, or the connection dropped. Firefox labels these as CORS errors; Chrome does not.`,
      ]);
    case 'blocked-by-client':
      return out('Blocked by an extension or DevTools (not the server)', [
        `Something in this browser cancelled the request to ${url} (net::ERR_BLOCKED_BY_CLIENT): an ad or privacy blocker, another extension, or DevTools request blocking. The server never saw it. Disable the blocker for this site to confirm.`,
      ]);
    case 'aborted':
      return out('Cancelled (not CORS)', [
        `The request to ${url} was cancelled (net::ERR_ABORTED): the page aborted it (AbortController, a new navigation) before it finished.`,
      ]);
    case 'unsafe-port':
      return out('Port blocked by the browser', [
        `Browsers refuse to connect to the port of ${url} (net::ERR_UNSAFE_PORT). Use another port.`,
      ]);
    case 'too-many-redirects':
      return out('Redirect loop', [
        `The request to ${url} was redirected more than 20 times (net::ERR_TOO_MANY_REDIRECTS).`,
      ]);
    case 'redirect-to-non-http-scheme':
      return out('Redirect to a non-HTTP(S) URL', [
        `${url} redirected to ${leg.redirectUrl ?? location ?? 'a URL'} whose scheme is not http or https; a cross-origin request can only follow redirects to http(s) URLs.`,
      ]);
    case 'corp-not-same-origin':
    case 'corp-not-same-site':
    case 'coep-requires-corp': {
      const corp = getHeader(leg.response?.headers, 'cross-origin-resource-policy');
      return out(info.label, [
        kind === 'coep-requires-corp'
          ? `This page is cross-origin isolated (Cross-Origin-Embedder-Policy), so every cross-origin resource it embeds without CORS must opt in with Cross-Origin-Resource-Policy. ${url} sends none.`
          : `${api} answered with Cross-Origin-Resource-Policy: ${corp ?? ''}, which forbids pages on ${page} from embedding it (net::ERR_BLOCKED_BY_RESPONSE). This is not a CORS header problem.`,
        'Fix: send Cross-Origin-Resource-Policy: cross-origin on the resource only if any site may embed it, or load it with CORS (crossorigin attribute / fetch) and allow the origin.',
      ]);
    }
    case 'orb-blocked':
      return out('Opaque Response Blocking (not CORS)', [
        `The page loaded ${url} with an element or a no-cors request, and the response looks like data (JSON, HTML, XML…). Chrome refuses to hand data to a page that way (net::ERR_BLOCKED_BY_ORB). Use fetch() with CORS, or serve the correct media type for scripts and images.`,
      ]);
    case 'lna-permission-denied':
    case 'lna-insecure-initiator':
    case 'lna-address-space-mismatch':
      return out(info.label, [
        kind === 'lna-insecure-initiator'
          ? `A page on ${page} (not a secure context) tried to reach ${url}, which is on a more private network. Chrome allows that only from HTTPS pages (Local Network Access).`
          : kind === 'lna-permission-denied'
            ? `A page on ${page} tried to reach ${url}, on your local network or this machine. Chrome needs the user's permission for that (Local Network Access) and it was not granted. CORS headers do not help.`
            : `The request asked for a specific target address space (targetAddressSpace) but ${api} resolved to another one.`,
        'Fix: serve the page over HTTPS and grant "Local network access" for the site, or serve the page from the same network.',
      ]);
  }

  // ----- CORS rule failures -----
  const mismatchWords = (value: string) => {
    const tips: string[] = [];
    if (value.replace(/\/+$/, '') === sentOrigin)
      tips.push('it differs only by a trailing slash: an origin never has a path');
    else if (value.toLowerCase() === sentOrigin)
      tips.push('it differs only in letter case; origins compare byte for byte');
    else {
      const a = safeUrl(value);
      const b = safeUrl(sentOrigin);
      if (a && b) {
        if (a.hostname === b.hostname && a.protocol !== b.protocol)
          tips.push(`the scheme differs (${a.protocol} vs ${b.protocol})`);
        else if (a.hostname === b.hostname && a.port !== b.port) tips.push('the port differs');
        else if (/^(localhost|127\.)/.test(a.hostname) && !/^(localhost|127\.)/.test(b.hostname))
          tips.push(
            'it is a development origin hard-coded on the server, which works on a laptop and fails in production',
          );
        else if (a.hostname === `www.${b.hostname}` || b.hostname === `www.${a.hostname}`)
          tips.push('one has `www.` and the other does not');
      }
    }
    return tips.length ? ` (${tips.join('; ')})` : '';
  };

  const corsBase = (where: 'preflight' | 'response') =>
    where === 'preflight' ? `The preflight answer from ${api}` : `The response from ${api}`;
  /** The same, mid-sentence. */
  const corsBaseLower = (where: 'preflight' | 'response') =>
    where === 'preflight' ? `the preflight answer from ${api}` : `the response from ${api}`;
  const where = onPf ? 'preflight' : 'response';
  const preNote = onPf ? `${preflightWhy} ` : '';

  switch (kind) {
    case 'missing-allow-origin':
    case 'preflight-missing-allow-origin':
    case 'missing-allow-origin.error-status':
    case 'missing-allow-origin.redirect-hop':
    case 'missing-allow-origin.cached-variant': {
      const text = [
        onPf
          ? `${preNote}${corsBase(where)} (status ${status ?? '?'}) has no Access-Control-Allow-Origin header, so Chrome took it as a refusal and never sent the ${method} request itself.`
          : `${corsBase(where)} (status ${status ?? '?'}) has no Access-Control-Allow-Origin header, so Chrome does not let the page on ${page} read it. The server may well have processed the request: CORS only decides whether the page can read the answer.`,
      ];
      let title = onPf
        ? `Preflight answered without CORS headers (${status ?? '?'})`
        : `No Access-Control-Allow-Origin from ${api}`;
      const extra: Partial<FixPlan> = {};
      if (onPf && status !== undefined && !isOkStatus(status)) {
        const why =
          status === 401 || status === 403
            ? `Status ${status} usually means authentication middleware ran on the OPTIONS request. Preflights never carry cookies or Authorization, so the OPTIONS route must answer before auth.`
            : status === 404 || status === 405 || status === 501
              ? `Status ${status} usually means the server has no route for OPTIONS ${pathOf(url)}: the request never reaches your API logic until OPTIONS is handled.`
              : `The server answered the OPTIONS request with ${status}.`;
        text.push(
          `${why} Chrome checks the CORS headers before the status, which is why it reports a missing header rather than the status.`,
        );
        title = `Preflight not handled: ${status} without CORS headers`;
      } else if (onPf) {
        text.push(
          `Something answered the OPTIONS request with ${status} (often the framework's automatic OPTIONS reply), but the CORS handling did not run for it: it is attached to the ${method} route only, or registered after the router. Apply it to OPTIONS ${pathOf(url)} too.`,
        );
      }
      if (kind === 'missing-allow-origin.error-status') {
        title = `${api} failed with ${status}, and the error response has no CORS headers`;
        text.unshift(
          `The server failed first: it answered ${status}${leg.response?.statusLine ? ` (${leg.response.statusLine.replace(/^HTTP\/\S+\s+/, '')})` : ''}. Error pages from the framework, a gateway or a proxy usually lack CORS headers, so the browser reports a CORS error and hides the real one.`,
        );
        text.push(
          `Fix the ${status} first, and make error responses carry the CORS headers too, so the next failure shows its real status to the page.`,
        );
        extra.errorResponses = true;
        extra.note = `The server answered ${status}; fix that error as well.`;
      }
      if (kind === 'missing-allow-origin.redirect-hop') {
        title = `Redirect (${status}) from ${api} has no CORS headers`;
        text.push(
          `Chrome checks every redirect of a CORS request. This ${status} redirect to ${location ?? 'another URL'} lacks Access-Control-Allow-Origin. Call the final URL directly, or add the header to the redirect response.`,
        );
        if (location) extra.avoidRedirect = { from: url, to: location };
      }
      if (kind === 'missing-allow-origin.cached-variant') {
        text.push(
          'This response came from the HTTP cache: a copy stored for a request without Origin (or for another origin) was reused. Send Vary: Origin whenever Access-Control-Allow-Origin depends on the request, or always send it.',
        );
      }
      return out(
        title,
        text,
        makeFix(
          input,
          leg,
          `Send Access-Control-Allow-Origin: ${page}${creds ? ' and Access-Control-Allow-Credentials: true' : ''} from ${api}${onPf ? ' on the OPTIONS response (with status 204) and on the response itself' : ''}${kind === 'missing-allow-origin.error-status' ? ', also on error responses' : ''}.`,
          allowOriginChanges(on, page, creds),
          extra,
        ),
      );
    }
    case 'wildcard-origin-with-credentials':
    case 'preflight-wildcard-origin-with-credentials':
      return out(
        `\`*\` with credentials: ${api} must name ${page}`,
        [
          `${preNote}${corsBase(where)} says Access-Control-Allow-Origin: *, but the request carries credentials${credWord}. \`*\` means "any site, without cookies": Chrome never shares a credentialed response under \`*\`.`,
          `Answer with the exact origin ${page} (from an allowlist, never by echoing any Origin) plus Access-Control-Allow-Credentials: true and Vary: Origin — or stop sending credentials if the API does not need cookies.`,
        ],
        makeFix(
          input,
          leg,
          `Replace \`*\` with ${page} and add Access-Control-Allow-Credentials: true.`,
          allowOriginChanges(on, page, true),
          { credentials: true },
        ),
      );
    case 'allow-origin-mismatch':
    case 'preflight-allow-origin-mismatch':
      return out(
        `${api} allows ${q(p)}, not ${page}`,
        [
          `${preNote}Your page is ${page}; ${corsBaseLower(where)} allowed ${q(p)}${mismatchWords(p)}. The value must equal the page's origin byte for byte: scheme, host and port, no path, no trailing slash.`,
        ],
        makeFix(
          input,
          leg,
          `Answer Access-Control-Allow-Origin: ${page} (from an allowlist that also holds ${p}).`,
          allowOriginChanges(on, page, creds),
          { alsoAllow: validOrigin(p) ? [p] : [] },
        ),
      );
    case 'allow-origin-mismatch.null-origin':
      return out(
        `Your page has a \`null\` origin; ${api} allowed ${q(p)}`,
        [
          `The request came from an opaque origin (a sandboxed iframe, a file: or data: page), so Chrome sent Origin: null and compared it with ${q(p)}.`,
          'Serve the page from http(s) without sandboxing. Do not "fix" this by allowing `null`: any site can create a page whose origin is null.',
        ],
        makeFix(
          input,
          leg,
          'Load the page from a real http(s) origin, then allow that origin.',
          allowOriginChanges(on, page, creds),
        ),
      );
    case 'redirect-tainted-origin':
    case 'preflight-redirect-tainted-origin': {
      const first = ex.legs[0]?.url ?? '';
      return out(
        `Origin became \`null\` after a cross-origin redirect`,
        [
          `${first} redirected to ${url} on another origin. After a redirect between two origins other than the page's, Chrome hides the page's origin and sends Origin: null. ${corsBase(where)} allowed ${q(p)}, which can never equal \`null\`.`,
          `Call ${url} directly (or keep the redirect on one origin). Allowing \`*\` would work only without credentials, and allowing \`null\` is unsafe.`,
        ],
        makeFix(
          input,
          leg,
          `Call ${url} directly instead of through the redirect from ${originOf(first)}.`,
          allowOriginChanges(on, page, creds),
          { avoidRedirect: { from: first, to: url } },
        ),
      );
    }
    case 'multiple-allow-origin-values':
    case 'preflight-multiple-allow-origin-values': {
      const lines =
        (onPf ? leg.preflight?.response?.headers : leg.response?.headers)?.filter(
          (h) => h.name.toLowerCase() === 'access-control-allow-origin',
        ).length ?? 0;
      return out(
        `Access-Control-Allow-Origin holds several values`,
        [
          `${preNote}${corsBase(where)} sent Access-Control-Allow-Origin ${q(p)}${lines > 1 ? ` as ${lines} separate header lines (often a proxy and the application both add it)` : ''}. The header may hold exactly one origin; Chrome joins repeated lines with ", " and refuses the result.`,
          `Send one value, ${page}, picked from your allowlist per request, and remove the duplicate layer.`,
        ],
        makeFix(
          input,
          leg,
          `Send a single Access-Control-Allow-Origin: ${page}; remove the second source of the header.`,
          allowOriginChanges(on, page, creds),
          {
            remove: [
              {
                name: 'Access-Control-Allow-Origin',
                value: p,
                why: 'only one origin is allowed; the header is added twice or lists several origins',
              },
            ],
          },
        ),
      );
    }
    case 'invalid-allow-origin-value':
    case 'preflight-invalid-allow-origin-value':
      return out(
        `Access-Control-Allow-Origin ${q(p)} is not an origin`,
        [
          `${preNote}${corsBase(where)} sent Access-Control-Allow-Origin ${q(p)}, which is not a valid origin${/\*/.test(p) ? ' (patterns such as *.example.com are not supported by browsers)' : ''}. It must be \`scheme://host[:port]\`, \`*\`, or nothing.`,
        ],
        makeFix(
          input,
          leg,
          `Send Access-Control-Allow-Origin: ${page} (match patterns on the server, send the exact origin).`,
          allowOriginChanges(on, page, creds),
        ),
      );
    case 'invalid-allow-credentials':
    case 'preflight-invalid-allow-credentials':
      return out(
        `Credentials not allowed by ${api}`,
        [
          `${preNote}The request carries credentials${credWord} and ${corsBaseLower(where)} allows ${page}, but Access-Control-Allow-Credentials is ${acac === null ? 'missing' : q(acac)}. It must be exactly \`true\` (lower case) for Chrome to share a response to a request with cookies.`,
          'Add Access-Control-Allow-Credentials: true, or stop sending credentials if the API does not use cookies.',
        ],
        makeFix(
          input,
          leg,
          `Add Access-Control-Allow-Credentials: true${onPf ? ' to the OPTIONS response as well' : ''}.`,
          [{ on, name: 'Access-Control-Allow-Credentials', value: 'true' }],
          { credentials: true },
        ),
      );
    case 'preflight-invalid-status':
      return out(
        `Preflight answered ${status}: it must be 2xx`,
        [
          `${preflightWhy} The answer carried CORS headers but had status ${status}. Chrome requires an ok status (200–299) on the preflight.`,
          status === 401 || status === 403
            ? 'Authentication runs on the OPTIONS request; preflights never carry credentials, so answer OPTIONS before auth.'
            : 'Answer OPTIONS with 204 No Content and the CORS headers.',
        ],
        makeFix(
          input,
          leg,
          `Answer OPTIONS ${pathOf(url)} with 204 and the CORS headers.`,
          [{ on: 'preflight', name: 'Status', value: '204 No Content' }],
          { handlePreflight: true, errorResponses: true },
        ),
      );
    case 'preflight-disallowed-redirect': {
      const to = getHeader(leg.preflight?.response?.headers, 'location') ?? '';
      return out(
        `Preflight was redirected (${status} → ${to})`,
        [
          `${preflightWhy} The server answered it with a ${status} redirect to ${to}. Browsers never follow redirects on a preflight.`,
          `Common causes: http→https, a missing or extra trailing slash, a login redirect, apex→www. Call ${to || 'the final URL'} directly and make OPTIONS answer 2xx there.`,
        ],
        makeFix(
          input,
          leg,
          `Call the final URL directly; OPTIONS must answer 2xx without redirecting.`,
          [{ on: 'preflight', name: 'Location', value: null }],
          { avoidRedirect: { from: url, to } },
        ),
      );
    }
    case 'invalid-allow-methods':
    case 'invalid-allow-headers': {
      const name =
        kind === 'invalid-allow-methods' ? 'Access-Control-Allow-Methods' : 'Access-Control-Allow-Headers';
      const value = getHeader(leg.preflight?.response?.headers, name);
      return out(
        `${name} cannot be parsed`,
        [
          `${preflightWhy} Its ${name} is ${q(value)}: every element of the comma-separated list must be a ${kind === 'invalid-allow-methods' ? 'method' : 'header'} name (no spaces inside, no semicolons, quotes or slashes). One bad element makes Chrome discard the whole answer.`,
        ],
        makeFix(input, leg, `Send ${name} as a plain comma-separated list.`, [
          {
            on: 'preflight',
            name,
            value: kind === 'invalid-allow-methods' ? planMethods(input, leg) : planHeaders(input, leg),
          },
        ]),
      );
    }
    case 'method-not-allowed':
    case 'method-not-allowed.case':
    case 'method-not-allowed.wildcard-with-credentials': {
      const acam = getHeader(leg.preflight?.response?.headers, 'access-control-allow-methods');
      const text = [
        `${preflightWhy} Its Access-Control-Allow-Methods is ${q(acam)}, which does not include ${p}.`,
      ];
      if (kind === 'method-not-allowed.case')
        text.push(
          `Methods compare case-sensitively. fetch() upper-cases only DELETE, GET, HEAD, OPTIONS, POST and PUT, so \`${p}\` was sent as written. Send \`${p.toUpperCase()}\` from your code (the usual fix), or list \`${p}\` exactly.`,
        );
      if (kind === 'method-not-allowed.wildcard-with-credentials')
        text.push(
          '`*` means "any method" only for requests without credentials; this one carries credentials, so the methods must be listed.',
        );
      return out(
        `Method ${p} not allowed by ${api}`,
        text,
        makeFix(
          input,
          leg,
          kind === 'method-not-allowed.case'
            ? `Send ${p.toUpperCase()} (upper case) from the page, or allow ${p} exactly.`
            : `Add ${p} to Access-Control-Allow-Methods.`,
          [{ on: 'preflight', name: 'Access-Control-Allow-Methods', value: planMethods(input, leg) }],
        ),
      );
    }
    case 'header-not-allowed':
    case 'header-not-allowed.authorization-wildcard':
    case 'header-not-allowed.wildcard-with-credentials':
    case 'header-not-allowed.content-type':
    case 'header-not-allowed.oversized-safelisted': {
      const acah = getHeader(leg.preflight?.response?.headers, 'access-control-allow-headers');
      const text = [
        `${preflightWhy} The page sends the header \`${p}\`, and the answer's Access-Control-Allow-Headers (${q(acah)}) does not allow it.`,
      ];
      if (kind === 'header-not-allowed.content-type')
        text.push(
          'A JSON body (Content-Type: application/json) always needs permission: only form and text/plain content types are free.',
        );
      if (kind === 'header-not-allowed.wildcard-with-credentials')
        text.push(
          '`*` means "any header" only for requests without credentials; this one carries credentials, so the headers must be listed.',
        );
      if (kind === 'header-not-allowed.authorization-wildcard')
        text.push('`*` never covers Authorization: it must be listed by name.');
      if (kind === 'header-not-allowed.oversized-safelisted')
        text.push(
          `\`${p}\` is normally free, but its value is over 128 bytes (or the free headers total over 1024), which turns it into a header that needs permission.`,
        );
      return out(
        `Request header \`${p}\` not allowed by ${api}`,
        text,
        makeFix(input, leg, `Add ${p} to Access-Control-Allow-Headers on the OPTIONS response.`, [
          { on: 'preflight', name: 'Access-Control-Allow-Headers', value: planHeaders(input, leg) },
        ]),
      );
    }
    case 'redirect-contains-credentials': {
      const to = leg.redirectUrl ?? location ?? '';
      return out(
        'Redirect to a URL with a username and password',
        [
          `${url} redirected to ${redactUserinfo(to)}, which embeds user:password. A cross-origin request may not follow such a redirect.`,
          'Remove the credentials from the Location header; authenticate with a header or cookie instead.',
        ],
        makeFix(input, leg, 'Remove user:password from the redirect Location.', [
          { on: 'actual', name: 'Location', value: redactUserinfo(to).replace(/\/\/[^@/]*@/, '//') },
        ]),
      );
    }
    case 'disallowed-by-mode':
      return out('Request mode forbids cross-origin', [
        'The code used mode: "same-origin" and the request went to another origin. Use mode: "cors".',
      ]);
  }
  return out(info.label, [`${url}: ${info.label}.`]);
}

function acaoOfLast(ex: Exchange): string | null {
  const r = [...ex.legs].reverse().find((l) => l.response)?.response;
  return getHeader(r?.headers, 'access-control-allow-origin');
}

function planMethods(input: ExplainInput, leg: Leg): string {
  const m = planFor(input, leg, {}).methods;
  return (m.length ? m : ['GET', 'POST']).join(', ');
}

function planHeaders(input: ExplainInput, leg: Leg): string {
  return planFor(input, leg, {}).headers.join(', ');
}

const safeUrl = parseUrl;

function validOrigin(s: string): boolean {
  const u = safeUrl(s);
  return !!u && (u.protocol === 'http:' || u.protocol === 'https:') && u.origin === s.replace(/\/$/, '');
}

function redactUserinfo(url: string): string {
  return url.replace(/\/\/([^:@/]*):([^@/]*)@/, '//$1:***@');
}
