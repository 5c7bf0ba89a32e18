/**
 * Where Chrome and Firefox differ on a redirect chain: a preflighted call redirected (307) to a third
 * origin. Chrome sends the tainted Origin: null on the later hop's preflight; Firefox sends the page's
 * origin there, and null on the request itself (measured in Firefox 153 ESR). The Firefox verdict and each browser's note on the other say so.
 */
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../src/engine';
import { API, OTHER, PAGE, exchange } from './build';

const allowPage = {
  'Access-Control-Allow-Origin': PAGE,
  'Access-Control-Allow-Methods': 'PUT',
};

describe('a preflighted PUT, 307 to a third origin that allows the page origin', () => {
  it('Chrome blocks it (tainted origin on the preflight); its note says Firefox sends the page origin there', () => {
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
    expect(v.otherBrowser?.text).toContain(`Firefox sends ${PAGE} there`);
  });

  const echo = { 'Access-Control-Allow-Origin': 'null', 'Access-Control-Allow-Methods': 'PUT' };

  it('Firefox allows it when the answer echoes Origin: null (its verdict); its note says Chrome blocks it', () => {
    // As Firefox shows it: the page origin on the second preflight, null on the request itself.
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
          preflight: { headers: allowPage },
          status: 200,
          headers: echo,
        },
      ],
      outcome: 'completed',
    });
    const fx = evaluate(ex, { browser: 'firefox' });
    expect(fx.outcome).toBe('allowed');
    expect(fx.otherBrowser?.agrees).toBe(false);
    expect(fx.otherBrowser?.reason).toBe('PreflightAllowOriginMismatch');
    expect(fx.otherBrowser?.text).toMatch(/^Passes in Firefox, fails in Chrome: after the redirect from/);
  });

  it("Firefox's rules: the preflight is checked against the page origin, the request against null", () => {
    const legs = (answer: Record<string, string>) => [
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
        headers: answer,
      },
    ];
    const echoed = evaluate(exchange({ method: 'PUT', legs: legs(echo), outcome: 'completed' }), {
      browser: 'firefox',
    });
    expect(echoed.outcome).toBe('allowed');
    // An answer that allows only the page origin fails in Firefox too: the request carried null.
    const strict = evaluate(exchange({ method: 'PUT', legs: legs(allowPage), outcome: 'completed' }), {
      browser: 'firefox',
    });
    expect(strict.outcome).toBe('blocked');
    expect(strict.kind).toBe('redirect-tainted-origin');
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
