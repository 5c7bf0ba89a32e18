/**
 * Header look-ups: short lists are scanned, long ones indexed; both must read a list exactly as
 * "lower-case every name, compare, normalize the value" does, whatever the names' case or script.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { getAll, getHeader, normalizeValue } from '../../src/engine/headers';
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
