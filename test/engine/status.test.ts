/** Status predicates and the redirect method rewrite (https://fetch.spec.whatwg.org/#http-redirect-fetch step 12). */
import { describe, expect, it } from 'vitest';
import { isOkStatus, isRedirectStatus, redirectMethod } from '../../src/engine/status';

describe('status predicates', () => {
  it('ok status is 200 to 299', () => {
    expect([199, 200, 204, 299, 300].map(isOkStatus)).toEqual([false, true, true, true, false]);
  });
  it('redirect status is 301, 302, 303, 307 and 308', () => {
    const all = Array.from({ length: 20 }, (_, i) => 300 + i).filter(isRedirectStatus);
    expect(all).toEqual([301, 302, 303, 307, 308]);
  });
});

describe('redirectMethod', () => {
  it.each([
    ['PUT', 303, 'GET', true],
    ['DELETE', 303, 'GET', true],
    ['GET', 303, 'GET', false],
    ['HEAD', 303, 'HEAD', false],
    ['POST', 302, 'GET', true],
    ['POST', 301, 'GET', true],
    ['PUT', 302, 'PUT', false],
    ['POST', 307, 'POST', false],
    ['PATCH', 308, 'PATCH', false],
  ])('%s after %i is sent as %s', (method, status, expected, rewritten) => {
    expect(redirectMethod(method, status)).toEqual({ method: expected, rewritten });
  });
});
