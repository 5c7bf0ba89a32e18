/**
 * Local Network Access on a preflighted call when webRequest reported the preflight's start but not its
 * end before the call failed (Chrome stops the preflight; under load its error event can come after the
 * call's, and capture settles the exchange when the call fails). Seen in the e2e LNA spec in CI.
 */
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../src/engine';
import { callWith, exchange, FAILED, options, unsent } from './build';

function preflightedPut(preflightError: string | undefined) {
  const ex = exchange(
    callWith('PUT', unsent('http://127.0.0.1:9090/x', options(undefined, { error: FAILED })), FAILED, {
      initiator: 'http://public.example',
    }),
  );
  const pf = ex.legs[0]?.preflight;
  if (!pf) throw new Error('the builder gave no preflight');
  if (preflightError === undefined) delete pf.error;
  else pf.error = preflightError;
  return ex;
}

describe('LNA on a preflighted call from a public insecure page', () => {
  it('is read the same whether the stopped preflight ended with net::ERR_FAILED or not at all', () => {
    const ended = evaluate(preflightedPut(FAILED));
    const unfinished = evaluate(preflightedPut(undefined));
    expect(ended.kind).toBe('lna-insecure-initiator');
    expect(ended.chromeError).toBe('InsecureLocalNetwork');
    expect(unfinished.kind).toBe(ended.kind);
    expect(unfinished.chromeError).toBe(ended.chromeError);
    expect(unfinished.outcome).toBe('blocked');
  });

  it('a preflight that ended with another network error is that error, not LNA', () => {
    const v = evaluate(preflightedPut('net::ERR_CONNECTION_RESET'));
    expect(v.kind).not.toMatch(/^lna-/);
  });
});
