/**
 * A fix that works in one round (explain/complete.ts): the header lines are the complete set, the
 * recipes say the same, and the exchange with the fix applied passes every check.
 */
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../../src/engine';
import { applyChanges } from '../../../src/engine/explain/complete';
import { legOrigins } from '../../../src/engine/simulate';
import type { Exchange, Verdict } from '../../../src/engine/types';
import { feed, fixtureEvents, loadFixtures, newCapture } from '../../capture/helpers';
import { API, exchange } from '../build';

const lines = (v: Verdict) => v.fix?.headers.map((h) => `${h.on} ${h.name}: ${h.value ?? '(remove)'}`);

/** The verdict for the exchange with the fix applied (the call as the fixed server would answer it). */
function afterFix(ex: Exchange, v: Verdict): Verdict {
  const fixed = applyChanges(ex, v.legIndex, v.fix!.headers);
  return evaluate(v.credentials === 'include' ? { ...fixed, credentialsMode: 'include' } : fixed);
}

describe('the complete fix', () => {
  it('a PUT of JSON to a server without any CORS: origin, method and header in one round', () => {
    const ex = exchange({
      method: 'PUT',
      legs: [
        {
          url: `${API}/items/1`,
          sent: false,
          preflight: { acrh: 'content-type', status: 204, headers: { Allow: 'GET, PUT' } },
        },
      ],
      outcome: 'net::ERR_FAILED',
    });
    const v = evaluate(ex);
    expect(v.kind).toBe('preflight-missing-allow-origin');
    expect(lines(v)).toEqual([
      'both Access-Control-Allow-Origin: https://app.example.com',
      'preflight Access-Control-Allow-Methods: GET, POST, PUT',
      'preflight Access-Control-Allow-Headers: Content-Type',
      'both Vary: Origin',
    ]);
    expect(v.fix?.summary).toContain('Access-Control-Allow-Methods: GET, POST, PUT');
    expect(afterFix(ex, v).outcome).toBe('allowed');
    // The recipe configures the same: the method and the header are in the Express code.
    const express = v.fix?.recipes.find((r) => r.stack === 'express');
    expect(express?.code).toContain("'PUT'");
    expect(express?.code).toContain("'Content-Type'");
  });

  it('a preflight 404 with credentials: status, origin, credentials and method together', () => {
    const ex = exchange({
      method: 'DELETE',
      legs: [
        {
          url: `${API}/x`,
          sent: false,
          preflight: { status: 404, headers: {} },
        },
      ],
      outcome: 'net::ERR_FAILED',
    });
    const v = evaluate({ ...ex, credentialsMode: 'include' });
    expect(lines(v)).toEqual([
      'both Access-Control-Allow-Origin: https://app.example.com',
      'both Access-Control-Allow-Credentials: true',
      'preflight Access-Control-Allow-Methods: GET, POST, DELETE',
      'both Vary: Origin',
      'preflight Status: 204 No Content',
    ]);
    expect(afterFix(ex, v).outcome).toBe('allowed');
  });

  it('the header lines of an allowed-origin preflight that lacks the method still carry the origin', () => {
    const ex = exchange({
      method: 'PATCH',
      legs: [
        {
          url: `${API}/x`,
          sent: false,
          preflight: {
            status: 204,
            headers: {
              'Access-Control-Allow-Origin': 'https://app.example.com',
              'Access-Control-Allow-Methods': 'GET',
            },
          },
        },
      ],
      outcome: 'net::ERR_FAILED',
    });
    const v = evaluate(ex);
    expect(v.kind).toBe('method-not-allowed');
    // The request itself was never sent: nothing shows its answer carries the origin, so it is listed.
    expect(lines(v)).toContain('both Access-Control-Allow-Origin: https://app.example.com');
    expect(afterFix(ex, v).outcome).toBe('allowed');
  });
});

describe('over the recorded Chromium fixtures', () => {
  const blocked: { name: string; ex: Exchange; v: Verdict }[] = [];
  for (const fx of loadFixtures()) {
    const capture = newCapture();
    feed(capture, fixtureEvents(fx));
    for (const e of capture.entries(fx.tabId)) {
      const v = evaluate(e.exchange);
      if (v.outcome === 'blocked') blocked.push({ name: fx.file, ex: e.exchange, v });
    }
  }

  it('has blocked calls to fix', () => {
    expect(blocked.length).toBeGreaterThanOrEqual(60);
  });

  /**
   * A server can fix a call unless the browser sent `Origin: null` on the decisive leg (a sandboxed
   * page, or a redirect chain that tainted the origin): allowing `null` is never a fix.
   */
  const fixable = blocked.filter(({ ex, v }) => legOrigins(ex, v.requestOrigin)[v.legIndex] !== 'null');

  it('leaves out only the calls whose origin was null', () => {
    expect(blocked.length - fixable.length).toBeLessThanOrEqual(6);
  });

  for (const { name, ex, v } of fixable) {
    it(`${name}: the suggested header set makes the call pass`, () => {
      expect(v.fix).toBeDefined();
      const after = afterFix(ex, v);
      expect({ outcome: after.outcome, kind: after.kind }).toEqual({
        outcome: 'allowed',
        kind: 'allowed',
      });
    });
  }
});
