/**
 * Checks for data from outside the program: port messages, stored records, HAR files, the `ci` config
 * file, opened reports. Each reader builds its guard from these few parts, so "an object", "a count",
 * "a list of X" mean the same everywhere.
 *
 * A leaf: it imports nothing from the project, so every layer (engine to panel) may import it.
 * Hand-written: a schema library would add to the extension bundle for a dozen one-line checks.
 *
 * A guard built with {@link hasFields} declares a whole type but checks only the fields it names: the
 * fields a reader relies on first. The rest of such a value is read defensively where it is used.
 */

/** A type guard: `value is T` when it returns true. */
export type Guard<T> = (value: unknown) => value is T;

/** A check of one field's value. */
export type Check = (value: unknown) => boolean;

/** An object, not null (arrays included: a structured clone may hold either). */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** A JSON object: an object that is not an array. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function isString(value: unknown): value is string {
  return typeof value === 'string';
}

export function isBoolean(value: unknown): value is boolean {
  return typeof value === 'boolean';
}

/** A number (NaN and the infinities included; see {@link isFiniteNumber}). */
export function isNumber(value: unknown): value is number {
  return typeof value === 'number';
}

export function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

export function isInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value);
}

/** A whole number >= 0. */
export function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}

/** An array. */
export function isArray(value: unknown): value is unknown[] {
  return Array.isArray(value);
}

/** An array with at least one item. */
export function isNonEmptyArray(value: unknown): value is unknown[] {
  return Array.isArray(value) && value.length > 0;
}

/** An array whose every item passes `item` (an empty array passes). */
export function isArrayOf<T>(item: Guard<T>): Guard<T[]>;
export function isArrayOf(item: Check): Guard<unknown[]>;
export function isArrayOf(item: Check): Guard<unknown[]> {
  return (value: unknown): value is unknown[] => Array.isArray(value) && value.every((v) => item(v));
}

/** Absent (undefined) or passing `check`. */
export function optional(check: Check): Check {
  return (value) => value === undefined || check(value);
}

/** One of the given values (compared with ===). */
export function isOneOf<const T extends readonly unknown[]>(...values: T): Guard<T[number]> {
  return (value: unknown): value is T[number] => values.includes(value);
}

/**
 * An object whose named fields pass their checks. Declares the type `T`; checks only the fields named
 * (typed as T's keys, so a misspelt field does not compile). `record: true` also refuses arrays.
 */
export function hasFields<T>(
  fields: { readonly [K in keyof T & string]?: Check },
  options: { record?: boolean } = {},
): Guard<T> {
  const entries: [string, Check][] = [];
  for (const [key, check] of Object.entries<Check | undefined>(fields)) if (check) entries.push([key, check]);
  const isBase = options.record ? isRecord : isObject;
  return (value: unknown): value is T => isBase(value) && entries.every(([key, check]) => check(value[key]));
}
