/**
 * The HAR files real tools wrote around one page (test/e2e/har-producers.spec.ts, RECORD=1), read
 * without a browser: every call exact against the browser's verdict from the same run (Chromium's from
 * CDP; Firefox's from its console for Firefox's own file), or honestly undetermined, or absent because
 * the producer did not write it (or, in Firefox's file, undecidable for credentials: test/har/compare.ts).
 * The tools' versions are in test/fixtures/har/producers.json.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { unzipSync } from 'fflate';
import { explainHarText } from '../../src/har';
import { explainTraceZip } from '../../src/har/trace';
import { compare, tagOf, type BrowserCall, type ChromeCall, type LensCall } from './compare';

const DIR = join(import.meta.dirname, '..', 'fixtures', 'har');
const meta = JSON.parse(readFileSync(join(DIR, 'producers.json'), 'utf8')) as {
  chrome: ChromeCall[];
  files: { file: string; producer: string; tool: string; chrome?: ChromeCall[]; firefox?: BrowserCall[] }[];
};

/** The entries of a HAR file, or the resource snapshots of a trace's trace.network. */
function entriesOf(file: string): { request: { url: string; method: string } }[] {
  const bytes = readFileSync(join(DIR, file));
  if (!file.endsWith('.zip'))
    return (JSON.parse(bytes.toString('utf8')) as { log: { entries: [] } }).log.entries;
  const network = unzipSync(bytes, { filter: (f) => f.name.endsWith('.network') });
  return Object.values(network).flatMap((b) =>
    new TextDecoder()
      .decode(b)
      .split('\n')
      .filter(Boolean)
      .map((l) => (JSON.parse(l) as { snapshot: { request: { url: string; method: string } } }).snapshot),
  );
}

function judge(file: string, rows: BrowserCall[], browser: 'chrome' | 'firefox') {
  const r = file.endsWith('.zip')
    ? explainTraceZip(readFileSync(join(DIR, file)))
    : explainHarText(readFileSync(join(DIR, file), 'utf8'));
  if (!r.ok) throw new Error(r.error);
  const lens: LensCall[] = r.calls.map((c) => ({
    url: c.exchange.legs[0]?.url ?? '',
    method: c.exchange.method,
    outcome: c.verdict.outcome,
    kind: c.verdict.kind,
    chromeError: c.verdict.chromeError ?? null,
    firefoxReason: c.verdict.firefoxReason?.name ?? null,
    checkCommand: c.check?.command,
    credentials: c.verdict.credentials,
    confidence: c.verdict.confidence,
  }));
  const inFile = new Set(
    entriesOf(file)
      .filter((e) => e.request.method !== 'OPTIONS')
      .map((e) => tagOf(e.request.url))
      .filter((t): t is string => t !== null),
  );
  return { r, result: compare(rows, lens, inFile, browser) };
}

const BLOCKED_SIMPLE = [
  'simple GET without Access-Control-Allow-Origin',
  'simple GET, Access-Control-Allow-Origin names another origin',
  'credentialed GET answered with *',
];
const BLOCKED_PREFLIGHT = [
  'preflight answered 404',
  'preflight without Access-Control-Allow-Origin',
  'preflight does not allow the method',
  'preflight does not allow the header',
];
const ALLOWED = [
  'allowed simple GET',
  'allowed preflighted PUT',
  'redirect chain to a third origin (allowed, Origin null)',
  'no-cors image without Access-Control-Allow-Origin',
];
const all = (names: string[], m: string) => Object.fromEntries(names.map((n) => [n, m]));

/** What each producer's file lets CORS Lens say, call by call. */
const EXPECTED: Record<string, Record<string, string>> = {
  // Blocked calls are status -1 without headers or preflight: the file does not hold the answer.
  playwright: {
    ...all(BLOCKED_SIMPLE, 'undetermined'),
    ...all(BLOCKED_PREFLIGHT, 'undetermined'),
    ...all(ALLOWED, 'exact'),
  },
  // DevTools keeps a blocked response's status and headers, and its preflights: every call is exact.
  'chrome-devtools': {
    ...all(BLOCKED_SIMPLE, 'exact'),
    ...all(BLOCKED_PREFLIGHT, 'exact'),
    ...all(ALLOWED, 'exact'),
  },
  // Failed requests are dropped, their preflights kept: the preflight failures are exact.
  'chrome-har': {
    ...all(BLOCKED_SIMPLE, 'absent'),
    ...all(BLOCKED_PREFLIGHT, 'exact'),
    ...all(ALLOWED, 'exact'),
  },
  // Against Firefox's own reasons. Firefox keeps a blocked response's status and headers, and a blocked
  // preflighted call as status 0 next to its OPTIONS entry: exact. It records neither the credentials
  // mode nor what it blocked, so the credentialed call answered with `*` reads like an allowed one.
  firefox: {
    ...all(BLOCKED_SIMPLE, 'exact'),
    'credentialed GET answered with *': 'credentials unknown',
    ...all(BLOCKED_PREFLIGHT, 'exact'),
    ...all(ALLOWED, 'exact'),
  },
};

describe.each(meta.files)('$tool', ({ file, producer: recorded, chrome, firefox }) => {
  const { r, result } = firefox
    ? judge(file, firefox, 'firefox')
    : judge(file, chrome ?? meta.chrome, 'chrome');
  // A trace's network log is Playwright's HAR entries, read by the same rules.
  const producer = recorded === 'playwright-trace' ? 'playwright' : recorded;
  it('is known by its shape', () => {
    expect(r.producer.id).toBe(producer);
    if (recorded === 'playwright-trace') expect(r.producer.label).toMatch(/^Playwright 1\.65\.\d+ \(trace/);
  });
  it('judges every call exactly or says it cannot (none wrong)', () => {
    expect(result).toEqual(EXPECTED[producer]);
  });
  it("is judged by the rules of the browser that wrote it: Firefox's for Firefox's file, Chrome's for the rest", () => {
    const browser = producer === 'firefox' ? 'firefox' : 'chrome';
    expect(r.calls.length).toBeGreaterThan(0);
    for (const c of r.calls) expect(c.verdict.browser, c.exchange.legs[0]?.url).toBe(browser);
    for (const c of r.calls.filter((x) => x.verdict.consoleMessage))
      expect(c.verdict.consoleMessage, c.exchange.legs[0]?.url).toMatch(
        browser === 'firefox' ? /^Cross-Origin Request Blocked: / : /^Access to /,
      );
  });
  it('gives a check command for each call it cannot judge, with the method and headers from the file', () => {
    for (const c of r.calls.filter((x) => x.verdict.kind === 'answer-not-recorded')) {
      expect(c.check?.spec.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(c.check?.command).toContain(`--origin ${c.check?.spec.origin}`);
      if (c.exchange.method !== 'GET') expect(c.check?.command).toContain(`-X ${c.exchange.method}`);
    }
    const put = r.calls.find((c) => c.check && c.exchange.method === 'PUT');
    if (producer === 'playwright') expect(put?.check?.command).toMatch(/-X PUT -H 'X-Test: 1'$/);
  });
});

describe("Firefox 153 DevTools' own file: its shape, read as it is", () => {
  const fx = meta.files.find((f) => f.producer === 'firefox');
  if (!fx?.firefox) throw new Error('producers.json has no Firefox file with its verdicts');
  const rows = fx.firefox;
  const { r } = judge(fx.file, rows, 'firefox');
  const call = (name: string) => {
    const tag = rows.find((c) => c.name === name)?.tag;
    return r.calls.find((c) => tagOf(c.exchange.legs[0]?.url ?? '') === tag);
  };
  it('is known by creator.name Firefox, with its version', () => {
    expect(r.producer).toMatchObject({ id: 'firefox', label: 'Firefox DevTools 153.8.0' });
    expect(r.flavor).toBe('firefox');
  });
  it('pairs each OPTIONS entry, written after every request, with its status-0 or completed request', () => {
    expect(r.stats).toMatchObject({ preflights: 5, unpairedPreflights: 0 });
    for (const name of [...BLOCKED_PREFLIGHT, 'allowed preflighted PUT'])
      expect(call(name)?.exchange.legs[0]?.preflight?.response?.statusCode, name).toBeGreaterThan(0);
  });
  it('judges a blocked preflighted call (status 0, no response headers) from its OPTIONS answer, not as missing', () => {
    for (const name of BLOCKED_PREFLIGHT) {
      const c = call(name);
      expect(c?.exchange.outcome, name).toEqual({ state: 'failed', error: 'net::ERR_FAILED' });
      expect(c?.verdict).toMatchObject({ outcome: 'blocked', step: 'preflight' });
      expect(c?.check).toBeUndefined();
    }
  });
  it('judges a blocked simple call by its headers (status 200 in the file), and says the file cannot tell', () => {
    const c = call('simple GET without Access-Control-Allow-Origin');
    expect(c?.exchange.outcome).toEqual({ state: 'completed', statusCode: 200 });
    expect(c?.verdict).toMatchObject({
      outcome: 'blocked',
      firefoxReason: { name: 'CORSMissingAllowOrigin' },
    });
    expect(c?.notes.join(' ')).toMatch(/Firefox's HAR does not record whether it blocked/);
  });
  it('chains the redirect to the third origin (Origin: null there) into one call, and reads the image as no-cors', () => {
    const chain = call('redirect chain to a third origin (allowed, Origin null)');
    expect(chain?.exchange.legs).toHaveLength(2);
    expect(chain?.verdict.outcome).toBe('allowed');
    expect(call('no-cors image without Access-Control-Allow-Origin')?.verdict.outcome).toBe('not-cors');
  });
});
