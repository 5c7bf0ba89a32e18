/**
 * HAR files as real tools write them, against the browser's own verdicts from the same run: one page
 * (test/e2e/har-record.ts) recorded by Playwright's `recordHar`, by chrome-har from the page's CDP
 * events and by Chromium's DevTools, judged against Chromium's verdicts (CDP); and recorded by Firefox's
 * DevTools (test/e2e/har-record-firefox.ts), judged against Firefox's (its console messages). Each file
 * is read by the built `cors-lens har --json`. Every call is exact (outcome and the browser's reason:
 * Chrome's error name, Firefox's reason name) or honestly undetermined (blocked, with the check
 * command), or absent from the file because the producer did not write it; in Firefox's file, which
 * records neither the credentials mode nor what Firefox blocked, a credentialed call can only be
 * "credentials unknown" (test/har/compare.ts). None is wrong.
 *
 * RECORD=1 saves the files and the browsers' verdicts under test/fixtures/har/ (with the tools' versions
 * in producers.json) for the browser-free test/har/producers.test.ts; RECORD=firefox saves only
 * Firefox's file and its entry in producers.json.
 */
import { test, expect } from '@playwright/test';
import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { ROOT, startServers, type Servers } from './harness';
import { recordDevTools, recordProducers, type ChromeRow, type Recording } from './har-record';
import { recordFirefox, type FirefoxRecording } from './har-record-firefox';
import { compare, tagOf, type BrowserCall, type Browser, type LensCall } from '../har/compare';

const CLI = join(ROOT, 'dist', 'cli', 'cors-lens.js');
const RECORD = process.env.RECORD === '1';
const RECORD_FIREFOX = RECORD || process.env.RECORD === 'firefox';

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

/** A call of `cors-lens har --json` (its Firefox reason is an object there). */
type JsonCall = Omit<LensCall, 'firefoxReason'> & { firefoxReason: { name: string } | null };

async function lensCalls(file: string, producer: string): Promise<LensCall[]> {
  const run = await cli(['har', file, '--json', '--no-redact']);
  expect(run.stderr).toBe('');
  const report = JSON.parse(run.stdout) as { producer: { id: string }; calls: JsonCall[] };
  expect(report.producer.id).toBe(producer);
  return report.calls.map((c) => ({ ...c, firefoxReason: c.firefoxReason?.name ?? null }));
}

async function judged(file: string, producer: string, rows: BrowserCall[] = rec.chrome, browser?: Browser) {
  return compare(rows, await lensCalls(file, producer), tagsInFile(file), browser);
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

let firefox: (FirefoxRecording & { file: string }) | undefined;

test("Firefox DevTools' own HAR (browser.devtools.network.getHAR): every call exact, or undecidable for credentials", async () => {
  test.setTimeout(120_000);
  const file = join(tmp, 'firefox.har');
  const run = await recordFirefox(servers, file);
  firefox = { file, ...run };
  // Firefox itself blocked what the page means to be blocked, each for the reason it logged.
  expect(
    Object.fromEntries(run.firefox.map((c) => [c.name, `${c.outcome} ${c.firefoxReason ?? ''}`.trim()])),
  ).toEqual({
    'simple GET without Access-Control-Allow-Origin': 'blocked CORSMissingAllowOrigin',
    'simple GET, Access-Control-Allow-Origin names another origin':
      'blocked CORSAllowOriginNotMatchingOrigin',
    'credentialed GET answered with *': 'blocked CORSNotSupportingCredentials',
    // Firefox checks the preflight's Access-Control-Allow-Origin before its status.
    'preflight answered 404': 'blocked CORSMissingAllowOrigin',
    'preflight without Access-Control-Allow-Origin': 'blocked CORSMissingAllowOrigin',
    'preflight does not allow the method': 'blocked CORSMethodNotFound',
    'preflight does not allow the header': 'blocked CORSMissingAllowHeaderFromPreflight',
    'allowed simple GET': 'allowed',
    'allowed preflighted PUT': 'allowed',
    'redirect chain to a third origin (allowed, Origin null)': 'allowed',
    'no-cors image without Access-Control-Allow-Origin': 'allowed',
  });
  const lens = await lensCalls(file, 'firefox');
  const result = compare(run.firefox, lens, tagsInFile(file), 'firefox');
  const table = run.firefox.map((c) => {
    const l = lens.find((x) => tagOf(x.url) === c.tag);
    return `${c.name} | ${c.outcome} ${c.firefoxReason ?? ''} | ${l ? `${l.outcome} ${l.kind} ${l.firefoxReason ?? ''}` : '-'} | ${result[c.name]}`;
  });
  test.info().annotations.push({ type: 'firefox', description: table.join('\n') });
  // Firefox's file keeps a blocked response's status and headers, and its preflights as OPTIONS entries:
  // every call is exact but the credentialed one, which the file writes like an uncredentialed call.
  expect(result, table.join('\n')).toEqual({
    ...Object.fromEntries(run.firefox.map((c) => [c.name, 'exact'])),
    'credentialed GET answered with *': 'credentials unknown',
  });
});

const FIXTURES = join(ROOT, 'test', 'fixtures', 'har');

function saveFixtures(): void {
  if (RECORD && rec) saveChromiumFixtures(rec);
  // After the Chromium files: it adds its entry to the producers.json they write.
  if (RECORD_FIREFOX && firefox) saveFirefoxFixture(firefox);
}

/**
 * Firefox's file as `firefox-<major>.<minor>.har`, and its entry (with Firefox's verdicts from its own
 * run) in producers.json in place of the previous Firefox entry.
 */
function saveFirefoxFixture(ff: FirefoxRecording & { file: string }): void {
  const [major = '', minor = ''] = ff.version.split('.');
  const name = `firefox-${major}.${minor}.har`;
  copyFileSync(ff.file, join(FIXTURES, name));
  const path = join(FIXTURES, 'producers.json');
  const meta = JSON.parse(readFileSync(path, 'utf8')) as { files: { producer: string }[] };
  meta.files = [
    ...meta.files.filter((f) => f.producer !== 'firefox'),
    {
      file: name,
      producer: 'firefox',
      tool: `Firefox ${ff.version} DevTools (network monitor), browser.devtools.network.getHAR() from a DevTools page (a run of its own)`,
      firefox: ff.firefox,
    } as { producer: string },
  ];
  writeFileSync(path, `${JSON.stringify(meta, null, 1)}\n`);
}

function saveChromiumFixtures(rec: Recording): void {
  const dir = FIXTURES;
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
