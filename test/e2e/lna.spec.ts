/**
 * Local Network Access, end to end: Chrome's verdict (CDP) and the extension's must agree on outcome,
 * error name and failed parameter, as in verdicts.spec.ts.
 *
 * Everything runs on loopback, so the browser is told that the page servers are on the public internet:
 * `--ip-address-space-overrides=127.0.0.1:<port>=public` for the http and the https page server, and
 * `--host-resolver-rules` maps `lna-public.test` (a name that is not potentially trustworthy) to
 * 127.0.0.1. The API stays loopback. So:
 * - `http://127.0.0.1:<page>` and `http://localhost:<page>` are public pages that are still secure
 *   contexts (loopback hosts are potentially trustworthy): the block is a permission matter;
 * - `http://lna-public.test:<page>` is a public page that is not a secure context;
 * - `https://lna-public.test:<tls page>` is a public secure page;
 * - `http://127.0.0.1:<third>` is a plain loopback page: its calls to the loopback API pass, unless they
 *   name a `targetAddressSpace` the API is not in.
 */
import { test, expect } from '@playwright/test';
import type { Page } from 'playwright-core';
import {
  ChromeOracle,
  launchWithExtension,
  readLog,
  send,
  startServers,
  waitFor,
  waitForListeners,
  type Extension,
  type Servers,
} from './harness';
import { byRequest, chromeRow, extensionRow } from './rows';

test.describe.configure({ mode: 'default' });

const HOST = 'lna-public.test';

let servers: Servers;
let ext: Extension;

interface Tab {
  page: Page;
  tabId: number;
  oracle: ChromeOracle;
}
const tabs = new Map<string, Tab>();

test.beforeAll(async () => {
  test.setTimeout(120_000);
  servers = await startServers({ tls: true });
  if (!servers.tls) throw new Error('no https servers');
  ext = await launchWithExtension({
    args: [
      '--ignore-certificate-errors',
      `--ip-address-space-overrides=127.0.0.1:${servers.page.port}=public,127.0.0.1:${servers.tls.page.port}=public`,
      `--host-resolver-rules=MAP ${HOST} 127.0.0.1`,
    ],
  });
  // Every call to the API would pass CORS: only LNA can stop it.
  servers.api.route('/lna', (req, res) =>
    send(
      res,
      req.method === 'OPTIONS' ? 204 : 200,
      {
        'access-control-allow-origin': req.headers.origin ?? '*',
        'access-control-allow-methods': 'PUT',
        'access-control-allow-headers': 'x-test',
        'access-control-max-age': '0',
      },
      req.method === 'OPTIONS' ? '' : 'ok',
    ),
  );
});

test.afterAll(async () => {
  for (const t of tabs.values()) await t.oracle.detach();
  await ext?.close();
  await servers?.close();
});

async function tab(url: string): Promise<Tab> {
  const known = tabs.get(url);
  if (known) return known;
  const page = await ext.context.newPage();
  await page.goto(url);
  const tabId = await waitForListeners(ext, page, servers);
  const oracle = await ChromeOracle.attach(ext, page);
  const t = { page, tabId, oracle };
  tabs.set(url, t);
  return t;
}

interface Case {
  name: string;
  page: (s: Servers) => string;
  /** `fetch` options besides the URL. */
  init?: RequestInit & { targetAddressSpace?: string };
}

const publicHttpIp = (s: Servers) => s.page.url('/');
const publicLocalhost = (s: Servers) => `http://localhost:${s.page.port}/`;
const publicInsecure = (s: Servers) => `http://${HOST}:${s.page.port}/`;
const publicHttps = (s: Servers) => `https://${HOST}:${s.tls?.page.port ?? 0}/`;
const loopbackPage = (s: Servers) => s.third.url('/');

const cases: Case[] = [
  { name: 'public http page on 127.0.0.1 (secure context) to the loopback API', page: publicHttpIp },
  { name: 'public http page on localhost (secure context) to the loopback API', page: publicLocalhost },
  { name: 'public http page on a plain host name (not secure) to the loopback API', page: publicInsecure },
  {
    name: 'public http page on a plain host name: preflighted PUT to the loopback API',
    page: publicInsecure,
    init: { method: 'PUT', headers: { 'x-test': '1' }, body: '{}' },
  },
  { name: 'public https page to the loopback API', page: publicHttps },
  {
    name: 'public https page: preflighted PUT to the loopback API',
    page: publicHttps,
    init: { method: 'PUT', headers: { 'x-test': '1' }, body: '{}' },
  },
  {
    name: 'public https page, targetAddressSpace "loopback" (matches the API)',
    page: publicHttps,
    init: { targetAddressSpace: 'loopback' },
  },
  {
    name: 'public https page, targetAddressSpace "local" but the API is loopback',
    page: publicHttps,
    init: { targetAddressSpace: 'local' },
  },
  { name: 'loopback page to the loopback API (same space, allowed)', page: loopbackPage },
  {
    name: 'loopback page, targetAddressSpace "local" but the API is loopback (same space)',
    page: loopbackPage,
    init: { targetAddressSpace: 'local' },
  },
  {
    name: 'loopback page, targetAddressSpace "public" but the API is loopback (same space)',
    page: loopbackPage,
    init: { targetAddressSpace: 'public' },
  },
];

for (const c of cases) {
  test(c.name, async () => {
    const t = await tab(c.page(servers));
    const tag = `lna-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;
    const url = servers.api.url(`/lna?run=${tag}`);
    const result = await t.page.evaluate(
      ({ u, init }) =>
        fetch(u, init as RequestInit).then(
          async (r) => `ok ${r.status} ${await r.text()}`,
          (e: unknown) => String(e),
        ),
      { u: url, init: c.init ?? {} },
    );
    const chrome = await waitFor(
      async () => {
        const list = t.oracle.requestsWith(tag);
        return list.length >= 1 && list.every((r) => r.done) ? list : undefined;
      },
      15_000,
      `Chrome's verdict (${result})`,
    );
    const entries = await waitFor(
      async () => {
        const mine = (await readLog(ext, t.tabId)).entries.filter((e) =>
          e.exchange.legs.some((l) => l.url.includes(tag)),
        );
        return mine.length >= 1 && mine.every((e) => e.summary) ? mine : undefined;
      },
      10_000,
      'the extension to record the call as finished',
    );
    const seen = entries.map((e) => ({
      summary: e.summary,
      outcome: e.exchange.outcome,
      preflight: e.exchange.legs.map((l) => l.preflight?.error ?? l.preflight?.response?.statusCode),
    }));
    expect(
      entries.map(extensionRow).sort(byRequest),
      `extension vs Chrome (CDP) for ${url}: ${JSON.stringify(seen)}`,
    ).toEqual(chrome.map(chromeRow).sort(byRequest));
  });
}
