/**
 * The request mode decides whether the CORS check applies (docs/cors-failures.md §1.5): `Sec-Fetch-Mode`
 * when the browser sent it, else the method, `Origin` and the resource type. A no-cors load is never
 * judged by the CORS check, whatever `Origin` it carries (a sandboxed frame's loads carry `Origin: null`).
 */
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../src/engine';
import { API, exchange } from './build';

const sandboxed = (type: string, extra: Record<string, string> = {}) =>
  exchange({
    type,
    initiator: 'null',
    legs: [
      {
        url: `${API}/ad.${type === 'image' ? 'png' : 'js'}`,
        sent: { Origin: 'null', 'Sec-Fetch-Mode': 'no-cors', 'Sec-Fetch-Site': 'cross-site', ...extra },
        status: 200,
        headers: { 'Content-Type': type === 'image' ? 'image/png' : 'text/javascript' },
      },
    ],
    outcome: 'completed',
  });

describe('request mode', () => {
  for (const type of ['image', 'script', 'stylesheet']) {
    it(`a sandboxed frame's ${type} (Origin: null, Sec-Fetch-Mode: no-cors) is a no-cors load`, () => {
      const v = evaluate(sandboxed(type));
      expect(v.kind).toBe('no-cors-load');
      expect(v.outcome).toBe('not-cors');
      expect(v.findings.filter((f) => f.severity !== 'info')).toEqual([]);
    });
  }

  it('without Sec-Fetch-Mode, an image with Origin: null is not called a contradiction', () => {
    const v = evaluate(
      exchange({
        type: 'image',
        initiator: 'null',
        legs: [{ url: `${API}/ad.png`, sent: { Origin: 'null' }, status: 200 }],
        outcome: 'completed',
      }),
    );
    expect(v.kind).toBe('no-cors-load');
  });

  it('a no-cors fetch with Origin (Sec-Fetch-Mode: no-cors) that completed is opaque, not "looks wrong"', () => {
    const v = evaluate(
      exchange({
        initiator: 'null',
        legs: [{ url: `${API}/x`, sent: { Origin: 'null', 'Sec-Fetch-Mode': 'no-cors' }, status: 200 }],
        outcome: 'completed',
      }),
    );
    expect(v.kind).toBe('opaque-response');
  });

  it('Sec-Fetch-Mode: cors keeps the contradiction for a real cors-mode call', () => {
    const v = evaluate(
      exchange({
        legs: [
          {
            url: `${API}/x`,
            sent: { Origin: 'https://app.example.com', 'Sec-Fetch-Mode': 'cors' },
            status: 200,
          },
        ],
        outcome: 'completed',
      }),
    );
    expect(v.kind).toBe('allowed-contrary');
  });

  it('a cors-mode image (crossorigin) from a sandboxed frame is still judged by the CORS check', () => {
    const v = evaluate(
      exchange({
        type: 'image',
        initiator: 'null',
        legs: [{ url: `${API}/a.png`, sent: { Origin: 'null', 'Sec-Fetch-Mode': 'cors' }, status: 200 }],
        outcome: 'net::ERR_FAILED',
      }),
    );
    expect(v.outcome).toBe('blocked');
    expect(v.kind).toBe('missing-allow-origin');
  });
});

describe('Opaque Response Blocking per browser', () => {
  const noCorsJson = () =>
    exchange({
      legs: [
        {
          url: `${API}/d.json`,
          sent: { Accept: '*/*', 'Sec-Fetch-Mode': 'no-cors' },
          status: 200,
          headers: { 'Content-Type': 'application/json', 'X-Content-Type-Options': 'nosniff' },
        },
      ],
      outcome: 'completed',
    });

  it('Chrome: a no-cors fetch of JSON with nosniff is blocked by ORB', () => {
    expect(evaluate(noCorsJson()).kind).toBe('orb-blocked');
  });

  it('Firefox 153: the same fetch gets its opaque response, no ORB verdict and no ORB finding', () => {
    const v = evaluate(noCorsJson(), { browser: 'firefox' });
    expect(v.kind).toBe('opaque-response');
    expect(v.outcome).toBe('not-cors');
    expect(v.findings.map((f) => f.id)).not.toContain('orb-decided-by-body');
  });
});
