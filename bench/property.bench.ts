/**
 * The engine's property tests at full length (test/engine/properties.ts): 10,000 generated
 * exchanges through evaluate() and 10,000 header lists through the parsers, with the time per case.
 * `npm test` runs the same properties with fewer cases. BENCH_PROPERTY_RUNS sets the count.
 */
import fc from 'fast-check';
import { evaluateProperty, parserProperty } from '../test/engine/properties';

const RUNS = Number(process.env.BENCH_PROPERTY_RUNS) || 10_000;

function run(name: string, check: () => void): void {
  const t0 = performance.now();
  check();
  const ms = performance.now() - t0;
  console.log(
    `${name}: ${RUNS} cases passed in ${(ms / 1000).toFixed(1)} s (${(ms / RUNS).toFixed(2)} ms per case)`,
  );
}

run('evaluate never throws and is deterministic', () => fc.assert(evaluateProperty, { numRuns: RUNS }));
run('header parsers never throw', () => fc.assert(parserProperty, { numRuns: RUNS }));
