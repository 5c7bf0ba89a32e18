/**
 * The streaming reader (big files on the command line) gives what the whole-file reader gives, however
 * the bytes are cut into chunks: on every HAR fixture, the hostile files, and generated HARs with
 * strings full of escapes, multi-byte characters and quotes.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { explainHarText, type HarResult } from '../../src/har';
import { HarStream } from '../../src/har/stream';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures');

function streamed(bytes: Uint8Array, size: number): HarResult {
  const s = new HarStream();
  for (let i = 0; i < bytes.length; i += size) s.write(bytes.slice(i, i + size));
  return s.end();
}

/** What must be the same: the calls, their verdicts, the counts and the problems. */
function summary(r: HarResult) {
  if (!r.ok) return { ok: false };
  return {
    ok: true,
    producer: r.producer.id,
    stats: r.stats,
    problems: r.problems,
    pageUrl: r.pageUrl,
    calls: r.calls.map((c) => [
      c.exchange.id,
      c.exchange.legs.map((l) => l.url),
      c.verdict.kind,
      c.verdict.outcome,
      c.verdict.chromeError,
      c.notes,
    ]),
  };
}

const files = [
  ...readdirSync(join(FIXTURES, 'har'))
    .filter((f) => f.endsWith('.har'))
    .map((f) => join(FIXTURES, 'har', f)),
  ...readdirSync(join(FIXTURES, 'hostile'))
    .filter((f) => /^har-.*\.har$/.test(f))
    .map((f) => join(FIXTURES, 'hostile', f)),
];

describe('HarStream = explainHarText', () => {
  it.each(files)('%s, in chunks of 1 byte to the whole file', (file) => {
    const bytes = readFileSync(file);
    const whole = summary(explainHarText(bytes.toString('utf8')));
    for (const size of [bytes.length, 65_536, 4096, 7, ...(bytes.length < 200_000 ? [1] : [])]) {
      const r = streamed(bytes, size);
      expect(summary(r), `chunks of ${size}`).toEqual(whole);
      if (!r.ok) expect(r.error).not.toMatch(/[\r\n]/);
    }
  });

  it('generated entries with escapes, quotes, brackets and multi-byte text in every string', () => {
    const text = fc.string({
      unit: fc.constantFrom('"', '\\', '{', '}', '[', ']', ',', ':', 'é', '😀', 'a', '\n'),
      maxLength: 30,
    });
    fc.assert(
      fc.property(
        fc.array(fc.record({ body: text, value: text, key: text }), { maxLength: 6 }),
        fc.integer({ min: 1, max: 50 }),
        (parts, size) => {
          const entries = parts.map((p, i) => ({
            startedDateTime: new Date(Date.UTC(2026, 0, 1) + i).toISOString(),
            [p.key]: [p.value, { [p.value]: p.body }],
            request: {
              method: 'GET',
              url: `https://api.example/${i}`,
              headers: [
                { name: 'Origin', value: 'https://app.example' },
                { name: `X-${p.key}`, value: p.value },
              ],
            },
            response: {
              status: 200,
              headers: [{ name: 'Access-Control-Allow-Origin', value: p.value }],
              content: { text: p.body },
            },
          }));
          const json = JSON.stringify({
            log: { creator: { name: 'WebInspector' }, pages: [{ title: 'x' }], entries, after: ['"]}'] },
          });
          const bytes = new TextEncoder().encode(json);
          expect(summary(streamed(bytes, size))).toEqual(summary(explainHarText(json)));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('long bodies are left out before parsing, but a server error keeps its body (its words are read)', () => {
    // Express's error page for the cors origin function's refusal, long and with escapes, in a 500 and
    // (base64) in a 503; the same page in a 200 is never read.
    const page = `<!DOCTYPE html>\n<pre>Error: Not allowed by CORS<br> &nbsp; &nbsp;at "origin" \\ ${'x'.repeat(400)}</pre>`;
    const entry = (i: number, status: number, content: object, key = 'text') => ({
      startedDateTime: new Date(Date.UTC(2026, 0, 1) + i).toISOString(),
      request: {
        method: 'GET',
        url: `https://api.example/${i}`,
        headers: [{ name: 'Origin', value: 'https://app.example' }],
      },
      response: {
        status,
        headers: [{ name: 'X-Powered-By', value: 'Express' }],
        content: { ...content, [key]: page },
        _error: 'net::ERR_FAILED',
      },
    });
    const json = JSON.stringify(
      {
        log: {
          creator: { name: 'WebInspector' },
          pages: [{ title: 'x' }],
          entries: [
            entry(0, 500, { mimeType: 'text/html' }),
            entry(1, 200, { mimeType: 'text/html' }),
            {
              ...entry(2, 503, { encoding: 'base64' }),
              response: {
                status: 503,
                headers: [],
                content: { encoding: 'base64', text: btoa(page) },
                _error: 'net::ERR_FAILED',
              },
            },
            entry(3, 404, { mimeType: 'text/html' }, 'other'),
          ],
        },
      },
      null,
      1,
    );
    const bytes = new TextEncoder().encode(json);
    const whole = explainHarText(json);
    if (!whole.ok) throw new Error(whole.error);
    const refusal = whole.calls.filter((c) => /Not allowed by CORS/.test(c.verdict.explanation.join(' ')));
    expect(refusal.map((c) => c.exchange.legs[0]?.url)).toEqual([
      'https://api.example/0',
      'https://api.example/2',
    ]);
    for (const size of [bytes.length, 4096, 300, 13, 1])
      expect(summary(streamed(bytes, size)), `chunks of ${size}`).toEqual(summary(whole));
    const s = new HarStream();
    s.write(bytes);
    const r = s.end();
    expect(r.ok && r.calls.map((c) => c.verdict.explanation)).toEqual(
      whole.calls.map((c) => c.verdict.explanation),
    );
  });

  it('a cut file says it ends early; a file that is not a HAR says so', () => {
    const good = new TextEncoder().encode(
      JSON.stringify({ log: { entries: [{ request: { url: 'https://a.example/' } }] } }),
    );
    for (let cut = 1; cut < good.length; cut += 5)
      expect(streamed(good.slice(0, cut), 3)).toMatchObject({
        ok: false,
        error: expect.stringMatching(/^not valid JSON/),
      });
    expect(streamed(new TextEncoder().encode('[1,2]'), 2)).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^not a HAR/),
    });
    expect(streamed(new TextEncoder().encode('{"log":{"entries":{}}}'), 2)).toMatchObject({
      ok: false,
      error: expect.stringMatching(/not a list/),
    });
    expect(streamed(new Uint8Array(), 2)).toMatchObject({ ok: false, error: 'the file is empty' });
  });
});
