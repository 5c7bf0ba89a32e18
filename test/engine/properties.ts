/**
 * The engine's properties, shared by the unit tests (test/engine/property.test.ts, a short run in
 * `npm test`) and the benchmark (bench/property.bench.ts, the long run): evaluate() and the header
 * parsers never throw and are deterministic, on arbitrary input (random bytes, huge values, thousands
 * of headers, duplicate lines, broken shapes). The checks use node:assert so that they run outside
 * the test runner too.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { evaluate } from '../../src/engine';
import { isKind, kindInfo } from '../../src/engine/catalogue';
import { corsCheck, extractHeaderListValues, parseMaxAge } from '../../src/engine/cors-check';
import { corsUnsafeRequestHeaderNames, isCorsSafelistedRequestHeader } from '../../src/engine/safelist';
import type { Exchange } from '../../src/engine/types';

const NAMES = [
  'Access-Control-Allow-Origin',
  'Access-Control-Allow-Credentials',
  'Access-Control-Allow-Methods',
  'Access-Control-Allow-Headers',
  'Access-Control-Max-Age',
  'Access-Control-Expose-Headers',
  'Access-Control-Request-Method',
  'Access-Control-Request-Headers',
  'Origin',
  'Cookie',
  'Vary',
  'Location',
  'Set-Cookie',
  'Content-Type',
  'Cross-Origin-Resource-Policy',
];
const ORIGINS = ['https://app.example.com', 'http://localhost:3000', 'null', '*', 'https://api.example.com'];

const value = fc.oneof(
  fc.constantFrom(
    ...ORIGINS,
    'true',
    'True',
    'GET, PUT',
    '*',
    'PUT;POST',
    'authorization',
    '',
    ' , ',
    '-1',
    '99999',
  ),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom(0, 129, 1025, 65_536).map((n) => 'x'.repeat(n)),
);
const line = fc.oneof(
  { weight: 6, arbitrary: fc.record({ name: fc.constantFrom(...NAMES), value }) },
  { weight: 1, arbitrary: fc.record({ name: fc.string({ maxLength: 12 }), value }) },
  {
    weight: 1,
    arbitrary: fc.record({
      name: fc.constantFrom(...NAMES),
      binaryValue: fc.array(fc.integer({ min: -5, max: 300 }), { maxLength: 20 }),
    }),
  },
  { weight: 1, arbitrary: fc.constant({} as { name: string }) },
);
export const headers = fc.oneof(
  { weight: 40, arbitrary: fc.array(line, { maxLength: 12 }) },
  { weight: 1, arbitrary: fc.array(line, { minLength: 2000, maxLength: 3000 }) },
);
const url = fc.oneof(
  fc.constantFrom(
    'https://api.example.com/a',
    'https://app.example.com/x',
    'http://127.0.0.1:8802/k',
    'https://u:p@evil.example/',
    'data:,x',
    '',
  ),
  fc.webUrl(),
  fc.string({ maxLength: 30 }),
);
const response = fc.record({
  statusCode: fc.integer({ min: -1, max: 999 }),
  headers,
  fromCache: fc.boolean(),
});
const leg = fc.record(
  {
    url,
    requestHeaders: headers,
    response,
    redirectUrl: url,
    preflight: fc.record(
      {
        url,
        requestHeaders: headers,
        response,
        error: fc.constantFrom('net::ERR_CONNECTION_REFUSED', 'weird'),
      },
      { requiredKeys: ['url'] },
    ),
  },
  { requiredKeys: ['url'] },
);
export const exchangeArb: fc.Arbitrary<Exchange> = fc.record({
  id: fc.string({ maxLength: 5 }),
  method: fc.constantFrom('GET', 'POST', 'PUT', 'patch', 'DELETE', 'OPTIONS', ''),
  initiator: fc.option(fc.constantFrom(...ORIGINS, 'chrome-extension://abc', 'garbage'), { nil: undefined }),
  type: fc.constantFrom('xmlhttprequest', 'script', 'image', 'main_frame', 'font', 'other'),
  tabId: fc.integer({ min: -1, max: 5 }),
  startTime: fc.nat(),
  legs: fc.array(leg, { maxLength: 4 }),
  outcome: fc.oneof(
    fc.constant({ state: 'pending' as const }),
    fc.record({ state: fc.constant('completed' as const), statusCode: fc.integer({ min: 0, max: 599 }) }),
    fc.record({
      state: fc.constant('failed' as const),
      error: fc.constantFrom(
        'net::ERR_FAILED',
        'net::ERR_CONNECTION_REFUSED',
        'net::ERR_BLOCKED_BY_RESPONSE',
        'net::ERR_BLOCKED_BY_LOCAL_NETWORK_ACCESS_CHECKS',
        'huh',
      ),
    }),
  ),
});

/** evaluate never throws, always answers a known shape, and is deterministic. */
export const evaluateProperty = fc.property(exchangeArb, (ex) => {
  const a = evaluate(ex);
  const b = evaluate(structuredClone(ex));
  assert.deepEqual(JSON.parse(JSON.stringify(a)), JSON.parse(JSON.stringify(b)));
  // evaluate() catches everything and answers `malformed-input`: an exchange of the right shape
  // must never get there, whatever its values.
  assert.notEqual(a.kind, 'malformed-input');
  assert.ok(isKind(a.kind));
  assert.equal(a.outcome, kindInfo(a.kind).outcome);
  assert.equal(typeof a.title, 'string');
});

/** evaluate reads input that is not an exchange at all without an internal error. */
export const junkProperty = fc.property(fc.anything(), (junk) => {
  // sanitizeExchange() brings anything into the Exchange shape, so even junk is evaluated by
  // the rules: the `malformed-input` answer (an exception caught in evaluate()) must not appear.
  const v = evaluate(junk as Exchange);
  assert.notEqual(v.kind, 'malformed-input');
  assert.equal(v.outcome, kindInfo(v.kind).outcome);
});

/** The header parsers never throw. */
export const parserProperty = fc.property(headers, fc.string(), fc.boolean(), (h, s, cred) => {
  corsCheck(h, s, cred);
  parseMaxAge(h);
  extractHeaderListValues(s);
  isCorsSafelistedRequestHeader(s.slice(0, 10), s);
  const names = corsUnsafeRequestHeaderNames(h);
  assert.deepEqual([...names].sort(), names);
});
