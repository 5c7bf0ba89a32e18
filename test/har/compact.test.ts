/**
 * What a big file's reader holds between reading and judging: packed header lines come back exactly as
 * they went in (whatever the text holds), and a walk judged twice gives the same calls in the same order
 * as the whole-file result, preflights without their request included.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Interner, packHeaders, unpackHeaders } from '../../src/har/compact';
import { HarReader } from '../../src/har/reader';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'har');

describe('packed header lines', () => {
  it('come back as they went in: digits, colons, NUL and controls, empty names and values', () => {
    const lines = [
      { name: 'X-1:2', value: '3:4:' },
      { name: '', value: '' },
      { name: 'a\u0000b', value: '12:\u0000\r\n' },
      { name: 'Origin', value: 'http://a.example' },
    ];
    expect(unpackHeaders(packHeaders(lines))).toEqual(lines);
    fc.assert(
      fc.property(fc.array(fc.record({ name: fc.string(), value: fc.string() })), (ls) => {
        expect(unpackHeaders(packHeaders(ls))).toEqual(ls);
      }),
    );
  });

  it('the pool shares equal texts and stops growing at its cap', () => {
    const pool = new Interner(2);
    const a = pool.get(['ab', 'c'].join(''));
    expect(pool.get(`a${'b'}c`)).toBe(a);
    pool.get('x');
    const y = `y${Math.random()}`;
    expect(pool.get(y)).toBe(y);
    expect(pool.get(undefined)).toBeUndefined();
  });
});

describe('HarWalk', () => {
  it.each(['chrome-har-1.3.1.har', 'chromium-scenarios.har', 'playwright-1.65.1.har'])(
    '%s: every walk gives the calls of finish(), in its order',
    (file) => {
      const har = JSON.parse(readFileSync(join(FIXTURES, file), 'utf8')) as {
        log: { entries: unknown[] };
      };
      const read = () => {
        const reader = new HarReader();
        for (const e of har.log.entries) reader.add(e);
        return reader;
      };
      const log = har.log as { entries: unknown[]; creator?: unknown; pages?: unknown };
      const whole = read().finish(log);
      const walk = read().prepare(log);
      const ids = (calls: Iterable<{ exchange: { id: string }; verdict: unknown }>) =>
        [...calls].map((c) => [c.exchange.id, c.verdict]);
      expect(() => walk.summary()).toThrow();
      const first = ids(walk.calls());
      const { calls: n, ...summary } = walk.summary();
      const { calls: all, ...wholeSummary } = whole;
      expect(summary).toEqual(wholeSummary);
      expect(n).toBe(all.length);
      // The first walk yields the preflights without a request last; later walks in start order.
      expect([...first].sort()).toEqual(ids(all).sort());
      expect(ids(walk.calls())).toEqual(ids(all));
      expect(ids(walk.calls())).toEqual(ids(all));
    },
  );
});
