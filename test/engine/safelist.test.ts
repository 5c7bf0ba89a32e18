/**
 * The Fetch standard's request-side tables: safelisted methods and headers, unsafe names, forbidden
 * names. Rows cite the spec section (F = fetch.spec.whatwg.org) or Chromium's addition (C).
 */
import { describe, expect, it } from 'vitest';
import {
  corsUnsafeRequestHeaderNames,
  isCorsSafelistedRequestHeader,
  isForbiddenRequestHeaderName,
  normalizeMethod,
} from '../../src/engine/safelist';

describe('CORS-safelisted request-header (F #cors-safelisted-request-header)', () => {
  it.each([
    ['accept', 'application/json', true, 'no unsafe byte'],
    ['accept', 'text/html, "x"', false, '" is a CORS-unsafe request-header byte'],
    ['accept-language', 'en-US,en;q=0.9', true, 'language bytes'],
    ['accept-language', 'en_US', false, '_ is not allowed'],
    ['content-language', 'de', true, 'language bytes'],
    ['content-type', 'text/plain;charset=UTF-8', true, 'essence text/plain, parameters fine'],
    ['content-type', 'multipart/form-data; boundary=x', true, 'essence multipart/form-data'],
    ['content-type', 'application/json', false, 'not one of the three essences'],
    ['content-type', 'text/plain, application/json', false, 'two values fail strict parsing'],
    ['content-type', 'text/plain; charset="a(b"', false, '( is a CORS-unsafe byte'],
    ['range', 'bytes=0-499', true, 'simple range'],
    ['range', 'bytes=500-', true, 'open end'],
    ['range', 'bytes=-500', false, 'suffix range needs a start'],
    ['range', 'bytes=5-1', false, 'start > end'],
    ['range', 'bytes= 0-1', false, 'no whitespace'],
    ['x-custom', 'a', false, 'any other name'],
    ['save-data', 'on', true, 'C: client hint'],
    ['accept', 'a'.repeat(128), true, 'exactly 128 bytes'],
    ['accept', 'a'.repeat(129), false, 'step 1: over 128 bytes'],
  ])('%s: %s → %s (%s)', (name, value, expected) => {
    expect(isCorsSafelistedRequestHeader(name, value)).toBe(expected);
  });
});

describe('CORS-unsafe request-header names (F #cors-unsafe-request-header-names)', () => {
  const h = (o: Record<string, string>) => Object.entries(o).map(([name, value]) => ({ name, value }));
  it('lower-cased, de-duplicated, sorted; forbidden names ignored (C)', () => {
    expect(
      corsUnsafeRequestHeaderNames(
        h({
          'X-B': '1',
          Authorization: 'x',
          'x-a': '2',
          'X-A': '3',
          Cookie: 'a',
          'Sec-Fetch-Mode': 'cors',
          Origin: 'o',
        }),
      ),
    ).toEqual(['authorization', 'x-a', 'x-b']);
  });
  it('safelisted values over 1024 bytes in total all become unsafe (step 4)', () => {
    const big = 'a'.repeat(120);
    const lines = h({ Accept: big, 'Accept-Language': 'en', 'Content-Language': 'de' });
    expect(corsUnsafeRequestHeaderNames(lines)).toEqual([]);
    const many = Array.from({ length: 9 }, () => ({ name: 'Accept', value: big }));
    expect(corsUnsafeRequestHeaderNames(many)).toEqual(['accept']);
  });
  it('revalidation headers Chrome adds are skipped (C cors_util.cc)', () => {
    expect(corsUnsafeRequestHeaderNames(h({ 'If-None-Match': '"x"' }), true)).toEqual([]);
    expect(corsUnsafeRequestHeaderNames(h({ 'If-None-Match': '"x"' }), false)).toEqual(['if-none-match']);
  });
});

describe('methods and forbidden names', () => {
  it.each([
    ['get', 'GET'],
    ['delete', 'DELETE'],
    ['Put', 'PUT'],
    ['patch', 'patch'],
    ['PATCH', 'PATCH'],
  ])('normalize %s → %s (F #concept-method-normalize)', (m, out) => {
    expect(normalizeMethod(m)).toBe(out);
  });
  it.each([
    ['proxy-authorization', true],
    ['sec-ch-ua', true],
    ['user-agent', true],
    ['x-requested-with', false],
    ['authorization', false],
  ])('forbidden %s → %s (F #forbidden-request-header, C kForbiddenHeaderFields)', (name, out) => {
    expect(isForbiddenRequestHeaderName(name)).toBe(out);
  });
});
