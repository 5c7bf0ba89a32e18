/**
 * The CORS panel end to end: real Chromium, the built extension, real traffic from a loopback page to a
 * loopback API, captured by the real worker and judged by the real engine. The panel runs as its
 * pop-out page (`panel.html?tabId=N`), connected to the worker over the real port.
 */
import { readFileSync } from 'node:fs';
import { test, expect, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import {
  addFrame,
  launchWithExtension,
  readEntries,
  runInFrame,
  send,
  startServers,
  stopServiceWorker,
  waitFor,
  waitForListeners,
  type Extension,
  type Handler,
  type Servers,
} from './harness';

let servers: Servers;
let ext: Extension;
let site: Page;
let panel: Page;
let tabId: number;

const SECRET = 's3cr3t-t0ken';
const BEARER = 'Bearer eyJhbGciOiJIUzI1NiJ9.payload.signature';

/** The article's mistakes and two allowed calls, as routes on the API origin. */
function routes(s: Servers): void {
  const page = s.page.origin;
  const pre = (req: { method?: string; headers: Record<string, unknown> }) =>
    req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined;
  // 1. `*` with credentials (cors({ origin: '*', credentials: true })).
  s.api.route('/wildcard', (_q, res) =>
    send(res, 200, { 'access-control-allow-origin': '*', 'access-control-allow-credentials': 'true' }, '{}'),
  );
  // 2. An Authorization header the preflight does not allow; a token in the query string.
  s.api.route('/auth', (req, res) =>
    pre(req)
      ? send(res, 204, {
          'access-control-allow-origin': page,
          'access-control-allow-methods': 'GET, PUT',
          'access-control-allow-headers': 'content-type',
          'access-control-max-age': '0',
        })
      : send(res, 200, { 'access-control-allow-origin': page }, '{}'),
  );
  // 3. A hard-coded http://localhost:3000 origin.
  s.api.route('/localhost', (_q, res) =>
    send(res, 200, { 'access-control-allow-origin': 'http://localhost:3000', vary: 'Origin' }, '{}'),
  );
  // 4. Correct.
  s.api.route('/ok', (_q, res) =>
    send(res, 200, { 'access-control-allow-origin': page, vary: 'Origin' }, '{}'),
  );
  // 5. Allowed but dangerous: the origin reflected with credentials, no Vary: Origin. The same API
  // answers the third origin's frame with that origin (/me), so the log shows the value follows
  // Origin: both calls are amber.
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

async function makeCalls(s: Servers): Promise<void> {
  await site.evaluate(
    async ({ api, refused, secret, bearer }) => {
      const go = (u: string, init?: RequestInit) =>
        fetch(u, init).then(
          () => 'ok',
          () => 'failed',
        );
      await go(`${api}/wildcard?run=1`, { credentials: 'include' });
      await go(`${api}/auth?run=2&token=${secret}`, {
        method: 'PUT',
        headers: { Authorization: bearer, 'Content-Type': 'application/json' },
        body: '{}',
      });
      await go(`${api}/localhost?run=3`);
      await go(`${api}/ok?run=4`);
      await go(`${api}/reflect?run=5`, { credentials: 'include' });
      await go(refused);
    },
    { api: s.api.origin, refused: s.refusedUrl('/down?run=6'), secret: SECRET, bearer: BEARER },
  );
  await addFrame(site, s.third.origin);
  await runInFrame(
    site,
    s.third.origin,
    (u: string) => fetch(u, { credentials: 'include' }).then(() => 'ok'),
    s.api.url('/me?run=7'),
  );
  await waitFor(
    async () => {
      const e = await readEntries(ext, tabId);
      return e.length >= 7 && e.every((x) => x.verdict.outcome !== 'pending');
    },
    15_000,
    'seven settled calls in the worker',
  );
}

const row = (text: string) => panel.getByRole('option').filter({ hasText: text });

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  servers = await startServers();
  routes(servers);
  ext = await launchWithExtension();
  site = await ext.context.newPage();
  await site.goto(servers.page.url('/'));
  tabId = await waitForListeners(ext, site, servers);
  await makeCalls(servers);
  panel = await ext.context.newPage();
  await panel.setViewportSize({ width: 1280, height: 800 });
  await panel.goto(`chrome-extension://${ext.extensionId}/src/panel/panel.html?tabId=${tabId}`);
});

test.afterAll(async () => {
  await ext?.close();
  await servers?.close();
});

test('one row per cross-origin call, with state, method, verdict and counts', async () => {
  await expect(panel.getByRole('option')).toHaveCount(7);
  await expect(row('/wildcard')).toHaveClass(/state-blocked/);
  await expect(row('/auth')).toHaveClass(/state-blocked/);
  await expect(row('/localhost')).toHaveClass(/state-blocked/);
  await expect(row('/ok')).toHaveClass(/state-allowed/);
  await expect(row('/reflect')).toHaveClass(/state-finding/);
  await expect(row('/down')).toHaveClass(/state-failed/);
  // The preflighted PUT is marked as such.
  await expect(row('/auth')).toContainText('PUT');
  await expect(row('/auth')).toContainText('with preflight');
  await expect(row('/ok')).not.toContainText('with preflight');
  await expect(panel.getByRole('button', { name: /^Blocked 3$/ })).toBeVisible();
  await expect(panel.getByRole('button', { name: /^CORS calls 7$/ })).toBeVisible();
  await expect(panel.getByRole('button', { name: /^With findings [1-9]/ })).toBeVisible();
});

test('filters: blocked, with findings, text', async () => {
  await panel.getByRole('button', { name: /^Blocked/ }).click();
  await expect(panel.getByRole('option')).toHaveCount(3);
  await panel.getByRole('button', { name: /^With findings/ }).click();
  await expect(row('/reflect')).toBeVisible();
  await expect(row('/ok')).toHaveCount(0);
  await panel.getByRole('button', { name: /^CORS calls/ }).click();
  await panel.getByRole('searchbox').fill('WildcardOrigin');
  await expect(panel.getByRole('option')).toHaveCount(1);
  await panel.getByRole('searchbox').fill('');
  await expect(panel.getByRole('option')).toHaveCount(7);
});

test('detail of a preflight failure: words, Chrome error, decisive header, linked steps, fix', async () => {
  await row('/auth').click();
  const d = panel.locator('article.detail');
  await expect(d.getByRole('heading', { level: 2 })).toContainText(/authorization/i);
  await expect(d.locator('.chrome-error')).toHaveText('HeaderDisallowedByPreflightResponse');
  await expect(d.locator('.failed-parameter')).toHaveText('authorization');
  await expect(d).not.toContainText('failed parameter');
  await expect(d.locator('.console-message')).toContainText('has been blocked by CORS policy');
  // Two linked steps: the preflight (decisive) and the request that was never sent.
  const steps = d.getByRole('list', { name: 'Requests in order' }).getByRole('listitem');
  await expect(steps).toHaveCount(2);
  await expect(steps.nth(0)).toContainText('Preflight OPTIONS');
  await expect(steps.nth(0)).toContainText('decisive');
  await expect(steps.nth(1)).toContainText('never sent');
  // Side by side, the decisive header highlighted.
  await expect(d.getByRole('heading', { name: 'The browser asked', exact: true })).toBeVisible();
  await expect(d.getByRole('heading', { name: /^The server answered/, level: 4 })).toBeVisible();
  const decisive = d.locator('table.headers tr.decisive');
  await expect(decisive.first()).toContainText(/access-control-allow-headers/i);
  // The fix, with a stack picker.
  await expect(d.getByRole('heading', { name: 'Fix', exact: true })).toBeVisible();
  await expect(d.getByRole('list', { name: 'Header changes' })).toContainText(
    /Access-Control-Allow-Headers/i,
  );
  await expect(d.getByRole('combobox', { name: /Server stack/ })).toBeVisible();
  // The test server says nothing about its stack: the panel asks instead of showing one stack's code.
  await expect(d.locator('.stack-evidence')).toContainText('Server stack: unknown');
  await expect(d.locator('.recipe pre')).toHaveCount(0);
  // The picked stack is remembered per API origin.
  await d.getByRole('combobox', { name: /Server stack/ }).selectOption('django');
  await expect(d.locator('.recipe pre')).toContainText('CORS_');
  await row('/localhost').click();
  await expect(d.getByRole('combobox', { name: /Server stack/ })).toHaveValue('django');
  const stored = await ext.worker.evaluate(() => chrome.storage.local.get('stackByApiOrigin'));
  expect(stored).toEqual({ stackByApiOrigin: { [servers.api.origin]: 'django' } });
});

test('detail of the other kinds: wildcard with credentials is inferred; findings on an allowed call', async () => {
  const d = panel.locator('article.detail');
  await row('/localhost').click();
  await expect(d.locator('.chrome-error')).toHaveText('AllowOriginMismatch');
  await expect(d).toContainText('http://localhost:3000');
  await row('/wildcard').click();
  await expect(d.locator('.chrome-error')).toHaveText('WildcardOriginNotAllowed');
  await expect(d.locator('.confidence')).toContainText('Inferred');
  await row('/reflect').click();
  await expect(d.getByRole('heading', { name: 'Findings' })).toBeVisible();
  await expect(d.locator('.findings li').first()).not.toBeEmpty();
  await row('/down').click();
  await expect(d).toContainText('net::ERR_CONNECTION_REFUSED');
});

test('copy as curl: the preflight and the request as the browser sent them, secrets redacted', async () => {
  await row('/auth').click();
  const d = panel.locator('article.detail');
  const pre = await d.locator('.curl-preflight').innerText();
  expect(pre).toContain('curl -i -X OPTIONS');
  expect(pre).toContain(`Origin: ${servers.page.origin}`);
  expect(pre).toContain('Access-Control-Request-Method: PUT');
  expect(pre).toMatch(/Access-Control-Request-Headers: authorization,content-type/i);
  expect(pre).toContain('token=[REDACTED]');
  expect(pre).not.toContain(SECRET);
  const actual = await d.locator('.curl-actual').innerText();
  expect(actual).toContain('-X PUT');
  await expect(d).toContainText('curl and Postman are not browsers');
});

async function exportVia(label: 'Markdown' | 'JSON', scope: RegExp, redact = true): Promise<string> {
  await panel.getByRole('button', { name: 'Export', exact: true }).click();
  const box = panel.getByRole('group', { name: 'Export' });
  await box.getByRole('radio', { name: scope }).check();
  const redactBox = box.getByRole('checkbox', { name: /Redact secrets/ });
  if ((await redactBox.isChecked()) !== redact) await redactBox.click();
  const [download] = await Promise.all([
    panel.waitForEvent('download'),
    box.getByRole('button', { name: label, exact: true }).click(),
  ]);
  const text = readFileSync(await download.path(), 'utf8');
  if (!redact) await redactBox.click();
  await panel.keyboard.press('Escape');
  return text;
}

test('export: Markdown for one call and JSON for all blocked calls, redacted by default', async () => {
  await row('/auth').click();
  const md = await exportVia('Markdown', /Selected call/);
  expect(md).toMatch(/^## Blocked: PUT `http:\/\/127\.0\.0\.1:\d+\/auth\?run=2&token=\[REDACTED\]`/);
  expect(md).toContain("| Chrome's error | `HeaderDisallowedByPreflightResponse` |");
  expect(md).toContain('| The server answered | Value |');
  expect(md).toContain('⟵ decisive');
  expect(md).toContain('```sh\ncurl -i -X OPTIONS');
  expect(md).toContain('### Fix');
  expect(md).not.toContain(SECRET);
  expect(md).not.toContain('eyJhbGciOiJIUzI1NiJ9');

  const json = JSON.parse(await exportVia('JSON', /All blocked calls/));
  expect(json).toMatchObject({ format: 'cors-lens-report', version: 1, redacted: true, scope: 'blocked' });
  expect(json.calls).toHaveLength(3);
  const errors = json.calls.map((c: { chromeError: string }) => c.chromeError).sort();
  expect(errors).toEqual([
    'AllowOriginMismatch',
    'HeaderDisallowedByPreflightResponse',
    'WildcardOriginNotAllowed',
  ]);
  for (const c of json.calls) {
    expect(c).toHaveProperty('url');
    expect(c).toHaveProperty('method');
    expect(c.initiator).toBe(servers.page.origin);
    expect(c.outcome).toBe('blocked');
    expect(typeof c.kind).toBe('string');
    expect(Array.isArray(c.facts)).toBe(true);
    expect(Array.isArray(c.findings)).toBe(true);
  }
  const auth = json.calls.find((c: { url: string }) => c.url.includes('/auth'));
  expect(auth.failedParameter).toBe('authorization');
  expect(JSON.stringify(json)).not.toContain(SECRET);
});

test('Copy Markdown puts the report on the clipboard', async () => {
  await row('/localhost').click();
  await panel.getByRole('button', { name: 'Export', exact: true }).click();
  const box = panel.getByRole('group', { name: 'Export' });
  await box.getByRole('radio', { name: /Selected call/ }).check();
  await box.getByRole('button', { name: 'Copy Markdown' }).click();
  await expect(box.getByRole('status')).toHaveText('Copied Markdown for 1 call');
  await panel.keyboard.press('Escape');
  // Paste it back (into the filter box, which keeps the first line) to see what was copied.
  await panel.getByRole('searchbox').focus();
  await panel.keyboard.press('Control+V');
  await expect(panel.getByRole('searchbox')).toHaveValue(
    /^## Blocked: GET `http:\/\/127\.0\.0\.1:\d+\/localhost/,
  );
  await panel.getByRole('searchbox').fill('');
});

test('export with redaction turned off keeps the secrets (explicit choice)', async () => {
  await row('/auth').click();
  const md = await exportVia('Markdown', /Selected call/, false);
  expect(md).toContain(SECRET);
  expect(md).toContain('secrets NOT redacted');
});

test('keyboard: / focuses the filter, arrows select, Enter opens the detail, Escape goes back', async () => {
  await panel.locator('body').click({ position: { x: 5, y: 300 } });
  await panel.keyboard.press('/');
  await expect(panel.getByRole('searchbox')).toBeFocused();
  await panel.keyboard.press('Escape');
  const list = panel.getByRole('listbox');
  await expect(list).toBeFocused();
  await panel.keyboard.press('Home');
  await expect(panel.getByRole('option').first()).toHaveAttribute('aria-selected', 'true');
  await panel.keyboard.press('ArrowDown');
  await expect(panel.getByRole('option').nth(1)).toHaveAttribute('aria-selected', 'true');
  await expect(list).toHaveAttribute(
    'aria-activedescendant',
    (await panel.getByRole('option').nth(1).getAttribute('id'))!,
  );
  await panel.keyboard.press('Enter');
  await expect(panel.locator('#detail-title')).toBeFocused();
  await panel.keyboard.press('Escape');
  await expect(list).toBeFocused();
});

for (const scheme of ['light', 'dark'] as const) {
  test(`${scheme} theme follows the system outside DevTools, with no serious accessibility violations`, async () => {
    await panel.emulateMedia({ colorScheme: scheme });
    await panel.reload();
    await expect(panel.getByRole('option')).toHaveCount(7);
    await expect(panel.locator('html')).toHaveAttribute('data-theme', scheme);
    const bg = await panel.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(bg).toBe(scheme === 'dark' ? 'rgb(32, 33, 36)' : 'rgb(255, 255, 255)');
    for (const which of ['/auth', '/reflect']) {
      await row(which).click();
      await panel.getByRole('button', { name: 'Export', exact: true }).click();
      const results = await new AxeBuilder({ page: panel }).analyze();
      const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
      expect(bad.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
      await panel.keyboard.press('Escape');
    }
  });
}

test('reconnects by itself after the worker stops, and shows calls made meanwhile', async () => {
  await stopServiceWorker(ext);
  await site.evaluate((u) => fetch(u).catch(() => undefined), servers.api.url('/ok?run=after-restart'));
  await expect(row('after-restart')).toHaveCount(1, { timeout: 15_000 });
  await expect(panel.getByText(/reconnecting/i)).toHaveCount(0);
});

test('clear empties the list and says how to see calls again', async () => {
  await panel.getByRole('button', { name: 'Clear' }).click();
  await expect(panel.getByRole('option')).toHaveCount(0);
  await expect(panel.getByText('No cross-origin calls captured yet.')).toBeVisible();
  await expect(panel.getByText(/Reload the page to see calls made before DevTools opened/)).toBeVisible();
  await waitFor(
    async () => (await readEntries(ext, tabId)).length === 0,
    5_000,
    'the worker log to be empty',
  );
});

test('Preserve log keeps calls across a navigation; without it the log starts afresh', async () => {
  const call = (run: string) =>
    site.evaluate((u) => fetch(u).catch(() => undefined), servers.api.url(`/ok?run=${run}`));
  const preserve = panel.getByRole('checkbox', { name: 'Preserve log' });

  await call('pl-1');
  await expect(row('pl-1')).toHaveCount(1);
  await preserve.check();
  await site.reload();
  await call('pl-2');
  await expect(row('pl-2')).toHaveCount(1);
  await expect(row('pl-1')).toHaveCount(1);

  await preserve.uncheck();
  await site.reload();
  await call('pl-3');
  await expect(row('pl-3')).toHaveCount(1);
  await expect(row('pl-1')).toHaveCount(0);
  await expect(row('pl-2')).toHaveCount(0);
});

test('without a tab id the page says what to do', async () => {
  const p = await ext.context.newPage();
  await p.goto(`chrome-extension://${ext.extensionId}/src/panel/panel.html`);
  await expect(p.getByText('No page to inspect.')).toBeVisible();
  await p.close();
});
