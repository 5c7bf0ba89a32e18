/* eslint-disable no-control-regex -- the tests look for control characters */
/**
 * The HAR reader never throws. Generated HARs with a wrong type in any field, truncated files, deep
 * nesting, NUL bytes, 1 MB header values and 10,000 headers: an unreadable entry is counted and named
 * (its index and what was wrong), and only a file that is not a HAR fails, with one line.
 * Small hostile files live in test/fixtures/hostile/ (har-*.har); the big ones are generated here.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { strToU8, zipSync } from 'fflate';
import { explainTraceZip } from '../../src/har/trace';
import { describe, expect, it } from 'vitest';
import { explainHarText, type HarCall } from '../../src/har';
import { parseReportOrHar } from '../../src/panel/open-report';
import { isKind } from '../../src/engine/catalogue';
import { buildReport } from '../../src/report/json';
import { reportMarkdownParts } from '../../src/report/markdown';

const HOSTILE = join(import.meta.dirname, '..', 'fixtures', 'hostile');
const APP = 'https://app.example';
const API = 'https://api.example';

function validEntry(i: number): Record<string, unknown> {
  const pre = i % 3 === 0;
  return {
    pageref: 'page_1',
    startedDateTime: new Date(Date.UTC(2026, 0, 1) + i * 10).toISOString(),
    time: 5,
    _resourceType: pre ? 'preflight' : 'fetch',
    _initiator: { type: pre ? 'preflight' : 'script', url: `${APP}/app.js` },
    request: {
      method: pre ? 'OPTIONS' : 'PUT',
      url: `${API}/items/${Math.floor(i / 3)}`,
      httpVersion: 'HTTP/1.1',
      headers: [
        { name: 'Origin', value: APP },
        { name: 'Referer', value: `${APP}/` },
        { name: 'Sec-Fetch-Mode', value: 'cors' },
        pre
          ? { name: 'Access-Control-Request-Method', value: 'PUT' }
          : { name: 'Content-Type', value: 'application/json' },
      ],
      cookies: [{ name: 'sid', value: '1' }],
      queryString: [],
      headersSize: -1,
      bodySize: 0,
    },
    response: {
      status: i % 4 === 1 ? 0 : 200,
      statusText: 'OK',
      httpVersion: 'HTTP/1.1',
      headers: [{ name: 'Access-Control-Allow-Origin', value: i % 2 ? APP : 'https://other.example' }],
      cookies: [],
      content: { size: 2, mimeType: 'application/json', text: '{}' },
      redirectURL: '',
      headersSize: -1,
      bodySize: 2,
      _error: i % 4 === 1 ? 'net::ERR_FAILED' : null,
    },
    cache: {},
    timings: { send: 0, wait: 5, receive: 0 },
  };
}

/** Every field path of an entry (objects and lists, down to the leaves). */
function paths(x: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  const out: (string | number)[][] = prefix.length ? [prefix] : [];
  if (Array.isArray(x)) x.forEach((v, i) => out.push(...paths(v, [...prefix, i])));
  else if (x && typeof x === 'object')
    for (const [k, v] of Object.entries(x)) out.push(...paths(v, [...prefix, k]));
  return out;
}

function setAt(root: unknown, path: (string | number)[], value: unknown): void {
  let cur = root as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) cur = cur[key] as Record<string | number, unknown>;
  cur[path[path.length - 1] as string | number] = value;
}

const ENTRY_PATHS = paths(validEntry(0)).concat(paths(validEntry(1)));

/** A JSON value of any type, some of them hostile strings. */
const hostileValue = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom(
    '\u0000',
    'a\u0000b',
    '\u001b]0;x\u0007',
    '\u202e',
    '-1',
    'NaN',
    '',
    ' ',
    '::1',
    'http://[::1',
  ),
  fc.constantFrom(-1, 0, 1e308, -0, 2 ** 53),
);

/** An entry with one field (anywhere) replaced by a value of another type, or removed. */
const mutatedEntry = fc
  .tuple(fc.nat(20), fc.constantFrom(...ENTRY_PATHS), hostileValue, fc.boolean())
  .map(([i, path, value, remove]) => {
    const e = validEntry(i);
    if (remove) {
      const parent = path.slice(0, -1).reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], e);
      if (parent && typeof parent === 'object')
        delete (parent as Record<string, unknown>)[path[path.length - 1] as string];
    } else setAt(e, path, value);
    return e;
  });

const anyEntry = fc.oneof(
  { weight: 3, arbitrary: fc.nat(30).map(validEntry) },
  { weight: 6, arbitrary: mutatedEntry },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
);

/** What must hold of any result: the calls are well-formed, and every entry is either read or named. */
function checkResult(text: string, n: number): void {
  const r = explainHarText(text);
  expect(r.ok).toBe(true);
  if (!r.ok) return;
  expect(r.stats.entries).toBe(n);
  const skipped = r.problems.filter((p) => p.skipped);
  expect(skipped.length).toBe(r.stats.unreadable);
  for (const p of r.problems) {
    expect(p.index).toBeGreaterThanOrEqual(0);
    expect(p.index).toBeLessThan(n);
    expect(p.problem).not.toMatch(/[\r\n]/);
  }
  for (const c of r.calls) {
    expect(isKind(c.verdict.kind)).toBe(true);
    expect(typeof c.verdict.title).toBe('string');
    if (c.check) expect(c.check.command).not.toMatch(/[\u0000-\u001f\u007f]/);
  }
  // The reports are made from the calls without throwing.
  const entries = r.calls.map(({ exchange, verdict }: HarCall) => ({ exchange, verdict }));
  JSON.stringify(buildReport(entries, { redact: true }));
  for (const _ of reportMarkdownParts(entries, { redact: true })) void _;
}

describe('generated HARs', () => {
  it('a wrong type in any field of any entry: never throws, every entry read or named', () => {
    fc.assert(
      fc.property(
        fc.array(anyEntry, { maxLength: 12 }),
        fc.option(fc.jsonValue({ maxDepth: 2 })),
        fc.option(fc.jsonValue({ maxDepth: 2 })),
        (entries, creator, pages) => {
          const log: Record<string, unknown> = { version: '1.2', entries };
          if (creator !== null) log.creator = creator;
          if (pages !== null) log.pages = pages;
          checkResult(JSON.stringify({ log }), entries.length);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('a truncated file fails as a whole, with one line saying so', () => {
    const text = JSON.stringify({ log: { version: '1.2', entries: [0, 1, 2, 3, 4].map(validEntry) } });
    fc.assert(
      fc.property(fc.integer({ min: 0, max: text.length - 1 }), (cut) => {
        const r = explainHarText(text.slice(0, cut));
        expect(r.ok).toBe(false);
        if (!r.ok) {
          expect(r.error).not.toMatch(/[\r\n]/);
          expect(r.error).toMatch(/^(the file is empty|not valid JSON)/);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('what is not a HAR fails as a whole with one line; the panel says it too', () => {
    for (const text of ['[]', 'null', '"log"', '{"log": 1}', '{"log": {"entries": {}}}', '{"entries": []}']) {
      const r = explainHarText(text);
      expect(r, text).toMatchObject({ ok: false, error: expect.stringMatching(/^not a HAR file/) });
    }
    expect(parseReportOrHar('{"log": {"entries": "x"}}')).toMatchObject({ ok: false });
  });
});

describe('Playwright traces that are not what they say', () => {
  const zip = (files: Record<string, string>) =>
    zipSync(Object.fromEntries(Object.entries(files).map(([k, v]) => [k, strToU8(v)])));
  it('a zip without trace.network, a cut zip and random bytes fail with one line', () => {
    const good = zip({ 'trace.network': '' });
    for (const [bytes, msg] of [
      [zip({ 'readme.txt': 'hi' }), /^not a Playwright trace \(no trace\.network/],
      [good.slice(0, good.length - 10), /^not a readable zip file/],
      [new Uint8Array([0x50, 0x4b, 3, 4, 1, 2, 3]), /^not a readable zip file/],
    ] as const) {
      const r = explainTraceZip(bytes);
      expect(r).toMatchObject({ ok: false, error: expect.stringMatching(msg) });
      if (!r.ok) expect(r.error).not.toMatch(/[\r\n]/);
    }
  });
  it('lines that are not JSON are named; other lines and types are read or ignored', () => {
    const snap = JSON.stringify({ type: 'resource-snapshot', snapshot: validEntry(1) });
    const r = explainTraceZip(
      zip({
        'trace.network': `${snap}\n{not json\n${JSON.stringify({ type: 'other' })}\n\n${snap.slice(0, 50)}\n`,
      }),
    );
    if (!r.ok) throw new Error(r.error);
    expect(r.calls).toHaveLength(1);
    expect(r.stats.unreadable).toBe(2);
    expect(r.problems.map((p) => p.problem)).toEqual([
      expect.stringMatching(/^trace\.network line 2: not valid JSON/),
      expect.stringMatching(/^trace\.network line 5: not valid JSON/),
    ]);
  });
});

describe('big and strange values', () => {
  const one = (entry: unknown) =>
    JSON.stringify({ log: { creator: { name: 'WebInspector' }, entries: [entry] } });

  it('10,000 request and response headers', () => {
    const e = validEntry(1) as { request: { headers: unknown[] }; response: { headers: unknown[] } };
    for (let i = 0; i < 10_000; i++) {
      e.request.headers.push({ name: `X-H${i}`, value: String(i) });
      e.response.headers.push({ name: `X-R${i}`, value: String(i) });
    }
    checkResult(one(e), 1);
  });

  it('1 MB header values, on the request and the response', () => {
    const e = validEntry(1) as { request: { headers: unknown[] }; response: { headers: unknown[] } };
    const big = 'a'.repeat(1 << 20);
    e.request.headers.push({ name: 'X-Big', value: big });
    e.response.headers.push({ name: 'Access-Control-Allow-Headers', value: big });
    e.response.headers.push({ name: 'X-Big', value: `${big},${big}` });
    checkResult(one(e), 1);
  });

  it('deep nesting (100,000 levels) in an extra field and in the header list', () => {
    const deep = (n: number) => `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`;
    const list = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`;
    const base = JSON.stringify(validEntry(1));
    const withDeep = base.replace('"_initiator":', `"_deep":${deep(100_000)},"_initiator":`);
    const withDeepHeaders = base.replace('"headers":[', `"headers":[${list(100_000)},`);
    checkResult(`{"log":{"entries":[${withDeep},${withDeepHeaders}]}}`, 2);
  });

  it('NUL and control bytes in names, values and URLs', () => {
    const e = validEntry(2) as { request: { url: string; headers: { name: string; value: string }[] } };
    e.request.url = `${API}/a\u0000b?x=\u0000`;
    e.request.headers.push({ name: 'X-\u0000', value: '\u0000\u001b[2J' }, { name: '\u0000', value: '' });
    checkResult(one(e), 1);
  });
});

describe('test/fixtures/hostile/har-*.har', () => {
  const files = readdirSync(HOSTILE).filter((f) => /^har-.*\.har$/.test(f));
  it('are there', () => expect(files.length).toBeGreaterThanOrEqual(4));
  it.each(files)('%s: read, or refused with one line', (file) => {
    const text = readFileSync(join(HOSTILE, file), 'utf8');
    const r = explainHarText(text);
    if (file.includes('not-a-har') || file.includes('truncated')) {
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error).not.toMatch(/[\r\n]/);
    } else {
      expect(r.ok).toBe(true);
      if (!r.ok) return;
      expect(r.calls.length + r.stats.unreadable + r.problems.length).toBeGreaterThan(0);
      expect(r.producer.label).not.toMatch(/[\u0000-\u001f]/);
    }
  });

  it('names each unreadable entry and each field of the wrong type by index', () => {
    const r = explainHarText(readFileSync(join(HOSTILE, 'har-wrong-types.har'), 'utf8'));
    if (!r.ok) throw new Error(r.error);
    expect(r.stats).toMatchObject({ entries: 9, unreadable: 5 });
    expect(r.problems).toEqual([
      { index: 0, problem: 'the entry is null, not an object', skipped: true },
      { index: 1, problem: 'the entry is a string, not an object', skipped: true },
      { index: 2, problem: 'the entry is a list, not an object', skipped: true },
      { index: 3, problem: '"request" is a list, not an object', skipped: true },
      { index: 4, problem: '"request.url" is an object, not text', skipped: true },
      { index: 5, problem: '"startedDateTime" is not a date', skipped: false },
      { index: 6, problem: '"request.headers" is an object, not a list', skipped: false },
      { index: 6, problem: '"request.method" is a number, not text', skipped: false },
      { index: 7, problem: '"response.status" is a string, not a number', skipped: false },
      { index: 7, problem: '"response.headers": 2 lines without a text name and value', skipped: false },
    ]);
  });
});
