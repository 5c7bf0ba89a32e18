/**
 * Where Chrome and Firefox differ on a redirect chain: a preflighted call redirected (307) to a third
 * origin. Chrome taints the origin (Origin: null on the later hops); Firefox keeps the page's origin
 * (measured in Firefox 153 ESR). The Firefox verdict and each browser's note on the other say so.
 */
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../src/engine';
import { API, OTHER, PAGE, exchange } from './build';

const allowPage = {
  'Access-Control-Allow-Origin': PAGE,
  'Access-Control-Allow-Methods': 'PUT',
};

describe('a preflighted PUT, 307 to a third origin that allows the page origin', () => {
  it('Chrome blocks it (tainted origin); its note says Firefox keeps the page origin', () => {
    // As Chromium shows it: the second preflight carried Origin: null and failed.
    const ex = exchange({
      method: 'PUT',
      legs: [
        {
          url: `${API}/a`,
          preflight: { headers: allowPage },
          status: 307,
          headers: { ...allowPage, Location: `${OTHER}/b` },
        },
        { url: `${OTHER}/b`, sent: false, preflight: { origin: 'null', headers: allowPage } },
      ],
      outcome: 'net::ERR_FAILED',
    });
    const v = evaluate(ex);
    expect(v.outcome).toBe('blocked');
    expect(v.kind).toBe('preflight-redirect-tainted-origin');
    expect(v.otherBrowser?.agrees).toBe(false);
    expect(v.otherBrowser?.text).toMatch(/^Fails in Chrome, passes in Firefox as far as Chrome got/);
    expect(v.otherBrowser?.text).toContain(`Firefox keeps ${PAGE} for a preflighted call`);
  });

  it('Firefox allows it (its verdict), and its note says Chrome blocks it', () => {
    // As Firefox shows it: the page origin on every hop, both answers allowing it.
    const ex = exchange({
      method: 'PUT',
      legs: [
        {
          url: `${API}/a`,
          preflight: { headers: allowPage },
          status: 307,
          headers: { ...allowPage, Location: `${OTHER}/b` },
        },
        { url: `${OTHER}/b`, preflight: { headers: allowPage }, status: 200, headers: allowPage },
      ],
      outcome: 'completed',
    });
    const fx = evaluate(ex, { browser: 'firefox' });
    expect(fx.outcome).toBe('allowed');
    expect(fx.otherBrowser?.agrees).toBe(false);
    expect(fx.otherBrowser?.reason).toBe('PreflightAllowOriginMismatch');
    expect(fx.otherBrowser?.text).toMatch(/^Passes in Firefox, fails in Chrome: after the redirect from/);
  });

  it("Firefox's rules keep the page origin even where the capture shows null", () => {
    const ex = exchange({
      method: 'PUT',
      legs: [
        {
          url: `${API}/a`,
          preflight: { headers: allowPage },
          status: 307,
          headers: { ...allowPage, Location: `${OTHER}/b` },
        },
        {
          url: `${OTHER}/b`,
          sent: { Origin: 'null' },
          preflight: { origin: 'null', headers: allowPage },
          status: 200,
          headers: allowPage,
        },
      ],
      outcome: 'completed',
    });
    expect(evaluate(ex, { browser: 'firefox' }).outcome).toBe('allowed');
  });

  it('a GET chain without a preflight is tainted in both: no difference claimed', () => {
    const ex = exchange({
      legs: [
        {
          url: `${API}/a`,
          status: 302,
          headers: { 'Access-Control-Allow-Origin': PAGE, Location: `${OTHER}/b` },
        },
        {
          url: `${OTHER}/b`,
          sent: { Origin: 'null' },
          status: 200,
          headers: { 'Access-Control-Allow-Origin': PAGE },
        },
      ],
      outcome: 'net::ERR_FAILED',
    });
    const v = evaluate(ex);
    expect(v.kind).toBe('redirect-tainted-origin');
    expect(v.otherBrowser?.agrees).toBe(true);
  });
});
