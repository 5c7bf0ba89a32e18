/**
 * `npm run demo`: the article's CORS mistakes, live, in Chromium with CORS Lens.
 *
 * 1. Starts a page server and an Express API on loopback (ephemeral ports). The API reproduces the
 *    article "CORS Isn't a Bug - It's Your API Trying to Warn You": `*` with credentials, no
 *    Access-Control-Allow-Credentials, an unhandled OPTIONS, a hard-coded http://localhost:3000 origin,
 *    an Authorization header not allowed; one correct endpoint; one allowed-but-dangerous endpoint
 *    (origin reflected with credentials, no Vary: Origin).
 * 2. Launches Chromium with the built extension (headful when DISPLAY is set, headless otherwise), opens
 *    the page, which calls every endpoint, and opens the CORS panel as a pop-out (`panel.html?tabId=N`).
 * 3. Prints the verdicts as a table, writes them as a CORS Lens JSON report (verdicts.json, the report
 *    format of docs/report-format.md, secrets redacted) so two runs can be compared, and takes
 *    screenshots: the panel docked (520 px wide) and wide (1,400 px), light and dark, each with a
 *    blocked call's fix open, plus "Try a fix" at 520 px.
 *
 * Everything goes to a new temporary folder, printed at the end: a demo run changes no tracked file.
 * `npm run demo -- --update-screenshots` writes the screenshots to docs/screenshots instead (for the
 * README). `npm run demo -- --store-screenshots` writes the store listings' screenshots instead
 * (docs/screenshots/store-*.png, 1280 x 800, as the Chrome Web Store asks; docs/store.md shows them).
 * Headful (DISPLAY set), the browser stays open until Ctrl+C. DEMO_SCREENSHOTS=0 skips the
 * screenshots.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import type { Page } from 'playwright-core';
import express from 'express';
import cors from 'cors';
import { clearLog, findTabId, launchWithExtension, readEntries, ROOT, waitFor } from '../test/e2e/harness';
import type { LogEntry } from '../src/shared/protocol';
import { reportJson } from '../src/report/json';

const UPDATE = process.argv.includes('--update-screenshots');
const STORE = process.argv.includes('--store-screenshots');
for (const a of process.argv.slice(2)) {
  if ((a !== '--update-screenshots' && a !== '--store-screenshots') || (UPDATE && STORE)) {
    console.error(`Unknown option ${a}. Usage: npm run demo [-- --update-screenshots | --store-screenshots]`);
    process.exit(2);
  }
}

/**
 * The README's screenshots: docked (520 px) and wide (1,400 px), light and dark, the list and a blocked
 * call's fix, and Try a fix docked.
 */
async function readmeShots(panel: Page, shoot: (name: string) => Promise<void>): Promise<void> {
  for (const theme of ['light', 'dark'] as const) {
    await panel.emulateMedia({ colorScheme: theme });
    for (const [width, label] of [
      [520, 'docked'],
      [1400, 'wide'],
    ] as const) {
      await panel.setViewportSize({ width, height: 800 });
      await panel.reload();
      await panel
        .getByRole('option')
        .nth(ENDPOINTS.length - 1)
        .waitFor();
      await shoot(`${label}-list-${theme}.png`);
      await openCall(panel, '/api/authorization');
      await shoot(`${label}-fix-${theme}.png`);
    }
  }
  // Try a fix, docked: the server's answers pre-filled with the suggested fix, judged allowed.
  await panel.emulateMedia({ colorScheme: 'light' });
  await panel.setViewportSize({ width: 520, height: 800 });
  await panel.reload();
  await openCall(panel, '/api/authorization');
  await panel.getByRole('button', { name: 'Try a fix' }).click();
  await panel.locator('.try-result').waitFor();
  await panel.locator('.detail-pane').evaluate((pane) => {
    const sec = pane.querySelector('section.try');
    if (sec) pane.scrollTop += sec.getBoundingClientRect().top - pane.getBoundingClientRect().top - 4;
  });
  await shoot('docked-try-fix-light.png');
}

/** The store listings' screenshots: 1280 x 800, the pop-out panel, each telling one thing. */
async function storeShots(panel: Page, shoot: (name: string) => Promise<void>): Promise<void> {
  const ready = async (theme: 'light' | 'dark') => {
    await panel.emulateMedia({ colorScheme: theme });
    await panel.setViewportSize({ width: 1280, height: 800 });
    await panel.reload();
    await panel
      .getByRole('option')
      .nth(ENDPOINTS.length - 1)
      .waitFor();
  };
  // 1. A blocked call: the verdict, the fix and the recipe for the server.
  await ready('light');
  await openCall(panel, '/api/authorization');
  await shoot('store-1-blocked-fix.png');
  // 2. An allowed call that should not be: the reflected origin with credentials.
  await ready('dark');
  await openCall(panel, '/api/reflect');
  await shoot('store-2-findings-dark.png');
  // 3. Try a fix: the edited answer judged again, allowed.
  await ready('light');
  await openCall(panel, '/api/wildcard-credentials');
  await panel.getByRole('button', { name: 'Try a fix' }).click();
  await panel.locator('.try-result').waitFor();
  await panel.locator('.detail-pane').evaluate((pane) => {
    const sec = pane.querySelector('section.try');
    if (sec) pane.scrollTop += sec.getBoundingClientRect().top - pane.getBoundingClientRect().top - 4;
  });
  await shoot('store-3-try-a-fix.png');
}

interface Endpoint {
  path: string;
  mistake: string;
  init: { method?: string; credentials?: 'include'; headers?: Record<string, string>; body?: string };
}

const ENDPOINTS: Endpoint[] = [
  { path: '/api/wildcard-credentials', mistake: '1. `*` with credentials', init: { credentials: 'include' } },
  { path: '/api/no-allow-credentials', mistake: '2. credentials, no ACAC', init: { credentials: 'include' } },
  {
    path: '/api/unhandled-options',
    mistake: '3. OPTIONS not handled',
    init: { method: 'PUT', headers: { 'Content-Type': 'application/json' }, body: '{"name":"demo"}' },
  },
  { path: '/api/localhost-origin', mistake: '4. hard-coded localhost:3000', init: {} },
  {
    path: '/api/authorization?token=demo-secret-token',
    mistake: '5. Authorization not allowed',
    init: { headers: { Authorization: 'Bearer demo.jwt.token' } },
  },
  {
    path: '/api/correct',
    mistake: 'correct setup',
    init: { credentials: 'include', headers: { Authorization: 'Bearer demo.jwt.token' } },
  },
  { path: '/api/reflect', mistake: 'reflected origin + credentials', init: { credentials: 'include' } },
];

function listen(server: Server): Promise<number> {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)),
  );
}

function demoApi(pageOrigin: string) {
  const app = express();
  app.get('/__probe', (_q, r) => void r.set('Access-Control-Allow-Origin', '*').send('probe'));
  // 1. "This DOES NOT work": the cors package sends `*` and `Access-Control-Allow-Credentials: true`.
  app.get('/api/wildcard-credentials', cors({ origin: '*', credentials: true }), (_q, r) =>
    r.json({ ok: 1 }),
  );
  // 2. Cookies sent (credentials: 'include') but no `Access-Control-Allow-Credentials: true`.
  app.get('/api/no-allow-credentials', cors({ origin: pageOrigin }), (_q, r) => r.json({ ok: 2 }));
  // 3. CORS on the PUT route only: the preflight OPTIONS never gets CORS headers.
  app.put('/api/unhandled-options', cors({ origin: pageOrigin }), (_q, r) => r.json({ ok: 3 }));
  // 4. "Works in dev, fails in production".
  app.get('/api/localhost-origin', cors({ origin: 'http://localhost:3000' }), (_q, r) => r.json({ ok: 4 }));
  // 5. The preflight allows Content-Type only, not Authorization.
  const auth = cors({ origin: pageOrigin, allowedHeaders: ['Content-Type'] });
  app.options('/api/authorization', auth);
  app.get('/api/authorization', auth, (_q, r) => r.json({ ok: 5 }));
  // The article's "proper CORS setup": an allowlist and credentials.
  const allowedOrigins = ['https://app.example.com', pageOrigin];
  const proper = cors({
    origin(origin, callback) {
      if (!origin || allowedOrigins.includes(origin)) callback(null, true);
      else callback(new Error('Not allowed by CORS'));
    },
    credentials: true,
  });
  app.options('/api/correct', proper);
  app.get('/api/correct', proper, (_q, r) => r.json({ ok: 6 }));
  // Allowed but dangerous: any origin echoed, with credentials, and no Vary: Origin.
  app.get('/api/reflect', (req, res) => {
    res.set('Access-Control-Allow-Origin', req.get('origin') ?? '*');
    res.set('Access-Control-Allow-Credentials', 'true');
    res.json({ ok: 7 });
  });
  return app;
}

function pageHtml(api: string): string {
  const calls = ENDPOINTS.map((e) => ({ url: api + e.path, init: e.init }));
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>CORS Lens demo</title></head>
<body><h1>CORS Lens demo</h1><p>This page calls an API on another origin (${api}) the ways the article warns about.</p>
<ul id="out"></ul>
<script>
document.cookie = 'session=demo-cookie-value; SameSite=Lax';
const calls = ${JSON.stringify(calls)};
window.runDemo = async () => {
  for (const c of calls) {
    let r;
    try { const res = await fetch(c.url, c.init); r = res.status + ' ' + res.statusText; }
    catch (e) { r = String(e); }
    const li = document.createElement('li'); li.textContent = (c.init.method || 'GET') + ' ' + c.url + ' -> ' + r;
    document.getElementById('out').append(li);
  }
  return true;
};
</script></body></html>`;
}

function pad(s: string, n: number): string {
  return s.length > n ? s.slice(0, n - 1) + '…' : s.padEnd(n);
}

function table(entries: LogEntry[]): string {
  const rows = ENDPOINTS.map((e) => {
    const path = e.path.split('?')[0]!;
    const entry = entries.find((x) => x.exchange.legs[0]?.url.includes(path));
    const v = entry?.verdict;
    return [
      e.mistake,
      `${e.init.method ?? 'GET'} ${path}`,
      v?.outcome ?? '(not captured)',
      v?.chromeError ?? (v?.findings.length ? `${v.findings.length} finding(s)` : '-'),
      v?.title ?? '',
    ];
  });
  const head = ['Article mistake', 'Call', 'Outcome', 'Chrome error / findings', 'CORS Lens verdict'];
  const widths = [30, 34, 9, 36, 70];
  const line = (cells: string[]) => cells.map((c, i) => pad(c, widths[i]!)).join(' | ');
  return [line(head), widths.map((w) => '-'.repeat(w)).join('-+-'), ...rows.map(line)].join('\n');
}

/** Selects a call in the list and waits for its detail. */
async function openCall(panel: Page, path: string): Promise<void> {
  await panel.getByRole('option').filter({ hasText: path }).click();
  await panel.locator('article.detail h2').waitFor();
}

async function main() {
  const pageServer = createServer((_req, res) => {
    res.setHeader('content-type', 'text/html');
    res.end(pageHtml(apiOrigin));
  });
  const apiServer = createServer();
  const [pagePort, apiPort] = await Promise.all([listen(pageServer), listen(apiServer)]);
  const pageOrigin = `http://127.0.0.1:${pagePort}`;
  const apiOrigin = `http://127.0.0.1:${apiPort}`;
  apiServer.on('request', demoApi(pageOrigin));
  console.log(`page ${pageOrigin}   API ${apiOrigin}`);

  const headless = !process.env.DISPLAY;
  const ext = await launchWithExtension({ headless });
  const closeAll = async () => {
    await ext.close();
    pageServer.close();
    apiServer.close();
  };
  try {
    const page = await ext.context.newPage();
    await page.goto(pageOrigin + '/');
    // The worker's webRequest listeners register asynchronously: probe until it records a call.
    let tabId: number | undefined;
    for (let i = 0; tabId === undefined && i < 40; i++) {
      const run = `probe-${i}`;
      await page.evaluate((u) => fetch(u).catch(() => undefined), `${apiOrigin}/__probe?run=${run}`);
      tabId = await findTabId(ext, run, 500);
    }
    if (tabId === undefined) throw new Error('the extension recorded nothing: is dist/chrome built?');
    await clearLog(ext, tabId);
    await page.evaluate(() => (window as unknown as { runDemo(): Promise<boolean> }).runDemo());
    const entries = await waitFor(
      async () => {
        const e = await readEntries(ext, tabId);
        return e.length >= ENDPOINTS.length && e.every((x) => x.verdict.outcome !== 'pending') && e;
      },
      20_000,
      'the demo calls to be judged',
    );
    console.log(`\nCORS Lens verdicts for tab ${tabId}:\n`);
    console.log(table(entries));

    const out = mkdtempSync(join(tmpdir(), 'cors-lens-demo-'));
    const verdictsFile = join(out, 'verdicts.json');
    writeFileSync(verdictsFile, reportJson(entries, { redact: true, scope: 'listed' }));

    const panelUrl = `chrome-extension://${ext.extensionId}/src/panel/panel.html?tabId=${tabId}`;
    const panel = await ext.context.newPage();
    await panel.setViewportSize({ width: 1400, height: 800 });
    await panel.goto(panelUrl);
    await panel
      .getByRole('option')
      .nth(ENDPOINTS.length - 1)
      .waitFor();
    const shots: string[] = [];
    if (process.env.DEMO_SCREENSHOTS !== '0') {
      const dir = UPDATE || STORE ? join(ROOT, 'docs', 'screenshots') : out;
      mkdirSync(dir, { recursive: true });
      const shoot = async (name: string) => {
        await panel.screenshot({ path: join(dir, name) });
        shots.push(join(dir, name));
      };
      await (STORE ? storeShots : readmeShots)(panel, shoot);
    }
    console.log(`\nVerdicts as a CORS Lens JSON report: ${verdictsFile}`);
    if (shots.length) {
      const where = UPDATE || STORE ? relative(ROOT, join(ROOT, 'docs', 'screenshots')) : out;
      console.log(`Screenshots (${shots.length}) in ${where}:`);
      for (const f of shots) console.log(`  ${UPDATE || STORE ? relative(ROOT, f) : f}`);
      if (!UPDATE && !STORE) console.log('(npm run demo -- --update-screenshots refreshes docs/screenshots)');
    }
    console.log(
      `\nPanel as a pop-out: ${panelUrl}` +
        (headless
          ? ''
          : '\nThe browser stays open: open DevTools on the demo page and pick the CORS tab. Ctrl+C quits.'),
    );
    if (!headless) {
      await new Promise<void>((resolve) => {
        process.once('SIGINT', () => resolve());
        ext.context.once('close', () => resolve());
      });
    }
  } finally {
    await closeAll();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
