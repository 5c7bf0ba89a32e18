/**
 * Explanations of the CORS rule failures (docs/cors-failures.md §3A–3D): which rule failed on which
 * response, the values that failed it, and the fix.
 */
import type { Kind } from '../catalogue';
import { getHeader } from '../headers';
import { originOf, parseUrl } from '../origin';
import { q, type Explainer } from './context';
import { missingAllowOrigin } from './missing-origin';
import { allowOriginChanges, makeFix, pathOf, planFor, planHeaders, planMethods } from './plan';

/** Why an allowed origin that looks right is not the page's, in words (or nothing). */
function mismatchWords(value: string, sentOrigin: string): string {
  const tips: string[] = [];
  if (value.replace(/\/+$/, '') === sentOrigin)
    tips.push('it differs only by a trailing slash: an origin never has a path');
  else if (value.toLowerCase() === sentOrigin)
    tips.push('it differs only in letter case; origins compare byte for byte');
  else {
    const a = parseUrl(value);
    const b = parseUrl(sentOrigin);
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
}

function validOrigin(s: string): boolean {
  const u = parseUrl(s);
  return !!u && (u.protocol === 'http:' || u.protocol === 'https:') && u.origin === s.replace(/\/$/, '');
}

function redactUserinfo(url: string): string {
  return url.replace(/\/\/([^:@/]*):([^@/]*)@/, '//$1:***@');
}

const wildcardWithCredentials: Explainer = (c) => {
  const { input, leg, api, page, credWord, on, out, where, preNote, corsBase } = c;
  return out(
    `\`*\` with credentials: ${api} must name ${page}`,
    [
      `${preNote}${corsBase(where)} says Access-Control-Allow-Origin: *, but the request carries credentials${credWord}. \`*\` means "any site, without cookies": ${c.browser} never shares a credentialed response under \`*\`.`,
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
};

const originMismatch: Explainer = (c) => {
  const { input, leg, api, page, creds, p, sentOrigin, on, out, where, preNote, corsBaseLower } = c;
  return out(
    `${api} allows ${q(p)}, not ${page}`,
    [
      `${preNote}Your page is ${page}; ${corsBaseLower(where)} allowed ${q(p)}${mismatchWords(p, sentOrigin)}. The value must equal the page's origin byte for byte: scheme, host and port, no path, no trailing slash.`,
    ],
    makeFix(
      input,
      leg,
      `Answer Access-Control-Allow-Origin: ${page} (from an allowlist that also holds ${p}).`,
      allowOriginChanges(on, page, creds),
      { alsoAllow: validOrigin(p) ? [p] : [] },
    ),
  );
};

const taintedOrigin: Explainer = (c) => {
  const { input, ex, leg, url, page, creds, p, on, out, where, corsBase } = c;
  const first = ex.legs[0]?.url ?? '';
  return out(
    `Origin became \`null\` after a cross-origin redirect`,
    [
      `${first} redirected to ${url} on another origin. After a redirect between two origins other than the page's, ${c.browser} hides the page's origin and sends Origin: null. ${corsBase(where)} allowed ${q(p)}, which can never equal \`null\`.`,
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
};

const multipleOrigins: Explainer = (c) => {
  const { input, leg, page, creds, p, onPf, on, out, where, preNote, corsBase } = c;
  const lines =
    (onPf ? leg.preflight?.response?.headers : leg.response?.headers)?.filter(
      (h) => h.name.toLowerCase() === 'access-control-allow-origin',
    ).length ?? 0;
  return out(
    `Access-Control-Allow-Origin holds several values`,
    [
      `${preNote}${corsBase(where)} sent Access-Control-Allow-Origin ${q(p)}${lines > 1 ? ` as ${lines} separate header lines (often a proxy and the application both add it)` : ''}. The header may hold exactly one origin; ${c.browser} joins repeated lines with ", " and refuses the result.`,
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
};

const invalidOrigin: Explainer = (c) => {
  const { input, leg, page, creds, p, on, out, where, preNote, corsBase } = c;
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
};

const invalidCredentials: Explainer = (c) => {
  const { input, leg, api, page, credWord, onPf, acac, on, out, where, preNote, corsBaseLower } = c;
  return out(
    `Credentials not allowed by ${api}`,
    [
      `${preNote}The request carries credentials${credWord} and ${corsBaseLower(where)} allows ${page}, but Access-Control-Allow-Credentials is ${acac === null ? 'missing' : q(acac)}. It must be exactly \`true\` (lower case) for ${c.browser} to share a response to a request with cookies.`,
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
};

const unparsableList: Explainer = (c) => {
  const { input, kind, leg, preflightWhy, out } = c;
  const name =
    kind === 'invalid-allow-methods' ? 'Access-Control-Allow-Methods' : 'Access-Control-Allow-Headers';
  const value = getHeader(leg.preflight?.response?.headers, name);
  // The plan the fix carries is also the one the header change quotes: built once.
  const plan = planFor(input, leg, {});
  return out(
    `${name} cannot be parsed`,
    [
      `${preflightWhy} Its ${name} is ${q(value)}: every element of the comma-separated list must be a ${kind === 'invalid-allow-methods' ? 'method' : 'header'} name (no spaces inside, no semicolons, quotes or slashes). One bad element makes ${c.browser} discard the whole answer.`,
    ],
    makeFix(
      input,
      leg,
      `Send ${name} as a plain comma-separated list.`,
      [
        {
          on: 'preflight',
          name,
          value: kind === 'invalid-allow-methods' ? planMethods(plan) : planHeaders(plan),
        },
      ],
      {},
      plan,
    ),
  );
};

const methodNotAllowed: Explainer = (c) => {
  const { input, kind, leg, api, p, preflightWhy, out } = c;
  const acam = getHeader(leg.preflight?.response?.headers, 'access-control-allow-methods');
  const plan = planFor(input, leg, {});
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
      [{ on: 'preflight', name: 'Access-Control-Allow-Methods', value: planMethods(plan) }],
      {},
      plan,
    ),
  );
};

const headerNotAllowed: Explainer = (c) => {
  const { input, kind, leg, api, p, preflightWhy, out } = c;
  const acah = getHeader(leg.preflight?.response?.headers, 'access-control-allow-headers');
  const plan = planFor(input, leg, {});
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
  // https://fetch.spec.whatwg.org/#cors-safelisted-request-header: the value, never visible here (the
  // request was not sent), decides; say which of the spec's conditions can apply to this name.
  if (kind === 'header-not-allowed.oversized-safelisted')
    text.push(
      p === 'range'
        ? '`range` needs no permission only as one simple byte range (`bytes=0-` or `bytes=0-99`); this value was not one (for example a suffix range such as `bytes=-5`, or several ranges), which turns it into a header that needs permission.'
        : `\`${p}\` is normally free, but this value was not: it is over 128 bytes, has a byte the safelist refuses, or the free headers total over 1024 bytes. That turns it into a header that needs permission.`,
    );
  return out(
    `Request header \`${p}\` not allowed by ${api}`,
    text,
    makeFix(
      input,
      leg,
      `Add ${p} to Access-Control-Allow-Headers on the OPTIONS response.`,
      [{ on: 'preflight', name: 'Access-Control-Allow-Headers', value: planHeaders(plan) }],
      {},
      plan,
    ),
  );
};

export const CORS_RULES = {
  'missing-allow-origin': missingAllowOrigin,
  'preflight-missing-allow-origin': missingAllowOrigin,
  'missing-allow-origin.error-status': missingAllowOrigin,
  'missing-allow-origin.redirect-hop': missingAllowOrigin,
  'missing-allow-origin.cached-variant': missingAllowOrigin,
  'wildcard-origin-with-credentials': wildcardWithCredentials,
  'preflight-wildcard-origin-with-credentials': wildcardWithCredentials,
  'allow-origin-mismatch': originMismatch,
  'preflight-allow-origin-mismatch': originMismatch,
  'allow-origin-mismatch.null-origin': (c) => {
    const { input, leg, api, page, creds, p, on, out } = c;
    return out(
      `Your page has a \`null\` origin; ${api} allowed ${q(p)}`,
      [
        `The request came from an opaque origin (a sandboxed iframe, a file: or data: page), so ${c.browser} sent Origin: null and compared it with ${q(p)}.`,
        'Serve the page from http(s) without sandboxing. Do not "fix" this by allowing `null`: any site can create a page whose origin is null.',
      ],
      makeFix(
        input,
        leg,
        'Load the page from a real http(s) origin, then allow that origin.',
        allowOriginChanges(on, page, creds),
      ),
    );
  },
  'redirect-tainted-origin': taintedOrigin,
  'preflight-redirect-tainted-origin': taintedOrigin,
  'multiple-allow-origin-values': multipleOrigins,
  'preflight-multiple-allow-origin-values': multipleOrigins,
  'invalid-allow-origin-value': invalidOrigin,
  'preflight-invalid-allow-origin-value': invalidOrigin,
  'invalid-allow-credentials': invalidCredentials,
  'preflight-invalid-allow-credentials': invalidCredentials,
  'preflight-invalid-status': (c) => {
    const { input, leg, url, status, preflightWhy, out } = c;
    return out(
      `Preflight answered ${status}: it must be 2xx`,
      [
        `${preflightWhy} The answer carried CORS headers but had status ${status}. ${c.browser} requires an ok status (200–299) on the preflight.`,
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
  },
  'preflight-disallowed-redirect': (c) => {
    const { input, leg, url, status, preflightWhy, out } = c;
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
  },
  'invalid-allow-methods': unparsableList,
  'invalid-allow-headers': unparsableList,
  'method-not-allowed': methodNotAllowed,
  'method-not-allowed.case': methodNotAllowed,
  'method-not-allowed.wildcard-with-credentials': methodNotAllowed,
  'header-not-allowed': headerNotAllowed,
  'header-not-allowed.authorization-wildcard': headerNotAllowed,
  'header-not-allowed.wildcard-with-credentials': headerNotAllowed,
  'header-not-allowed.content-type': headerNotAllowed,
  'header-not-allowed.oversized-safelisted': headerNotAllowed,
  'redirect-contains-credentials': (c) => {
    const { input, leg, url, location, out } = c;
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
  },
  'redirect-to-non-http-scheme.cors-disabled': (c) => {
    const { input, leg, url, location, out } = c;
    const to = leg.redirectUrl ?? location ?? 'a URL';
    return out(
      'Redirect to a scheme CORS does not support',
      [
        `${url} redirected to ${to}, whose scheme is not http or https. A cross-origin request can only follow redirects to http(s) URLs: Chrome followed the redirect, then its CORS check refused the new URL's scheme, so the page got a network error.`,
        'Answer the call itself (for example with the target URL in the body) and let the page navigate there, or redirect to an https URL.',
      ],
      makeFix(input, leg, 'Do not redirect a cross-origin call to a non-http(s) URL; answer it instead.', [
        { on: 'actual', name: 'Location', value: null },
      ]),
    );
  },
  'disallowed-by-mode': (c) => {
    const { out } = c;
    return out('Request mode forbids cross-origin', [
      'The code used mode: "same-origin" and the request went to another origin. Use mode: "cors".',
    ]);
  },
} satisfies Partial<Record<Kind, Explainer>>;
