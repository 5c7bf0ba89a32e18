/**
 * The reading's short cut: whether the reading with credentials fails is decided from the reading
 * without them when it can be (reading.ts, `Readings.includeFails`). It must always agree with the
 * simulation it replaces.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Readings } from '../../src/engine/reading';
import { sanitizeExchange } from '../../src/engine/sanitize';
import { simulate } from '../../src/engine/simulate';
import type { Exchange } from '../../src/engine/types';
import { exchangeArb } from './properties';
import { API, PAGE, exchange, type LegSpec } from './build';

const RUNS = Number(process.env.PROPERTY_RUNS) || 1_000;

/** The first value `weight` times as often as each of the others. */
const mostly = <T>(weight: number, first: T, ...others: T[]): fc.Arbitrary<T> =>
  fc.oneof({ arbitrary: fc.constant(first), weight }, ...others.map((o) => fc.constant(o)));

/**
 * Response headers that often pass the CORS check without credentials, with or without ACAC. The
 * values that also pass with credentials come first and most often: a call passes with credentials
 * only when every response of it (preflight, redirect, final) does, and both answers must occur.
 */
const corsHeaders: fc.Arbitrary<Record<string, string>> = fc
  .record({
    acao: mostly<string | null>(4, PAGE, '*', 'https://other.example', null),
    acac: mostly<string | null>(4, 'true', 'True', '', null),
    methods: mostly<string | null>(4, 'GET, PUT', '*', 'PUT', null),
    allow: mostly<string | null>(4, 'authorization', '*', 'content-type, authorization', null),
  })
  .map(({ acao, acac, methods, allow }) => {
    const h: Record<string, string> = {};
    if (acao !== null) h['Access-Control-Allow-Origin'] = acao;
    if (acac !== null) h['access-control-allow-credentials'] = acac;
    if (methods !== null) h['Access-Control-Allow-Methods'] = methods;
    if (allow !== null) h['Access-Control-Allow-Headers'] = allow;
    return h;
  });

const passingArb: fc.Arbitrary<Exchange> = fc
  .record({
    method: fc.constantFrom('GET', 'PUT'),
    preflight: fc.option(corsHeaders, { nil: undefined }),
    headers: corsHeaders,
    redirect: fc.option(corsHeaders, { nil: undefined }),
  })
  .map(({ method, preflight, headers, redirect }) => {
    const legs: LegSpec[] = [];
    if (redirect)
      legs.push({
        url: `${API}/r`,
        sent: { Origin: PAGE },
        status: 302,
        headers: { ...redirect, Location: `${API}/t` },
      });
    legs.push({
      url: `${API}/t`,
      sent: { Origin: PAGE, Authorization: 'x' },
      ...(preflight ? { preflight: { acrh: 'authorization', headers: preflight } } : {}),
      status: 200,
      headers,
    });
    return exchange({ method, legs, outcome: 'completed' });
  });

function agrees(input: Exchange, requestOrigin: string, untainted: boolean): boolean {
  const ex = sanitizeExchange(input);
  const short = new Readings(ex, requestOrigin, untainted).includeFails();
  expect(short).toBe(!!simulate(ex, requestOrigin, true, untainted).failure);
  return !short;
}

describe('Readings.includeFails', () => {
  // Time is no part of the property: a loaded machine must not fail it.
  it(
    `agrees with the simulation with credentials on arbitrary exchanges (${RUNS} cases)`,
    { timeout: 60_000 },
    () => {
      fc.assert(
        fc.property(
          exchangeArb,
          fc.constantFrom('https://app.example.com', 'null'),
          fc.boolean(),
          (ex, o, u) => {
            agrees(ex, o, u);
          },
        ),
        { numRuns: RUNS },
      );
    },
  );

  it(
    `agrees on exchanges whose headers often pass without credentials (${RUNS} cases)`,
    { timeout: 60_000 },
    () => {
      let passes = 0;
      fc.assert(
        fc.property(passingArb, fc.boolean(), (ex, untainted) => {
          if (agrees(ex, PAGE, untainted)) passes++;
        }),
        { numRuns: RUNS },
      );
      // Both answers occur, so the short cut and the full simulation are both exercised.
      expect(passes).toBeGreaterThan(0);
      expect(passes).toBeLessThan(RUNS);
    },
  );
});
