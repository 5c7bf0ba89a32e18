import { describe, expect, it } from 'vitest';
import { apiOriginOf } from '../../src/panel/api-origin';
import { evaluate } from '../../src/engine';
import type { Exchange } from '../../src/engine/types';
import type { LogEntry } from '../../src/shared/protocol';

const PAGE = 'https://app.test';

function entryFor(url: string, responseHeaders: { name: string; value: string }[]): LogEntry {
  const exchange: Exchange = {
    id: '1',
    method: 'GET',
    type: 'xmlhttprequest',
    tabId: 7,
    initiator: PAGE,
    startTime: 1,
    endTime: 2,
    legs: [
      {
        url,
        requestHeaders: [{ name: 'Origin', value: PAGE }],
        response: { statusCode: 200, headers: responseHeaders },
      },
    ],
    outcome: responseHeaders.length
      ? { state: 'completed', statusCode: 200 }
      : { state: 'failed', error: 'net::ERR_FAILED' },
  };
  return { exchange, verdict: evaluate(exchange) };
}

describe('apiOriginOf', () => {
  it("is the fix plan's API origin when the verdict has a fix", () => {
    const blocked = entryFor('https://api.test:8443/items?x=1', []);
    expect(blocked.verdict.fix?.plan.apiOrigin).toBe('https://api.test:8443');
    expect(apiOriginOf(blocked)).toBe('https://api.test:8443');
    const planned = {
      ...blocked,
      verdict: {
        ...blocked.verdict,
        fix: {
          ...blocked.verdict.fix!,
          plan: { ...blocked.verdict.fix!.plan, apiOrigin: 'https://other.test' },
        },
      },
    };
    expect(apiOriginOf(planned)).toBe('https://other.test');
  });

  it("is the first URL's origin without a fix, and empty without a URL", () => {
    const allowed = entryFor('https://api.test/items', [{ name: 'Access-Control-Allow-Origin', value: '*' }]);
    expect(allowed.verdict.fix).toBeUndefined();
    expect(apiOriginOf(allowed)).toBe('https://api.test');
    expect(apiOriginOf({ ...allowed, exchange: { ...allowed.exchange, legs: [] } })).toBe('');
    expect(apiOriginOf({ ...allowed, exchange: { ...allowed.exchange, legs: [{ url: 'not a url' }] } })).toBe(
      '',
    );
  });
});
