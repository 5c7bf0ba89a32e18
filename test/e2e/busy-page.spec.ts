/**
 * An ordinary busy page in real Chromium (test/e2e/busy-page.ts): the badge equals Chrome's own count
 * of CORS-blocked calls (CDP), the sandboxed frames' no-cors loads (`Origin: null`) are no-cors loads,
 * no row is amber or "looks wrong", and docked at 520 x 800 the panel's default view shows every blocked
 * call on its first screen, the no-cors loads behind one counted switch.
 *
 * `SCREENSHOTS=1` also writes docs/screenshots/busy-page-{light,dark}.png.
 */
import { writeFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { rowState } from '../../src/report/describe';
import { ChromeOracle, type Extension } from './harness';
import { BLOCKED_MARKERS, NO_CORS_MIN, AD_FRAMES, openBusySite, type BusySite } from './busy-page';
import { test as base, expect } from './fixtures';

/** The busy page in Chromium with Chrome's own verdicts (CDP): once for the file. */
const test = base.extend<object, { busy: BusySite<Page> & { oracle: ChromeOracle } }>({
  busy: [
    async ({ servers, chromium }, use) => {
      let oracle: ChromeOracle | undefined;
      const site = await openBusySite(chromium.driver, servers, {
        watch: async (page) => {
          oracle = await ChromeOracle.attach(chromium.ext, page);
        },
        // Every blocked call has Chrome's verdict before the log is read.
        loaded: async () => {
          for (const m of BLOCKED_MARKERS) await oracle!.waitVerdict(m, 20_000);
        },
        settleMs: 30_000,
      });
      await use({ ...site, oracle: oracle! });
      await oracle!.detach();
      await site.page.close();
    },
    { scope: 'worker', timeout: 120_000 },
  ],
});

test.describe.configure({ mode: 'serial' });

const chromeBlocked = (oracle: ChromeOracle): string[] =>
  oracle
    .requestsWith('')
    .filter((r) => r.done?.outcome === 'blocked')
    .map((r) => r.url);

test('the badge and the blocked calls are Chrome’s own', async ({
  busy: { entries, oracle, tabId },
  chromium,
}) => {
  const blocked = chromeBlocked(oracle);
  expect(blocked.length).toBe(BLOCKED_MARKERS.length);
  for (const m of BLOCKED_MARKERS)
    expect(
      blocked.some((u) => u.includes(m)),
      m,
    ).toBe(true);
  const ours = entries.filter((e) => e.verdict.outcome === 'blocked').map((e) => e.exchange.legs[0]!.url);
  expect(ours.sort()).toEqual([...blocked].sort());
  expect(await chromium.driver.badgeText(tabId)).toBe(String(blocked.length));
});

test('the sandboxed frames are opaque origins whose loads are no-cors loads, never "looks wrong"', ({
  busy: { entries },
}) => {
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

test('Opaque Response Blocking: a no-cors fetch of JSON with nosniff is an ORB failure in Chrome, not CORS', ({
  busy: { entries },
}) => {
  // (orb.spec.ts checks this verdict against Chrome's own ORB issue over CDP.)
  const e = entries.find((x) => x.exchange.legs[0]!.url.includes('no-cors-json'))!;
  expect(e.verdict.kind).toBe('orb-blocked');
  expect(e.verdict.outcome).toBe('failed');
});

test('no row is amber: the hard-coded PUT without Vary is one info line', ({ busy: { entries } }) => {
  expect(entries.filter((e) => rowState(e) === 'finding').map((e) => e.exchange.legs[0]!.url)).toEqual([]);
  const put = entries.find((e) => e.exchange.legs[0]!.url.includes('put-hard-coded'))!;
  expect(put.verdict.outcome).toBe('allowed');
  const vary = put.verdict.findings.filter((f) => f.id === 'missing-vary-origin');
  expect(vary.map((f) => f.severity)).toEqual(['info']);
  expect(vary[0]!.advice).toContain('--origin https://evil.example');
});

/** The panel's pop-out page at a docked size, light or dark. */
async function openPanel(ext: Extension, tabId: number, scheme: 'light' | 'dark'): Promise<Page> {
  const panel = await ext.context.newPage();
  await panel.setViewportSize({ width: 520, height: 800 });
  await panel.emulateMedia({ colorScheme: scheme });
  await panel.goto(`chrome-extension://${ext.extensionId}/src/panel/panel.html?tabId=${tabId}`);
  await expect(panel.getByRole('option').first()).toBeVisible();
  return panel;
}

test('docked at 520 x 800: every blocked call on the first screen, the no-cors loads behind one switch', async ({
  busy: { entries, tabId },
  chromium,
}) => {
  const panel = await openPanel(chromium.ext, tabId, 'light');
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

test('screenshots, docked, light and dark', async ({ busy: { tabId }, chromium }) => {
  test.skip(!process.env.SCREENSHOTS, 'SCREENSHOTS=1 writes docs/screenshots/busy-page-*.png');
  for (const scheme of ['light', 'dark'] as const) {
    const panel = await openPanel(chromium.ext, tabId, scheme);
    try {
      writeFileSync(`docs/screenshots/busy-page-${scheme}.png`, await panel.screenshot());
    } finally {
      await panel.close();
    }
  }
});
