/**
 * HAR files as real tools write them, against Chromium's own verdicts from the same run (CDP): one page
 * (test/e2e/har-record.ts) recorded by Playwright's `recordHar` and by chrome-har from the page's CDP
 * events, then read by the built `cors-lens har --json`. Every call is exact (outcome and Chrome's
 * error name) or honestly undetermined (blocked, with the check command), or absent from the file
 * because the producer did not write it. None is wrong.
 *
 * RECORD=1 saves the files and Chrome's verdicts under test/fixtures/har/ (with the tools' versions in
 * producers.json) for the browser-free test/har/producers.test.ts.
 */
import { test, expect } from '@playwright/test';
import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { ROOT, startServers, type Servers } from './harness';
import { recordDevTools, recordProducers, type ChromeRow, type Recording } from './har-record';
import { compare, tagOf, type LensCall } from '../har/compare';

const CLI = join(ROOT, 'dist', 'cli', 'cors-lens.js');
const RECORD = process.env.RECORD === '1';

test.describe.configure({ mode: 'serial' });

let servers: Servers;
let tmp: string;
let rec: Recording;

test.beforeAll(async () => {
  test.setTimeout(90_000);
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build first`);
  servers = await startServers();
  tmp = mkdtempSync(join(tmpdir(), 'cors-lens-producers-'));
  rec = await recordProducers(servers, tmp);
});

test.afterAll(async () => {
  await servers?.close();
  saveFixtures();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [CLI, ...args],
      { env: { ...process.env, NO_COLOR: '1' }, maxBuffer: 64 << 20 },
      (error, stdout, stderr) =>
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr }),
    );
  });
}

/** The tags of the requests (not preflights) the file has entries for. */
function tagsInFile(file: string): Set<string> {
  type E = { request: { url: string; method: string } };
  const entries: E[] = file.endsWith('.zip')
    ? Object.values(unzipSync(readFileSync(file), { filter: (f) => f.name.endsWith('.network') })).flatMap(
        (b) =>
          new TextDecoder()
            .decode(b)
            .split('\n')
            .filter(Boolean)
            .map((l) => (JSON.parse(l) as { snapshot: E }).snapshot),
      )
    : (JSON.parse(readFileSync(file, 'utf8')) as { log: { entries: E[] } }).log.entries;
  return new Set(
    entries
      .filter((e) => e.request.method !== 'OPTIONS')
      .map((e) => tagOf(e.request.url))
      .filter((t): t is string => t !== null),
  );
}

async function judged(file: string, producer: string, chrome = rec.chrome) {
  const run = await cli(['har', file, '--json', '--no-redact']);
  expect(run.stderr).toBe('');
  const report = JSON.parse(run.stdout) as { producer: { id: string }; calls: LensCall[] };
  expect(report.producer.id).toBe(producer);
  return compare(chrome, report.calls, tagsInFile(file));
}

test('Chromium blocked what the page means to be blocked, and allowed the rest', () => {
  const byName = Object.fromEntries(
    rec.chrome.map((c) => [c.name, `${c.outcome} ${c.chromeError ?? ''}`.trim()]),
  );
  expect(byName).toEqual({
    'simple GET without Access-Control-Allow-Origin': 'blocked MissingAllowOriginHeader',
    'simple GET, Access-Control-Allow-Origin names another origin': 'blocked AllowOriginMismatch',
    'credentialed GET answered with *': 'blocked WildcardOriginNotAllowed',
    'preflight answered 404': 'blocked PreflightMissingAllowOriginHeader',
    'preflight without Access-Control-Allow-Origin': 'blocked PreflightMissingAllowOriginHeader',
    'preflight does not allow the method': 'blocked MethodDisallowedByPreflightResponse',
    'preflight does not allow the header': 'blocked HeaderDisallowedByPreflightResponse',
    'allowed simple GET': 'allowed',
    'allowed preflighted PUT': 'allowed',
    'redirect chain to a third origin (allowed, Origin null)': 'allowed',
    'no-cors image without Access-Control-Allow-Origin': 'allowed',
  });
});

test('Playwright recordHar: every call exact or honestly undetermined', async () => {
  const result = await judged(rec.files.playwright, 'playwright');
  const wrong = Object.entries(result).filter(([, m]) => m.startsWith('wrong'));
  expect(wrong, JSON.stringify(result, null, 1)).toEqual([]);
  // Playwright keeps every call; the allowed ones are exact.
  expect(Object.values(result).filter((m) => m === 'absent')).toEqual([]);
  expect(result['allowed simple GET']).toBe('exact');
  expect(result['redirect chain to a third origin (allowed, Origin null)']).toBe('exact');
  expect(result['no-cors image without Access-Control-Allow-Origin']).toBe('exact');
  test.info().annotations.push({ type: 'playwright', description: JSON.stringify(result) });
});

test('Playwright trace (trace.zip, snapshots on): the same calls, read by the same rules', async () => {
  const trace = await judged(rec.files.trace, 'playwright');
  const har = await judged(rec.files.playwright, 'playwright');
  expect(trace).toEqual(har);
});

test('har --recheck: the calls the Playwright file cannot judge, asked live, agree with Chromium', async () => {
  const run = await cli([
    'har',
    rec.files.playwright,
    '--json',
    '--no-redact',
    '--recheck',
    '--timeout',
    '5000',
  ]);
  expect(run.stderr).toBe('');
  const report = JSON.parse(run.stdout) as {
    recheck: { checks: number; skipped: number; max: number; timeoutMs: number };
    calls: (LensCall & { recheck?: { notInFile: boolean; merged: boolean; checkedAt: string } })[];
  };
  expect(report.recheck).toMatchObject({ max: 20, timeoutMs: 5000, skipped: 0 });
  const result = compare(rec.chrome, report.calls, tagsInFile(rec.files.playwright));
  // Every call is now exact: the blocked ones from the server's answer, each marked as re-checked.
  expect(Object.entries(result).filter(([, m]) => m !== 'exact')).toEqual([]);
  const rechecked = report.calls.filter((c) => c.recheck);
  expect(rechecked.length).toBe(7);
  for (const c of rechecked) expect(c.recheck).toMatchObject({ notInFile: true, merged: true });
});

let devtools: { file: string; chrome: ChromeRow[] } | undefined;

test("Chrome DevTools' own HAR (chrome.devtools.network.getHAR): every call exact or honestly undetermined", async () => {
  test.setTimeout(90_000);
  const file = join(tmp, 'devtools.har');
  const run = await recordDevTools(servers, file);
  devtools = { file, chrome: run.chrome };
  const result = await judged(file, 'chrome-devtools', run.chrome);
  const wrong = Object.entries(result).filter(([, m]) => m.startsWith('wrong'));
  expect(wrong, JSON.stringify(result, null, 1)).toEqual([]);
  expect(Object.values(result).filter((m) => m === 'absent')).toEqual([]);
  test.info().annotations.push({ type: 'devtools', description: JSON.stringify(result) });
});

test('chrome-har: every call it kept exact or honestly undetermined', async () => {
  const result = await judged(rec.files.chromeHar, 'chrome-har');
  const wrong = Object.entries(result).filter(([, m]) => m.startsWith('wrong'));
  expect(wrong, JSON.stringify(result, null, 1)).toEqual([]);
  expect(result['allowed simple GET']).toBe('exact');
  expect(result['allowed preflighted PUT']).toBe('exact');
  test.info().annotations.push({ type: 'chrome-har', description: JSON.stringify(result) });
});

function saveFixtures(): void {
  if (!RECORD || !rec) return;
  const dir = join(ROOT, 'test', 'fixtures', 'har');
  const pw = `playwright-${rec.versions.playwright}.har`;
  const ch = `chrome-har-${rec.versions.chromeHar}.har`;
  const tr = `playwright-${rec.versions.playwright}-trace.zip`;
  copyFileSync(rec.files.playwright, join(dir, pw));
  copyFileSync(rec.files.chromeHar, join(dir, ch));
  copyFileSync(rec.files.trace, join(dir, tr));
  const major = rec.versions.chromium.split('.')[0] ?? '';
  const dt = `chrome-devtools-${major}.har`;
  if (devtools) copyFileSync(devtools.file, join(dir, dt));
  writeFileSync(
    join(dir, 'producers.json'),
    `${JSON.stringify(
      {
        note: 'Recorded by test/e2e/har-producers.spec.ts (RECORD=1) around loopback servers; chrome is Chromium’s own verdict per call (CDP) from the same run.',
        chromium: rec.versions.chromium,
        files: [
          { file: pw, producer: 'playwright', tool: `playwright-core ${rec.versions.playwright} recordHar` },
          {
            file: ch,
            producer: 'chrome-har',
            tool: `chrome-har ${rec.versions.chromeHar} harFromMessages over CDP Network.* and Page.* events`,
          },
          {
            file: tr,
            producer: 'playwright-trace',
            tool: `playwright-core ${rec.versions.playwright} tracing, snapshots on`,
          },
          ...(devtools
            ? [
                {
                  file: dt,
                  producer: 'chrome-devtools',
                  tool: `Chromium ${rec.versions.chromium} DevTools, chrome.devtools.network.getHAR() (a run of its own)`,
                  chrome: devtools.chrome,
                },
              ]
            : []),
        ],
        chrome: rec.chrome,
      },
      null,
      1,
    )}\n`,
  );
}
