/**
 * Verdict tables: per kind, rows that trigger it and near misses that do not. Each row cites the
 * Fetch standard step or Chrome behaviour it pins (F = fetch.spec.whatwg.org, C = Chromium source,
 * O156 = observed in Chromium 156, see docs/cors-failures.md). The exchanges are written as the
 * network panel shows them (test/engine/build.ts): `call(res(url, status, headers))`, an `unsent`
 * call stopped at its `options` (preflight) row, `redirect` rows, and FAILED = net::ERR_FAILED.
 */
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../src/engine';
import {
  ALLOWED,
  API,
  FAILED,
  OTHER,
  PAGE,
  acao,
  call,
  callWith,
  cors,
  exchange,
  options,
  redirect,
  res,
  unsent,
  type ExchangeSpec,
} from './build';

interface Want {
  kind: string;
  outcome: string;
  chromeError?: string;
  failedParameter?: string;
  confidence?: 'certain' | 'inferred';
}
interface Row extends Want {
  name: string;
  cite: string;
  spec: ExchangeSpec;
}

const row = (name: string, cite: string, spec: ExchangeSpec, want: Want): Row => ({
  name,
  cite,
  spec,
  ...want,
});
const blocked = (
  kind: string,
  chromeError?: string,
  more: Pick<Want, 'failedParameter' | 'confidence'> = {},
): Want => ({ kind, outcome: 'blocked', ...(chromeError ? { chromeError } : {}), ...more });
const ALLOWS: Want = { kind: 'allowed', outcome: 'allowed' };
const fails = (kind: string): Want => ({ kind, outcome: 'failed' });
const notCors = (kind: string): Want => ({ kind, outcome: 'not-cors' });

const ok = ALLOWED;
/** The OPTIONS answer that lets a PUT with content-type and authorization through. */
const preflightOk = () =>
  options(cors({ origin: PAGE, methods: 'PUT', headers: 'content-type, authorization' }), { status: 204 });
/** A PUT stopped at its preflight, which answered `c`. */
const putStopped = (path: string, c: Parameters<typeof cors>[0], more = {}) =>
  callWith('PUT', unsent(`${API}${path}`, options(cors(c), more)));
const ACAO_PAGE_PUT = { origin: PAGE, methods: 'PUT' };

const actualRows: Row[] = [
  // §3A missing-allow-origin
  row(
    'GET without ACAO',
    'F CORS check step 2; C CheckAccess',
    call(res(`${API}/a`, 200)),
    blocked('missing-allow-origin', 'MissingAllowOriginHeader', { failedParameter: '' }),
  ),
  row(
    'near miss: GET with ACAO = origin',
    'F CORS check step 4',
    call(res(`${API}/a`, 200, ok), 'completed'),
    ALLOWS,
  ),
  row(
    '502 without ACAO: the server failed first',
    'F HTTP responses (any status); C CorsURLLoader checks every final response',
    call(res(`${API}/a`, 502)),
    blocked('missing-allow-origin.error-status', 'MissingAllowOriginHeader', { failedParameter: '' }),
  ),
  row(
    'cached copy without ACAO',
    'F CORS protocol and HTTP caches',
    call(res(`${API}/a`, 200, undefined, { fromCache: true })),
    blocked('missing-allow-origin.cached-variant', 'MissingAllowOriginHeader'),
  ),
  // wildcard
  row(
    'ACAO * and the call failed: credentials inferred',
    'F CORS check step 3; O156 case c',
    call(res(`${API}/c`, 200, acao('*'))),
    blocked('wildcard-origin-with-credentials', 'WildcardOriginNotAllowed', {
      failedParameter: '',
      confidence: 'inferred',
    }),
  ),
  row(
    'ACAO * with a Cookie header: certain',
    'F CORS check step 3; a Cookie proves credentials',
    call(res(`${API}/c`, 200, acao('*'), { sent: { Origin: PAGE, Cookie: 'sid=1' } })),
    blocked('wildcard-origin-with-credentials', 'WildcardOriginNotAllowed', { confidence: 'certain' }),
  ),
  row(
    'near miss: ACAO * without credentials',
    'F CORS check step 3',
    call(res(`${API}/b`, 200, acao('*')), 'completed'),
    ALLOWS,
  ),
  // mismatch
  row(
    'ACAO is a hard-coded dev origin',
    'F CORS check step 4; C AllowOriginMismatch',
    call(res(`${API}/f`, 200, acao('http://localhost:3000'))),
    blocked('allow-origin-mismatch', 'AllowOriginMismatch', { failedParameter: 'http://localhost:3000' }),
  ),
  row(
    'ACAO with a trailing slash',
    'F credentials table (trailing-slash row)',
    call(res(`${API}/f`, 200, acao(`${PAGE}/`))),
    blocked('allow-origin-mismatch', 'AllowOriginMismatch', { failedParameter: `${PAGE}/` }),
  ),
  row(
    'ACAO null for a real origin',
    'C CheckAccess: "null" is a mismatch, not invalid',
    call(res(`${API}/f`, 200, acao('null'))),
    blocked('allow-origin-mismatch', 'AllowOriginMismatch', { failedParameter: 'null' }),
  ),
  row(
    'ACAO upper-case host',
    'F byte-serialized origin compare',
    call(res(`${API}/f`, 200, acao('https://APP.example.com'))),
    blocked('allow-origin-mismatch', 'AllowOriginMismatch'),
  ),
  // multiple
  row(
    'two ACAO header lines',
    'F header list get joins with ", "; C MultipleAllowOriginValues',
    call(res(`${API}/j`, 200, acao([PAGE, 'http://other.example']))),
    blocked('multiple-allow-origin-values', 'MultipleAllowOriginValues', {
      failedParameter: `${PAGE}, http://other.example`,
    }),
  ),
  row(
    'ACAO space-separated list',
    'C: a space also means multiple',
    call(res(`${API}/j`, 200, acao(`${PAGE} ${OTHER}`))),
    blocked('multiple-allow-origin-values', 'MultipleAllowOriginValues'),
  ),
  // invalid
  row(
    'ACAO without scheme',
    'C CheckAccess GURL validity',
    call(res(`${API}/x`, 200, acao('app.example.com'))),
    blocked('invalid-allow-origin-value', 'InvalidAllowOriginValue', { failedParameter: 'app.example.com' }),
  ),
  row(
    'ACAO pattern *.example.com',
    'C CheckAccess GURL validity',
    call(res(`${API}/x`, 200, acao('*.example.com'))),
    blocked('invalid-allow-origin-value', 'InvalidAllowOriginValue'),
  ),
  // credentials
  row(
    'origin allowed, no ACAC, failed: credentials inferred',
    'F CORS check steps 5–8; O156 case g',
    call(res(`${API}/g`, 200, ok)),
    blocked('invalid-allow-credentials', 'InvalidAllowCredentials', {
      failedParameter: '',
      confidence: 'inferred',
    }),
  ),
  row(
    'ACAC True (capital T) with cookies',
    'F CORS check step 7 (byte-case-sensitive `true`)',
    call(
      res(
        `${API}/g`,
        200,
        { ...ok, 'Access-Control-Allow-Credentials': 'True' },
        { sent: { Origin: PAGE, Cookie: 'a=b' } },
      ),
    ),
    blocked('invalid-allow-credentials', 'InvalidAllowCredentials', {
      failedParameter: 'True',
      confidence: 'certain',
    }),
  ),
  row(
    'near miss: ACAC true with cookies',
    'F CORS check step 7',
    call(
      res(
        `${API}/g`,
        200,
        { ...ok, 'Access-Control-Allow-Credentials': 'true' },
        { sent: { Origin: PAGE, Cookie: 'a=b' } },
      ),
      'completed',
    ),
    ALLOWS,
  ),
];

const preflightRows: Row[] = [
  row(
    'OPTIONS 404 without CORS headers',
    'C PreflightController: ACAO before status; O156 case d2',
    callWith('PUT', unsent(`${API}/d2`, options(undefined, { status: 404 }))),
    blocked('preflight-missing-allow-origin', 'PreflightMissingAllowOriginHeader', { failedParameter: '' }),
  ),
  row(
    'OPTIONS 401 without CORS headers (auth before CORS)',
    'C ACAO before status; F preflight carries no credentials',
    callWith('DELETE', unsent(`${API}/u`, options(undefined, { status: 401 }))),
    blocked('preflight-missing-allow-origin', 'PreflightMissingAllowOriginHeader'),
  ),
  row(
    'OPTIONS 404 with ACAO',
    'F CORS-preflight fetch step 7 (ok status); O156 case d',
    callWith('PUT', unsent(`${API}/d`, options(acao(PAGE), { status: 404 }))),
    blocked('preflight-invalid-status', 'PreflightInvalidStatus', { failedParameter: '' }),
  ),
  row(
    'OPTIONS 307 redirect',
    'F preflight redirect mode "error"; C HandleRedirect; O156 case h',
    callWith('PUT', unsent(`${API}/h`, options({ Location: `${API}/h/`, ...acao(PAGE) }, { status: 307 }))),
    blocked('preflight-disallowed-redirect', 'PreflightDisallowedRedirect', { failedParameter: '' }),
  ),
  row(
    'preflight ACAO * and the call failed: credentials inferred',
    'C preflight check uses the actual request credentials mode',
    putStopped('/p', { origin: '*', methods: 'PUT' }),
    blocked('preflight-wildcard-origin-with-credentials', 'PreflightWildcardOriginNotAllowed', {
      confidence: 'inferred',
    }),
  ),
  row(
    'preflight ACAO mismatch',
    'F CORS check step 4 on the preflight',
    putStopped('/p', { origin: 'http://localhost:3000', methods: 'PUT' }),
    blocked('preflight-allow-origin-mismatch', 'PreflightAllowOriginMismatch', {
      failedParameter: 'http://localhost:3000',
    }),
  ),
  row(
    'preflight ACAO twice',
    'C MultipleAllowOriginValues on preflight',
    putStopped('/p', { origin: [PAGE, PAGE], methods: 'PUT' }),
    blocked('preflight-multiple-allow-origin-values', 'PreflightMultipleAllowOriginValues', {
      failedParameter: `${PAGE}, ${PAGE}`,
    }),
  ),
  row(
    'preflight ACAO invalid',
    'C InvalidAllowOriginValue on preflight',
    putStopped('/p', { origin: 'https://', methods: 'PUT' }),
    blocked('preflight-invalid-allow-origin-value', 'PreflightInvalidAllowOriginValue', {
      failedParameter: 'https://',
    }),
  ),
  row(
    'preflight without ACAC, failed: credentials inferred',
    'F CORS check steps 5–8 on the preflight',
    putStopped('/p', ACAO_PAGE_PUT),
    blocked('preflight-invalid-allow-credentials', 'PreflightInvalidAllowCredentials', {
      failedParameter: '',
      confidence: 'inferred',
    }),
  ),
  row(
    'ACAM "GET;POST" cannot be parsed',
    'F extract header list values (#method); C PreflightResult::Parse',
    putStopped('/p', { origin: PAGE, methods: 'GET;POST' }),
    blocked('invalid-allow-methods', 'InvalidAllowMethodsPreflightResponse', { failedParameter: '' }),
  ),
  row(
    'ACAM "GET POST" cannot be parsed',
    'C: each element must be a token',
    putStopped('/p', { origin: PAGE, methods: 'GET POST' }),
    blocked('invalid-allow-methods', 'InvalidAllowMethodsPreflightResponse'),
  ),
  row(
    'near miss: ACAM with empty elements parses',
    'C skips empty elements',
    callWith(
      'PUT',
      res(`${API}/p`, 200, ok, { preflight: options(cors({ origin: PAGE, methods: 'GET,, PUT,' })) }),
      'completed',
    ),
    ALLOWS,
  ),
  row(
    'ACAH with a quoted name',
    'F #field-name; C Parse',
    putStopped('/p', { origin: PAGE, methods: 'PUT', headers: '"x-a"' }, { acrh: 'x-a' }),
    blocked('invalid-allow-headers', 'InvalidAllowHeadersPreflightResponse'),
  ),
  row(
    'PUT missing from ACAM',
    'F CORS-preflight fetch step 7.5; O156 case l',
    putStopped('/l', { origin: PAGE, methods: 'GET, POST' }),
    blocked('method-not-allowed', 'MethodDisallowedByPreflightResponse', { failedParameter: 'PUT' }),
  ),
  row(
    'patch is not PATCH',
    'F method normalize (only 6 methods upper-cased); C AccessControlAllowMethodsInCORSPreflightSpecConformant',
    callWith(
      'patch',
      unsent(`${API}/m`, options(cors({ origin: PAGE, methods: 'GET, PATCH' }), { acrm: 'patch' })),
    ),
    blocked('method-not-allowed.case', 'MethodDisallowedByPreflightResponse', { failedParameter: 'patch' }),
  ),
  row(
    'near miss: PATCH is PATCH',
    'F step 7.5',
    callWith(
      'PATCH',
      res(`${API}/m`, 200, ok, { preflight: options(cors({ origin: PAGE, methods: 'PATCH' })) }),
      'completed',
    ),
    ALLOWS,
  ),
  row(
    'near miss: delete is normalized to DELETE',
    'F method normalize',
    callWith(
      'delete',
      res(`${API}/m`, 200, ok, {
        preflight: options(cors({ origin: PAGE, methods: 'DELETE' }), { acrm: 'DELETE' }),
      }),
      'completed',
    ),
    ALLOWS,
  ),
  row(
    'ACAM * ignored with credentials',
    'F note on `*` in new-header syntax; C EnsureAllowedCrossOriginMethod',
    putStopped('/w', { origin: PAGE, credentials: 'true', methods: '*' }),
    blocked('method-not-allowed.wildcard-with-credentials', 'MethodDisallowedByPreflightResponse', {
      failedParameter: 'PUT',
      confidence: 'inferred',
    }),
  ),
  row(
    'near miss: ACAM * without credentials',
    'F step 7.5',
    callWith(
      'PUT',
      res(`${API}/w`, 200, ok, { preflight: options(cors({ origin: PAGE, methods: '*' })) }),
      'completed',
    ),
    ALLOWS,
  ),
  row(
    'authorization missing from ACAH',
    'F step 7.7; O156 case e',
    putStopped(
      '/e',
      { origin: PAGE, methods: 'PUT', headers: 'content-type' },
      { acrh: 'authorization,content-type' },
    ),
    blocked('header-not-allowed', 'HeaderDisallowedByPreflightResponse', {
      failedParameter: 'authorization',
    }),
  ),
  row(
    'first missing header in sorted order is reported',
    'C CorsUnsafeNotForbiddenRequestHeaderNames is sorted',
    putStopped('/e', ACAO_PAGE_PUT, { acrh: 'x-b,x-a' }),
    blocked('header-not-allowed', 'HeaderDisallowedByPreflightResponse', { failedParameter: 'x-a' }),
  ),
  row(
    'JSON Content-Type not allowed',
    'F CORS-safelisted request-header (content-type essences)',
    callWith('POST', unsent(`${API}/j`, options(acao(PAGE), { acrm: 'POST', acrh: 'content-type' }))),
    blocked('header-not-allowed.content-type', 'HeaderDisallowedByPreflightResponse', {
      failedParameter: 'content-type',
    }),
  ),
  row(
    'accept-language over 128 bytes needs permission',
    'F CORS-safelisted request-header step 1',
    callWith('GET', unsent(`${API}/o`, options(acao(PAGE), { acrm: 'GET', acrh: 'accept-language' }))),
    blocked('header-not-allowed.oversized-safelisted', 'HeaderDisallowedByPreflightResponse', {
      failedParameter: 'accept-language',
    }),
  ),
  row(
    'ACAH * with credentials covers nothing',
    'F note on `*`; C EnsureAllowedCrossOriginHeaders',
    putStopped(
      '/w',
      { origin: PAGE, credentials: 'true', methods: 'PUT', headers: '*' },
      { acrh: 'x-token' },
    ),
    blocked('header-not-allowed.wildcard-with-credentials', 'HeaderDisallowedByPreflightResponse', {
      failedParameter: 'x-token',
      confidence: 'inferred',
    }),
  ),
  row(
    'ACAH * lets Authorization through in Chrome 156 (deprecation)',
    'O156: CorsNonWildcardRequestHeadersSupport off by default',
    callWith(
      'PUT',
      res(`${API}/w`, 200, ok, {
        preflight: options(cors({ origin: PAGE, methods: 'PUT', headers: '*' }), { acrh: 'authorization' }),
      }),
      'completed',
    ),
    ALLOWS,
  ),
  row(
    'preflight refused (network error)',
    'C ConvertPreflightResult: the actual fails with the preflight net error',
    callWith(
      'PUT',
      unsent(`${API}/n`, options(undefined, { error: 'net::ERR_CONNECTION_REFUSED' })),
      'net::ERR_CONNECTION_REFUSED',
    ),
    fails('preflight-network-error'),
  ),
  row(
    'preflight ok, actual lacks ACAO',
    'F HTTP fetch step 4.5; O156 case m',
    callWith('PUT', res(`${API}/m`, 200, undefined, { preflight: preflightOk() })),
    blocked('missing-allow-origin', 'MissingAllowOriginHeader'),
  ),
  row(
    'near miss: preflighted PUT allowed',
    'O156 case k',
    callWith(
      'PUT',
      res(`${API}/k`, 200, ok, { preflight: { ...preflightOk(), acrh: 'authorization,content-type' } }),
      'completed',
    ),
    ALLOWS,
  ),
];

const REDIR = `${OTHER}/target`;
const fromNull = { sent: { Origin: 'null' } };
const redirectRows: Row[] = [
  row(
    'redirect to ftp: (no handler in the network layer): the CORS check refuses the scheme',
    'F http-redirect-fetch step 6; O156 redirect to ftp:, javascript:, myapp: (CDP CorsDisabledScheme)',
    call(redirect(`${API}/to-ftp`, 302, 'ftp://files.example.com/a', acao('*'))),
    blocked('redirect-to-non-http-scheme.cors-disabled', 'CorsDisabledScheme'),
  ),
  row(
    'near miss: redirect to data: is refused by the network layer, not CORS',
    'F http-redirect-fetch step 6; O156 redirect to data:, file:, blob:, about: (net::ERR_UNSAFE_REDIRECT)',
    call(redirect(`${API}/to-data`, 302, 'data:text/plain,hi', acao('*'))),
    fails('redirect-to-non-http-scheme'),
  ),
  row(
    '302 without ACAO',
    'C OnReceiveRedirect CORS check; O156 case i1',
    call(redirect(`${API}/i1`, 302, REDIR)),
    blocked('missing-allow-origin.redirect-hop', 'MissingAllowOriginHeader'),
  ),
  row(
    'cross-origin redirect taints the origin',
    'F redirect-taint; O156 case i2',
    call([redirect(`${API}/i2`, 302, REDIR, acao(PAGE)), res(REDIR, 200, ok, fromNull)]),
    blocked('redirect-tainted-origin', 'AllowOriginMismatch', { failedParameter: PAGE }),
  ),
  row(
    'near miss: redirect target answers *',
    'O156 case i3',
    call([redirect(`${API}/i3`, 302, REDIR, acao('*')), res(REDIR, 200, acao('*'), fromNull)], 'completed'),
    ALLOWS,
  ),
  row(
    'A→B→A is tainted too (computed without the Origin header)',
    'F redirect-taint: request origin ≠ previous URL origin',
    call([redirect(`${API}/x`, 302, `${PAGE}/back`, acao(PAGE)), res(`${PAGE}/back`, 200, ok, { sent: {} })]),
    blocked('redirect-tainted-origin', 'AllowOriginMismatch', { failedParameter: PAGE }),
  ),
  row(
    'redirect Location with user:password',
    'F HTTP-redirect fetch steps 9–10; C CheckRedirectLocation',
    call(redirect(`${API}/r`, 302, `https://user:pw@${OTHER.slice(8)}/t`, acao(PAGE))),
    blocked('redirect-contains-credentials', 'RedirectContainsCredentials'),
  ),
  row(
    'preflighted PUT, 307 cross-origin, second preflight (Origin null)',
    'O156 case o',
    callWith(
      'PUT',
      [
        res(`${API}/o`, 307, { Location: REDIR, ...ok }, { preflight: preflightOk() }),
        res(REDIR, 200, acao('*'), {
          ...fromNull,
          preflight: options(cors({ origin: '*', methods: 'PUT', headers: 'content-type' }), {
            origin: 'null',
            acrh: 'content-type',
          }),
        }),
      ],
      'completed',
    ),
    ALLOWS,
  ),
];

const LNA = 'net::ERR_BLOCKED_BY_LOCAL_NETWORK_ACCESS_CHECKS';
const noCorsFetch = { sent: { Accept: '*/*' } };
const otherRows: Row[] = [
  row(
    'connection refused',
    'C net errors carry no CORS status; O156 case n',
    call({ url: `${API}/n` }, 'net::ERR_CONNECTION_REFUSED'),
    fails('network-failure-not-cors'),
  ),
  row(
    'blocked by a client',
    'C net::ERR_BLOCKED_BY_CLIENT',
    call(unsent(`${API}/n`), 'net::ERR_BLOCKED_BY_CLIENT'),
    fails('blocked-by-client'),
  ),
  row(
    'CORP same-origin on an image',
    'F CORP check; C ERR_BLOCKED_BY_RESPONSE',
    call(
      res(`${API}/i.png`, 200, { 'Cross-Origin-Resource-Policy': 'same-origin' }, { sent: {} }),
      'net::ERR_BLOCKED_BY_RESPONSE',
      {
        type: 'image',
      },
    ),
    fails('corp-not-same-origin'),
  ),
  row(
    'ORB',
    'ORB: no-cors data response',
    call(
      res(`${API}/d.json`, 200, { 'Content-Type': 'application/json' }, { sent: {} }),
      'net::ERR_BLOCKED_BY_ORB',
      {
        type: 'script',
      },
    ),
    fails('orb-blocked'),
  ),
  row(
    'Local Network Access from an http page',
    'O156: ERR_BLOCKED_BY_LOCAL_NETWORK_ACCESS_CHECKS',
    call(unsent('http://192.168.1.2/x'), LNA, { initiator: 'http://public.example' }),
    blocked('lna-insecure-initiator', 'InsecureLocalNetwork'),
  ),
  row(
    'Local Network Access from an http page on localhost: a secure context, so the permission',
    'Secure Contexts §3.1 (loopback hosts are potentially trustworthy); O156 LNA e2e',
    call(unsent('http://192.168.1.2/x'), LNA, { initiator: 'http://localhost:3000' }),
    blocked('lna-permission-denied', 'LocalNetworkAccessPermissionDenied'),
  ),
  row(
    'Local Network Access from an https page',
    'O156 LNA e2e',
    call(unsent('http://10.0.0.5/x'), LNA, { initiator: 'https://public.example' }),
    blocked('lna-permission-denied', 'LocalNetworkAccessPermissionDenied'),
  ),
  row(
    'Local Network Access error on the preflight wins over "preflight network error"',
    'O156: the preflight fails with ERR_BLOCKED_BY_LOCAL_NETWORK_ACCESS_CHECKS',
    callWith('PUT', unsent('http://10.0.0.5/x', options(undefined, { error: LNA })), LNA, {
      initiator: 'http://public.example',
    }),
    blocked('lna-insecure-initiator', 'InsecureLocalNetwork'),
  ),
  row(
    'targetAddressSpace mismatch between two loopback addresses: plain ERR_FAILED, nothing received',
    'O156 LNA e2e: CDP InvalidLocalNetworkAccess, webRequest net::ERR_FAILED',
    call({ url: 'http://127.0.0.1:9090/x', sent: { Origin: 'http://127.0.0.1:8080' } }, FAILED, {
      initiator: 'http://127.0.0.1:8080',
    }),
    blocked('lna-address-space-mismatch', 'InvalidLocalNetworkAccess', { confidence: 'inferred' }),
  ),
  row(
    'LNA on a preflighted call from a public insecure page: the preflight stopped with ERR_FAILED',
    'O156 LNA e2e: CDP InsecureLocalNetwork, webRequest net::ERR_FAILED on preflight and call',
    callWith('PUT', unsent('http://127.0.0.1:9090/x', options(undefined, { error: FAILED })), FAILED, {
      initiator: 'http://public.example',
    }),
    blocked('lna-insecure-initiator', 'InsecureLocalNetwork', { confidence: 'inferred' }),
  ),
  row(
    'no-cors fetch ORB blocks from the headers (JSON with nosniff): completed in webRequest',
    'ORB step 3.4; O156 ORB e2e',
    call(
      res(
        `${API}/d.json`,
        200,
        { 'Content-Type': 'application/json', 'X-Content-Type-Options': 'nosniff' },
        noCorsFetch,
      ),
      'completed',
    ),
    fails('orb-blocked'),
  ),
  row(
    'no-cors fetch whose ORB outcome depends on the body: opaque, with the ORB finding',
    'ORB steps 6–12 read the body',
    call(res(`${API}/d.json`, 200, { 'Content-Type': 'application/json' }, noCorsFetch), 'completed'),
    notCors('opaque-response'),
  ),
  row(
    'no-cors fetch (GET without Origin)',
    'F Origin header: no-cors GET gets none; §3H opaque',
    call(res(`${API}/x`, 200, undefined, noCorsFetch), 'completed'),
    notCors('opaque-response'),
  ),
  row(
    'image without crossorigin',
    'F no-cors',
    call(res(`${API}/x.png`, 200, undefined, { sent: {} }), 'completed', { type: 'image' }),
    notCors('no-cors-load'),
  ),
  row(
    'form-like POST with Origin, no CORS headers, completed',
    'F every non-GET carries Origin; completed ⇒ no-cors',
    callWith('POST', res(`${API}/x`, 200), 'completed'),
    notCors('opaque-response'),
  ),
  row('same-origin', 'F CORS flag unset', call(res(`${PAGE}/x`, 200), 'completed'), notCors('same-origin')),
  row(
    'navigation',
    'F mode navigate',
    call(res(`${API}/`, 200), 'completed', { type: 'main_frame' }),
    notCors('navigation'),
  ),
  row(
    'same-origin URL redirected away, failed before sending: mode "same-origin"',
    'F main fetch (same-origin mode); C CorsURLLoader DisallowedByMode',
    call([res(`${PAGE}/r`, 302, { Location: `${API}/x` }, { sent: {} }), unsent(`${API}/x`)]),
    blocked('disallowed-by-mode', 'DisallowedByMode', { confidence: 'inferred' }),
  ),
  row(
    'ERR_FAILED with nothing wrong in the headers',
    'unobservable causes (LNA target space, same-origin mode)',
    call(unsent(`${API}/z`)),
    blocked('unexplained-failure'),
  ),
];

function check(row: Row) {
  const v = evaluate(exchange(row.spec));
  expect(v.kind, row.cite).toBe(row.kind);
  expect(v.outcome).toBe(row.outcome);
  if (row.chromeError !== undefined) expect(v.chromeError).toBe(row.chromeError);
  if (row.outcome !== 'blocked') expect(v.chromeError).toBeUndefined();
  if (row.failedParameter !== undefined) expect(v.failedParameter).toBe(row.failedParameter);
  if (row.confidence) expect(v.confidence.level).toBe(row.confidence);
  expect(v.title.length).toBeGreaterThan(0);
  if (v.outcome === 'blocked' && v.kind !== 'unexplained-failure') {
    expect(v.explanation.length).toBeGreaterThan(0);
    expect(v.consoleMessage ?? '').toContain('blocked by CORS policy');
    // Local Network Access and the request mode are fixed in the browser or the page, not the server.
    if (!v.kind.startsWith('lna-') && v.kind !== 'disallowed-by-mode') {
      // A server-side fix with at least the Express `cors` and nginx recipes.
      expect(v.fix?.recipes.some((r) => r.stack === 'express')).toBe(true);
      expect(v.fix?.recipes.some((r) => r.stack === 'nginx')).toBe(true);
    }
    expect(v.facts.some((f) => f.decisive)).toBe(true);
  }
}

describe('§3A CORS check on the actual response', () => {
  it.each(actualRows.map((r) => [r.name, r] as const))('%s', (_n, row) => check(row));
});
describe('§3B preflight', () => {
  it.each(preflightRows.map((r) => [r.name, r] as const))('%s', (_n, row) => check(row));
});
describe('§3C redirects', () => {
  it.each(redirectRows.map((r) => [r.name, r] as const))('%s', (_n, row) => check(row));
});
describe('§3G and not-CORS outcomes', () => {
  it.each(otherRows.map((r) => [r.name, r] as const))('%s', (_n, row) => check(row));
});

describe('explanations name the concrete values', () => {
  it('a 502 says the server failed first and asks for CORS headers on errors', () => {
    const v = evaluate(exchange(call(res(`${API}/a`, 502))));
    expect(v.explanation[0]).toMatch(/server failed first/i);
    expect(v.explanation.join(' ')).toContain('502');
    expect(v.fix?.plan.errorResponses).toBe(true);
    expect(v.fix?.summary).toMatch(/error responses/);
  });
  it('a mismatch says what the page is and what the server allowed', () => {
    const v = evaluate(exchange(call(res(`${API}/f`, 200, acao('http://localhost:3000')))));
    expect(v.explanation.join(' ')).toContain(`Your page is ${PAGE}`);
    expect(v.explanation.join(' ')).toContain('http://localhost:3000');
    expect(v.consoleMessage).toBe(
      `Access to fetch at '${API}/f' from origin '${PAGE}' has been blocked by CORS policy: The 'Access-Control-Allow-Origin' header has a value 'http://localhost:3000' that is not equal to the supplied origin.`,
    );
  });
  it('a redirected failure quotes the initial URL like Chrome', () => {
    const v = evaluate(
      exchange(call([redirect(`${API}/i2`, 302, REDIR, acao(PAGE)), res(REDIR, 200, ok, fromNull)])),
    );
    expect(v.consoleMessage).toContain(`at '${REDIR}' (redirected from '${API}/i2')`);
  });
  it('an inferred credentials verdict says so and why', () => {
    const v = evaluate(exchange(call(res(`${API}/c`, 200, acao('*')))));
    expect(v.confidence).toMatchObject({ level: 'inferred' });
    expect(v.confidence.level === 'inferred' && v.confidence.reason).toMatch(/credentials/);
    expect(v.credentials).toBe('include');
  });
  it('the decisive fact is the header that failed, expected against received', () => {
    const v = evaluate(exchange(putStopped('/l', { origin: PAGE, methods: 'GET, POST' })));
    const d = v.facts.find((f) => f.decisive);
    expect(d).toMatchObject({
      step: 'preflight',
      name: 'access-control-allow-methods',
      received: 'GET, POST',
      ok: false,
    });
    expect(d?.expected).toContain('PUT');
  });
});

describe('ORB reasons on the verdict', () => {
  it('names the deciding header, or the body when Chrome reported the block and the headers did not decide', () => {
    const nosniff = evaluate(
      exchange(
        call(
          res(
            `${API}/d`,
            200,
            { 'Content-Type': 'text/html', 'X-Content-Type-Options': 'nosniff' },
            { sent: {} },
          ),
          'net::ERR_BLOCKED_BY_ORB',
          { type: 'image' },
        ),
      ),
    );
    expect(nosniff.facts.filter((f) => f.decisive).map((f) => f.name)).toEqual(['x-content-type-options']);
    const body = evaluate(
      exchange(
        call(
          res(`${API}/d`, 200, { 'Content-Type': 'application/json' }, { sent: {} }),
          'net::ERR_BLOCKED_BY_ORB',
          {
            type: 'script',
          },
        ),
      ),
    );
    expect(body.facts.filter((f) => f.decisive).map((f) => f.name)).toEqual(['body']);
  });

  it('says the body decides for a no-cors fetch it cannot settle, and which way the headers lean', () => {
    const v = evaluate(
      exchange(call(res(`${API}/d`, 200, { 'Content-Type': 'application/json' }, noCorsFetch), 'completed')),
    );
    const f = v.findings.find((x) => x.id === 'orb-decided-by-body');
    expect(f?.title).toContain('probably blocked');
    expect(v.facts.some((x) => x.decisive)).toBe(false);
  });

  it('leaves a no-cors fetch of an image alone (no ORB finding needed when the headers allow it)', () => {
    const v = evaluate(exchange(call(res(`${API}/d`, 200, {}, noCorsFetch), 'completed')));
    expect(v.kind).toBe('opaque-response');
    expect(v.findings.some((x) => x.id === 'orb-decided-by-body')).toBe(false);
  });
});

describe('Local Network Access and ORB explanations', () => {
  it('does not tell a secure loopback page to move to HTTPS', () => {
    const v = evaluate(
      exchange(call(unsent('http://192.168.1.2/x'), LNA, { initiator: 'http://localhost:3000' })),
    );
    const text = v.explanation.join(' ');
    expect(text).toContain('counts as secure even over http');
    expect(text).not.toContain('serve the page over HTTPS');
    expect(v.consoleMessage).toContain('Permission was denied');
  });

  it("points a targetAddressSpace mismatch at the option, with the server's space", () => {
    const v = evaluate(
      exchange(
        call({ url: 'http://127.0.0.1:9090/x', sent: { Origin: 'http://127.0.0.1:8080' } }, FAILED, {
          initiator: 'http://127.0.0.1:8080',
        }),
      ),
    );
    expect(v.explanation.join(' ')).toContain('targetAddressSpace');
    expect(v.explanation.join(' ')).toContain('loopback');
    expect(v.consoleMessage).toContain('yet the resource is in address space `loopback`');
  });

  it('says "failed, not CORS: blocked by ORB" with the reason', () => {
    const v = evaluate(
      exchange(
        call(
          res(`${API}/d`, 200, { 'Content-Type': 'application/pdf' }, { sent: {} }),
          'net::ERR_BLOCKED_BY_ORB',
          {
            type: 'image',
          },
        ),
      ),
    );
    expect(v.title).toBe('Failed, not CORS: blocked by ORB');
    expect(v.explanation.join(' ')).toContain('`application/pdf` is a data type ORB never hands');
  });
});

describe('credentials in the fix when the credentials mode was not observable', () => {
  const missingAcao = (
    headers: Record<string, string> = {},
    sent: Record<string, string> = { Origin: PAGE },
  ) => evaluate(exchange(call(res(`${API}/me`, 200, headers, { sent }))));

  it('enables them (with the exact origin) when the server sets a cookie', () => {
    const v = missingAcao({ 'Set-Cookie': 'sid=1; Path=/; Secure; SameSite=None' });
    expect(v.credentials).toBe('unknown');
    expect(v.fix?.plan.credentials).toBe(true);
    expect(v.fix?.plan.credentialsOptional).toBeUndefined();
    expect(v.fix?.headers.map((h) => `${h.name}: ${h.value}`)).toContain(
      'Access-Control-Allow-Credentials: true',
    );
    expect(v.fix?.recipes.find((r) => r.stack === 'express')?.code).toMatch(/^\s+credentials: true,$/m);
  });

  it('does not take a script-set Authorization (the preflight asked for it) for credentials: an option', () => {
    const v = evaluate(
      exchange(callWith('PUT', unsent(`${API}/me`, options({}, { acrh: 'authorization', status: 204 })))),
    );
    expect(v.fix?.plan.credentials).toBe(false);
    expect(v.fix?.plan.credentialsOptional).toBe(true);
  });

  it('otherwise offers them as a marked option with the sentence on when to turn them on', () => {
    const v = missingAcao();
    expect(v.fix?.plan.credentials).toBe(false);
    expect(v.fix?.plan.credentialsOptional).toBe(true);
    const express = v.fix?.recipes.find((r) => r.stack === 'express');
    expect(express?.code).toMatch(/^\s+\/\/ credentials: true, \/\/ optional: /m);
    expect(express?.notes.some((n) => n.startsWith('Credentials are an option here'))).toBe(true);
    expect(v.fix?.headers.some((h) => h.name === 'Access-Control-Allow-Credentials')).toBe(false);
  });
});

describe('why a safelisted name needed permission', () => {
  const refused = (name: string) =>
    evaluate(exchange(callWith('GET', unsent(`${API}/o`, options(acao(PAGE), { acrm: 'GET', acrh: name })))));

  it('Range: the value was not one simple byte range (not "over 128 bytes")', () => {
    const v = refused('range');
    expect(v.kind).toBe('header-not-allowed.oversized-safelisted');
    const text = v.explanation.join(' ');
    expect(text).toContain('one simple byte range');
    expect(text).not.toContain('128');
  });

  it('Accept-Language: every condition of the safelist that can apply is named', () => {
    const text = refused('accept-language').explanation.join(' ');
    expect(text).toContain('over 128 bytes');
    expect(text).toContain('a byte the safelist refuses');
  });
});

describe('a known credentials mode (the command line sends the call itself)', () => {
  // The preflight says `*` and lists no methods: without credentials it fails at the method check,
  // with credentials already at the origin check (`*` is never valid with credentials).
  const both = (credentialsMode?: 'include' | 'omit') =>
    evaluate({
      ...exchange(callWith('PUT', unsent(`${API}/p`, options(acao('*'))))),
      ...(credentialsMode ? { credentialsMode } : {}),
    });

  it('unknown: the reading without credentials (the fetch default) names the failure', () => {
    expect(both()).toMatchObject({
      chromeError: 'MethodDisallowedByPreflightResponse',
      credentials: 'unknown',
    });
  });

  it('"include": the credentialed reading decides, with certainty', () => {
    expect(both('include')).toMatchObject({
      chromeError: 'PreflightWildcardOriginNotAllowed',
      credentials: 'include',
      confidence: { level: 'certain' },
    });
  });

  it('"omit": only the reading without credentials, even where the credentialed one would explain a block', () => {
    expect(both('omit')).toMatchObject({
      chromeError: 'MethodDisallowedByPreflightResponse',
      credentials: 'omit',
    });
    const star = {
      ...exchange(call(res(`${API}/s`, 200, acao('*')))),
    };
    expect(evaluate(star)).toMatchObject({ chromeError: 'WildcardOriginNotAllowed', credentials: 'include' });
    // Without credentials nothing in these headers fails: a failure here is not this rule's.
    expect(evaluate({ ...star, credentialsMode: 'omit' as const })).toMatchObject({
      kind: 'unexplained-failure',
      chromeError: undefined,
      credentials: 'omit',
    });
  });
});
