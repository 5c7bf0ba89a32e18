/**
 * The five mistakes of the article CORS Lens was born from ("CORS Isn't a Bug - It's Your API Trying
 * to Warn You"), each as the exchange a developer would produce, and the verdict they should read.
 */
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../src/engine';
import { API, PAGE, exchange } from './build';

const failed = 'net::ERR_FAILED';

describe("the article's five mistakes", () => {
  it('Mistake 1: cors({ origin: "*", credentials: true }) with cookies is blocked, and says why', () => {
    // The cors package answers `*` plus Access-Control-Allow-Credentials: true; the page sends cookies.
    const v = evaluate(
      exchange({
        legs: [
          {
            url: `${API}/me`,
            sent: { Origin: PAGE, Cookie: 'session=abc' },
            status: 200,
            headers: { 'Access-Control-Allow-Origin': '*', 'Access-Control-Allow-Credentials': 'true' },
          },
        ],
        outcome: failed,
      }),
    );
    expect(v.outcome).toBe('blocked');
    expect(v.kind).toBe('wildcard-origin-with-credentials');
    expect(v.chromeError).toBe('WildcardOriginNotAllowed');
    expect(v.confidence.level).toBe('certain');
    expect(v.title).toContain(PAGE);
    expect(v.explanation.join(' ')).toMatch(/`\*` means "any site, without cookies"/);
    expect(v.fix?.headers).toEqual(
      expect.arrayContaining([
        { on: 'actual', name: 'Access-Control-Allow-Origin', value: PAGE },
        { on: 'actual', name: 'Access-Control-Allow-Credentials', value: 'true' },
      ]),
    );
    const express = v.fix?.recipes.find((r) => r.stack === 'express');
    expect(express?.code).toContain(PAGE);
    expect(express?.code).toMatch(/credentials:\s*true/);
    expect(express?.code).not.toMatch(/origin:\s*['"]\*['"]/);
  });

  it('Mistake 2: cookies sent, Access-Control-Allow-Credentials missing', () => {
    const v = evaluate(
      exchange({
        legs: [
          {
            url: `${API}/me`,
            sent: { Origin: PAGE, Cookie: 'session=abc' },
            status: 200,
            headers: { 'Access-Control-Allow-Origin': PAGE, Vary: 'Origin' },
          },
        ],
        outcome: failed,
      }),
    );
    expect(v.kind).toBe('invalid-allow-credentials');
    expect(v.chromeError).toBe('InvalidAllowCredentials');
    expect(v.failedParameter).toBe('');
    expect(v.explanation.join(' ')).toContain('Access-Control-Allow-Credentials is missing');
    expect(v.fix?.summary).toBe('Add Access-Control-Allow-Credentials: true.');
  });

  it('Mistake 3: OPTIONS not handled (404 to the preflight) names the preflight, not the status', () => {
    const v = evaluate(
      exchange({
        method: 'POST',
        legs: [
          {
            url: `${API}/orders`,
            sent: false,
            preflight: { acrm: 'POST', acrh: 'content-type', status: 404 },
          },
        ],
        outcome: failed,
      }),
    );
    expect(v.kind).toBe('preflight-missing-allow-origin');
    expect(v.chromeError).toBe('PreflightMissingAllowOriginHeader');
    expect(v.title).toBe('Preflight not handled: 404 without CORS headers');
    expect(v.explanation.join(' ')).toMatch(/no route for OPTIONS \/orders/);
    expect(v.fix?.plan.handlePreflight).toBe(true);
    expect(v.fix?.plan.headers).toContain('content-type');
  });

  it('Mistake 4: origin hard-coded to http://localhost:3000 fails in production', () => {
    const v = evaluate(
      exchange({
        legs: [
          {
            url: `${API}/items`,
            status: 200,
            headers: { 'Access-Control-Allow-Origin': 'http://localhost:3000' },
          },
        ],
        outcome: failed,
      }),
    );
    expect(v.kind).toBe('allow-origin-mismatch');
    expect(v.failedParameter).toBe('http://localhost:3000');
    expect(v.explanation[0]).toContain(`Your page is ${PAGE}`);
    expect(v.explanation[0]).toMatch(/development origin hard-coded/);
    // The fix keeps the dev origin on an allowlist next to the real one.
    expect(v.fix?.plan.alsoAllow).toEqual(['http://localhost:3000']);
    const express = v.fix?.recipes.find((r) => r.stack === 'express')?.code ?? '';
    expect(express).toContain(PAGE);
    expect(express).toContain('http://localhost:3000');
  });

  it('Mistake 5: "fixing" CORS by reflecting any origin with credentials passes, with the way to check it', () => {
    const v = evaluate(
      exchange({
        legs: [
          {
            url: `${API}/me`,
            sent: { Origin: PAGE, Cookie: 'session=abc' },
            status: 200,
            headers: { 'Access-Control-Allow-Origin': PAGE, 'Access-Control-Allow-Credentials': 'true' },
          },
        ],
        outcome: 'completed',
      }),
    );
    expect(v.outcome).toBe('allowed');
    // One call cannot tell an echo from a fixed value: one info line, with the probe to find out
    // (test/engine/cross-call.test.ts: a log showing the echo makes it amber).
    expect(v.findings.map((f) => [f.id, f.severity])).toEqual([['missing-vary-origin', 'info']]);
    const f = v.findings[0]!;
    expect(f.detail).toMatch(/copies any Origin/);
    expect(f.advice).toContain(`cors-lens probe ${API}/me --origin https://evil.example`);
  });
});
