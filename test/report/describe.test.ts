/**
 * Row states from real verdicts: only warnings and dangers flag a row "Allowed, with findings"; info
 * findings (a header scripts cannot read) stay in the detail.
 */
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../src/engine';
import { hasConcern, rowState } from '../../src/report/describe';
import { API, PAGE, exchange } from '../engine/build';

const entry = (headers: Record<string, string>, sent?: Record<string, string>) => {
  const ex = exchange({
    legs: [{ url: `${API}/x`, ...(sent ? { sent } : {}), status: 200, headers }],
    outcome: 'completed',
  });
  return { exchange: ex, verdict: evaluate(ex) };
};

describe('rowState', () => {
  it('an allowed call with only an info finding is plain "allowed"', () => {
    const e = entry({ 'Access-Control-Allow-Origin': '*', 'X-Request-Id': '42' });
    expect(e.verdict.findings.map((f) => f.id)).toEqual(['header-not-exposed']);
    expect(hasConcern(e.verdict)).toBe(false);
    expect(rowState(e)).toBe('allowed');
  });
  it('an origin granted with credentials and no Vary is not flagged on one call (it may be hard-coded)', () => {
    const e = entry(
      { 'Access-Control-Allow-Origin': PAGE, 'Access-Control-Allow-Credentials': 'true' },
      { Origin: PAGE, Cookie: 's=1' },
    );
    expect(rowState(e)).toBe('allowed');
  });
  it('a correct allowlisted credentialed API (exact origin, credentials, Vary: Origin) is green', () => {
    const e = entry(
      { 'Access-Control-Allow-Origin': PAGE, 'Access-Control-Allow-Credentials': 'true', Vary: 'Origin' },
      { Origin: PAGE, Cookie: 's=1' },
    );
    expect(e.verdict.findings.map((f) => [f.id, f.severity])).toEqual([
      ['credentialed-origin-grant', 'info'],
    ]);
    expect(rowState(e)).toBe('allowed');
  });
  it('blocked stays blocked', () => {
    const ex = exchange({ legs: [{ url: `${API}/x`, status: 200 }], outcome: 'net::ERR_FAILED' });
    expect(rowState({ exchange: ex, verdict: evaluate(ex) })).toBe('blocked');
  });
});
