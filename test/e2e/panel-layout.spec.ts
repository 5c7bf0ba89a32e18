/**
 * The panel as developers see it: docked (520 px) and wide (1,400 px). Real Chromium, the built
 * extension, real calls judged by the real engine; the panel is the pop-out page at each size.
 * Measured, not eyeballed: every verdict in the list fits its box and the viewport, a blocked call's
 * fix heading is on the first screen of its detail, a correct allowlisted credentialed call is green,
 * and "Try a fix" turns a blocked call green by editing one header.
 */
import type { Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { addFrame, runInFrame, send, waitFor, type Extension, type Handler, type Servers } from './harness';
import { watchedPage } from './driver';
import { test as base, expect } from './fixtures';

const CALLS = 7;

function routes(s: Servers): void {
  const page = s.page.origin;
  const pre = (req: { method?: string; headers: Record<string, unknown> }) =>
    req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined;
  s.api.route('/wildcard', (_q, res) =>
    send(res, 200, { 'access-control-allow-origin': '*', 'access-control-allow-credentials': 'true' }, '{}'),
  );
  s.api.route('/auth', (req, res) =>
    pre(req)
      ? send(res, 204, {
          'access-control-allow-origin': page,
          'access-control-allow-methods': 'GET, PUT',
          'access-control-allow-headers': 'content-type',
          'access-control-max-age': '0',
          vary: 'Origin',
        })
      : send(res, 200, { 'access-control-allow-origin': page, vary: 'Origin' }, '{}'),
  );
  s.api.route('/localhost', (_q, res) =>
    send(res, 200, { 'access-control-allow-origin': 'http://localhost:3000', vary: 'Origin' }, '{}'),
  );
  s.api.route('/missing', (_q, res) => send(res, 500, {}, 'boom'));
  // A correct allowlisted credentialed API: exact origin, credentials allowed, Vary: Origin.
  s.api.route('/allowlisted', (req, res) =>
    send(
      res,
      200,
      {
        'access-control-allow-origin': req.headers.origin === page ? page : '',
        'access-control-allow-credentials': 'true',
        vary: 'Origin',
      },
      '{}',
    ),
  );
  // Echoed with credentials and no Vary: Origin; the log also shows it answering the third origin's
  // frame with that origin (/me), the evidence that makes both amber.
  const reflect: Handler = (req, res) =>
    send(
      res,
      200,
      {
        'access-control-allow-origin': String(req.headers.origin ?? '*'),
        'access-control-allow-credentials': 'true',
      },
      '{}',
    );
  s.api.route('/reflect', reflect);
  s.api.route('/me', reflect);
}

/** This file's calls, judged, in a watched tab: once for the file. */
const test = base.extend<object, { layout: { ext: Extension; tabId: number } }>({
  layout: [
    async ({ servers, chromium }, use) => {
      routes(servers);
      const { page: site, tabId } = await watchedPage(chromium.driver, servers);
      await site.evaluate(async (api) => {
        const go = (u: string, init?: RequestInit) => fetch(u, init).catch(() => undefined);
        await go(`${api}/wildcard?run=1&a=very-long-query-parameter-value-to-make-the-url-long`, {
          credentials: 'include',
        });
        await go(`${api}/auth?run=2&token=s3cr3t`, {
          method: 'PUT',
          headers: { Authorization: 'Bearer x.y.z', 'Content-Type': 'application/json' },
          body: '{}',
        });
        await go(`${api}/localhost?run=3`);
        await go(`${api}/missing?run=4`);
        await go(`${api}/allowlisted?run=5`, { credentials: 'include' });
        await go(`${api}/reflect?run=6`, { credentials: 'include' });
      }, servers.api.origin);
      await addFrame(site, servers.third.origin);
      await runInFrame(
        site,
        servers.third.origin,
        (u: string) => fetch(u, { credentials: 'include' }).then(() => 'ok'),
        servers.api.url('/me?run=7'),
      );
      await waitFor(
        async () => {
          const e = await chromium.driver.readEntries(tabId);
          return e.length >= CALLS && e.every((x) => x.verdict.outcome !== 'pending');
        },
        15_000,
        'the calls to be judged',
      );
      await use({ ext: chromium.ext, tabId });
      await site.close();
    },
    { scope: 'worker', timeout: 90_000 },
  ],
});

test.describe.configure({ mode: 'serial' });

async function openPanel(
  { ext, tabId }: { ext: Extension; tabId: number },
  width: number,
  height = 800,
): Promise<Page> {
  const panel = await ext.context.newPage();
  await panel.setViewportSize({ width, height });
  await panel.goto(`chrome-extension://${ext.extensionId}/src/panel/panel.html?tabId=${tabId}`);
  await expect(panel.getByRole('option')).toHaveCount(CALLS);
  return panel;
}

/** Every verdict cell: its content fits its box, and the box lies inside the viewport. */
async function verdictBoxes(panel: Page) {
  return panel.$$eval('.row .c-verdict', (els) =>
    els.map((el) => {
      const r = el.getBoundingClientRect();
      return {
        text: (el.textContent ?? '').slice(0, 60),
        fits: el.scrollWidth <= el.clientWidth,
        inside: r.left >= 0 && r.right <= window.innerWidth && r.width > 0,
      };
    }),
  );
}

const row = (panel: Page, text: string) => panel.getByRole('option').filter({ hasText: text });

for (const [width, height, name] of [
  [520, 800, 'docked right, 520 x 800'],
  [1400, 800, 'wide, 1,400 x 800'],
  [1400, 320, 'docked at the bottom, 1,400 x 320'],
] as const) {
  test(`${name}: every verdict readable, the fix on the first screen, the allowlisted call green`, async ({
    layout,
  }) => {
    const panel = await openPanel(layout, width, height);
    try {
      const boxes = await verdictBoxes(panel);
      expect(boxes).toHaveLength(CALLS);
      expect(boxes.filter((b) => !b.fits || !b.inside)).toEqual([]);
      // The state is a mark with an accessible name.
      await expect(row(panel, '/auth').getByRole('img', { name: 'Blocked' })).toBeVisible();

      // The correct allowlisted credentialed call is green; the echoing one is amber.
      await expect(row(panel, '/allowlisted')).toHaveClass(/state-allowed/);
      await expect(row(panel, '/allowlisted').getByRole('img', { name: 'Allowed' })).toBeVisible();
      await expect(row(panel, '/reflect')).toHaveClass(/state-finding/);
      const amber = await panel.locator('.row.state-finding').count();
      await expect(panel.getByRole('button', { name: `With findings ${amber}` })).toBeVisible();

      // A blocked call: its fix heading is on the first screen of the detail.
      await row(panel, '/auth').click();
      const pane = panel.locator('.detail-pane');
      const fix = pane.getByRole('heading', { name: 'Fix', exact: true });
      await expect(fix).toBeVisible();
      const [p, f] = await Promise.all([pane.boundingBox(), fix.boundingBox()]);
      expect(await pane.evaluate((el) => el.scrollTop)).toBe(0);
      expect(f!.y).toBeGreaterThanOrEqual(p!.y);
      expect(f!.y + f!.height).toBeLessThanOrEqual(p!.y + p!.height);
      // With the detail open the list verdicts still fit.
      const again = await verdictBoxes(panel);
      expect(again.filter((b) => !b.fits || !b.inside)).toEqual([]);
      // No internal ids in the detail.
      await expect(pane).not.toContainText('header-not-allowed');
      await expect(pane).not.toContainText('Verdict kind');
    } finally {
      await panel.close();
    }
  });
}

test('Try a fix turns a blocked call green by editing one header (docked)', async ({ layout, chromium }) => {
  const panel = await openPanel(layout, 520);
  try {
    await row(panel, '/auth').click();
    const d = panel.locator('article.detail');
    await d.getByRole('button', { name: 'Try a fix' }).click();
    const result = d.locator('.try-result');
    // Pre-filled with the suggested fix: the browser would allow it.
    await expect(result).toHaveClass(/state-allowed/);
    await expect(result).toContainText('The browser would allow it');
    await d.getByRole('button', { name: 'Start from what the server sent' }).click();
    await expect(result).toHaveClass(/state-blocked/);
    await expect(result).toContainText('authorization');
    const acah = d.getByRole('textbox', { name: 'Preflight: value of access-control-allow-headers' });
    await expect(acah.locator('xpath=ancestor::tr')).toHaveClass(/decisive/);
    await acah.fill('content-type, authorization');
    await expect(result).toHaveClass(/state-allowed/);
    await expect(result).toContainText('The browser would allow it');
    // The editor has no serious accessibility violations, light or dark.
    for (const scheme of ['light', 'dark'] as const) {
      await panel.emulateMedia({ colorScheme: scheme });
      const results = await new AxeBuilder({ page: panel }).analyze();
      const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
      expect(bad.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
    }
    // Nothing was sent: the worker's log still has the same calls.
    expect((await chromium.driver.readEntries(layout.tabId)).length).toBe(CALLS);
  } finally {
    await panel.close();
  }
});
