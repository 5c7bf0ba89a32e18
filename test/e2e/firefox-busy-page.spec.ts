/**
 * The busy page of test/e2e/busy-page.ts in a real Firefox (dist/firefox, puppeteer-core over BiDi):
 * the badge equals the calls Firefox blocked (its own console reasons, and what the page could not
 * read), the sandboxed ad frames' calls are captured as in Chrome (opaque origin `null`), no row is
 * amber or "looks wrong", and docked at 520 x 800 the panel shows every blocked call on its first screen.
 */
import type { Page } from 'puppeteer-core';
import { rowState } from '../../src/report/describe';
import { FirefoxOracle, gotoExtensionPage, PANEL_PATH } from './firefox-harness';
import { waitFor } from './driver';
import { AD_FRAMES, BLOCKED_MARKERS, openBusySite, type BusySite } from './busy-page';
import { test as base, expect } from './fixtures';

/** The busy page in Firefox with Firefox's own console reasons: once for the file. */
const test = base.extend<object, { busy: BusySite<Page> & { oracle: FirefoxOracle } }>({
  busy: [
    async ({ servers, firefox }, use) => {
      let oracle: FirefoxOracle | undefined;
      const site = await openBusySite(firefox, servers, {
        watch: (page) => {
          oracle = new FirefoxOracle(page);
        },
        settleMs: 40_000,
        pauseMs: 200,
      });
      await use({ ...site, oracle: oracle! });
      await site.page.close();
    },
    { scope: 'worker', timeout: 150_000 },
  ],
});

test.describe.configure({ mode: 'serial' });

test('the badge and the blocked calls are Firefox’s own', async ({
  busy: { results, oracle, entries, tabId },
  firefox,
}) => {
  // The page's own view: the last six calls of the page script could not be read.
  expect(results.filter((r) => r === 'failed').length).toBe(BLOCKED_MARKERS.length);
  const reasons = new Set(oracle.messages.filter((m) => !m.warning).map((m) => m.url));
  for (const m of BLOCKED_MARKERS)
    expect(
      [...reasons].some((u) => u.includes(m)),
      m,
    ).toBe(true);
  const ours = entries.filter((e) => e.verdict.outcome === 'blocked').map((e) => e.exchange.legs[0]!.url);
  expect(ours.length).toBe(BLOCKED_MARKERS.length);
  for (const m of BLOCKED_MARKERS)
    expect(
      ours.some((u) => u.includes(m)),
      m,
    ).toBe(true);
  expect(await firefox.badgeText(tabId)).toBe(String(BLOCKED_MARKERS.length));
});

test('the sandboxed frames are captured, as an opaque origin, their loads as no-cors loads', ({
  busy: { entries },
}) => {
  const fromFrames = entries.filter((e) => e.exchange.initiator === 'null');
  expect(fromFrames.filter((e) => e.exchange.legs[0]!.url.includes('/bid?')).length).toBe(AD_FRAMES);
  const elements = fromFrames.filter((e) => e.exchange.type === 'image' || e.exchange.type === 'script');
  expect(elements.length).toBe(AD_FRAMES * 2);
  for (const e of elements) expect(e.verdict.kind, e.exchange.legs[0]!.url).toBe('no-cors-load');
  for (const e of fromFrames.filter((x) => x.exchange.legs[0]!.url.includes('/bid?')))
    expect(e.verdict.outcome).toBe('allowed');
});

test('no ORB verdict in Firefox: the no-cors fetch of JSON with nosniff gets its opaque response', ({
  busy: { results, entries },
}) => {
  // The page's own view: the fetch resolved (Firefox 153 ESR hands over the opaque response).
  expect(results[results.length - 1]).toBe('ok');
  const e = entries.find((x) => x.exchange.legs[0]!.url.includes('no-cors-json'))!;
  expect(e.verdict.kind).toBe('opaque-response');
});

test('no row is amber, none "looks wrong"; the hard-coded PUT is one info line', ({ busy: { entries } }) => {
  expect(entries.filter((e) => rowState(e) === 'finding').map((e) => e.exchange.legs[0]!.url)).toEqual([]);
  expect(entries.filter((e) => e.verdict.kind === 'allowed-contrary')).toEqual([]);
  const put = entries.find((e) => e.exchange.legs[0]!.url.includes('put-hard-coded'))!;
  expect(put.verdict.outcome).toBe('allowed');
  expect(put.verdict.findings.map((f) => [f.id, f.severity])).toContainEqual(['missing-vary-origin', 'info']);
});

test('docked at 520 x 800: every blocked call on the first screen of the default view', async ({
  busy: { entries, tabId },
  firefox,
}) => {
  const panel = await firefox.newPage();
  try {
    await panel.setViewport({ width: 520, height: 800 });
    await gotoExtensionPage(panel, `${PANEL_PATH}?tabId=${tabId}`);
    const view = await waitFor(
      () =>
        panel.evaluate(() => {
          const list = document.querySelector('.list-scroll')?.getBoundingClientRect();
          const rows = [...document.querySelectorAll('[role="option"]')].map((r) => {
            const b = r.getBoundingClientRect();
            return { text: r.textContent ?? '', cls: r.className, bottom: b.bottom };
          });
          const toggle = document.querySelector('.no-cors-switch')?.textContent ?? '';
          return rows.length ? { bottom: list?.bottom ?? 0, rows, toggle } : undefined;
        }),
      15_000,
      'the panel rows',
    );
    const noCors = entries.filter(
      (e) => e.verdict.kind === 'no-cors-load' || e.verdict.kind === 'opaque-response',
    );
    expect(view.toggle).toBe(`${noCors.length} no-cors loads hidden · show`);
    for (const m of BLOCKED_MARKERS) {
      const row = view.rows.find((r) => r.text.includes(m));
      expect(row?.cls, m).toContain('state-blocked');
      expect(row!.bottom, m).toBeLessThanOrEqual(view.bottom);
    }
    expect(view.rows.filter((r) => r.cls.includes('state-finding'))).toEqual([]);
    expect(view.rows.filter((r) => /look wrong|No-CORS load/i.test(r.text))).toEqual([]);
  } finally {
    await panel.close();
  }
});
