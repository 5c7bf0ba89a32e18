/**
 * Firefox's event order around a preflight (observed in Firefox 153 ESR): the request's onBeforeRequest
 * and onSendHeaders come first, then the OPTIONS request, then the request's own response events. With
 * `sendHeadersBeforePreflight`, capture pairs the preflight at the request's next event, puts the
 * headers on the leg only once a response proves they were sent, and treats an error after the
 * preflight's response as Firefox rejecting it (not a network failure).
 */
import { describe, expect, it } from 'vitest';
import { Capture, type WebRequestEvent } from '../../src/capture';
import { evaluate } from '../../src/engine';

const PAGE = 'http://127.0.0.1:4000';
const URL_ = 'http://127.0.0.1:5000/things?run=1';

function ev(
  event: WebRequestEvent['event'],
  requestId: string,
  method: string,
  t: number,
  extra: Partial<WebRequestEvent> = {},
): WebRequestEvent {
  return {
    event,
    requestId,
    url: URL_,
    method,
    type: 'xmlhttprequest',
    tabId: 3,
    frameId: 0,
    initiator: PAGE,
    timeStamp: t,
    ...extra,
  };
}

const sent = [
  { name: 'Host', value: '127.0.0.1:5000' },
  { name: 'User-Agent', value: 'Firefox' },
  { name: 'X-Test', value: '1' },
  { name: 'Origin', value: PAGE },
];
const preflightHeaders = [
  { name: 'Access-Control-Request-Method', value: 'PUT' },
  { name: 'Access-Control-Request-Headers', value: 'x-test' },
  { name: 'Origin', value: PAGE },
];

function run(events: WebRequestEvent[], early: boolean) {
  const capture = new Capture({
    evaluate: (x) => evaluate(x, { browser: 'firefox' }),
    sendHeadersBeforePreflight: early,
  });
  for (const e of events) capture.handle(e);
  const [entry] = capture.entries(3);
  return entry;
}

const failingPreflight: WebRequestEvent[] = [
  ev('beforeRequest', 'a', 'PUT', 1),
  ev('sendHeaders', 'a', 'PUT', 2, { requestHeaders: sent }),
  ev('beforeRequest', 'p', 'OPTIONS', 3),
  ev('sendHeaders', 'p', 'OPTIONS', 4, { requestHeaders: preflightHeaders }),
  ev('headersReceived', 'p', 'OPTIONS', 5, {
    statusCode: 204,
    responseHeaders: [{ name: 'Allow', value: 'PUT' }],
  }),
  ev('errorOccurred', 'p', 'OPTIONS', 6, { error: 'NS_ERROR_DOM_BAD_URI' }),
  ev('errorOccurred', 'a', 'PUT', 7, { error: 'NS_ERROR_DOM_BAD_URI' }),
];

describe("Firefox's event order", () => {
  it('a failing preflight: paired, the request never sent, judged by the headers', () => {
    const entry = run(failingPreflight, true);
    const leg = entry?.exchange.legs[0];
    expect(leg?.preflight?.response?.statusCode).toBe(204);
    expect(leg?.preflight?.error).toBeUndefined();
    expect(leg?.requestHeaders).toBeUndefined();
    expect(entry?.summary).toMatchObject({ outcome: 'blocked', kind: 'preflight-missing-allow-origin' });
  });

  it("without the option (Chrome's order assumed) the same stream loses the pairing", () => {
    const entry = run(failingPreflight, false);
    expect(entry?.exchange.legs[0]?.preflight).toBeUndefined();
    expect(entry?.summary?.kind).toBe('unexplained-failure');
  });

  it('a passing preflight: paired, and the headers join the leg when the response arrives', () => {
    const acao = { name: 'Access-Control-Allow-Origin', value: PAGE };
    const entry = run(
      [
        ev('beforeRequest', 'a', 'PUT', 1),
        ev('sendHeaders', 'a', 'PUT', 2, { requestHeaders: sent }),
        ev('beforeRequest', 'p', 'OPTIONS', 3),
        ev('sendHeaders', 'p', 'OPTIONS', 4, { requestHeaders: preflightHeaders }),
        ev('headersReceived', 'p', 'OPTIONS', 5, {
          statusCode: 204,
          responseHeaders: [
            acao,
            { name: 'Access-Control-Allow-Methods', value: 'PUT' },
            { name: 'Access-Control-Allow-Headers', value: 'x-test' },
          ],
        }),
        ev('completed', 'p', 'OPTIONS', 6, { statusCode: 204 }),
        ev('headersReceived', 'a', 'PUT', 7, { statusCode: 200, responseHeaders: [acao] }),
        ev('completed', 'a', 'PUT', 8, { statusCode: 200, responseHeaders: [acao] }),
      ],
      true,
    );
    const leg = entry?.exchange.legs[0];
    expect(leg?.preflight?.response?.statusCode).toBe(204);
    expect(leg?.requestHeaders?.some((h) => h.name === 'X-Test')).toBe(true);
    expect(entry?.summary).toMatchObject({ outcome: 'allowed' });
  });
});
