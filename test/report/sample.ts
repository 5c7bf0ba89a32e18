/**
 * Readable sample log entries for report and panel unit tests, shaped like the capture layer's output
 * for the scenarios of docs/observing-cors-in-chrome.md (e: ACAH lacks authorization; b: ACAO * ok; n:
 * connection refused) plus a credentialed call allowed by a reflected origin. The verdicts are the
 * engine's own (`evaluate()`), so the samples cannot drift from what the engine produces.
 */
import { evaluate } from '../../src/engine';
import type { Exchange } from '../../src/engine/types';
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
  return { exchange, verdict: evaluate(exchange) };
}

export function allowed(id = '13', path = '/b'): LogEntry {
  const url = `${API}${path}`;
  const exchange: Exchange = {
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
        requestHeaders: [h('Origin', PAGE)],
        response: { statusCode: 200, headers: [h('Access-Control-Allow-Origin', '*')] },
      },
    ],
    outcome: { state: 'completed', statusCode: 200 },
  };
  return { exchange, verdict: evaluate(exchange) };
}

/** A credentialed call whose response names the origin it came from (`origin`, the page by default). */
export function reflected(id = '40', origin = PAGE): LogEntry {
  const url = `${API}/reflect?api_key=K-123`;
  const exchange: Exchange = {
    id,
    method: 'GET',
    initiator: origin,
    type: 'xmlhttprequest',
    tabId: 7,
    startTime: Date.UTC(2026, 0, 2, 3, 4, 7),
    endTime: Date.UTC(2026, 0, 2, 3, 4, 7) + 8,
    legs: [
      {
        url,
        requestHeaders: [
          h('Origin', origin),
          h('Authorization', 'Bearer eyJhbGciOi.payload.sig'),
          h('Cookie', 'sid=s3cr3t; theme=dark'),
        ],
        response: {
          statusCode: 200,
          headers: [
            h('Access-Control-Allow-Origin', origin),
            h('Access-Control-Allow-Credentials', 'true'),
            h('Set-Cookie', 'sid=abcdef; Path=/; SameSite=None; Secure'),
          ],
        },
      },
    ],
    outcome: { state: 'completed', statusCode: 200 },
  };
  return { exchange, verdict: evaluate(exchange) };
}

export function refused(id = '41'): LogEntry {
  const url = `http://127.0.0.1:8809/n`;
  const exchange: Exchange = {
    id,
    method: 'GET',
    initiator: PAGE,
    type: 'xmlhttprequest',
    tabId: 7,
    startTime: Date.UTC(2026, 0, 2, 3, 4, 8),
    endTime: Date.UTC(2026, 0, 2, 3, 4, 8) + 2,
    legs: [{ url, requestHeaders: [h('Origin', PAGE)] }],
    outcome: { state: 'failed', error: 'net::ERR_CONNECTION_REFUSED' },
  };
  return { exchange, verdict: evaluate(exchange) };
}

/** The call of {@link allowed} while still in flight: sent, no response yet. */
export function pending(id = '13', path = '/b'): LogEntry {
  const done = allowed(id, path).exchange;
  const exchange: Exchange = {
    ...done,
    endTime: undefined,
    legs: done.legs.map(({ url, requestHeaders }) => ({ url, requestHeaders })),
    outcome: { state: 'pending' },
  };
  return { exchange, verdict: evaluate(exchange) };
}

/** An `<img>` of a sandboxed frame: `Origin: null`, `Sec-Fetch-Mode: no-cors` (not a CORS request). */
export function noCorsImage(id = '50', path = '/logo.png'): LogEntry {
  const url = `${API}${path}`;
  const exchange: Exchange = {
    id,
    method: 'GET',
    initiator: 'null',
    type: 'image',
    tabId: 7,
    startTime: Date.UTC(2026, 0, 2, 3, 4, 9),
    endTime: Date.UTC(2026, 0, 2, 3, 4, 9) + 3,
    legs: [
      {
        url,
        requestHeaders: [h('Origin', 'null'), h('Sec-Fetch-Mode', 'no-cors')],
        response: { statusCode: 200, headers: [h('Content-Type', 'image/png')] },
      },
    ],
    outcome: { state: 'completed', statusCode: 200 },
  };
  return { exchange, verdict: evaluate(exchange) };
}
