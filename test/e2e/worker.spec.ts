/**
 * The service worker end to end: nothing recorded is lost when Chrome stops the worker (also with a
 * request in flight), the badge counts blocked calls and resets on navigation, and the panel port
 * protocol (hello/snapshot, upsert, settings, Preserve log, version mismatch).
 */
import { test, expect } from '@playwright/test';
import type { Page } from 'playwright-core';
import {
  launchWithExtension,
  readBadge,
  readLog,
  send,
  startServers,
  stopServiceWorker,
  waitFor,
  waitForListeners,
  workerReady,
  type Extension,
  type Servers,
} from './harness';
import { PORT_NAME, PROTOCOL_VERSION, type WorkerToPanel } from '../../src/shared/protocol';

test.describe.configure({ mode: 'serial' });

let servers: Servers;
let ext: Extension;
let page: Page;
let tabId: number;
let n = 0;

test.beforeAll(async () => {
  servers = await startServers();
  ext = await launchWithExtension();
  page = await ext.context.newPage();
  await page.goto(servers.page.url('/'));
  tabId = await waitForListeners(ext, page, servers);
  servers.api.route('/blocked', (_q, res) => send(res, 200, {}, 'x'));
  servers.api.route('/allowed', (_q, res) => send(res, 200, { 'access-control-allow-origin': '*' }, 'x'));
  servers.api.route('/pf-blocked', (req, res) =>
    req.method === 'OPTIONS'
      ? send(res, 204, {
          'access-control-allow-origin': servers.page.origin,
          'access-control-allow-methods': 'GET',
          'access-control-max-age': '0',
        })
      : send(res, 200, { 'access-control-allow-origin': servers.page.origin }, 'x'),
  );
});

test.afterAll(async () => {
  await ext?.close();
  await servers?.close();
});

/** Makes a call from the page; returns its URL (unique). */
async function call(path: string, init: RequestInit = {}): Promise<string> {
  const url = servers.api.url(`${path}?run=w${++n}-${Date.now()}`);
  await page.evaluate(
    ({ u, i }) =>
      fetch(u, i).then(
        (r) => r.text(),
        () => 'failed',
      ),
    { u: url, i: init },
  );
  return url;
}

const PUT = { method: 'PUT', headers: { 'x-test': '1' }, body: '1' };

async function finishedUrls(): Promise<Map<string, string>> {
  const log = await readLog(ext, tabId);
  return new Map(
    log.entries
      .filter((e) => e.summary)
      .map((e) => [e.exchange.legs[0]?.url ?? '', e.summary?.outcome ?? '']),
  );
}

test('nothing is lost when the worker is stopped between and during calls; the badge stays right', async () => {
  const before = [
    await call('/blocked'),
    await call('/allowed'),
    await call('/pf-blocked', PUT),
    await call('/blocked'),
    await call('/allowed'),
  ];
  await waitFor(
    async () => {
      const m = await finishedUrls();
      return before.every((u) => m.has(u));
    },
    10_000,
    'the first five calls',
  );

  // A preflighted call whose response is held until the worker has been stopped.
  let release: () => void = () => undefined;
  const held = new Promise<void>((r) => (release = r));
  servers.api.route('/held', (req, res) => {
    if (req.method === 'OPTIONS') {
      send(res, 204, {
        'access-control-allow-origin': servers.page.origin,
        'access-control-allow-methods': 'PUT',
        'access-control-allow-headers': 'x-test',
        'access-control-max-age': '0',
      });
      return;
    }
    void held.then(() => send(res, 200, { server: 'held-server' }, 'late'));
  });
  const heldUrl = servers.api.url(`/held?run=held-${Date.now()}`);
  const heldCall = page.evaluate(
    (u) =>
      fetch(u, { method: 'PUT', headers: { 'x-test': '1' }, body: '1' }).then(
        () => 'ok',
        () => 'failed',
      ),
    heldUrl,
  );
  await waitFor(
    async () => servers.api.log.some((r) => r.method === 'PUT' && heldUrl.endsWith(r.path)),
    10_000,
    'the held call to reach the server',
  );
  await ext.worker.evaluate(() => ((globalThis as unknown as { __marker: number }).__marker = 42));

  await stopServiceWorker(ext);
  release();
  expect(await heldCall).toBe('failed');

  const after = [await call('/blocked'), await call('/allowed'), await call('/pf-blocked', PUT)];
  await workerReady(ext);
  // It really is a new worker instance.
  expect(
    await ext.worker.evaluate(() => (globalThis as unknown as { __marker?: number }).__marker),
  ).toBeUndefined();

  const all = [...before, heldUrl, ...after];
  const outcomes = await waitFor(
    async () => {
      const m = await finishedUrls();
      return all.every((u) => m.has(u)) ? m : undefined;
    },
    10_000,
    'every call, before and after the restart',
  );
  expect(all.map((u) => outcomes.get(u))).toEqual([
    'blocked',
    'allowed',
    'blocked',
    'blocked',
    'allowed',
    'blocked',
    'blocked',
    'allowed',
    'blocked',
  ]);

  // The held call: its preflight (seen by the old worker) and its response (seen by the new one).
  const log = await readLog(ext, tabId);
  const heldEntry = log.entries.find((e) => e.exchange.legs[0]?.url === heldUrl);
  expect(heldEntry?.preflightIds?.length).toBe(1);
  expect(heldEntry?.exchange.legs[0]?.preflight?.response?.statusCode).toBe(204);
  expect(heldEntry?.exchange.legs[0]?.requestHeaders?.some((h) => h.name === 'x-test')).toBe(true);
  expect(heldEntry?.exchange.legs[0]?.response?.headers.some((h) => h.value === 'held-server')).toBe(true);
  expect(heldEntry?.summary?.chromeError).toBe('MissingAllowOriginHeader');
  expect(log.entries.length).toBe(all.length);

  expect(log.tab?.blocked).toBe(6);
  const badge = await waitFor(
    async () => {
      const b = await readBadge(ext, tabId);
      return b.text === '6' ? b : undefined;
    },
    5_000,
    'badge 6',
  );
  expect(badge.title).toContain('6 calls blocked by CORS');
});

test('the badge shows the blocked count within 100 ms and resets on navigation', async () => {
  await page.goto(servers.page.url('/?fresh=1'));
  await waitFor(
    async () => (await readBadge(ext, tabId)).text === '',
    5_000,
    'badge reset by the navigation',
  );
  expect((await readLog(ext, tabId)).entries.length).toBe(0);
  expect((await readLog(ext, tabId)).tab?.blocked).toBe(0);

  await call('/allowed');
  // Watch the badge from inside the worker while the page's call fails.
  const watch = ext.worker.evaluate(async (t) => {
    const start = Date.now();
    while (Date.now() - start < 10_000) {
      if ((await chrome.action.getBadgeText({ tabId: t })) === '1') return Date.now();
      await new Promise((r) => setTimeout(r, 2));
    }
    return -1;
  }, tabId);
  const failedAt = await page.evaluate(
    (u) =>
      fetch(u).then(
        () => -1,
        () => Date.now(),
      ),
    servers.api.url(`/blocked?run=badge-${Date.now()}`),
  );
  const shownAt = await watch;
  expect(failedAt).toBeGreaterThan(0);
  expect(shownAt).toBeGreaterThan(0);
  test.info().annotations.push({ type: 'badge latency', description: `${shownAt - failedAt} ms` });
  expect(shownAt - failedAt).toBeLessThan(100);
  const badge = await readBadge(ext, tabId);
  expect(badge).toEqual({ text: '1', title: 'CORS Lens: 1 call blocked by CORS on this page' });

  await call('/pf-blocked', PUT);
  await waitFor(async () => (await readBadge(ext, tabId)).text === '2', 5_000, 'badge 2');

  await page.goto(servers.page.url('/?again=1'));
  await waitFor(async () => (await readBadge(ext, tabId)).text === '', 5_000, 'badge reset');
  expect((await readBadge(ext, tabId)).title).toBe('CORS Lens: no calls blocked by CORS on this page');
});

test('panel port: snapshot, upserts, Preserve log across navigation, version mismatch', async () => {
  const panel = await ext.context.newPage();
  await panel.goto(`chrome-extension://${ext.extensionId}/src/panel/panel.html?tabId=${tabId}`);
  // Our own port next to the panel's: collect everything the worker says.
  await panel.evaluate(
    ({ name, protocol, tab }) => {
      const w = globalThis as unknown as { __msgs: unknown[]; __port: chrome.runtime.Port };
      w.__msgs = [];
      w.__port = chrome.runtime.connect({ name });
      w.__port.onMessage.addListener((m: unknown) => w.__msgs.push(m));
      w.__port.postMessage({ type: 'hello', protocol, tabId: tab });
    },
    { name: PORT_NAME, protocol: PROTOCOL_VERSION, tab: tabId },
  );
  const messages = async (): Promise<WorkerToPanel[]> =>
    panel.evaluate(() => (globalThis as unknown as { __msgs: WorkerToPanel[] }).__msgs);
  const snapshot = await waitFor(
    async () => (await messages()).find((m) => m.type === 'snapshot'),
    5_000,
    'snapshot',
  );
  expect(snapshot).toMatchObject({
    type: 'snapshot',
    protocol: PROTOCOL_VERSION,
    tabId,
    dropped: 0,
    settings: { preserveLog: false },
  });

  const url = await call('/blocked');
  const upsert = await waitFor(
    async () =>
      (await messages()).find(
        (m) =>
          m.type === 'upsert' &&
          m.entry.exchange.legs[0]?.url === url &&
          m.entry.verdict.outcome !== 'pending',
      ),
    5_000,
    'upsert of the finished call',
  );
  expect(upsert).toMatchObject({
    type: 'upsert',
    tabId,
    entry: { verdict: { outcome: 'blocked', chromeError: 'MissingAllowOriginHeader' } },
  });

  await panel.evaluate((tab) => {
    (globalThis as unknown as { __port: chrome.runtime.Port }).__port.postMessage({
      type: 'set-preserve-log',
      tabId: tab,
      preserveLog: true,
    });
  }, tabId);
  await waitFor(
    async () => (await messages()).find((m) => m.type === 'settings' && m.settings.preserveLog),
    5_000,
    'settings',
  );
  await page.goto(servers.page.url('/?preserved=1'));
  await call('/blocked');
  // The log survived the navigation and the badge counts both calls (Chrome's own reset is undone).
  await waitFor(async () => (await readLog(ext, tabId)).entries.length === 2, 5_000, 'two entries');
  await waitFor(async () => (await readBadge(ext, tabId)).text === '2', 5_000, 'badge 2 with Preserve log');
  expect((await messages()).some((m) => m.type === 'cleared')).toBe(false);

  await panel.evaluate((tab) => {
    (globalThis as unknown as { __port: chrome.runtime.Port }).__port.postMessage({
      type: 'clear',
      tabId: tab,
    });
  }, tabId);
  await waitFor(
    async () => (await messages()).find((m) => m.type === 'cleared' && m.reason === 'user'),
    5_000,
    'cleared',
  );
  expect((await readLog(ext, tabId)).entries.length).toBe(0);
  await waitFor(async () => (await readBadge(ext, tabId)).text === '', 5_000, 'badge cleared');

  const mismatch = await panel.evaluate(
    ({ name, tab }) =>
      new Promise((resolve) => {
        const p = chrome.runtime.connect({ name });
        p.onMessage.addListener((m: unknown) => resolve(m));
        p.postMessage({ type: 'hello', protocol: 999, tabId: tab });
      }),
    { name: PORT_NAME, tab: tabId },
  );
  expect(mismatch).toEqual({
    type: 'version-mismatch',
    workerProtocol: PROTOCOL_VERSION,
    panelProtocol: 999,
  });
  await panel.close();
});
