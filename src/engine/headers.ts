/**
 * Header lists as webRequest reports them, read the way the Fetch standard and Chrome read them.
 * Nothing here throws: malformed input is reported through {@link headerHealth}.
 */
import type { HeaderLine, HeaderList } from './types';

/** HTTP whitespace: HT, LF, CR, SP. https://fetch.spec.whatwg.org/#http-whitespace */
const HTTP_WS = /^[\t\n\r ]+|[\t\n\r ]+$/g;

/** A header line's value as a string; `binaryValue` bytes are read as Latin-1 (one char per byte). */
export function lineValue(line: HeaderLine): string {
  if (typeof line.value === 'string') return line.value;
  if (Array.isArray(line.binaryValue)) {
    let s = '';
    for (const b of line.binaryValue) s += String.fromCharCode(typeof b === 'number' ? b & 0xff : 0);
    return s;
  }
  return '';
}

/** https://fetch.spec.whatwg.org/#concept-header-value-normalize */
export function normalizeValue(value: string): string {
  // Most values have nothing to strip: skip the regular expression then.
  const n = value.length;
  if (n === 0 || (!isHttpWs(value.charCodeAt(0)) && !isHttpWs(value.charCodeAt(n - 1)))) return value;
  return value.replace(HTTP_WS, '');
}

function isHttpWs(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

function lineName(line: HeaderLine): string {
  return typeof line?.name === 'string' ? line.name.toLowerCase() : '';
}

/**
 * Lower-cased name → normalized values, built once per long header list and memoized by identity
 * (and length, in case a list grows): the engine asks the same lists for many headers. Header lists
 * are treated as immutable once observed. Short lists (nearly all of them) are scanned instead:
 * an index per list would outlive the verdict by far, and cost more memory than it saves time.
 */
const INDEX = new WeakMap<object, { length: number; idx: Map<string, string[]> }>();
const INDEX_FROM = 24;

function indexOf(list: HeaderList): Map<string, string[]> {
  const hit = INDEX.get(list);
  if (hit && hit.length === list.length) return hit.idx;
  const idx = new Map<string, string[]>();
  for (const line of list) {
    if (!line) continue;
    const n = lineName(line);
    const v = normalizeValue(lineValue(line));
    const cur = idx.get(n);
    if (cur) cur.push(v);
    else idx.set(n, [v]);
  }
  INDEX.set(list, { length: list.length, idx });
  return idx;
}

/** Only ASCII characters (no regular expression: called once per look-up). */
function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return false;
  return true;
}

/**
 * `name.toLowerCase() === want` for a lower-case `want`, without lower-casing ASCII names. When
 * `want` is ASCII, only a name of the same length can lower-case to it (the one non-ASCII letter that
 * lower-cases to ASCII, the Kelvin sign, keeps the length); any non-ASCII case goes to toLowerCase.
 */
function sameName(name: string, want: string, wantAscii: boolean): boolean {
  if (name === want) return true;
  const n = want.length;
  if (!wantAscii || name.length !== n) return !wantAscii && name.toLowerCase() === want;
  for (let i = 0; i < n; i++) {
    const a = name.charCodeAt(i);
    const b = want.charCodeAt(i);
    if (a === b && a < 0x80) continue;
    if (a >= 0x41 && a <= 0x5a && a + 0x20 === b) continue;
    // An ASCII character that does not lower-case to `b`: no match. Anything else: ask toLowerCase.
    return a < 0x80 ? false : name.toLowerCase() === want;
  }
  return true;
}

/** Whether a (possibly malformed) header line has the lower-case name `want`; a line with no name has name "". */
function lineNamed(line: HeaderList[number] | undefined, want: string, wantAscii: boolean): boolean {
  if (!line) return false;
  const n = line.name;
  return typeof n === 'string' ? sameName(n, want, wantAscii) : want === '';
}

/** `name.toLowerCase() === lower` (`lower` being lower case), without the lower-cased copy. */
export function isHeaderNamed(name: string, lower: string): boolean {
  return sameName(name, lower, isAscii(lower));
}

const NONE: readonly string[] = Object.freeze([]);

/** A look-up name that is lower-case ASCII already (the usual literal): one pass, no copy. */
function isLowerAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c > 0x7f || (c >= 0x41 && c <= 0x5a)) return false;
  }
  return true;
}

/** Every value of `name` (case-insensitive), normalized, in order. Do not mutate the result. */
export function getAll(list: HeaderList | undefined, name: string): readonly string[] {
  if (!Array.isArray(list)) return NONE;
  const plain = isLowerAscii(name);
  const want = plain ? name : name.toLowerCase();
  if (list.length >= INDEX_FROM) return indexOf(list).get(want) ?? NONE;
  const wantAscii = plain || isAscii(want);
  let out: string[] | undefined;
  for (const line of list as HeaderList) {
    if (!lineNamed(line, want, wantAscii)) continue;
    const v = normalizeValue(lineValue(line));
    if (out) out.push(v);
    else out = [v];
  }
  return out ?? NONE;
}

/**
 * https://fetch.spec.whatwg.org/#concept-header-list-get — all lines with that name, combined with
 * ", ". Chrome's `HttpResponseHeaders::GetNormalizedHeader` does the same. `null` when absent.
 */
export function getHeader(list: HeaderList | undefined, name: string): string | null {
  if (!Array.isArray(list)) return null;
  if (list.length >= INDEX_FROM) {
    const all = getAll(list, name);
    return all.length === 0 ? null : all.length === 1 ? (all[0] as string) : all.join(', ');
  }
  // getAll's scan, without a list for the usual one value.
  const plain = isLowerAscii(name);
  const want = plain ? name : name.toLowerCase();
  const wantAscii = plain || isAscii(want);
  let first: string | null = null;
  let all: string[] | undefined;
  for (const line of list as HeaderList) {
    if (!lineNamed(line, want, wantAscii)) continue;
    const v = normalizeValue(lineValue(line));
    if (first === null) first = v;
    else (all ??= [first]).push(v);
  }
  return all ? all.join(', ') : first;
}

export function hasHeader(list: HeaderList | undefined, name: string): boolean {
  return getAll(list, name).length > 0;
}

/**
 * The elements of a comma-separated header value, trimmed, empty ones skipped (the lenient reading
 * used for `Access-Control-Request-Headers`, `Vary` and friends; the strict one for the preflight's
 * allow lists is `extractHeaderListValues` in cors-check.ts).
 */
export function splitList(value: string | null | undefined): string[] {
  if (!value) return [];
  const out: string[] = [];
  for (const raw of value.split(',')) {
    const item = normalizeValue(raw);
    if (item) out.push(item);
  }
  return out;
}

/** https://fetch.spec.whatwg.org/#header-name: a token. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
export function isToken(s: string): boolean {
  return TOKEN.test(s);
}

export interface HeaderProblem {
  kind: 'duplicate' | 'oversized' | 'invalid-bytes' | 'invalid-name' | 'too-many';
  name: string;
  detail: string;
}

const MAX_VALUE_FOR_REPORT = 8 * 1024;
const MANY_HEADERS = 200;

/** CORS response headers that must appear at most once; a second line changes their meaning. */
const SINGLE_VALUED = [
  'access-control-allow-origin',
  'access-control-allow-credentials',
  'access-control-max-age',
];

/** Each header name as sent → its lower case when that is a token, else null (see headerHealth). */
const TOKEN_NAMES = new Map<string, string | null>();
const TOKEN_NAMES_LIMIT = 512;

/** `lineName(line)` when it is a valid name (a token), else null; remembered per name as sent. */
function tokenName(raw: unknown): string | null {
  if (typeof raw !== 'string') return null;
  const hit = TOKEN_NAMES.get(raw);
  if (hit !== undefined) return hit;
  const lower = raw.toLowerCase();
  const name = lower && isToken(lower) ? lower : null;
  if (TOKEN_NAMES.size >= TOKEN_NAMES_LIMIT) TOKEN_NAMES.clear();
  TOKEN_NAMES.set(raw, name);
  return name;
}

/**
 * Problems in a header list that are worth a finding: duplicate CORS lines (often a proxy and the app
 * both adding them), values with control or non-ASCII bytes, oversized values, invalid names.
 */
export function headerHealth(list: HeaderList | undefined): HeaderProblem[] {
  const problems: HeaderProblem[] = [];
  if (!Array.isArray(list)) return problems;
  const lines: HeaderList = list;
  if (lines.length > MANY_HEADERS) {
    problems.push({ kind: 'too-many', name: '', detail: `${lines.length} header lines` });
  }
  // Lines of each SINGLE_VALUED name, counted on the way.
  const counts = SINGLE_VALUED.map(() => 0);
  for (const line of lines) {
    const name = tokenName(line?.name);
    if (name === null) {
      problems.push({ kind: 'invalid-name', name: String(line?.name ?? ''), detail: 'not an HTTP token' });
      continue;
    }
    const v = lineValue(line);
    if (v.length > MAX_VALUE_FOR_REPORT) {
      problems.push({ kind: 'oversized', name, detail: `${v.length} bytes` });
    }
    // https://fetch.spec.whatwg.org/#header-value: no NUL, CR or LF; other controls and non-ASCII
    // bytes are legal but never valid in a CORS header.
    if (name.charCodeAt(0) === 97 && name.startsWith('access-control-')) {
      if (/[^\t\x20-\x7e]/.test(v)) {
        problems.push({ kind: 'invalid-bytes', name, detail: 'control or non-ASCII bytes' });
      }
      const k = SINGLE_VALUED.indexOf(name);
      if (k >= 0) counts[k]!++;
    }
  }
  SINGLE_VALUED.forEach((name, k) => {
    const c = counts[k]!;
    if (c > 1) problems.push({ kind: 'duplicate', name, detail: `${c} lines` });
  });
  return problems;
}

/** Truncate a value for display in explanations (facts keep a bounded copy too). */
export function clip(value: string, max = 200): string {
  return value.length > max ? `${value.slice(0, max)}… (${value.length} bytes)` : value;
}
