/**
 * Readable sample log entries for report and panel unit tests, shaped like the capture layer's output
 * for the scenarios of observing-cors-in-chrome.md (e: ACAH lacks authorization; b: ACAO * ok; n:
 * connection refused) plus an allowed call with a reflected origin.
 */
import type { Exchange, Verdict } from '../../src/engine/types';
import type { LogEntry } from '../../src/shared/protocol';

export const PAGE = 'http://127.0.0.1:8801';
export const API = 'http://127.0.0.1:8802';

const h = (name: string, value: string) => ({ name, value });

export function blockedPreflight(id = '22', url = `${API}/e?token=abc123&page=2`): LogEntry {
  const exchange: Exchange = {
    id,
    method: 'PUT',
    initiator: PAGE,
    type: 'xmlhttprequest',
    tabId: 7,
    frameId: 0,
    startTime: Date.UTC(2026, 0, 2, 3, 4, 5),
    endTime: Date.UTC(2026, 0, 2, 3, 4, 5) + 42,
    legs: [
      {
        url,
        preflight: {
          url,
          requestHeaders: [
            h('Accept', '*/*'),
            h('Access-Control-Request-Method', 'PUT'),
            h('Access-Control-Request-Headers', 'authorization,content-type'),
            h('Origin', PAGE),
            h('User-Agent', 'Chromium'),
          ],
          response: {
            statusCode: 204,
            headers: [
              h('Access-Control-Allow-Origin', PAGE),
              h('Access-Control-Allow-Methods', 'GET, PUT'),
              h('Access-Control-Allow-Headers', 'content-type'),
              h('Server', 'nginx'),
            ],
          },
        },
      },
    ],
    outcome: { state: 'failed', error: 'net::ERR_FAILED' },
  };
  const verdict: Verdict = {
    outcome: 'blocked',
    kind: 'preflight-header-not-allowed',
    chromeError: 'HeaderDisallowedByPreflightResponse',
    failedParameter: 'authorization',
    netError: 'net::ERR_FAILED',
    step: 'preflight',
    legIndex: 0,
    title: 'The preflight did not allow the Authorization header',
    explanation: [
      `Your page \`${PAGE}\` sends \`Authorization\`; the server's preflight allowed only \`content-type\`.`,
    ],
    consoleMessage: `Access to fetch at '${url}' from origin '${PAGE}' has been blocked by CORS policy: Request header field authorization is not allowed by Access-Control-Allow-Headers in preflight response.`,
    facts: [
      {
        step: 'preflight',
        name: 'access-control-allow-origin',
        expected: PAGE,
        received: PAGE,
        decisive: false,
        ok: true,
      },
      {
        step: 'preflight',
        name: 'access-control-allow-headers',
        expected: 'authorization, content-type',
        received: 'content-type',
        decisive: true,
        ok: false,
      },
    ],
    fix: {
      summary: 'Add authorization to Access-Control-Allow-Headers on the preflight response.',
      headers: [
        { on: 'preflight', name: 'Access-Control-Allow-Headers', value: 'authorization, content-type' },
      ],
      plan: {
        origin: PAGE,
        credentials: false,
        methods: ['PUT'],
        headers: ['authorization', 'content-type'],
        handlePreflight: true,
        errorResponses: false,
        path: '/e',
        apiOrigin: API,
      },
      recipes: [
        {
          stack: 'nginx',
          label: 'nginx',
          language: 'nginx',
          code: "add_header Access-Control-Allow-Headers 'authorization, content-type' always;",
          notes: ['Use `always` so error responses carry it too.'],
        },
        {
          stack: 'express',
          label: 'Express (cors package)',
          language: 'js',
          code: "app.use(cors({ origin: 'http://127.0.0.1:8801', allowedHeaders: ['authorization', 'content-type'] }));",
          notes: [],
        },
      ],
    },
    confidence: { level: 'certain' },
    credentials: 'unknown',
    requestOrigin: PAGE,
    findings: [],
  };
  return { exchange, verdict };
}

export function allowed(id = '13', path = '/b'): LogEntry {
  const url = `${API}${path}`;
  return {
    exchange: {
      id,
      method: 'GET',
      initiator: PAGE,
      type: 'xmlhttprequest',
      tabId: 7,
      startTime: Date.UTC(2026, 0, 2, 3, 4, 6),
      endTime: Date.UTC(2026, 0, 2, 3, 4, 6) + 5,
      legs: [
        {
          url,
          requestHeaders: [h('Origin', PAGE), h('Cookie', 'sid=s3cr3t; theme=dark')],
          response: { statusCode: 200, headers: [h('Access-Control-Allow-Origin', '*')] },
        },
      ],
      outcome: { state: 'completed', statusCode: 200 },
    },
    verdict: {
      outcome: 'allowed',
      kind: 'allowed',
      step: 'actual',
      legIndex: 0,
      title: 'Allowed: the server allows any origin',
      explanation: ['The response carries `Access-Control-Allow-Origin: *`.'],
      facts: [
        {
          step: 'actual',
          name: 'access-control-allow-origin',
          expected: PAGE,
          received: '*',
          decisive: true,
          ok: true,
        },
      ],
      confidence: { level: 'certain' },
      credentials: 'omit',
      requestOrigin: PAGE,
      findings: [],
    },
  };
}

export function reflected(id = '40'): LogEntry {
  const url = `${API}/reflect?api_key=K-123`;
  return {
    exchange: {
      id,
      method: 'GET',
      initiator: PAGE,
      type: 'xmlhttprequest',
      tabId: 7,
      startTime: Date.UTC(2026, 0, 2, 3, 4, 7),
      endTime: Date.UTC(2026, 0, 2, 3, 4, 7) + 8,
      legs: [
        {
          url,
          requestHeaders: [h('Origin', PAGE), h('Authorization', 'Bearer eyJhbGciOi.payload.sig')],
          response: {
            statusCode: 200,
            headers: [
              h('Access-Control-Allow-Origin', PAGE),
              h('Access-Control-Allow-Credentials', 'true'),
              h('Set-Cookie', 'sid=abcdef; Path=/; SameSite=None; Secure'),
            ],
          },
        },
      ],
      outcome: { state: 'completed', statusCode: 200 },
    },
    verdict: {
      outcome: 'allowed',
      kind: 'allowed',
      step: 'actual',
      legIndex: 0,
      title: 'Allowed with credentials',
      explanation: ['The server echoed your origin and allowed credentials.'],
      facts: [],
      confidence: {
        level: 'inferred',
        reason: 'credentials mode inferred from Access-Control-Allow-Credentials',
      },
      credentials: 'include',
      requestOrigin: PAGE,
      findings: [
        {
          id: 'reflected-origin-without-vary',
          severity: 'warning',
          title: 'Origin echoed without Vary: Origin',
          detail: 'A shared cache can serve this response to another origin.',
          advice: 'Send Vary: Origin.',
        },
      ],
    },
  };
}

export function refused(id = '41'): LogEntry {
  const url = `http://127.0.0.1:8809/n`;
  return {
    exchange: {
      id,
      method: 'GET',
      initiator: PAGE,
      type: 'xmlhttprequest',
      tabId: 7,
      startTime: Date.UTC(2026, 0, 2, 3, 4, 8),
      endTime: Date.UTC(2026, 0, 2, 3, 4, 8) + 2,
      legs: [{ url, requestHeaders: [h('Origin', PAGE)] }],
      outcome: { state: 'failed', error: 'net::ERR_CONNECTION_REFUSED' },
    },
    verdict: {
      outcome: 'failed',
      kind: 'network-error',
      netError: 'net::ERR_CONNECTION_REFUSED',
      step: 'network',
      legIndex: 0,
      title: 'Connection refused: not a CORS problem',
      explanation: ['Nothing listens on 127.0.0.1:8809.'],
      facts: [],
      confidence: { level: 'certain' },
      credentials: 'unknown',
      requestOrigin: PAGE,
      findings: [],
    },
  };
}
