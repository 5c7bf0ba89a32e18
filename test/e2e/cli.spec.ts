/**
 * The command line against Chrome itself. For every scenario whose outcome depends only on the
 * headers, Chromium runs the scenario's requests (Chrome's verdict from CDP, as in verdicts.spec.ts)
 * and the built CLI (`dist/cli/cors-lens.js check … --json`) sends the same calls to the same loopback
 * servers: outcome, Chrome's error name and failed parameter must agree, and so must the exit code.
 *
 * The page's traffic is also recorded over CDP in the shape of DevTools' HAR export (test/e2e/cdp-har.ts);
 * at the end `cors-lens har` reads that file and its verdicts must match Chrome's too.
 *
 * Left out (the CLI is a page-less fetch() with no browser state):
 * - dedicated worker, iframe and service worker contexts: the context changes who makes the call,
 *   not the headers, and the same header cases run in the page;
 * - `<img crossorigin>`: not a fetch() (request mode and Accept differ);
 * - scenarios with a `before` step (a cookie set up by an earlier response): the CLI has no cookie jar;
 * - preflight-cache scenarios: their outcome depends on Chrome's preflight cache, not on the headers.
 * - fonts, module scripts, `import()` and EventSource: not a fetch() (destination and Accept differ);
 * - the https scenarios: they need the https servers and an https page;
 * - no-cors loads (the CORP scenarios) and a call the page aborts: the CLI makes only CORS calls, and
 *   never gives up on one.
 *
 * RECORD=1 also saves the recorded HAR and Chrome's verdicts under test/fixtures/har/ for the
 * browser-free HAR tests.
 */
import { test, expect } from '@playwright/test';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import {
  ChromeOracle,
  launchWithExtension,
  ROOT,
  startServers,
  waitFor,
  type CdpRequest,
  type Extension,
  type Servers,
} from './harness';
import { HarRecorder } from './cdp-har';
import { scenarios, type Req, type Scenario } from './scenarios';
import type { Report, ReportCall } from '../../src/report/json';

const CLI = join(ROOT, 'dist', 'cli', 'cors-lens.js');
const RECORD = process.env.RECORD === '1';

const included = (sc: Scenario): boolean =>
  (sc.context ?? 'page') === 'page' &&
  !sc.before &&
  !sc.name.startsWith('preflight cache') &&
  !/^(image|font|module script|dynamic import|EventSource|CORP|aborted)/.test(sc.name) &&
  !sc.tls &&
  !sc.secure;

const picked = scenarios.filter(included);

test.describe.configure({ mode: 'serial' });

let servers: Servers;
let ext: Extension;
let page: Page;
let oracle: ChromeOracle;
let recorder: HarRecorder;
let tmp: string;

test.beforeAll(async () => {
  test.setTimeout(60_000);
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build first`);
  servers = await startServers();
  ext = await launchWithExtension({ extensionPath: null });
  page = await ext.context.newPage();
  await page.goto(servers.page.url('/'));
  oracle = await ChromeOracle.attach(ext, page);
  recorder = await HarRecorder.attach(await ext.context.newCDPSession(page));
  tmp = mkdtempSync(join(tmpdir(), 'cors-lens-cli-'));
});

test.afterAll(async () => {
  await oracle?.detach();
  await ext?.close();
  await servers?.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

interface Cli {
  code: number;
  stdout: string;
  stderr: string;
}

function cli(args: string[]): Promise<Cli> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [CLI, ...args],
      { env: { ...process.env, NO_COLOR: '1' }, maxBuffer: 64 << 20 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

async function pageFetch(reqs: Req[]): Promise<string[]> {
  return page.evaluate(async (list) => {
    return Promise.all(
      list.map(async (r) => {
        try {
          const init: RequestInit = {};
          if (r.method) init.method = r.method;
          if (r.headers) init.headers = r.headers;
          if (r.credentials) init.credentials = r.credentials;
          if (r.body !== undefined) init.body = r.body;
          const res = await fetch(r.url, init);
          await res.text();
          return `ok ${res.status}`;
        } catch (e) {
          return String(e);
        }
      }),
    );
  }, reqs);
}

interface Row {
  request: string;
  outcome: string;
  chromeError?: string;
  failedParameter?: string;
}

const customNames = (names: string[]): string =>
  names
    .map((n) => n.toLowerCase())
    .filter((n) => n.startsWith('x-'))
    .sort()
    .join(',');

function chromeRow(r: CdpRequest): Row {
  const row: Row = {
    request: `${r.method} ${customNames(r.headerNames)}`,
    outcome: r.done?.outcome ?? 'pending',
  };
  if (r.done?.corsError) row.chromeError = r.done.corsError;
  if (r.done?.failedParameter) row.failedParameter = r.done.failedParameter;
  return row;
}

function reportRow(call: ReportCall, names?: string[]): Row {
  const leg = call.exchange.legs[0];
  const sent = names ?? leg?.requestHeaders?.map((h) => h.name) ?? [];
  const acrh =
    leg?.preflight?.requestHeaders
      ?.find((h) => h.name.toLowerCase() === 'access-control-request-headers')
      ?.value?.split(',')
      .map((s) => s.trim()) ?? [];
  const custom = customNames(sent);
  const row: Row = {
    request: `${call.method} ${custom || customNames(acrh)}`,
    outcome: call.outcome === 'not-cors' ? 'allowed' : call.outcome,
  };
  if (call.chromeError) row.chromeError = call.chromeError;
  if (call.failedParameter) row.failedParameter = call.failedParameter;
  return row;
}

const byRequest = (a: Row, b: Row): number => (a.request < b.request ? -1 : a.request > b.request ? 1 : 0);
const expectedExit = (outcome: string): number => (outcome === 'blocked' ? 1 : outcome === 'failed' ? 2 : 0);

function slug(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 60);
}

/** Chrome's rows per scenario tag, for the HAR comparison at the end. */
const chromeByTag = new Map<string, { name: string; rows: Row[] }>();

test('the scenarios left out are the ones the header says', () => {
  const left = scenarios.filter((s) => !included(s)).map((s) => s.name);
  expect(left.length).toBeGreaterThan(0);
  for (const n of left)
    expect(n).toMatch(
      /worker|iframe|service worker|image|cookie sent, Access|preflight cache|^font|^module script|^dynamic import|^EventSource|https|^CORP|^aborted|^HTTP cache/,
    );
  expect(picked.length).toBeGreaterThanOrEqual(35);
});

for (const sc of picked) {
  test(`check = Chrome: ${sc.name}`, async () => {
    const tag = `${slug(sc.name).slice(0, 24)}-${Date.now().toString(36)}`;
    const reqs = sc.setup(servers, tag);
    const results = await pageFetch(reqs);
    const chrome = await waitFor(
      async () => {
        const list = oracle.requestsWith(tag);
        return list.length >= reqs.length && list.every((r) => r.done) ? list : undefined;
      },
      15_000,
      `Chrome's verdicts (${JSON.stringify(results)})`,
    );
    const expected = chrome.map(chromeRow).sort(byRequest);
    chromeByTag.set(tag, { name: sc.name, rows: expected });

    const actual: Row[] = [];
    for (const r of reqs) {
      const args = ['check', r.url, '--origin', servers.page.origin, '--json'];
      if (r.method) args.push('--method', r.method);
      for (const [k, v] of Object.entries(r.headers ?? {})) args.push('--header', `${k}: ${v}`);
      if (r.credentials === 'include') args.push('--credentials');
      const run = await cli(args);
      expect(run.stdout, `stdout of ${args.join(' ')} (stderr: ${run.stderr})`).toContain(
        '"cors-lens-report"',
      );
      const report = JSON.parse(run.stdout) as Report;
      const call = report.calls[0] as ReportCall;
      const row = reportRow(call, Object.keys(r.headers ?? {}));
      actual.push(row);
      expect(run.code, `exit code for ${row.outcome} (stderr: ${run.stderr})`).toBe(
        expectedExit(row.outcome),
      );
      if (run.code === 2) expect(run.stderr.trim().split('\n')).toHaveLength(1);
      else expect(run.stderr).toBe('');
    }
    expect(
      actual.sort(byRequest),
      `CLI verdicts vs Chrome's (CDP) for ${JSON.stringify(reqs.map((r) => r.url))}`,
    ).toEqual(expected);
  });
}

test('har: the DevTools-shaped HAR recorded from Chromium gives Chrome verdicts', async () => {
  const tags = [...chromeByTag.keys()];
  expect(tags.length).toBeGreaterThanOrEqual(15);
  const har = recorder.har((url) => tags.some((t) => url.includes(t)), servers.page.url('/'));
  expect(har.log.entries.some((e) => (e as { _resourceType?: string })._resourceType === 'preflight')).toBe(
    true,
  );
  const file = join(tmp, 'chromium.har');
  writeFileSync(file, JSON.stringify(har, null, 1));
  const run = await cli(['har', file, '--json', '--no-redact']);
  expect(run.stderr).toBe('');
  const report = JSON.parse(run.stdout) as Report;
  const expected: Record<string, Row[]> = {};
  const actual: Record<string, Row[]> = {};
  for (const [tag, { name, rows }] of chromeByTag) {
    expected[name] = rows;
    actual[name] = report.calls
      .filter((c) => c.url.includes(tag))
      .map((c) => reportRow(c))
      .sort(byRequest);
  }
  expect(actual).toEqual(expected);
  expect(run.code).toBe(report.calls.some((c) => c.outcome === 'blocked') ? 1 : 0);
  if (RECORD) {
    const dir = join(ROOT, 'test', 'fixtures', 'har');
    mkdirSync(dir, { recursive: true });
    // Stable loopback ports are not needed: the verdicts are keyed by scenario tag.
    writeFileSync(join(dir, 'chromium-scenarios.har'), JSON.stringify(har, null, 1) + '\n');
    writeFileSync(
      join(dir, 'chromium-scenarios.expected.json'),
      JSON.stringify(
        [...chromeByTag].map(([tag, v]) => ({ tag, scenario: v.name, chrome: v.rows })),
        null,
        1,
      ) + '\n',
    );
  }
});
