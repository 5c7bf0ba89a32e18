/**
 * Verdict tables: per kind, rows that trigger it and near misses that do not. Each row cites the
 * Fetch standard step or Chrome behaviour it pins (F = fetch.spec.whatwg.org, C = Chromium source,
 * O156 = observed in Chromium 156, see docs/cors-failures.md).
 */
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../src/engine';
import { API, OTHER, PAGE, exchange, type ExchangeSpec } from './build';

interface Row {
  name: string;
  cite: string;
  spec: ExchangeSpec;
  kind: string;
  outcome: string;
  chromeError?: string;
  failedParameter?: string;
  confidence?: 'certain' | 'inferred';
}

const ok = { 'Access-Control-Allow-Origin': PAGE, Vary: 'Origin' };
const failed = 'net::ERR_FAILED';
const preflightOk = (extra: Record<string, string> = {}) => ({
  status: 204,
  headers: {
    'Access-Control-Allow-Origin': PAGE,
    'Access-Control-Allow-Methods': 'PUT',
    'Access-Control-Allow-Headers': 'content-type, authorization',
    ...extra,
  },
});

const actualRows: Row[] = [
  // §3A missing-allow-origin
  {
    name: 'GET without ACAO',
    cite: 'F CORS check step 2; C CheckAccess',
    spec: { legs: [{ url: `${API}/a`, status: 200 }], outcome: failed },
    kind: 'missing-allow-origin',
    outcome: 'blocked',
    chromeError: 'MissingAllowOriginHeader',
    failedParameter: '',
  },
  {
    name: 'near miss: GET with ACAO = origin',
    cite: 'F CORS check step 4',
    spec: { legs: [{ url: `${API}/a`, status: 200, headers: ok }], outcome: 'completed' },
    kind: 'allowed',
    outcome: 'allowed',
  },
  {
    name: '502 without ACAO: the server failed first',
    cite: 'F HTTP responses (any status); C CorsURLLoader checks every final response',
    spec: { legs: [{ url: `${API}/a`, status: 502 }], outcome: failed },
    kind: 'missing-allow-origin.error-status',
    outcome: 'blocked',
    chromeError: 'MissingAllowOriginHeader',
    failedParameter: '',
  },
  {
    name: 'cached copy without ACAO',
    cite: 'F CORS protocol and HTTP caches',
    spec: { legs: [{ url: `${API}/a`, status: 200, fromCache: true }], outcome: failed },
    kind: 'missing-allow-origin.cached-variant',
    outcome: 'blocked',
    chromeError: 'MissingAllowOriginHeader',
  },
  // wildcard
  {
    name: 'ACAO * and the call failed: credentials inferred',
    cite: 'F CORS check step 3; O156 case c',
    spec: {
      legs: [{ url: `${API}/c`, status: 200, headers: { 'Access-Control-Allow-Origin': '*' } }],
      outcome: failed,
    },
    kind: 'wildcard-origin-with-credentials',
    outcome: 'blocked',
    chromeError: 'WildcardOriginNotAllowed',
    failedParameter: '',
    confidence: 'inferred',
  },
  {
    name: 'ACAO * with a Cookie header: certain',
    cite: 'F CORS check step 3; a Cookie proves credentials',
    spec: {
      legs: [
        {
          url: `${API}/c`,
          sent: { Origin: PAGE, Cookie: 'sid=1' },
          status: 200,
          headers: { 'Access-Control-Allow-Origin': '*' },
        },
      ],
      outcome: failed,
    },
    kind: 'wildcard-origin-with-credentials',
    outcome: 'blocked',
    chromeError: 'WildcardOriginNotAllowed',
    confidence: 'certain',
  },
  {
    name: 'near miss: ACAO * without credentials',
    cite: 'F CORS check step 3',
    spec: {
      legs: [{ url: `${API}/b`, status: 200, headers: { 'Access-Control-Allow-Origin': '*' } }],
      outcome: 'completed',
    },
    kind: 'allowed',
    outcome: 'allowed',
  },
  // mismatch
  {
    name: 'ACAO is a hard-coded dev origin',
    cite: 'F CORS check step 4; C AllowOriginMismatch',
    spec: {
      legs: [
        { url: `${API}/f`, status: 200, headers: { 'Access-Control-Allow-Origin': 'http://localhost:3000' } },
      ],
      outcome: failed,
    },
    kind: 'allow-origin-mismatch',
    outcome: 'blocked',
    chromeError: 'AllowOriginMismatch',
    failedParameter: 'http://localhost:3000',
  },
  {
    name: 'ACAO with a trailing slash',
    cite: 'F credentials table (trailing-slash row)',
    spec: {
      legs: [{ url: `${API}/f`, status: 200, headers: { 'Access-Control-Allow-Origin': `${PAGE}/` } }],
      outcome: failed,
    },
    kind: 'allow-origin-mismatch',
    outcome: 'blocked',
    chromeError: 'AllowOriginMismatch',
    failedParameter: `${PAGE}/`,
  },
  {
    name: 'ACAO null for a real origin',
    cite: 'C CheckAccess: "null" is a mismatch, not invalid',
    spec: {
      legs: [{ url: `${API}/f`, status: 200, headers: { 'Access-Control-Allow-Origin': 'null' } }],
      outcome: failed,
    },
    kind: 'allow-origin-mismatch',
    outcome: 'blocked',
    chromeError: 'AllowOriginMismatch',
    failedParameter: 'null',
  },
  {
    name: 'ACAO upper-case host',
    cite: 'F byte-serialized origin compare',
    spec: {
      legs: [
        {
          url: `${API}/f`,
          status: 200,
          headers: { 'Access-Control-Allow-Origin': 'https://APP.example.com' },
        },
      ],
      outcome: failed,
    },
    kind: 'allow-origin-mismatch',
    outcome: 'blocked',
    chromeError: 'AllowOriginMismatch',
  },
  // multiple
  {
    name: 'two ACAO header lines',
    cite: 'F header list get joins with ", "; C MultipleAllowOriginValues',
    spec: {
      legs: [
        {
          url: `${API}/j`,
          status: 200,
          headers: { 'Access-Control-Allow-Origin': [PAGE, 'http://other.example'] },
        },
      ],
      outcome: failed,
    },
    kind: 'multiple-allow-origin-values',
    outcome: 'blocked',
    chromeError: 'MultipleAllowOriginValues',
    failedParameter: `${PAGE}, http://other.example`,
  },
  {
    name: 'ACAO space-separated list',
    cite: 'C: a space also means multiple',
    spec: {
      legs: [
        { url: `${API}/j`, status: 200, headers: { 'Access-Control-Allow-Origin': `${PAGE} ${OTHER}` } },
      ],
      outcome: failed,
    },
    kind: 'multiple-allow-origin-values',
    outcome: 'blocked',
    chromeError: 'MultipleAllowOriginValues',
  },
  // invalid
  {
    name: 'ACAO without scheme',
    cite: 'C CheckAccess GURL validity',
    spec: {
      legs: [{ url: `${API}/x`, status: 200, headers: { 'Access-Control-Allow-Origin': 'app.example.com' } }],
      outcome: failed,
    },
    kind: 'invalid-allow-origin-value',
    outcome: 'blocked',
    chromeError: 'InvalidAllowOriginValue',
    failedParameter: 'app.example.com',
  },
  {
    name: 'ACAO pattern *.example.com',
    cite: 'C CheckAccess GURL validity',
    spec: {
      legs: [{ url: `${API}/x`, status: 200, headers: { 'Access-Control-Allow-Origin': '*.example.com' } }],
      outcome: failed,
    },
    kind: 'invalid-allow-origin-value',
    outcome: 'blocked',
    chromeError: 'InvalidAllowOriginValue',
  },
  // credentials
  {
    name: 'origin allowed, no ACAC, failed: credentials inferred',
    cite: 'F CORS check steps 5–8; O156 case g',
    spec: { legs: [{ url: `${API}/g`, status: 200, headers: ok }], outcome: failed },
    kind: 'invalid-allow-credentials',
    outcome: 'blocked',
    chromeError: 'InvalidAllowCredentials',
    failedParameter: '',
    confidence: 'inferred',
  },
  {
    name: 'ACAC True (capital T) with cookies',
    cite: 'F CORS check step 7 (byte-case-sensitive `true`)',
    spec: {
      legs: [
        {
          url: `${API}/g`,
          sent: { Origin: PAGE, Cookie: 'a=b' },
          status: 200,
          headers: { ...ok, 'Access-Control-Allow-Credentials': 'True' },
        },
      ],
      outcome: failed,
    },
    kind: 'invalid-allow-credentials',
    outcome: 'blocked',
    chromeError: 'InvalidAllowCredentials',
    failedParameter: 'True',
    confidence: 'certain',
  },
  {
    name: 'near miss: ACAC true with cookies',
    cite: 'F CORS check step 7',
    spec: {
      legs: [
        {
          url: `${API}/g`,
          sent: { Origin: PAGE, Cookie: 'a=b' },
          status: 200,
          headers: { ...ok, 'Access-Control-Allow-Credentials': 'true' },
        },
      ],
      outcome: 'completed',
    },
    kind: 'allowed',
    outcome: 'allowed',
  },
];

const preflightRows: Row[] = [
  {
    name: 'OPTIONS 404 without CORS headers',
    cite: 'C PreflightController: ACAO before status; O156 case d2',
    spec: {
      method: 'PUT',
      legs: [{ url: `${API}/d2`, sent: false, preflight: { status: 404 } }],
      outcome: failed,
    },
    kind: 'preflight-missing-allow-origin',
    outcome: 'blocked',
    chromeError: 'PreflightMissingAllowOriginHeader',
    failedParameter: '',
  },
  {
    name: 'OPTIONS 401 without CORS headers (auth before CORS)',
    cite: 'C ACAO before status; F preflight carries no credentials',
    spec: {
      method: 'DELETE',
      legs: [{ url: `${API}/u`, sent: false, preflight: { status: 401 } }],
      outcome: failed,
    },
    kind: 'preflight-missing-allow-origin',
    outcome: 'blocked',
    chromeError: 'PreflightMissingAllowOriginHeader',
  },
  {
    name: 'OPTIONS 404 with ACAO',
    cite: 'F CORS-preflight fetch step 7 (ok status); O156 case d',
    spec: {
      method: 'PUT',
      legs: [
        {
          url: `${API}/d`,
          sent: false,
          preflight: { status: 404, headers: { 'Access-Control-Allow-Origin': PAGE } },
        },
      ],
      outcome: failed,
    },
    kind: 'preflight-invalid-status',
    outcome: 'blocked',
    chromeError: 'PreflightInvalidStatus',
    failedParameter: '',
  },
  {
    name: 'OPTIONS 307 redirect',
    cite: 'F preflight redirect mode "error"; C HandleRedirect; O156 case h',
    spec: {
      method: 'PUT',
      legs: [
        {
          url: `${API}/h`,
          sent: false,
          preflight: { status: 307, headers: { Location: `${API}/h/`, 'Access-Control-Allow-Origin': PAGE } },
        },
      ],
      outcome: failed,
    },
    kind: 'preflight-disallowed-redirect',
    outcome: 'blocked',
    chromeError: 'PreflightDisallowedRedirect',
    failedParameter: '',
  },
  {
    name: 'preflight ACAO * and the call failed: credentials inferred',
    cite: 'C preflight check uses the actual request credentials mode',
    spec: {
      method: 'PUT',
      legs: [
        {
          url: `${API}/p`,
          sent: false,
          preflight: {
            headers: { 'Access-Control-Allow-Origin': '*', 'Access-Control-Allow-Methods': 'PUT' },
          },
        },
      ],
      outcome: failed,
    },
    kind: 'preflight-wildcard-origin-with-credentials',
    outcome: 'blocked',
    chromeError: 'PreflightWildcardOriginNotAllowed',
    confidence: 'inferred',
  },
  {
    name: 'preflight ACAO mismatch',
    cite: 'F CORS check step 4 on the preflight',
    spec: {
      method: 'PUT',
      legs: [
        {
          url: `${API}/p`,
          sent: false,
          preflight: {
            headers: {
              'Access-Control-Allow-Origin': 'http://localhost:3000',
              'Access-Control-Allow-Methods': 'PUT',
            },
          },
        },
      ],
      outcome: failed,
    },
    kind: 'preflight-allow-origin-mismatch',
    outcome: 'blocked',
    chromeError: 'PreflightAllowOriginMismatch',
    failedParameter: 'http://localhost:3000',
  },
  {
    name: 'preflight ACAO twice',
    cite: 'C MultipleAllowOriginValues on preflight',
    spec: {
      method: 'PUT',
      legs: [
        {
          url: `${API}/p`,
          sent: false,
          preflight: {
            headers: { 'Access-Control-Allow-Origin': [PAGE, PAGE], 'Access-Control-Allow-Methods': 'PUT' },
          },
        },
      ],
      outcome: failed,
    },
    kind: 'preflight-multiple-allow-origin-values',
    outcome: 'blocked',
    chromeError: 'PreflightMultipleAllowOriginValues',
    failedParameter: `${PAGE}, ${PAGE}`,
  },
  {
    name: 'preflight ACAO invalid',
    cite: 'C InvalidAllowOriginValue on preflight',
    spec: {
      method: 'PUT',
      legs: [
        {
          url: `${API}/p`,
          sent: false,
          preflight: {
            headers: { 'Access-Control-Allow-Origin': 'https://', 'Access-Control-Allow-Methods': 'PUT' },
          },
        },
      ],
      outcome: failed,
    },
    kind: 'preflight-invalid-allow-origin-value',
    outcome: 'blocked',
    chromeError: 'PreflightInvalidAllowOriginValue',
    failedParameter: 'https://',
  },
  {
    name: 'preflight without ACAC, failed: credentials inferred',
    cite: 'F CORS check steps 5–8 on the preflight',
    spec: {
      method: 'PUT',
      legs: [
        {
          url: `${API}/p`,
          sent: false,
          preflight: {
            headers: { 'Access-Control-Allow-Origin': PAGE, 'Access-Control-Allow-Methods': 'PUT' },
          },
        },
      ],
      outcome: failed,
    },
    kind: 'preflight-invalid-allow-credentials',
    outcome: 'blocked',
    chromeError: 'PreflightInvalidAllowCredentials',
    failedParameter: '',
    confidence: 'inferred',
  },
  {
    name: 'ACAM "GET;POST" cannot be parsed',
    cite: 'F extract header list values (#method); C PreflightResult::Parse',
    spec: {
      method: 'PUT',
      legs: [
        {
          url: `${API}/p`,
          sent: false,
          preflight: {
            headers: { 'Access-Control-Allow-Origin': PAGE, 'Access-Control-Allow-Methods': 'GET;POST' },
          },
        },
      ],
      outcome: failed,
    },
    kind: 'invalid-allow-methods',
    outcome: 'blocked',
    chromeError: 'InvalidAllowMethodsPreflightResponse',
    failedParameter: '',
  },
  {
    name: 'ACAM "GET POST" cannot be parsed',
    cite: 'C: each element must be a token',
    spec: {
      method: 'PUT',
      legs: [
        {
          url: `${API}/p`,
          sent: false,
          preflight: {
            headers: { 'Access-Control-Allow-Origin': PAGE, 'Access-Control-Allow-Methods': 'GET POST' },
          },
        },
      ],
      outcome: failed,
    },
    kind: 'invalid-allow-methods',
    outcome: 'blocked',
    chromeError: 'InvalidAllowMethodsPreflightResponse',
  },
  {
    name: 'near miss: ACAM with empty elements parses',
    cite: 'C skips empty elements',
    spec: {
      method: 'PUT',
      legs: [
        {
          url: `${API}/p`,
          preflight: {
            headers: { 'Access-Control-Allow-Origin': PAGE, 'Access-Control-Allow-Methods': 'GET,, PUT,' },
          },
          status: 200,
          headers: ok,
        },
      ],
      outcome: 'completed',
    },
    kind: 'allowed',
    outcome: 'allowed',
  },
  {
    name: 'ACAH with a quoted name',
    cite: 'F #field-name; C Parse',
    spec: {
      method: 'PUT',
      legs: [
        {
          url: `${API}/p`,
          sent: false,
          preflight: {
            acrh: 'x-a',
            headers: {
              'Access-Control-Allow-Origin': PAGE,
              'Access-Control-Allow-Methods': 'PUT',
              'Access-Control-Allow-Headers': '"x-a"',
            },
          },
        },
      ],
      outcome: failed,
    },
    kind: 'invalid-allow-headers',
    outcome: 'blocked',
    chromeError: 'InvalidAllowHeadersPreflightResponse',
  },
  {
    name: 'PUT missing from ACAM',
    cite: 'F CORS-preflight fetch step 7.5; O156 case l',
    spec: {
      method: 'PUT',
      legs: [
        {
          url: `${API}/l`,
          sent: false,
          preflight: {
            headers: { 'Access-Control-Allow-Origin': PAGE, 'Access-Control-Allow-Methods': 'GET, POST' },
          },
        },
      ],
      outcome: failed,
    },
    kind: 'method-not-allowed',
    outcome: 'blocked',
    chromeError: 'MethodDisallowedByPreflightResponse',
    failedParameter: 'PUT',
  },
  {
    name: 'patch is not PATCH',
    cite: 'F method normalize (only 6 methods upper-cased); C AccessControlAllowMethodsInCORSPreflightSpecConformant',
    spec: {
      method: 'patch',
      legs: [
        {
          url: `${API}/m`,
          sent: false,
          preflight: {
            acrm: 'patch',
            headers: { 'Access-Control-Allow-Origin': PAGE, 'Access-Control-Allow-Methods': 'GET, PATCH' },
          },
        },
      ],
      outcome: failed,
    },
    kind: 'method-not-allowed.case',
    outcome: 'blocked',
    chromeError: 'MethodDisallowedByPreflightResponse',
    failedParameter: 'patch',
  },
  {
    name: 'near miss: PATCH is PATCH',
    cite: 'F step 7.5',
    spec: {
      method: 'PATCH',
      legs: [
        {
          url: `${API}/m`,
          preflight: {
            headers: { 'Access-Control-Allow-Origin': PAGE, 'Access-Control-Allow-Methods': 'PATCH' },
          },
          status: 200,
          headers: ok,
        },
      ],
      outcome: 'completed',
    },
    kind: 'allowed',
    outcome: 'allowed',
  },
  {
    name: 'near miss: delete is normalized to DELETE',
    cite: 'F method normalize',
    spec: {
      method: 'delete',
      legs: [
        {
          url: `${API}/m`,
          preflight: {
            acrm: 'DELETE',
            headers: { 'Access-Control-Allow-Origin': PAGE, 'Access-Control-Allow-Methods': 'DELETE' },
          },
          status: 200,
          headers: ok,
        },
      ],
      outcome: 'completed',
    },
    kind: 'allowed',
    outcome: 'allowed',
  },
  {
    name: 'ACAM * ignored with credentials',
    cite: 'F note on `*` in new-header syntax; C EnsureAllowedCrossOriginMethod',
    spec: {
      method: 'PUT',
      legs: [
        {
          url: `${API}/w`,
          sent: false,
          preflight: {
            headers: {
              'Access-Control-Allow-Origin': PAGE,
              'Access-Control-Allow-Credentials': 'true',
              'Access-Control-Allow-Methods': '*',
            },
          },
        },
      ],
      outcome: failed,
    },
    kind: 'method-not-allowed.wildcard-with-credentials',
    outcome: 'blocked',
    chromeError: 'MethodDisallowedByPreflightResponse',
    failedParameter: 'PUT',
    confidence: 'inferred',
  },
  {
    name: 'near miss: ACAM * without credentials',
    cite: 'F step 7.5',
    spec: {
      method: 'PUT',
      legs: [
        {
          url: `${API}/w`,
          preflight: {
            headers: { 'Access-Control-Allow-Origin': PAGE, 'Access-Control-Allow-Methods': '*' },
          },
          status: 200,
          headers: ok,
        },
      ],
      outcome: 'completed',
    },
    kind: 'allowed',
    outcome: 'allowed',
  },
  {
    name: 'authorization missing from ACAH',
    cite: 'F step 7.7; O156 case e',
    spec: {
      method: 'PUT',
      legs: [
        {
          url: `${API}/e`,
          sent: false,
          preflight: {
            acrh: 'authorization,content-type',
            headers: {
              'Access-Control-Allow-Origin': PAGE,
              'Access-Control-Allow-Methods': 'PUT',
              'Access-Control-Allow-Headers': 'content-type',
            },
          },
        },
      ],
      outcome: failed,
    },
    kind: 'header-not-allowed',
    outcome: 'blocked',
    chromeError: 'HeaderDisallowedByPreflightResponse',
    failedParameter: 'authorization',
  },
  {
    name: 'first missing header in sorted order is reported',
    cite: 'C CorsUnsafeNotForbiddenRequestHeaderNames is sorted',
    spec: {
      method: 'PUT',
      legs: [
        {
          url: `${API}/e`,
          sent: false,
          preflight: {
            acrh: 'x-b,x-a',
            headers: { 'Access-Control-Allow-Origin': PAGE, 'Access-Control-Allow-Methods': 'PUT' },
          },
        },
      ],
      outcome: failed,
    },
    kind: 'header-not-allowed',
    outcome: 'blocked',
    chromeError: 'HeaderDisallowedByPreflightResponse',
    failedParameter: 'x-a',
  },
  {
    name: 'JSON Content-Type not allowed',
    cite: 'F CORS-safelisted request-header (content-type essences)',
    spec: {
      method: 'POST',
      legs: [
        {
          url: `${API}/j`,
          sent: false,
          preflight: { acrm: 'POST', acrh: 'content-type', headers: { 'Access-Control-Allow-Origin': PAGE } },
        },
      ],
      outcome: failed,
    },
    kind: 'header-not-allowed.content-type',
    outcome: 'blocked',
    chromeError: 'HeaderDisallowedByPreflightResponse',
    failedParameter: 'content-type',
  },
  {
    name: 'accept-language over 128 bytes needs permission',
    cite: 'F CORS-safelisted request-header step 1',
    spec: {
      method: 'GET',
      legs: [
        {
          url: `${API}/o`,
          sent: false,
          preflight: {
            acrm: 'GET',
            acrh: 'accept-language',
            headers: { 'Access-Control-Allow-Origin': PAGE },
          },
        },
      ],
      outcome: failed,
    },
    kind: 'header-not-allowed.oversized-safelisted',
    outcome: 'blocked',
    chromeError: 'HeaderDisallowedByPreflightResponse',
    failedParameter: 'accept-language',
  },
  {
    name: 'ACAH * with credentials covers nothing',
    cite: 'F note on `*`; C EnsureAllowedCrossOriginHeaders',
    spec: {
      method: 'PUT',
      legs: [
        {
          url: `${API}/w`,
          sent: false,
          preflight: {
            acrh: 'x-token',
            headers: {
              'Access-Control-Allow-Origin': PAGE,
              'Access-Control-Allow-Credentials': 'true',
              'Access-Control-Allow-Methods': 'PUT',
              'Access-Control-Allow-Headers': '*',
            },
          },
        },
      ],
      outcome: failed,
    },
    kind: 'header-not-allowed.wildcard-with-credentials',
    outcome: 'blocked',
    chromeError: 'HeaderDisallowedByPreflightResponse',
    failedParameter: 'x-token',
    confidence: 'inferred',
  },
  {
    name: 'ACAH * lets Authorization through in Chrome 156 (deprecation)',
    cite: 'O156: CorsNonWildcardRequestHeadersSupport off by default',
    spec: {
      method: 'PUT',
      legs: [
        {
          url: `${API}/w`,
          preflight: {
            acrh: 'authorization',
            headers: {
              'Access-Control-Allow-Origin': PAGE,
              'Access-Control-Allow-Methods': 'PUT',
              'Access-Control-Allow-Headers': '*',
            },
          },
          status: 200,
          headers: ok,
        },
      ],
      outcome: 'completed',
    },
    kind: 'allowed',
    outcome: 'allowed',
  },
  {
    name: 'preflight refused (network error)',
    cite: 'C ConvertPreflightResult: the actual fails with the preflight net error',
    spec: {
      method: 'PUT',
      legs: [{ url: `${API}/n`, sent: false, preflight: { error: 'net::ERR_CONNECTION_REFUSED' } }],
      outcome: 'net::ERR_CONNECTION_REFUSED',
    },
    kind: 'preflight-network-error',
    outcome: 'failed',
  },
  {
    name: 'preflight ok, actual lacks ACAO',
    cite: 'F HTTP fetch step 4.5; O156 case m',
    spec: {
      method: 'PUT',
      legs: [{ url: `${API}/m`, preflight: preflightOk(), status: 200 }],
      outcome: failed,
    },
    kind: 'missing-allow-origin',
    outcome: 'blocked',
    chromeError: 'MissingAllowOriginHeader',
  },
  {
    name: 'near miss: preflighted PUT allowed',
    cite: 'O156 case k',
    spec: {
      method: 'PUT',
      legs: [
        {
          url: `${API}/k`,
          preflight: { ...preflightOk(), acrh: 'authorization,content-type' },
          status: 200,
          headers: ok,
        },
      ],
      outcome: 'completed',
    },
    kind: 'allowed',
    outcome: 'allowed',
  },
];

const REDIR = `${OTHER}/target`;
const redirectRows: Row[] = [
  {
    name: 'redirect to ftp: (no handler in the network layer): the CORS check refuses the scheme',
    cite: 'F http-redirect-fetch step 6; O156 redirect to ftp:, javascript:, myapp: (CDP CorsDisabledScheme)',
    spec: {
      legs: [
        {
          url: `${API}/to-ftp`,
          status: 302,
          headers: { Location: 'ftp://files.example.com/a', 'Access-Control-Allow-Origin': '*' },
        },
      ],
      outcome: failed,
    },
    kind: 'redirect-to-non-http-scheme.cors-disabled',
    outcome: 'blocked',
    chromeError: 'CorsDisabledScheme',
  },
  {
    name: 'near miss: redirect to data: is refused by the network layer, not CORS',
    cite: 'F http-redirect-fetch step 6; O156 redirect to data:, file:, blob:, about: (net::ERR_UNSAFE_REDIRECT)',
    spec: {
      legs: [
        {
          url: `${API}/to-data`,
          status: 302,
          headers: { Location: 'data:text/plain,hi', 'Access-Control-Allow-Origin': '*' },
        },
      ],
      outcome: failed,
    },
    kind: 'redirect-to-non-http-scheme',
    outcome: 'failed',
  },
  {
    name: '302 without ACAO',
    cite: 'C OnReceiveRedirect CORS check; O156 case i1',
    spec: { legs: [{ url: `${API}/i1`, status: 302, headers: { Location: REDIR } }], outcome: failed },
    kind: 'missing-allow-origin.redirect-hop',
    outcome: 'blocked',
    chromeError: 'MissingAllowOriginHeader',
  },
  {
    name: 'cross-origin redirect taints the origin',
    cite: 'F redirect-taint; O156 case i2',
    spec: {
      legs: [
        { url: `${API}/i2`, status: 302, headers: { Location: REDIR, 'Access-Control-Allow-Origin': PAGE } },
        { url: REDIR, sent: { Origin: 'null' }, status: 200, headers: ok },
      ],
      outcome: failed,
    },
    kind: 'redirect-tainted-origin',
    outcome: 'blocked',
    chromeError: 'AllowOriginMismatch',
    failedParameter: PAGE,
  },
  {
    name: 'near miss: redirect target answers *',
    cite: 'O156 case i3',
    spec: {
      legs: [
        { url: `${API}/i3`, status: 302, headers: { Location: REDIR, 'Access-Control-Allow-Origin': '*' } },
        {
          url: REDIR,
          sent: { Origin: 'null' },
          status: 200,
          headers: { 'Access-Control-Allow-Origin': '*' },
        },
      ],
      outcome: 'completed',
    },
    kind: 'allowed',
    outcome: 'allowed',
  },
  {
    name: 'A→B→A is tainted too (computed without the Origin header)',
    cite: 'F redirect-taint: request origin ≠ previous URL origin',
    spec: {
      legs: [
        {
          url: `${API}/x`,
          status: 302,
          headers: { Location: `${PAGE}/back`, 'Access-Control-Allow-Origin': PAGE },
        },
        { url: `${PAGE}/back`, sent: {}, status: 200, headers: ok },
      ],
      outcome: failed,
    },
    kind: 'redirect-tainted-origin',
    outcome: 'blocked',
    chromeError: 'AllowOriginMismatch',
    failedParameter: PAGE,
  },
  {
    name: 'redirect Location with user:password',
    cite: 'F HTTP-redirect fetch steps 9–10; C CheckRedirectLocation',
    spec: {
      legs: [
        {
          url: `${API}/r`,
          status: 302,
          headers: { Location: `https://user:pw@${OTHER.slice(8)}/t`, 'Access-Control-Allow-Origin': PAGE },
        },
      ],
      outcome: failed,
    },
    kind: 'redirect-contains-credentials',
    outcome: 'blocked',
    chromeError: 'RedirectContainsCredentials',
  },
  {
    name: 'preflighted PUT, 307 cross-origin, second preflight (Origin null)',
    cite: 'O156 case o',
    spec: {
      method: 'PUT',
      legs: [
        { url: `${API}/o`, preflight: preflightOk(), status: 307, headers: { Location: REDIR, ...ok } },
        {
          url: REDIR,
          sent: { Origin: 'null' },
          preflight: {
            origin: 'null',
            acrh: 'content-type',
            headers: {
              'Access-Control-Allow-Origin': '*',
              'Access-Control-Allow-Methods': 'PUT',
              'Access-Control-Allow-Headers': 'content-type',
            },
          },
          status: 200,
          headers: { 'Access-Control-Allow-Origin': '*' },
        },
      ],
      outcome: 'completed',
    },
    kind: 'allowed',
    outcome: 'allowed',
  },
];

const otherRows: Row[] = [
  {
    name: 'connection refused',
    cite: 'C net errors carry no CORS status; O156 case n',
    spec: { legs: [{ url: `${API}/n` }], outcome: 'net::ERR_CONNECTION_REFUSED' },
    kind: 'network-failure-not-cors',
    outcome: 'failed',
  },
  {
    name: 'blocked by a client',
    cite: 'C net::ERR_BLOCKED_BY_CLIENT',
    spec: { legs: [{ url: `${API}/n`, sent: false }], outcome: 'net::ERR_BLOCKED_BY_CLIENT' },
    kind: 'blocked-by-client',
    outcome: 'failed',
  },
  {
    name: 'CORP same-origin on an image',
    cite: 'F CORP check; C ERR_BLOCKED_BY_RESPONSE',
    spec: {
      type: 'image',
      legs: [
        {
          url: `${API}/i.png`,
          sent: {},
          status: 200,
          headers: { 'Cross-Origin-Resource-Policy': 'same-origin' },
        },
      ],
      outcome: 'net::ERR_BLOCKED_BY_RESPONSE',
    },
    kind: 'corp-not-same-origin',
    outcome: 'failed',
  },
  {
    name: 'ORB',
    cite: 'ORB: no-cors data response',
    spec: {
      type: 'script',
      legs: [
        { url: `${API}/d.json`, sent: {}, status: 200, headers: { 'Content-Type': 'application/json' } },
      ],
      outcome: 'net::ERR_BLOCKED_BY_ORB',
    },
    kind: 'orb-blocked',
    outcome: 'failed',
  },
  {
    name: 'Local Network Access from an http page',
    cite: 'O156: ERR_BLOCKED_BY_LOCAL_NETWORK_ACCESS_CHECKS',
    spec: {
      initiator: 'http://public.example',
      legs: [{ url: 'http://192.168.1.2/x', sent: false }],
      outcome: 'net::ERR_BLOCKED_BY_LOCAL_NETWORK_ACCESS_CHECKS',
    },
    kind: 'lna-insecure-initiator',
    outcome: 'blocked',
    chromeError: 'InsecureLocalNetwork',
  },
  {
    name: 'Local Network Access from an http page on localhost: a secure context, so the permission',
    cite: 'Secure Contexts §3.1 (loopback hosts are potentially trustworthy); O156 LNA e2e',
    spec: {
      initiator: 'http://localhost:3000',
      legs: [{ url: 'http://192.168.1.2/x', sent: false }],
      outcome: 'net::ERR_BLOCKED_BY_LOCAL_NETWORK_ACCESS_CHECKS',
    },
    kind: 'lna-permission-denied',
    outcome: 'blocked',
    chromeError: 'LocalNetworkAccessPermissionDenied',
  },
  {
    name: 'Local Network Access from an https page',
    cite: 'O156 LNA e2e',
    spec: {
      initiator: 'https://public.example',
      legs: [{ url: 'http://10.0.0.5/x', sent: false }],
      outcome: 'net::ERR_BLOCKED_BY_LOCAL_NETWORK_ACCESS_CHECKS',
    },
    kind: 'lna-permission-denied',
    outcome: 'blocked',
    chromeError: 'LocalNetworkAccessPermissionDenied',
  },
  {
    name: 'Local Network Access error on the preflight wins over "preflight network error"',
    cite: 'O156: the preflight fails with ERR_BLOCKED_BY_LOCAL_NETWORK_ACCESS_CHECKS',
    spec: {
      method: 'PUT',
      initiator: 'http://public.example',
      legs: [
        {
          url: 'http://10.0.0.5/x',
          sent: false,
          preflight: { error: 'net::ERR_BLOCKED_BY_LOCAL_NETWORK_ACCESS_CHECKS' },
        },
      ],
      outcome: 'net::ERR_BLOCKED_BY_LOCAL_NETWORK_ACCESS_CHECKS',
    },
    kind: 'lna-insecure-initiator',
    outcome: 'blocked',
    chromeError: 'InsecureLocalNetwork',
  },
  {
    name: 'targetAddressSpace mismatch between two loopback addresses: plain ERR_FAILED, nothing received',
    cite: 'O156 LNA e2e: CDP InvalidLocalNetworkAccess, webRequest net::ERR_FAILED',
    spec: {
      initiator: 'http://127.0.0.1:8080',
      legs: [{ url: 'http://127.0.0.1:9090/x', sent: { Origin: 'http://127.0.0.1:8080' } }],
      outcome: 'net::ERR_FAILED',
    },
    kind: 'lna-address-space-mismatch',
    outcome: 'blocked',
    chromeError: 'InvalidLocalNetworkAccess',
    confidence: 'inferred',
  },
  {
    name: 'LNA on a preflighted call from a public insecure page: the preflight stopped with ERR_FAILED',
    cite: 'O156 LNA e2e: CDP InsecureLocalNetwork, webRequest net::ERR_FAILED on preflight and call',
    spec: {
      method: 'PUT',
      initiator: 'http://public.example',
      legs: [{ url: 'http://127.0.0.1:9090/x', sent: false, preflight: { error: 'net::ERR_FAILED' } }],
      outcome: 'net::ERR_FAILED',
    },
    kind: 'lna-insecure-initiator',
    outcome: 'blocked',
    chromeError: 'InsecureLocalNetwork',
    confidence: 'inferred',
  },
  {
    name: 'no-cors fetch ORB blocks from the headers (JSON with nosniff): completed in webRequest',
    cite: 'ORB step 3.4; O156 ORB e2e',
    spec: {
      legs: [
        {
          url: `${API}/d.json`,
          sent: { Accept: '*/*' },
          status: 200,
          headers: { 'Content-Type': 'application/json', 'X-Content-Type-Options': 'nosniff' },
        },
      ],
      outcome: 'completed',
    },
    kind: 'orb-blocked',
    outcome: 'failed',
  },
  {
    name: 'no-cors fetch whose ORB outcome depends on the body: opaque, with the ORB finding',
    cite: 'ORB steps 6–12 read the body',
    spec: {
      legs: [
        {
          url: `${API}/d.json`,
          sent: { Accept: '*/*' },
          status: 200,
          headers: { 'Content-Type': 'application/json' },
        },
      ],
      outcome: 'completed',
    },
    kind: 'opaque-response',
    outcome: 'not-cors',
  },
  {
    name: 'no-cors fetch (GET without Origin)',
    cite: 'F Origin header: no-cors GET gets none; §3H opaque',
    spec: { legs: [{ url: `${API}/x`, sent: { Accept: '*/*' }, status: 200 }], outcome: 'completed' },
    kind: 'opaque-response',
    outcome: 'not-cors',
  },
  {
    name: 'image without crossorigin',
    cite: 'F no-cors',
    spec: { type: 'image', legs: [{ url: `${API}/x.png`, sent: {}, status: 200 }], outcome: 'completed' },
    kind: 'no-cors-load',
    outcome: 'not-cors',
  },
  {
    name: 'form-like POST with Origin, no CORS headers, completed',
    cite: 'F every non-GET carries Origin; completed ⇒ no-cors',
    spec: { method: 'POST', legs: [{ url: `${API}/x`, status: 200 }], outcome: 'completed' },
    kind: 'opaque-response',
    outcome: 'not-cors',
  },
  {
    name: 'same-origin',
    cite: 'F CORS flag unset',
    spec: { legs: [{ url: `${PAGE}/x`, status: 200 }], outcome: 'completed' },
    kind: 'same-origin',
    outcome: 'not-cors',
  },
  {
    name: 'navigation',
    cite: 'F mode navigate',
    spec: { type: 'main_frame', legs: [{ url: `${API}/`, status: 200 }], outcome: 'completed' },
    kind: 'navigation',
    outcome: 'not-cors',
  },
  {
    name: 'same-origin URL redirected away, failed before sending: mode "same-origin"',
    cite: 'F main fetch (same-origin mode); C CorsURLLoader DisallowedByMode',
    spec: {
      legs: [
        { url: `${PAGE}/r`, sent: {}, status: 302, headers: { Location: `${API}/x` } },
        { url: `${API}/x`, sent: false },
      ],
      outcome: failed,
    },
    kind: 'disallowed-by-mode',
    outcome: 'blocked',
    chromeError: 'DisallowedByMode',
    confidence: 'inferred',
  },
  {
    name: 'ERR_FAILED with nothing wrong in the headers',
    cite: 'unobservable causes (LNA target space, same-origin mode)',
    spec: { legs: [{ url: `${API}/z`, sent: false }], outcome: failed },
    kind: 'unexplained-failure',
    outcome: 'blocked',
  },
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
    const v = evaluate(exchange({ legs: [{ url: `${API}/a`, status: 502 }], outcome: failed }));
    expect(v.explanation[0]).toMatch(/server failed first/i);
    expect(v.explanation.join(' ')).toContain('502');
    expect(v.fix?.plan.errorResponses).toBe(true);
    expect(v.fix?.summary).toMatch(/error responses/);
  });
  it('a mismatch says what the page is and what the server allowed', () => {
    const v = evaluate(
      exchange({
        legs: [
          {
            url: `${API}/f`,
            status: 200,
            headers: { 'Access-Control-Allow-Origin': 'http://localhost:3000' },
          },
        ],
        outcome: failed,
      }),
    );
    expect(v.explanation.join(' ')).toContain(`Your page is ${PAGE}`);
    expect(v.explanation.join(' ')).toContain('http://localhost:3000');
    expect(v.consoleMessage).toBe(
      `Access to fetch at '${API}/f' from origin '${PAGE}' has been blocked by CORS policy: The 'Access-Control-Allow-Origin' header has a value 'http://localhost:3000' that is not equal to the supplied origin.`,
    );
  });
  it('a redirected failure quotes the initial URL like Chrome', () => {
    const v = evaluate(
      exchange({
        legs: [
          {
            url: `${API}/i2`,
            status: 302,
            headers: { Location: REDIR, 'Access-Control-Allow-Origin': PAGE },
          },
          { url: REDIR, sent: { Origin: 'null' }, status: 200, headers: ok },
        ],
        outcome: failed,
      }),
    );
    expect(v.consoleMessage).toContain(`at '${REDIR}' (redirected from '${API}/i2')`);
  });
  it('an inferred credentials verdict says so and why', () => {
    const v = evaluate(
      exchange({
        legs: [{ url: `${API}/c`, status: 200, headers: { 'Access-Control-Allow-Origin': '*' } }],
        outcome: failed,
      }),
    );
    expect(v.confidence).toMatchObject({ level: 'inferred' });
    expect(v.confidence.level === 'inferred' && v.confidence.reason).toMatch(/credentials/);
    expect(v.credentials).toBe('include');
  });
  it('the decisive fact is the header that failed, expected against received', () => {
    const v = evaluate(
      exchange({
        method: 'PUT',
        legs: [
          {
            url: `${API}/l`,
            sent: false,
            preflight: {
              headers: { 'Access-Control-Allow-Origin': PAGE, 'Access-Control-Allow-Methods': 'GET, POST' },
            },
          },
        ],
        outcome: failed,
      }),
    );
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
      exchange({
        type: 'image',
        legs: [
          {
            url: `${API}/d`,
            sent: {},
            status: 200,
            headers: { 'Content-Type': 'text/html', 'X-Content-Type-Options': 'nosniff' },
          },
        ],
        outcome: 'net::ERR_BLOCKED_BY_ORB',
      }),
    );
    expect(nosniff.facts.filter((f) => f.decisive).map((f) => f.name)).toEqual(['x-content-type-options']);
    const body = evaluate(
      exchange({
        type: 'script',
        legs: [{ url: `${API}/d`, sent: {}, status: 200, headers: { 'Content-Type': 'application/json' } }],
        outcome: 'net::ERR_BLOCKED_BY_ORB',
      }),
    );
    expect(body.facts.filter((f) => f.decisive).map((f) => f.name)).toEqual(['body']);
  });

  it('says the body decides for a no-cors fetch it cannot settle, and which way the headers lean', () => {
    const v = evaluate(
      exchange({
        legs: [
          {
            url: `${API}/d`,
            sent: { Accept: '*/*' },
            status: 200,
            headers: { 'Content-Type': 'application/json' },
          },
        ],
        outcome: 'completed',
      }),
    );
    const f = v.findings.find((x) => x.id === 'orb-decided-by-body');
    expect(f?.title).toContain('probably blocked');
    expect(v.facts.some((x) => x.decisive)).toBe(false);
  });

  it('leaves a no-cors fetch of an image alone (no ORB finding needed when the headers allow it)', () => {
    const v = evaluate(
      exchange({
        legs: [{ url: `${API}/d`, sent: { Accept: '*/*' }, status: 200, headers: {} }],
        outcome: 'completed',
      }),
    );
    expect(v.kind).toBe('opaque-response');
    expect(v.findings.some((x) => x.id === 'orb-decided-by-body')).toBe(false);
  });
});

describe('Local Network Access and ORB explanations', () => {
  it('does not tell a secure loopback page to move to HTTPS', () => {
    const v = evaluate(
      exchange({
        initiator: 'http://localhost:3000',
        legs: [{ url: 'http://192.168.1.2/x', sent: false }],
        outcome: 'net::ERR_BLOCKED_BY_LOCAL_NETWORK_ACCESS_CHECKS',
      }),
    );
    const text = v.explanation.join(' ');
    expect(text).toContain('counts as secure even over http');
    expect(text).not.toContain('serve the page over HTTPS');
    expect(v.consoleMessage).toContain('Permission was denied');
  });

  it("points a targetAddressSpace mismatch at the option, with the server's space", () => {
    const v = evaluate(
      exchange({
        initiator: 'http://127.0.0.1:8080',
        legs: [{ url: 'http://127.0.0.1:9090/x', sent: { Origin: 'http://127.0.0.1:8080' } }],
        outcome: 'net::ERR_FAILED',
      }),
    );
    expect(v.explanation.join(' ')).toContain('targetAddressSpace');
    expect(v.explanation.join(' ')).toContain('loopback');
    expect(v.consoleMessage).toContain('yet the resource is in address space `loopback`');
  });

  it('says "failed, not CORS: blocked by ORB" with the reason', () => {
    const v = evaluate(
      exchange({
        type: 'image',
        legs: [{ url: `${API}/d`, sent: {}, status: 200, headers: { 'Content-Type': 'application/pdf' } }],
        outcome: 'net::ERR_BLOCKED_BY_ORB',
      }),
    );
    expect(v.title).toBe('Failed, not CORS: blocked by ORB');
    expect(v.explanation.join(' ')).toContain('`application/pdf` is a data type ORB never hands');
  });
});

describe('credentials in the fix when the credentials mode was not observable', () => {
  const missingAcao = (
    headers: Record<string, string> = {},
    sent: Record<string, string> = { Origin: PAGE },
  ) =>
    evaluate(
      exchange({ legs: [{ url: `${API}/me`, sent, status: 200, headers }], outcome: 'net::ERR_FAILED' }),
    );

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
      exchange({
        method: 'PUT',
        legs: [
          {
            url: `${API}/me`,
            sent: false,
            preflight: { acrh: 'authorization', status: 204, headers: {} },
          },
        ],
        outcome: 'net::ERR_FAILED',
      }),
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
    evaluate(
      exchange({
        method: 'GET',
        legs: [
          {
            url: `${API}/o`,
            sent: false,
            preflight: { acrm: 'GET', acrh: name, headers: { 'Access-Control-Allow-Origin': PAGE } },
          },
        ],
        outcome: failed,
      }),
    );

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
      ...exchange({
        method: 'PUT',
        legs: [
          { url: `${API}/p`, sent: false, preflight: { headers: { 'Access-Control-Allow-Origin': '*' } } },
        ],
        outcome: failed,
      }),
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
      ...exchange({
        legs: [{ url: `${API}/s`, status: 200, headers: { 'Access-Control-Allow-Origin': '*' } }],
        outcome: failed,
      }),
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
