/** probe: which forged origins are derived (bounded, listed, valid) and how a grant is graded. */
import { describe, expect, it } from 'vitest';
import { grade, probeOrigins, worstSeverity, type Observation, type ProbeOrigin } from '../../src/cli/probe';

const obs = (o: Partial<Observation>): Observation => ({
  status: 200,
  acao: null,
  acac: null,
  vary: null,
  readable: false,
  readableWithCredentials: false,
  ...o,
});

describe('probeOrigins', () => {
  it('derives the look-alikes of an https origin, the baseline first', () => {
    expect(probeOrigins('https://app.example.com').map((p) => [p.id, p.origin])).toEqual([
      ['baseline', 'https://app.example.com'],
      ['unrelated', 'https://attacker.example'],
      ['null', 'null'],
      ['prefix', 'https://app.example.com.attacker.example'],
      ['suffix', 'https://attackerapp.example.com'],
      ['site-suffix', 'https://attackerexample.com'],
      ['unescaped-dot', 'https://appxexample.com'],
      ['subdomain', 'https://attacker.app.example.com'],
      ['http-twin', 'http://app.example.com'],
    ]);
  });
  it('takes the site from the Public Suffix List (co.uk, github.io)', () => {
    const suffix = (o: string) => probeOrigins(o).find((p) => p.id === 'site-suffix')?.origin;
    expect(suffix('https://shop.example.co.uk')).toBe('https://attackerexample.co.uk');
    expect(suffix('https://alice.github.io')).toBeUndefined();
    expect(suffix('https://docs.alice.github.io')).toBe('https://attackeralice.github.io');
  });
  it('keeps the port, and has no http twin for an http origin', () => {
    const list = probeOrigins('http://example.com:8080');
    expect(list.map((p) => p.origin)).toEqual([
      'http://example.com:8080',
      'https://attacker.example',
      'null',
      'http://example.com.attacker.example:8080',
      'http://attackerexample.com:8080',
      'http://examplexcom:8080',
      'http://attacker.example.com:8080',
    ]);
  });
  it('leaves out host look-alikes for an IP address (they are not host names)', () => {
    expect(probeOrigins('https://127.0.0.1:3000').map((p) => p.id)).toEqual([
      'baseline',
      'unrelated',
      'null',
      'http-twin',
    ]);
  });
  it('is bounded, without duplicates, and every forged origin is a valid serialized origin', () => {
    for (const o of ['https://a.b.c.example.co.uk', 'http://localhost:3000', 'https://x.io', 'null']) {
      const list = probeOrigins(o);
      expect(list.length).toBeLessThanOrEqual(10);
      expect(new Set(list.map((p) => p.origin)).size).toBe(list.length);
      for (const p of list) if (p.origin !== 'null') expect(new URL(p.origin).origin).toBe(p.origin);
    }
  });
});

describe('grade', () => {
  const p = (id: ProbeOrigin['id'], origin = 'https://attacker.example'): ProbeOrigin => ({
    id,
    origin,
    label: id,
  });
  it('a forged origin anyone can own, granted with credentials, is critical', () => {
    for (const id of ['unrelated', 'null', 'prefix', 'suffix', 'site-suffix', 'unescaped-dot'] as const) {
      expect(
        grade(
          p(id),
          obs({
            acao: 'https://attacker.example',
            acac: 'true',
            readable: true,
            readableWithCredentials: true,
          }),
        ).severity,
      ).toBe('critical');
    }
  });
  it('a sub-domain or the http twin granted with credentials is high', () => {
    for (const id of ['subdomain', 'http-twin'] as const)
      expect(
        grade(p(id), obs({ acao: 'x', acac: 'true', readable: true, readableWithCredentials: true }))
          .severity,
      ).toBe('high');
  });
  it('* without credentials is info (public data), a reflected origin without credentials is low, a refusal is none', () => {
    expect(grade(p('unrelated'), obs({ acao: '*', readable: true })).severity).toBe('info');
    expect(grade(p('unrelated'), obs({ acao: 'https://attacker.example', readable: true })).severity).toBe(
      'low',
    );
    expect(grade(p('unrelated'), obs({})).severity).toBe('none');
    expect(grade(p('baseline'), obs({ acao: '*', readable: true })).severity).toBe('none');
  });
  it('the worst severity wins', () => {
    const g = (severity: 'info' | 'critical' | 'none' | 'low') => ({
      grade: { severity, title: '', detail: '' },
    });
    expect(worstSeverity([g('info'), g('critical'), g('low')])).toBe('critical');
    expect(worstSeverity([g('none')])).toBe('none');
  });
});
