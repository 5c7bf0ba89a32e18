/** The method a restored request's current leg is sent with, after the redirects it followed. */
import { describe, expect, it } from 'vitest';
import { currentLegMethod } from '../../src/capture/persist';
import type { Exchange } from '../../src/engine/types';

function ex(method: string, statuses: number[]): Exchange {
  return {
    id: '1',
    method,
    type: 'xmlhttprequest',
    tabId: 1,
    startTime: 0,
    legs: [
      ...statuses.map((s, i) => ({ url: `http://a.test/${i}`, response: { statusCode: s, headers: [] } })),
      { url: 'http://a.test/end' },
    ],
    outcome: { state: 'pending' },
  };
}

describe('currentLegMethod (Fetch HTTP-redirect fetch step 12)', () => {
  it.each([
    ['PUT', [303], 'GET'],
    ['DELETE', [307, 303], 'GET'],
    ['HEAD', [303], 'HEAD'],
    ['POST', [302], 'GET'],
    ['POST', [301], 'GET'],
    ['PUT', [302], 'PUT'],
    ['POST', [307], 'POST'],
    ['PATCH', [308], 'PATCH'],
    ['PUT', [], 'PUT'],
  ])('%s after %j is sent as %s', (method, statuses, expected) => {
    expect(currentLegMethod(ex(method, statuses))).toBe(expected);
  });
});
