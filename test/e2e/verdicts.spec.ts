/**
 * The heart of the suite: for every scenario, the extension's verdict (read from what the worker stored
 * in chrome.storage.session for the page's tab) must equal Chrome's own verdict, read over CDP in the
 * same run:
 * - outcome: `blocked` iff CDP reported `corsErrorStatus`, `allowed` iff `loadingFinished`, `failed`
 *   iff a net error without `corsErrorStatus`;
 * - `verdict.chromeError` === `corsErrorStatus.corsError`;
 * - `verdict.failedParameter` === `corsErrorStatus.failedParameter`, where CDP's empty string and an
 *   absent value both mean "none" (normalised to undefined on both sides).
 *
 * RECORD=1 also writes each scenario's raw webRequest events to test/fixtures/<scenario>.json for the
 * browser-free capture tests (test/capture/fixtures.test.ts).
 */
import { test, expect } from '@playwright/test';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import {
  addFrame,
  ChromeOracle,
  installServiceWorker,
  launchWithExtension,
  readLog,
  ROOT,
  runInFrame,
  runInServiceWorker,
  runInWorker,
  startServers,
  stopServiceWorker,
  waitFor,
  waitForListeners,
  type CdpRequest,
  type Extension,
  type Servers,
} from './harness';
import { scenarios, type Context, type Req } from './scenarios';
import type { StoredEntry } from '../../src/capture';

const RECORD = process.env.RECORD === '1';
const FIXTURES = join(ROOT, 'test', 'fixtures');

test.describe.configure({ mode: 'serial' });

let servers: Servers;
let ext: Extension;
let page: Page;
let tabId: number;
let oracle: ChromeOracle;

test.beforeAll(async () => {
  test.setTimeout(120_000);
  servers = await startServers();
  ext = await launchWithExtension();
  page = await ext.context.newPage();
  await page.goto(servers.page.url('/'));
  tabId = await waitForListeners(ext, page, servers);
  oracle = await ChromeOracle.attach(ext, page);
  await oracle.watchServiceWorkers(servers.page.origin);
  await installServiceWorker(page);
  await addFrame(page, servers.third.origin);
  // Start the dedicated worker now, so that CDP has attached to it long before a scenario uses it.
  await runInWorker(page, () => 'ready', null);
});

test.afterAll(async () => {
  await oracle?.detach();
  await ext?.close();
  await servers?.close();
});

/** Runs in the page, a worker, the iframe or the service worker: makes the requests, reads each body. */
async function makeRequests(reqs: Req[], sequential: boolean): Promise<string[]> {
  const out: string[] = [];
  const one = async (r: Req): Promise<string> => {
    if (r.kind === 'img') {
      const img = new Image();
      img.crossOrigin = 'anonymous';
      return new Promise((resolve) => {
        img.onload = () => resolve('ok');
        img.onerror = () => resolve('error');
        img.src = r.url;
      });
    }
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
  };
  if (sequential) for (const r of reqs) out.push(await one(r));
  else out.push(...(await Promise.all(reqs.map(one))));
  return out;
}

async function run(context: Context, reqs: Req[], sequential: boolean): Promise<unknown> {
  const arg = { reqs, sequential };
  // Shipped as source, so that `makeRequests` exists wherever it runs.
  const src = `(a) => (${makeRequests.toString()})(a.reqs, a.sequential)`;
  switch (context) {
    case 'page':
      return page.evaluate(({ s, a }) => (0, eval)(s)(a), { s: src, a: arg });
    case 'worker':
      return runInWorker(page, ({ s, a }: { s: string; a: typeof arg }) => (0, eval)(s)(a), {
        s: src,
        a: arg,
      });
    case 'frame':
      return runInFrame(
        page,
        servers.third.origin,
        ({ s, a }: { s: string; a: typeof arg }) => (0, eval)(s)(a),
        {
          s: src,
          a: arg,
        },
      );
    case 'sw':
      return runInServiceWorker(page, ({ s, a }: { s: string; a: typeof arg }) => (0, eval)(s)(a), {
        s: src,
        a: arg,
      });
  }
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

function extensionRow(e: StoredEntry): Row {
  const leg = e.exchange.legs[0];
  const sent = leg?.requestHeaders?.map((h) => h.name) ?? [];
  const acrh =
    leg?.preflight?.requestHeaders
      ?.find((h) => h.name.toLowerCase() === 'access-control-request-headers')
      ?.value?.split(',')
      .map((s) => s.trim()) ?? [];
  const row: Row = {
    request: `${e.exchange.method} ${customNames(sent.length ? sent : acrh)}`,
    outcome: e.summary?.outcome ?? 'pending',
  };
  if (e.summary?.chromeError) row.chromeError = e.summary.chromeError;
  if (e.summary?.failedParameter) row.failedParameter = e.summary.failedParameter;
  return row;
}

const byRequest = (a: Row, b: Row): number => (a.request < b.request ? -1 : a.request > b.request ? 1 : 0);

function slug(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 80);
}

/** Every scenario's tag and request count, to check at the end that the restart lost nothing. */
const done: { tag: string; count: number }[] = [];
const STOP_AFTER = Math.floor(scenarios.length / 2);

for (const [index, sc] of scenarios.entries()) {
  test(sc.name, async () => {
    if (index === STOP_AFTER) {
      // Half-way: stop the worker the way Chrome does when it is idle; the next event restarts it.
      await stopServiceWorker(ext);
    }
    const tag = `${slug(sc.name).slice(0, 24)}-${Date.now().toString(36)}`;
    const context = sc.context ?? 'page';
    if (sc.before) await run(context, sc.before(servers, tag), true);
    if (RECORD)
      await ext.worker.evaluate(() =>
        (globalThis as unknown as { __corsLens: { startRecording(): void } }).__corsLens.startRecording(),
      );
    const reqs = sc.setup(servers, tag);
    const results = await run(context, reqs, sc.sequential === true);

    const chrome = await waitFor(
      async () => {
        const list = oracle.requestsWith(tag);
        return list.length >= reqs.length && list.every((r) => r.done) ? list : undefined;
      },
      15_000,
      `Chrome's verdicts (${JSON.stringify(results)})`,
    );
    const entries = await waitFor(
      async () => {
        const log = await readLog(ext, tabId);
        const mine = log.entries.filter((e) => e.exchange.legs.some((l) => l.url.includes(tag)));
        return mine.length >= reqs.length && mine.every((e) => e.summary) ? mine : undefined;
      },
      10_000,
      'the extension to record every request of the scenario as finished',
    );

    if (RECORD) {
      const raw = await ext.worker.evaluate(() =>
        (
          globalThis as unknown as {
            __corsLens: { stopRecording(): { event: string; details: { url: string; requestId: string } }[] };
          }
        ).__corsLens.stopRecording(),
      );
      const ids = new Set(raw.filter((r) => r.details.url.includes(tag)).map((r) => r.details.requestId));
      mkdirSync(FIXTURES, { recursive: true });
      writeFileSync(
        join(FIXTURES, `${slug(sc.name)}.json`),
        JSON.stringify(
          {
            scenario: sc.name,
            context,
            pageOrigin: servers.page.origin,
            tabId,
            chrome: chrome
              .filter((r) => raw.some((e) => e.details.url === r.url))
              .map((r) => ({
                method: r.method,
                url: r.url,
                headerNames: r.headerNames,
                verdict: r.done,
              })),
            events: raw.filter((r) => ids.has(r.details.requestId)),
          },
          null,
          1,
        ) + '\n',
      );
    }

    done.push({ tag, count: entries.length });
    const expected = chrome.map(chromeRow).sort(byRequest);
    const actual = entries.map(extensionRow).sort(byRequest);
    expect(
      actual,
      `extension verdicts vs Chrome's (CDP) for ${JSON.stringify(reqs.map((r) => r.url))}`,
    ).toEqual(expected);
  });
}

test('the worker restart half-way lost nothing: every scenario is still in the stored log', async () => {
  expect(done.length).toBe(scenarios.length);
  const log = await readLog(ext, tabId);
  for (const { tag, count } of done) {
    const mine = log.entries.filter((e) => e.exchange.legs.some((l) => l.url.includes(tag)));
    expect(mine.length, tag).toBe(count);
  }
  expect(log.tab?.dropped).toBe(0);
  const blocked = log.entries.filter((e) => e.summary?.outcome === 'blocked').length;
  expect(log.tab?.blocked).toBe(blocked);
  const badge = await ext.worker.evaluate((t) => chrome.action.getBadgeText({ tabId: t }), tabId);
  expect(badge).toBe(String(blocked));
});
