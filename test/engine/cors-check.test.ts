/**
 * The CORS check and the preflight list rules in isolation, in Chrome's classification.
 * F = fetch.spec.whatwg.org, C = services/network (cors.cc, preflight_result.cc).
 */
import { describe, expect, it } from 'vitest';
import {
  checkHeaders,
  checkMethod,
  corsCheck,
  extractHeaderListValues,
  parseMaxAge,
} from '../../src/engine/cors-check';

const O = 'https://app.example.com';
const h = (o: Record<string, string | string[]>) =>
  Object.entries(o).flatMap(([name, v]) => (Array.isArray(v) ? v : [v]).map((value) => ({ name, value })));

describe('CORS check (F #concept-cors-check; C CheckAccess)', () => {
  it.each([
    [{}, false, 'MissingAllowOriginHeader', ''],
    [{ 'Access-Control-Allow-Origin': '*' }, false, null, null],
    [{ 'Access-Control-Allow-Origin': '*' }, true, 'WildcardOriginNotAllowed', ''],
    [{ 'Access-Control-Allow-Origin': ' https://app.example.com ' }, false, null, null],
    [
      { 'Access-Control-Allow-Origin': 'https://app.example.com/' },
      false,
      'AllowOriginMismatch',
      'https://app.example.com/',
    ],
    [{ 'Access-Control-Allow-Origin': [O, O] }, false, 'MultipleAllowOriginValues', `${O}, ${O}`],
    [{ 'Access-Control-Allow-Origin': 'null' }, false, 'AllowOriginMismatch', 'null'],
    [{ 'Access-Control-Allow-Origin': 'nope' }, false, 'InvalidAllowOriginValue', 'nope'],
    [{ 'Access-Control-Allow-Origin': O }, true, 'InvalidAllowCredentials', ''],
    [
      { 'Access-Control-Allow-Origin': O, 'Access-Control-Allow-Credentials': 'TRUE' },
      true,
      'InvalidAllowCredentials',
      'TRUE',
    ],
    [
      { 'Access-Control-Allow-Origin': O, 'Access-Control-Allow-Credentials': ['true', 'true'] },
      true,
      'InvalidAllowCredentials',
      'true, true',
    ],
    [{ 'Access-Control-Allow-Origin': O, 'Access-Control-Allow-Credentials': 'true' }, true, null, null],
  ])('%j credentials=%s → %s', (headers, credentials, error, param) => {
    const r = corsCheck(h(headers), O, credentials);
    expect(r?.chromeError ?? null).toBe(error);
    expect(r?.failedParameter ?? null).toBe(param);
  });
  it('a null (opaque or tainted) origin is matched by the literal `null` (the danger case)', () => {
    expect(corsCheck(h({ 'Access-Control-Allow-Origin': 'null' }), 'null', false)).toBeNull();
  });
});

describe('preflight lists (F #cors-preflight-fetch 7.1–7.7; C PreflightResult)', () => {
  it.each([
    ['GET, PUT', ['GET', 'PUT']],
    [' PUT ,, DELETE,', ['PUT', 'DELETE']],
    ['GET;POST', null],
    ['GET POST', null],
    ['"PUT"', null],
  ])('extract %j → %j', (v, out) => {
    expect(extractHeaderListValues(v)).toEqual(out);
  });
  it('methods: case-sensitive, safelisted free, `*` only without credentials', () => {
    const lists = (methods: string[]) => ({ methods, headers: [] });
    expect(checkMethod('PUT', lists(['put']), false)?.failedParameter).toBe('PUT');
    expect(checkMethod('POST', lists([]), true)).toBeNull();
    expect(checkMethod('PUT', lists(['*']), false)).toBeNull();
    expect(checkMethod('PUT', lists(['*']), true)?.chromeError).toBe('MethodDisallowedByPreflightResponse');
  });
  it('headers: case-insensitive list, first missing name reported; `*` covers Authorization in Chromium 156', () => {
    const lists = (headers: string[]) => ({ methods: [], headers });
    expect(checkHeaders(['x-a', 'x-b'], lists(['x-b']), false).failure?.failedParameter).toBe('x-a');
    const star = checkHeaders(['authorization'], lists(['*']), false);
    expect(star.failure).toBeNull();
    expect(star.authorizationByWildcard).toBe(true);
    expect(checkHeaders(['x-a'], lists(['*']), true).failure?.failedParameter).toBe('x-a');
  });
  it.each([
    [{}, 5, false],
    [{ 'Access-Control-Max-Age': '600' }, 600, false],
    [{ 'Access-Control-Max-Age': '86400' }, 7200, false],
    [{ 'Access-Control-Max-Age': '-1' }, 0, true],
    [{ 'Access-Control-Max-Age': '1.5' }, 5, true],
  ])('Max-Age %j → Chrome caches %i s (invalid: %s)', (headers, secs, invalid) => {
    const m = parseMaxAge(h(headers));
    expect(m.chrome).toBe(secs);
    expect(m.invalid).toBe(invalid);
  });
});
