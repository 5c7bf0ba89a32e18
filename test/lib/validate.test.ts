import { describe, expect, it } from 'vitest';
import {
  hasFields,
  isArrayOf,
  isCount,
  isFiniteNumber,
  isInteger,
  isNonEmptyArray,
  isNumber,
  isObject,
  isOneOf,
  isRecord,
  isString,
  optional,
} from '../../src/lib/validate';

describe('validate', () => {
  it('tells objects from JSON objects', () => {
    expect([{}, [], new Map()].map(isObject)).toEqual([true, true, true]);
    expect([{}, [], null, 'x'].map(isRecord)).toEqual([true, false, false, false]);
    expect([null, undefined, 1, 'x'].map(isObject)).toEqual([false, false, false, false]);
  });

  it('reads numbers the way each reader needs them', () => {
    const values = [0, -1, 1.5, NaN, Infinity, '1', null];
    expect(values.map(isNumber)).toEqual([true, true, true, true, true, false, false]);
    expect(values.map(isFiniteNumber)).toEqual([true, true, true, false, false, false, false]);
    expect(values.map(isInteger)).toEqual([true, true, false, false, false, false, false]);
    expect(values.map(isCount)).toEqual([true, false, false, false, false, false, false]);
  });

  it('checks lists item by item', () => {
    expect(isArrayOf(isString)(['a', 'b'])).toBe(true);
    expect(isArrayOf(isString)([])).toBe(true);
    expect(isArrayOf(isString)(['a', 1])).toBe(false);
    expect(isArrayOf(isString)('a')).toBe(false);
    expect([[], [0], {}].map(isNonEmptyArray)).toEqual([false, true, false]);
  });

  it('checks the named fields of an object, and only those', () => {
    interface Leg {
      url: string;
      status?: number;
      headers: { name: string }[];
    }
    const isLeg = hasFields<Leg>({ url: isString, status: optional(isNumber) });
    expect(isLeg({ url: 'https://a.example' })).toBe(true);
    expect(isLeg({ url: 'https://a.example', status: 200, other: 'kept' })).toBe(true);
    expect(isLeg({ url: 'https://a.example', status: '200' })).toBe(false);
    expect(isLeg({ status: 200 })).toBe(false);
    expect(isLeg(null)).toBe(false);
    expect(isLeg(['https://a.example'])).toBe(false);
    // An array passes as an object unless the guard asks for a JSON object.
    const withUrl = Object.assign([], { url: 'u' });
    expect(isLeg(withUrl)).toBe(true);
    expect(hasFields<Leg>({ url: isString }, { record: true })(withUrl)).toBe(false);
  });

  it('accepts one of a closed set of values', () => {
    const isReason = isOneOf('navigation', 'user');
    expect(['navigation', 'user', 'other', undefined].map(isReason)).toEqual([true, true, false, false]);
  });
});
