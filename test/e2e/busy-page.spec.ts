/**
 * An ordinary busy page in real Chromium (test/e2e/busy-page.ts): the badge equals Chrome's own count
 * of CORS-blocked calls (CDP), the sandboxed frames' no-cors loads (`Origin: null`) are no-cors loads,
 * no row is amber or "looks wrong", and docked at 520 x 800 the panel's default view shows every blocked
 * call on its first screen, the no-cors loads behind one counted switch.
 *
 * `SCREENSHOTS=1` also writes docs/screenshots/busy-page-{light,dark}.png.
 */
import { writeFileSync } from 'node:fs';
import { test, expect, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { rowState } from '../../src/report/describe';
import type { LogEntry } from '../../src/shared/protocol';
import {
  ChromeOracle,
  launchWithExtension,
  readBadge,
  readEntries,
  startServers,
  waitFor,
  waitForListeners,
  type Extension,
  type Servers,
} from './harness';
import { AD_FRAMES, BLOCKED_MARKERS, BUSY_PATH, busyRoutes, CDN_LOADS } from './busy-page';

let servers: Servers;
let ext: Extension;
let site: Page;
let oracle: ChromeOracle;
let tabId: number;
let entries: LogEntry[];

const NO_CORS_MIN = CDN_LOADS.images + CDN_LOADS.scripts + CDN_LOADS.stylesheets;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  test.setTimeout(120_000);
  servers = await startServers();
  busyRoutes(servers);
  ext = await launchWithExtension();
  site = await ext.context.newPage();
  await site.goto(servers.page.url('/'));
  tabId = await waitForListeners(ext, site, servers);
  oracle = await ChromeOracle.attach(ext, site);
  await site.goto(servers.page.url(BUSY_PATH));
  await site.evaluate(() => (window as unknown as { __busy: Promise<string[]> }).__busy);
  // Every blocked call has Chrome's verdict; the log has settled (the ad frames' calls included).
  for (const m of BLOCKED_MARKERS) await oracle.waitVerdict(m, 20_000);
  let last = -1;
  entries = await waitFor(
    async () => {
      const e = await readEntries(ext, tabId);
      const settled =
        e.length > NO_CORS_MIN &&
        e.length === last &&
        e.every((x) => x.verdict.outcome !== 'pending') &&
        e.filter((x) => x.exchange.legs[0]?.url.includes('/bid?')).length === AD_FRAMES;
      last = e.length;
      return settled && e;
    },
    30_000,
    'the busy page settled in the worker',
  );
});

test.afterAll(async () => {
  await oracle?.detach();
  await ext?.close();
  await servers?.close();
});

const chromeBlocked = (): string[] =>
  oracle
    .requestsWith('')
    .filter((r) => r.done?.outcome === 'blocked')
    .map((r) => r.url);

test('the badge and the blocked calls are Chrome’s own', async () => {
  const blocked = chromeBlocked();
  expect(blocked.length).toBe(BLOCKED_MARKERS.length);
  for (const m of BLOCKED_MARKERS)
    expect(
      blocked.some((u) => u.includes(m)),
      m,
    ).toBe(true);
  const ours = entries.filter((e) => e.verdict.outcome === 'blocked').map((e) => e.exchange.legs[0]!.url);
  expect(ours.sort()).toEqual([...blocked].sort());
  const badge = await readBadge(ext, tabId);
  expect(badge.text).toBe(String(blocked.length));
});

test('the sandboxed frames are opaque origins whose loads are no-cors loads, never "looks wrong"', () => {
  const fromFrames = entries.filter((e) => e.exchange.initiator === 'null');
  // Per frame: its image, its script, its no-cors fetch and its CORS fetch.
  expect(fromFrames.length).toBeGreaterThanOrEqual(AD_FRAMES * 4);
  const elements = fromFrames.filter((e) => e.exchange.type === 'image' || e.exchange.type === 'script');
  expect(elements.length).toBe(AD_FRAMES * 2);
  for (const e of elements) expect(e.verdict.kind, e.exchange.legs[0]!.url).toBe('no-cors-load');
  const bids = fromFrames.filter((e) => e.exchange.legs[0]!.url.includes('/bid?'));
  for (const e of bids) expect(e.verdict.outcome).toBe('allowed');
  expect(entries.filter((e) => e.verdict.kind === 'allowed-contrary')).toEqual([]);
});

test('Opaque Response Blocking: a no-cors fetch of JSON with nosniff is an ORB failure in Chrome, not CORS', () => {
  // (orb.spec.ts checks this verdict against Chrome's own ORB issue over CDP.)
  const e = entries.find((x) => x.exchange.legs[0]!.url.includes('no-cors-json'))!;
  expect(e.verdict.kind).toBe('orb-blocked');
  expect(e.verdict.outcome).toBe('failed');
});

test('no row is amber: the hard-coded PUT without Vary is one info line', () => {
  expect(entries.filter((e) => rowState(e) === 'finding').map((e) => e.exchange.legs[0]!.url)).toEqual([]);
  const put = entries.find((e) => e.exchange.legs[0]!.url.includes('put-hard-coded'))!;
  expect(put.verdict.outcome).toBe('allowed');
  const vary = put.verdict.findings.filter((f) => f.id === 'missing-vary-origin');
  expect(vary.map((f) => f.severity)).toEqual(['info']);
  expect(vary[0]!.advice).toContain('--origin https://evil.example');
});

/** The panel's pop-out page at a docked size, light or dark. */
async function openPanel(scheme: 'light' | 'dark'): Promise<Page> {
  const panel = await ext.context.newPage();
  await panel.setViewportSize({ width: 520, height: 800 });
  await panel.emulateMedia({ colorScheme: scheme });
  await panel.goto(`chrome-extension://${ext.extensionId}/src/panel/panel.html?tabId=${tabId}`);
  await expect(panel.getByRole('option').first()).toBeVisible();
  return panel;
}

test('docked at 520 x 800: every blocked call on the first screen, the no-cors loads behind one switch', async () => {
  const panel = await openPanel('light');
  try {
    const noCors = entries.filter(
      (e) => e.verdict.kind === 'no-cors-load' || e.verdict.kind === 'opaque-response',
    );
    expect(noCors.length).toBeGreaterThanOrEqual(NO_CORS_MIN);
    const toggle = panel.getByRole('button', { name: `${noCors.length} no-cors loads hidden · show` });
    await expect(toggle).toBeVisible();
    await expect(
      panel.getByRole('button', { name: `CORS calls ${entries.length - noCors.length}` }),
    ).toBeVisible();

    // The first screen: rows inside the visible part of the list, without scrolling.
    const list = await panel.locator('.list-scroll').boundingBox();
    const blockedRows = panel.locator('[role="option"].state-blocked');
    await expect(blockedRows).toHaveCount(BLOCKED_MARKERS.length);
    for (const m of BLOCKED_MARKERS) {
      const box = await panel.getByRole('option').filter({ hasText: m }).boundingBox();
      expect(box, m).not.toBeNull();
      expect(box!.y + box!.height, m).toBeLessThanOrEqual(list!.y + list!.height);
    }
    await expect(panel.locator('[role="option"].state-finding')).toHaveCount(0);
    await expect(panel.getByRole('option').filter({ hasText: /look wrong/i })).toHaveCount(0);
    await expect(panel.getByRole('option').filter({ hasText: 'No-CORS load' })).toHaveCount(0);

    const axe = await new AxeBuilder({ page: panel }).analyze();
    const bad = axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(bad.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);

    // One click shows them all; still none amber.
    await toggle.click();
    await expect(panel.getByRole('button', { name: `All calls ${entries.length}` })).toBeVisible();
    await expect(
      panel.getByRole('button', { name: `Hide the ${noCors.length} no-cors loads` }),
    ).toBeVisible();
    // (The list is virtualized: the rows on screen are now mostly the page's no-cors loads.)
    await expect(panel.getByRole('option').filter({ hasText: 'No-CORS load' }).first()).toBeVisible();
    await expect(panel.locator('[role="option"].state-finding')).toHaveCount(0);
  } finally {
    await panel.close();
  }
});

test('screenshots, docked, light and dark', async () => {
  test.skip(!process.env.SCREENSHOTS, 'SCREENSHOTS=1 writes docs/screenshots/busy-page-*.png');
  for (const scheme of ['light', 'dark'] as const) {
    const panel = await openPanel(scheme);
    try {
      writeFileSync(`docs/screenshots/busy-page-${scheme}.png`, await panel.screenshot());
    } finally {
      await panel.close();
    }
  }
});
