/**
 * Findings: calls that passed but should worry the developer (docs/cors-failures.md §6, §3H), and
 * malformed headers, which are findings and never crashes.
 */
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../src/engine';
import { API, PAGE, exchange, type ExchangeSpec } from './build';

const ids = (spec: ExchangeSpec) => evaluate(exchange(spec)).findings.map((f) => f.id);
const get = (headers: Record<string, string | string[]>, sent?: Record<string, string>): ExchangeSpec => ({
  legs: [{ url: `${API}/x`, ...(sent ? { sent } : {}), status: 200, headers }],
  outcome: 'completed',
});

describe('findings on allowed calls', () => {
  it.each([
    [
      'allow-origin-null',
      'MDN: null origin is any sandboxed document',
      {
        initiator: 'null',
        legs: [
          {
            url: `${API}/x`,
            sent: { Origin: 'null' },
            status: 200,
            headers: { 'Access-Control-Allow-Origin': 'null', Vary: 'Origin' },
          },
        ],
        outcome: 'completed',
      },
    ],
    ['missing-vary-origin', 'F CORS protocol and HTTP caches', get({ 'Access-Control-Allow-Origin': PAGE })],
    [
      'wildcard-with-set-cookie',
      'MDN: Set-Cookie on an ACAO * response is not saved',
      get({ 'Access-Control-Allow-Origin': '*', 'Set-Cookie': 'sid=1' }),
    ],
    [
      'wildcard-with-allow-credentials',
      'article mistake 1',
      get({ 'Access-Control-Allow-Origin': '*', 'Access-Control-Allow-Credentials': 'true' }),
    ],
    [
      'http-origin-on-https',
      'an http: origin granted access to an https: API',
      get({ 'Access-Control-Allow-Origin': 'http://app.example.com', Vary: 'Origin' }),
    ],
    [
      'credentialed-origin-grant',
      'F CORS protocol and credentials',
      get(
        { 'Access-Control-Allow-Origin': PAGE, 'Access-Control-Allow-Credentials': 'true', Vary: 'Origin' },
        { Origin: PAGE, Cookie: 'a=1' },
      ),
    ],
    [
      'header-not-exposed',
      'F CORS-safelisted response-header name',
      get({ 'Access-Control-Allow-Origin': '*', 'X-Request-Id': '1' }),
    ],
    [
      'credentials-not-sent',
      '§3H credentials-not-sent',
      {
        legs: [{ url: `${API}/x`, status: 401, headers: { 'Access-Control-Allow-Origin': '*' } }],
        outcome: 'completed',
      },
    ],
  ])('%s (%s)', (id, _cite, spec) => {
    expect(ids(spec)).toContain(id);
  });

  it('near misses: a static `*` needs no Vary, exposed headers are not flagged', () => {
    const found = ids(
      get({
        'Access-Control-Allow-Origin': '*',
        'X-Request-Id': '1',
        'Access-Control-Expose-Headers': 'X-Request-Id',
      }),
    );
    expect(found).not.toContain('missing-vary-origin');
    expect(found).not.toContain('header-not-exposed');
    expect(ids(get({ 'Access-Control-Allow-Origin': PAGE, Vary: 'Accept-Encoding, Origin' }))).not.toContain(
      'missing-vary-origin',
    );
  });

  it('Authorization let through by `*` is allowed with a finding that it will break', () => {
    const v = evaluate(
      exchange({
        method: 'PUT',
        legs: [
          {
            url: `${API}/x`,
            preflight: {
              acrh: 'authorization',
              headers: {
                'Access-Control-Allow-Origin': PAGE,
                'Access-Control-Allow-Methods': 'PUT',
                'Access-Control-Allow-Headers': '*',
              },
            },
            status: 200,
            headers: { 'Access-Control-Allow-Origin': PAGE, Vary: 'Origin' },
          },
        ],
        outcome: 'completed',
      }),
    );
    expect(v.outcome).toBe('allowed');
    const f = v.findings.find((x) => x.id === 'authorization-wildcard-deprecated');
    expect(f?.detail).toMatch(/break once browsers enforce the standard/);
  });

  it('`*` lists with Allow-Credentials, and a Max-Age above the cap', () => {
    const v = evaluate(
      exchange({
        method: 'PUT',
        legs: [
          {
            url: `${API}/x`,
            preflight: {
              headers: {
                'Access-Control-Allow-Origin': PAGE,
                'Access-Control-Allow-Credentials': 'true',
                'Access-Control-Allow-Methods': 'PUT, *',
                'Access-Control-Max-Age': '86400',
              },
            },
            status: 200,
            headers: { 'Access-Control-Allow-Origin': PAGE, Vary: 'Origin' },
          },
        ],
        outcome: 'completed',
      }),
    );
    expect(v.findings.map((f) => f.id)).toEqual(
      expect.arrayContaining(['wildcard-list-ignored-with-credentials', 'max-age-above-cap']),
    );
  });
});

describe('amber means act: severities rise only on evidence', () => {
  const credentialed = (headers: Record<string, string>) =>
    evaluate(exchange(get(headers, { Origin: PAGE, Cookie: 'sid=1' })));
  const sev = (v: ReturnType<typeof evaluate>, id: string) => v.findings.find((f) => f.id === id)?.severity;

  it('a correct allowlisted credentialed API (exact origin, credentials, Vary: Origin) is information', () => {
    const v = credentialed({
      'Access-Control-Allow-Origin': PAGE,
      'Access-Control-Allow-Credentials': 'true',
      Vary: 'Origin',
    });
    expect(v.outcome).toBe('allowed');
    expect(sev(v, 'credentialed-origin-grant')).toBe('info');
    expect(v.findings.filter((f) => f.severity !== 'info')).toEqual([]);
    // Its one line does not cry wolf, and the finding says how to find out.
    expect(v.title).toBe('Allowed');
    const f = v.findings.find((x) => x.id === 'credentialed-origin-grant')!;
    expect(f.advice).toContain(`cors-lens probe ${API}/x --origin https://evil.example`);
    expect(f.advice).toContain("curl -s -o /dev/null -D - -H 'Origin: https://evil.example'");
  });

  it('the probe target leaves out the query (it may hold secrets)', () => {
    const v = evaluate(
      exchange({
        legs: [
          {
            url: `${API}/me?token=secret`,
            sent: { Origin: PAGE, Cookie: 'sid=1' },
            status: 200,
            headers: {
              'Access-Control-Allow-Origin': PAGE,
              'Access-Control-Allow-Credentials': 'true',
              Vary: 'Origin',
            },
          },
        ],
        outcome: 'completed',
      }),
    );
    const advice = v.findings.find((x) => x.id === 'credentialed-origin-grant')?.advice ?? '';
    expect(advice).toContain(`${API}/me `);
    expect(advice).not.toContain('secret');
  });

  it('one call whose ACAO names the page origin without Vary is one info line (it may be hard-coded)', () => {
    const cases: Record<string, string>[] = [
      { 'Access-Control-Allow-Origin': PAGE, 'Access-Control-Allow-Credentials': 'true' },
      { 'Access-Control-Allow-Origin': PAGE },
    ];
    for (const headers of cases) {
      const noVary = credentialed(headers);
      expect(noVary.findings.map((f) => [f.id, f.severity])).toEqual([['missing-vary-origin', 'info']]);
      expect(noVary.title).not.toMatch(/^Allowed, but: /);
      const advice = noVary.findings[0]!.advice ?? '';
      expect(advice).toContain(`cors-lens probe ${API}/x --origin https://evil.example`);
      expect(advice).toContain(`curl -s -o /dev/null -D - -H 'Origin: https://evil.example' '${API}/x'`);
    }
  });

  it('evidence raises it: `null` allowed, `*` with credentials', () => {
    const star = evaluate(
      exchange(get({ 'Access-Control-Allow-Origin': '*', 'Access-Control-Allow-Credentials': 'true' })),
    );
    expect(sev(star, 'wildcard-with-allow-credentials')).toBe('warning');
    const nul = evaluate(
      exchange({
        initiator: 'null',
        legs: [
          {
            url: `${API}/x`,
            sent: { Origin: 'null' },
            status: 200,
            headers: { 'Access-Control-Allow-Origin': 'null', Vary: 'Origin' },
          },
        ],
        outcome: 'completed',
      }),
    );
    expect(sev(nul, 'allow-origin-null')).toBe('danger');
  });
});

describe('malformed headers are findings, never crashes', () => {
  it('duplicate Access-Control-Allow-Credentials lines', () => {
    expect(
      ids(get({ 'Access-Control-Allow-Origin': '*', 'Access-Control-Allow-Credentials': ['true', 'true'] })),
    ).toContain('malformed-header.duplicate');
  });
  it('a 64 KiB header value and binary bytes', () => {
    const v = evaluate({
      ...exchange(get({})),
      legs: [
        {
          url: `${API}/x`,
          requestHeaders: [{ name: 'Origin', value: PAGE }],
          response: {
            statusCode: 200,
            headers: [
              { name: 'Access-Control-Allow-Origin', value: 'x'.repeat(65536) },
              { name: 'Access-Control-Allow-Methods', binaryValue: [0xff, 0x00, 0x41] },
            ],
          },
        },
      ],
      outcome: { state: 'failed', error: 'net::ERR_FAILED' },
    });
    expect(v.kind).toBe('invalid-allow-origin-value');
    expect(v.findings.map((f) => f.id)).toEqual(
      expect.arrayContaining(['malformed-header.oversized', 'malformed-header.invalid-bytes']),
    );
    expect(v.facts.find((f) => f.decisive)?.received?.length).toBeLessThan(600);
  });
  it('thousands of header lines', () => {
    const headers = Array.from({ length: 5000 }, (_, i) => ({ name: `X-H${i}`, value: String(i) }));
    const v = evaluate({
      ...exchange(get({})),
      legs: [{ url: `${API}/x`, requestHeaders: [], response: { statusCode: 200, headers } }],
    });
    expect(v.findings.map((f) => f.id)).toContain('malformed-header.too-many');
  });
});
