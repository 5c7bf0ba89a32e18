/**
 * Property tests: the engine and its parsers never throw and are deterministic, on arbitrary input
 * (test/engine/properties.ts). `npm test` runs a short version; `npm run bench` runs the same
 * properties with 10,000 cases each (bench/property.bench.ts). PROPERTY_RUNS sets the count here.
 */
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { evaluateProperty, junkProperty, parserProperty } from './properties';

const RUNS = Number(process.env.PROPERTY_RUNS) || 1_000;

describe('engine properties', () => {
  it(`evaluate never throws, always answers a known shape, and is deterministic (${RUNS} cases)`, () => {
    fc.assert(evaluateProperty, { numRuns: RUNS });
  }, 120_000);

  it('evaluate reads input that is not an exchange at all without an internal error', () => {
    fc.assert(junkProperty, { numRuns: 2_000 });
  });

  it(`header parsers never throw (${RUNS * 2} cases)`, () => {
    fc.assert(parserProperty, { numRuns: RUNS * 2 });
  }, 120_000);
});
