/**
 * The CORS panel in a real Firefox (dist/firefox, puppeteer-core over WebDriver BiDi): opened as its
 * pop-out page (`panel.html?tabId=N`) on real loopback traffic, it lists the calls with Firefox's
 * verdicts, names Firefox's reason with its MDN page, and exports a report.
 *
 * Downloads are not observable over BiDi, so the export is read where the panel hands it to the
 * browser: the `blob:` URL of the download link it clicks.
 */
import type { Page } from 'puppeteer-core';
import { send } from './harness';
import { EXTENSION_ORIGIN, gotoExtensionPage, PANEL_PATH } from './firefox-harness';
import { waitFor, watchedPage } from './driver';
import { test as base, expect } from './fixtures';

/** Three calls in a watched tab, and the panel's pop-out page on that tab: once for the file. */
const test = base.extend<object, { ff: { panel: Page; tabId: number } }>({
  ff: [
    async ({ servers, firefox }, use) => {
      const page = servers.page.origin;
      servers.api.route('/bare', (_q, res) => send(res, 200, {}, '{}'));
      servers.api.route('/ok', (_q, res) =>
        send(res, 200, { 'access-control-allow-origin': page, vary: 'Origin' }, '{}'),
      );
      servers.api.route('/put', (req, res) =>
        req.method === 'OPTIONS'
          ? send(res, 204, {
              'access-control-allow-origin': page,
              'access-control-allow-methods': 'GET',
              'access-control-max-age': '0',
            })
          : send(res, 200, { 'access-control-allow-origin': page }, '{}'),
      );
      const { page: site, tabId } = await watchedPage(firefox, servers);
      await site.evaluate(async (api: string) => {
        const go = (u: string, init?: RequestInit) =>
          fetch(u, init).then(
            () => 'ok',
            () => 'failed',
          );
        await go(`${api}/bare?run=1`);
        await go(`${api}/ok?run=2`);
        await go(`${api}/put?run=3`, { method: 'PUT', body: '{}' });
      }, servers.api.origin);
      await waitFor(
        async () => (await firefox.readEntries(tabId)).length === 3 && true,
        10_000,
        'three recorded calls',
      );
      const panel = await firefox.newPage();
      await gotoExtensionPage(panel, `${PANEL_PATH}?tabId=${tabId}`);
      await use({ panel, tabId });
      await panel.close();
      await site.close();
    },
    { scope: 'worker', timeout: 90_000 },
  ],
});

test.describe.configure({ mode: 'serial' });

const rows = (panel: Page) =>
  panel.$$eval('[role="option"]', (els) =>
    els.map((e) => ({ text: e.textContent ?? '', cls: e.getAttribute('class') ?? '' })),
  );

test('the pop-out panel lists the calls with Firefox verdicts', async ({ ff: { panel, tabId } }) => {
  expect(await panel.evaluate(() => location.href)).toBe(`${EXTENSION_ORIGIN}${PANEL_PATH}?tabId=${tabId}`);
  const list = await waitFor(
    async () => {
      const r = await rows(panel);
      return r.length === 3 ? r : undefined;
    },
    10_000,
    'three rows in the panel',
  );
  const byPath = (p: string) => list.find((r) => r.text.includes(p));
  expect(byPath('/bare')?.cls).toMatch(/state-blocked/);
  expect(byPath('/put')?.cls).toMatch(/state-blocked/);
  expect(byPath('/ok')?.cls).toMatch(/state-allowed/);
});

test("a blocked call's detail: Firefox's verdict, its reason with the MDN page, and Chrome's view", async ({
  ff: { panel },
}) => {
  await panel.evaluate(() => {
    const row = [...document.querySelectorAll<HTMLElement>('[role="option"]')].find((r) =>
      r.textContent?.includes('/bare'),
    );
    row?.dispatchEvent(new MouseEvent('mousedown', { bubbles: true, cancelable: true }));
  });
  const detail = await waitFor(
    () =>
      panel.evaluate(() => {
        const sec = document.getElementById('sec-chrome')?.closest('section');
        if (!sec) return undefined;
        const link = sec.querySelector<HTMLAnchorElement>('a.firefox-reason');
        return {
          title: sec.querySelector('h3')?.textContent ?? '',
          by: sec.querySelector('.verdict-browser')?.textContent ?? '',
          reason: link?.textContent ?? '',
          href: link?.href ?? '',
          console: sec.querySelector('.console-message')?.textContent ?? '',
          other: sec.querySelector('.other-browser')?.textContent ?? '',
        };
      }),
    10_000,
    'the detail of /bare',
  );
  expect(detail.title).toBe('What Firefox says');
  expect(detail.by).toBe("Firefox's rules");
  expect(detail.reason).toBe('CORSMissingAllowOrigin');
  expect(detail.href).toBe(
    'https://developer.mozilla.org/en-US/docs/Web/HTTP/Guides/CORS/Errors/CORSMissingAllowOrigin',
  );
  expect(detail.console).toMatch(
    /^Cross-Origin Request Blocked: .*\/bare\?run=1\. \(Reason: CORS header ‘Access-Control-Allow-Origin’ missing\)\. Status code: 200\.$/,
  );
  expect(detail.other).toBe('Chrome would also block this: MissingAllowOriginHeader.');
});

test('export: JSON of all blocked calls', async ({ ff: { panel } }) => {
  // Keep the blob the panel downloads instead of letting the browser save it.
  await panel.evaluate(() => {
    const g = globalThis as unknown as { __exported?: Promise<string>[] };
    g.__exported = [];
    HTMLAnchorElement.prototype.click = function (this: HTMLAnchorElement) {
      if (this.download) g.__exported?.push(fetch(this.href).then((r) => r.text()));
    };
  });
  await panel.click('.export > button');
  await panel.waitForSelector('#export-panel');
  await panel.evaluate(() => {
    const radios = [...document.querySelectorAll<HTMLInputElement>('#export-panel input[type=radio]')];
    radios.find((r) => r.parentElement?.textContent?.includes('All blocked calls'))?.click();
  });
  // Let the panel re-render with the new scope before exporting.
  await waitFor(
    () =>
      panel.evaluate(
        () =>
          [...document.querySelectorAll<HTMLInputElement>('#export-panel input[type=radio]')].find((r) =>
            r.parentElement?.textContent?.includes('All blocked calls'),
          )?.checked === true,
      ),
    5_000,
    'the "All blocked calls" scope',
  );
  await panel.evaluate(() => {
    [...document.querySelectorAll<HTMLButtonElement>('#export-panel button')]
      .find((b) => b.textContent?.trim() === 'JSON')
      ?.click();
  });
  const text = await waitFor(
    () =>
      panel.evaluate(async () => {
        const g = globalThis as unknown as { __exported?: Promise<string>[] };
        return g.__exported?.[0] ? await g.__exported[0] : undefined;
      }),
    10_000,
    'the exported JSON',
  );
  const json = JSON.parse(text) as {
    format: string;
    scope: string;
    calls: { url: string; outcome: string; browser: string; firefoxReason: { name: string } | null }[];
  };
  expect(json.format).toBe('cors-lens-report');
  expect(json.scope).toBe('blocked');
  expect(json.calls.map((c) => new URL(c.url).pathname).sort()).toEqual(['/bare', '/put']);
  for (const c of json.calls) {
    expect(c.outcome).toBe('blocked');
    expect(c.browser).toBe('firefox');
  }
  const reasons = json.calls.map((c) => c.firefoxReason?.name).sort();
  expect(reasons).toEqual(['CORSMethodNotFound', 'CORSMissingAllowOrigin']);
});
