import { describe, expect, test } from 'vitest';
import { buildReport, parseReport, REPORT_FORMAT, REPORT_VERSION, reportJson } from '../../src/report/json';
import { REDACTED } from '../../src/report/redact';
import { allowed, blockedPreflight, reflected, refused } from './sample';

const at = '2026-01-02T03:04:05.000Z';

describe('JSON report', () => {
  test('has the documented envelope and per-call fields', () => {
    const r = buildReport([blockedPreflight(), allowed(), reflected(), refused()], {
      generatedAt: at,
      scope: 'listed',
    });
    expect(r).toMatchObject({
      format: REPORT_FORMAT,
      version: REPORT_VERSION,
      generatedAt: at,
      redacted: true,
      scope: 'listed',
      counts: { calls: 4, blocked: 1, withFindings: 1 },
    });
    const c = r.calls[0]!;
    expect(c).toMatchObject({
      id: '22',
      method: 'PUT',
      initiator: 'http://127.0.0.1:8801',
      outcome: 'blocked',
      kind: 'header-not-allowed',
      chromeError: 'HeaderDisallowedByPreflightResponse',
      failedParameter: 'authorization',
      preflighted: true,
      status: null,
      step: 'preflight',
      startedAt: '2026-01-02T03:04:05.000Z',
      durationMs: 42,
    });
    expect(c.url).toBe(`http://127.0.0.1:8802/e?token=${REDACTED}&page=2`);
    expect(c.facts.filter((f) => f.decisive).map((f) => f.name)).toEqual(['access-control-allow-headers']);
    expect(c.fix?.headers.find((h) => h.name === 'Access-Control-Allow-Headers')?.value).toBe(
      'Content-Type, Authorization',
    );
    expect(c.curl.preflight).toContain('-X OPTIONS');
    expect(r.calls[2]!.findings.map((f) => f.id)).toEqual(['missing-vary-origin']);
    expect(r.calls[3]).toMatchObject({
      outcome: 'failed',
      chromeError: null,
      netError: 'net::ERR_CONNECTION_REFUSED',
    });
  });

  test('is redacted by default and not when asked', () => {
    const on = reportJson([reflected(), allowed()]);
    expect(on).not.toMatch(/eyJhbGciOi|K-123|s3cr3t|abcdef/);
    const off = reportJson([reflected()], { redact: false });
    expect(off).toContain('eyJhbGciOi');
    expect(JSON.parse(off).redacted).toBe(false);
  });

  test('round-trips through parseReport (the panel Import)', () => {
    const entries = [blockedPreflight(), allowed(), reflected(), refused()];
    const parsed = parseReport(reportJson(entries, { redact: false }));
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    // Only the recipe of the stack shown travels; the panel derives the others from the plan.
    const fix = entries[0]!.verdict.fix!;
    const expected = [
      { ...entries[0]!, verdict: { ...entries[0]!.verdict, fix: { ...fix, recipes: [fix.recipes[0]!] } } },
      ...entries.slice(1),
    ];
    expect(parsed.entries).toEqual(expected);
  });

  test('keeps the recipe of the stack the user picked for that API origin', () => {
    const r = buildReport([blockedPreflight()], { stacks: { 'http://127.0.0.1:8802': 'express' } });
    expect(r.calls[0]!.fix?.recipe?.stack).toBe('express');
    expect(buildReport([blockedPreflight()]).calls[0]!.fix?.recipe?.stack).toBe('nginx');
  });

  test('rejects a call whose kind or Chrome error the catalogue does not know', () => {
    const report = JSON.parse(reportJson([blockedPreflight()])) as { calls: Record<string, unknown>[] };
    const withCall = (patch: Record<string, unknown>) =>
      JSON.stringify({ ...report, calls: [{ ...report.calls[0], ...patch }] });
    expect(parseReport(withCall({})).ok).toBe(true);
    for (const patch of [{ kind: 'preflight-header-not-allowed' }, { chromeError: 'HeaderNotAllowed' }]) {
      const r = parseReport(withCall(patch));
      expect(r.ok, JSON.stringify(patch)).toBe(false);
      if (!r.ok) expect(r.error).toMatch(/Call 1 is not a valid call/);
    }
  });

  test.each([
    ['not json', /Not JSON/],
    ['{"format":"har"}', /Not a CORS Lens report/],
    [`{"format":"${REPORT_FORMAT}","version":99,"calls":[]}`, /version 99 is not supported/],
    [`{"format":"${REPORT_FORMAT}","version":1}`, /no "calls"/],
    [`{"format":"${REPORT_FORMAT}","version":1,"calls":[{"url":"x"}]}`, /Call 1 is not a valid call/],
  ])('rejects %s with a clear message', (text, msg) => {
    const r = parseReport(text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(msg);
  });
});

describe('the detected stacks in a report', () => {
  test('travel with the fix, and a malformed list is refused on import', () => {
    const r = buildReport([blockedPreflight()]);
    expect(r.calls[0]!.fix?.detected?.[0]).toMatchObject({ stack: 'nginx', evidence: 'Server: nginx' });
    const bad = JSON.parse(reportJson([blockedPreflight()])) as { calls: { fix: { detected: unknown } }[] };
    bad.calls[0]!.fix.detected = [{ stack: 1 }];
    expect(parseReport(JSON.stringify(bad)).ok).toBe(false);
  });
});
