/**
 * Header look-ups: short lists are scanned, long ones indexed; both must read a list exactly as
 * "lower-case every name, compare, normalize the value" does, whatever the names' case or script.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  getAll,
  getHeader,
  headerHealth,
  isToken,
  lineValue,
  normalizeValue,
  type HeaderProblem,
} from '../../src/engine/headers';
import type { HeaderLine } from '../../src/engine/types';

/** The plain reading the look-ups must agree with. */
function reference(list: readonly HeaderLine[], name: string): string[] {
  const want = name.toLowerCase();
  return list
    .filter((l) => !!l && (typeof l.name === 'string' ? l.name.toLowerCase() : '') === want)
    .map((l) => (typeof l.value === 'string' ? l.value : '').replace(/^[\t\n\r ]+|[\t\n\r ]+$/g, ''));
}

// Names that differ only in case, and non-ASCII letters whose lower case is ASCII (Kelvin sign),
// longer (dotted capital I) or the same letter (sharp s).
const NAMES = [
  'Origin',
  'origin',
  'ORIGIN',
  'Vary',
  'vary',
  'Cookie',
  'Set-Cookie',
  'Access-Control-Allow-Origin',
  'access-control-allow-origin',
  'X-\u212Aey',
  'x-key',
  'X-KEY',
  'X-\u0130d',
  'x-i\u0307d',
  'x-id',
  'Stra\u00DFe',
  'STRASSE',
  '',
];
const QUERIES = [...NAMES, 'x-\u212Aey', 'X-İD', 'missing'];

const line = fc.record({
  name: fc.oneof(fc.constantFrom(...NAMES), fc.string({ maxLength: 6 })),
  value: fc.oneof(fc.constantFrom('a', ' a ', '\tb\r\n', '', ' ', 'x, y'), fc.string({ maxLength: 8 })),
});

describe('getAll and getHeader', () => {
  it('read short and long lists as lower-casing every name would', () => {
    fc.assert(
      fc.property(
        fc.array(line, { maxLength: 40 }),
        fc.constantFrom(...QUERIES),
        (list: HeaderLine[], name) => {
          const want = reference(list, name);
          expect([...getAll(list, name)]).toEqual(want);
          expect(getHeader(list, name)).toBe(want.length ? want.join(', ') : null);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('match a Kelvin sign to k, and a dotted capital I only to its two-character lower case', () => {
    const list: HeaderLine[] = [
      { name: 'X-\u212Aey', value: 'kelvin' },
      { name: 'X-\u0130d', value: 'dotted' },
    ];
    expect(getHeader(list, 'x-key')).toBe('kelvin');
    expect(getHeader(list, 'x-id')).toBeNull();
    expect(getHeader(list, 'x-i\u0307d')).toBe('dotted');
  });

  it('skip holes and read lines without a string name as the empty name', () => {
    const list = [
      undefined,
      { name: 42, value: 'n' },
      { name: 'A', value: ' v ' },
    ] as unknown as HeaderLine[];
    expect(getHeader(list, 'a')).toBe('v');
    expect(getHeader(list, '')).toBe('n');
  });
});

describe('normalizeValue', () => {
  it('strips leading and trailing HTTP whitespace only', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(' ', '\t', '\r', '\n', 'a', '\u00A0', ',') }), (v) => {
        expect(normalizeValue(v)).toBe(v.replace(/^[\t\n\r ]+|[\t\n\r ]+$/g, ''));
      }),
      { numRuns: 3000 },
    );
  });
});

/** headerHealth as plainly as it can be written: lower-case each name, test it, count with getAll. */
function healthReference(list: readonly HeaderLine[]): HeaderProblem[] {
  const problems: HeaderProblem[] = [];
  if (list.length > 200) problems.push({ kind: 'too-many', name: '', detail: `${list.length} header lines` });
  for (const line of list) {
    const name = typeof line?.name === 'string' ? line.name.toLowerCase() : '';
    if (!name || !isToken(name)) {
      problems.push({ kind: 'invalid-name', name: String(line?.name ?? ''), detail: 'not an HTTP token' });
      continue;
    }
    const v = lineValue(line);
    if (v.length > 8 * 1024) problems.push({ kind: 'oversized', name, detail: `${v.length} bytes` });
    if (name.startsWith('access-control-') && /[^\t\x20-\x7e]/.test(v))
      problems.push({ kind: 'invalid-bytes', name, detail: 'control or non-ASCII bytes' });
  }
  for (const name of [
    'access-control-allow-origin',
    'access-control-allow-credentials',
    'access-control-max-age',
  ]) {
    const c = getAll(list, name).length;
    if (c > 1) problems.push({ kind: 'duplicate', name, detail: `${c} lines` });
  }
  return problems;
}

describe('headerHealth', () => {
  const healthLine = fc.record({
    name: fc.oneof(
      fc.constantFrom(
        'Access-Control-Allow-Origin',
        'access-control-allow-origin',
        'ACCESS-CONTROL-MAX-AGE',
        'Access-Control-Allow-Credentials',
        'Access-Control-Allow-Methods',
        'Vary',
        'X-\u212Aey',
        'Bad Name',
        '',
        'caf\u00E9',
      ),
      fc.string({ maxLength: 5 }),
    ),
    value: fc.oneof(
      fc.constantFrom('*', 'a\u00E9', 'x\u0001', 'x'.repeat(9000)),
      fc.string({ maxLength: 6 }),
    ),
  });

  it('finds what lower-casing and testing every name finds, in the same order', () => {
    fc.assert(
      fc.property(fc.array(healthLine, { maxLength: 40 }), (list: HeaderLine[]) => {
        expect(headerHealth(list)).toEqual(healthReference(list));
      }),
      { numRuns: 2000 },
    );
    const many = Array.from({ length: 201 }, (_, i) => ({
      name: i % 2 ? 'Vary' : 'access-control-allow-origin',
      value: 'x',
    }));
    expect(headerHealth(many)).toEqual(healthReference(many));
  });
});
