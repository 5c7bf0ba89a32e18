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
import type { StoredEntry } from '../../src/capture';
import { REQUESTS_SOURCE } from './requests';
import { byRequest, chromeRow, extensionRow } from './rows';
import { scenarios, type Context, type Req } from './scenarios';

const RECORD = process.env.RECORD === '1';
const FIXTURES = join(ROOT, 'test', 'fixtures');

test.describe.configure({ mode: 'serial' });

let servers: Servers;
let ext: Extension;

/** A tab the scenarios run in: the http page, or the https page (`secure` scenarios). */
interface Tab {
  page: Page;
  tabId: number;
  oracle: ChromeOracle;
  origin: string;
}
let plain: Tab;
let secure: Tab;

async function openTab(origin: string, frame: boolean): Promise<Tab> {
  const page = await ext.context.newPage();
  await page.goto(`${origin}/`);
  const tabId = await waitForListeners(ext, page, servers);
  const oracle = await ChromeOracle.attach(ext, page);
  await oracle.watchServiceWorkers(origin);
  await installServiceWorker(page);
  if (frame) {
    await addFrame(page, servers.third.origin);
    await addFrame(page, origin, { sandbox: true });
  }
  // Start the dedicated worker now, so that CDP has attached to it long before a scenario uses it.
  await runInWorker(page, () => 'ready', null);
  return { page, tabId, oracle, origin };
}

test.beforeAll(async () => {
  test.setTimeout(120_000);
  servers = await startServers({ tls: true });
  // The https servers use a certificate made at start.
  ext = await launchWithExtension({ args: ['--ignore-certificate-errors'] });
  plain = await openTab(servers.page.origin, true);
  if (!servers.tls) throw new Error('no https servers');
  secure = await openTab(servers.tls.page.origin, false);
});

test.afterAll(async () => {
  await plain?.oracle.detach();
  await secure?.oracle.detach();
  await ext?.close();
  await servers?.close();
});

async function run(tab: Tab, context: Context, reqs: Req[], sequential: boolean): Promise<unknown> {
  const page = tab.page;
  const arg = { reqs, sequential };
  const src = REQUESTS_SOURCE;
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
    case 'sandbox':
      return runInFrame(
        page,
        tab.origin,
        ({ s, a }: { s: string; a: typeof arg }) => (0, eval)(s)(a),
        { s: src, a: arg },
        { sandbox: true },
      );
    case 'sw':
      return runInServiceWorker(page, ({ s, a }: { s: string; a: typeof arg }) => (0, eval)(s)(a), {
        s: src,
        a: arg,
      });
  }
}

function slug(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 80);
}

/**
 * Chrome's requests (in the order they started) and the extension's stored entries whose URL has `tag`,
 * once at least `chromeCount` and `entryCount` of them have finished.
 */
async function settled(
  tab: Tab,
  tag: string,
  chromeCount: number,
  entryCount: number,
  results: unknown,
): Promise<{ chrome: CdpRequest[]; entries: StoredEntry[] }> {
  const chrome = await waitFor(
    async () => {
      const list = tab.oracle.requestsWith(tag);
      return list.length >= chromeCount && list.every((r) => r.done) ? list : undefined;
    },
    15_000,
    `Chrome's verdicts (${JSON.stringify(results)})`,
  );
  const entries = await waitFor(
    async () => {
      const log = await readLog(ext, tab.tabId);
      const mine = log.entries.filter((e) => e.exchange.legs.some((l) => l.url.includes(tag)));
      return mine.length >= entryCount && mine.every((e) => e.summary) ? mine : undefined;
    },
    10_000,
    'the extension to record every request of the scenario as finished',
  );
  return { chrome, entries };
}

/** Every scenario's tag and request count, to check at the end that the restart lost nothing. */
const done: { tag: string; count: number; tabId: number }[] = [];
const STOP_AFTER = Math.floor(scenarios.length / 2);

for (const [index, sc] of scenarios.entries()) {
  test(sc.name, async () => {
    if (index === STOP_AFTER) {
      // Half-way: stop the worker the way Chrome does when it is idle; the next event restarts it.
      await stopServiceWorker(ext);
    }
    const tag = `${slug(sc.name).slice(0, 24)}-${Date.now().toString(36)}`;
    const context = sc.context ?? 'page';
    const tab = sc.secure ? secure : plain;
    const { tabId } = tab;
    // The `before` requests are not checked; they may share the scenario's URL (the HTTP cache
    // scenario), so they are told apart by order: wait until both sides have them, then leave them out.
    let earlier = { chrome: 0, entries: new Set<number>() };
    if (sc.before) {
      const pre = sc.before(servers, tag);
      const preResults = await run(tab, context, pre, true);
      const seen = await settled(tab, tag, pre.length, pre.length, preResults);
      earlier = { chrome: seen.chrome.length, entries: new Set(seen.entries.map((e) => e.seq)) };
    }
    if (RECORD)
      await ext.worker.evaluate(() =>
        (globalThis as unknown as { __corsLens: { startRecording(): void } }).__corsLens.startRecording(),
      );
    const reqs = sc.setup(servers, tag);
    const results = await run(tab, context, reqs, sc.sequential === true);
    const all = await settled(
      tab,
      tag,
      earlier.chrome + reqs.length,
      earlier.entries.size + reqs.length,
      results,
    );
    const chrome = all.chrome.slice(earlier.chrome);
    const entries = all.entries.filter((e) => !earlier.entries.has(e.seq));

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
            pageOrigin: tab.origin,
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

    done.push({ tag, count: all.entries.length, tabId });
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
  for (const tabId of [plain.tabId, secure.tabId]) {
    const log = await readLog(ext, tabId);
    for (const { tag, count } of done.filter((d) => d.tabId === tabId)) {
      const mine = log.entries.filter((e) => e.exchange.legs.some((l) => l.url.includes(tag)));
      expect(mine.length, tag).toBe(count);
    }
    expect(log.tab?.dropped).toBe(0);
    const blocked = log.entries.filter((e) => e.summary?.outcome === 'blocked').length;
    expect(log.tab?.blocked).toBe(blocked);
    const badge = await ext.worker.evaluate((t) => chrome.action.getBadgeText({ tabId: t }), tabId);
    expect(badge).toBe(blocked ? String(blocked) : '');
  }
});
