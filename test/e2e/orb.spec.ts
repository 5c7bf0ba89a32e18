/**
 * Opaque Response Blocking, end to end. The same responses are loaded cross-origin without CORS three
 * ways: an `<img>`, a `<script>` and `fetch(…, { mode: "no-cors" })`. Chrome's verdict comes from CDP:
 * ORB blocked the load when DevTools raised the issue `ResponseWasBlockedByORB` for it (elements then
 * fail with net::ERR_BLOCKED_BY_ORB, a no-cors fetch with net::ERR_ABORTED).
 *
 * webRequest reports net::ERR_BLOCKED_BY_ORB for elements, but a no-cors fetch that ORB blocks looks like
 * a normal completed load there; the extension then runs ORB on the headers. Checked for every row:
 * - the extension says "blocked by ORB" only when Chrome's ORB blocked it (never a false alarm);
 * - an element ORB blocked is reported as ORB, with the outcome Chrome gives (failed);
 * - a no-cors fetch ORB blocked is reported as ORB when the headers decide it, and otherwise carries the
 *   finding that the (invisible) body decides: never silence.
 * The last test makes its own no-cors fetches and tallies them itself, so it holds when run alone.
 */
import type { CDPSession, Page } from 'playwright-core';
import { readEntries, waitFor, type Extension, type Servers } from './harness';
import { watchedPage } from './driver';
import { test as base, expect } from './fixtures';
import type { LogEntry } from '../../src/shared/protocol';

interface Seen {
  url: string;
  failed?: string;
  finished?: boolean;
  /** Headers arrived (an opaque body a page never reads may never report loadingFinished). */
  received?: boolean;
  orb?: boolean;
}

/** A tab the extension watches, with what Chrome's CDP said about each of its requests. */
interface OrbTab {
  page: Page;
  tabId: number;
  byUrl(url: string): Seen | undefined;
}

const test = base.extend<object, { orbTab: OrbTab }>({
  orbTab: [
    async ({ servers, chromium }, use) => {
      const { page, tabId } = await watchedPage(chromium.driver, servers);
      const seen = new Map<string, Seen>();
      const cdp: CDPSession = await chromium.ext.context.newCDPSession(page);
      const byUrl = (url: string): Seen | undefined => [...seen.values()].find((s) => s.url === url);
      cdp.on('Network.requestWillBeSent', (e: { requestId: string; request: { url: string } }) => {
        if (!seen.has(e.requestId)) seen.set(e.requestId, { url: e.request.url });
      });
      cdp.on('Network.loadingFailed', (e: { requestId: string; errorText: string }) => {
        const s = seen.get(e.requestId);
        if (s) s.failed = e.errorText;
      });
      cdp.on('Network.responseReceived', (e: { requestId: string }) => {
        const s = seen.get(e.requestId);
        if (s) s.received = true;
      });
      cdp.on('Network.loadingFinished', (e: { requestId: string }) => {
        const s = seen.get(e.requestId);
        if (s) s.finished = true;
      });
      cdp.on(
        'Audits.issueAdded',
        (e: {
          issue: {
            code: string;
            details: { genericIssueDetails?: { errorType: string; request?: { url: string } } };
          };
        }) => {
          const g = e.issue.details.genericIssueDetails;
          if (g?.errorType !== 'ResponseWasBlockedByORB' || !g.request) return;
          const s = byUrl(g.request.url);
          if (s) s.orb = true;
        },
      );
      await cdp.send('Network.enable');
      await cdp.send('Audits.enable');
      await use({ page, tabId, byUrl });
      await cdp.detach().catch(() => undefined);
      await page.close();
    },
    { scope: 'worker', timeout: 120_000 },
  ],
});

test.describe.configure({ mode: 'serial' });

const GIF = Buffer.from('R0lGODlhAQABAAAAACw=', 'base64');
const NOSNIFF = { 'x-content-type-options': 'nosniff' };

/** name, status, headers, body */
const responses: [string, number, Record<string, string>, string | Buffer][] = [
  ['JSON with nosniff', 200, { 'content-type': 'application/json', ...NOSNIFF }, '{"a":1}'],
  ['HTML with nosniff', 200, { 'content-type': 'text/html', ...NOSNIFF }, '<html>x</html>'],
  ['text/plain with nosniff', 200, { 'content-type': 'text/plain', ...NOSNIFF }, 'hello'],
  ['PDF', 200, { 'content-type': 'application/pdf' }, '%PDF-1.4'],
  ['CSV', 200, { 'content-type': 'text/csv' }, 'a,b'],
  ['JSON 206 range', 206, { 'content-type': 'application/json', 'content-range': 'bytes 0-6/7' }, '{"a":1}'],
  ['JSON without nosniff, JSON body', 200, { 'content-type': 'application/json' }, '{"a":1}'],
  ['JSON without nosniff, JavaScript body', 200, { 'content-type': 'application/json' }, 'var x = 1;'],
  ['HTML 404 error page', 404, { 'content-type': 'text/html' }, '<!doctype html><p>not found'],
  ['PNG type with an HTML body', 200, { 'content-type': 'image/png' }, '<html>x</html>'],
  ['no Content-Type, JSON body', 200, {}, '{"a":1}'],
  ['JavaScript with nosniff', 200, { 'content-type': 'text/javascript', ...NOSNIFF }, 'var a = 1;'],
  ['GIF', 200, { 'content-type': 'image/gif' }, GIF],
  ['XML', 200, { 'content-type': 'application/xml' }, '<?xml version="1.0"?><a/>'],
];

type How = 'img' | 'script' | 'fetch';

async function load(page: Page, how: How, url: string): Promise<string> {
  return page.evaluate(
    async ({ how, url }) => {
      if (how === 'img') {
        const i = new Image();
        return new Promise<string>((r) => {
          i.onload = () => r('load');
          i.onerror = () => r('error');
          i.src = url;
        });
      }
      if (how === 'script') {
        const s = document.createElement('script');
        return new Promise<string>((r) => {
          s.onload = () => r('load');
          s.onerror = () => r('error');
          s.src = url;
          document.head.append(s);
        });
      }
      return fetch(url, { mode: 'no-cors' }).then(
        async (res) => `opaque ${res.type} ${(await res.text()).length}`,
        (e: unknown) => String(e),
      );
    },
    { how, url },
  );
}

type Response = (typeof responses)[number];

/** One load of `response` through `how` on a fresh URL: Chrome's verdict and the extension's. */
interface Observed {
  v: LogEntry['verdict'];
  /** Chrome's ORB blocked the load (its DevTools issue, or the element's net error). */
  orbByChrome: boolean;
  chrome: Seen;
  /** The extension's "the body decides" finding. */
  bodyFinding: boolean;
  context: string;
}

let n = 0;
async function observe(
  tab: OrbTab,
  servers: Servers,
  ext: Extension,
  how: How,
  [, status, headers, body]: Response,
): Promise<Observed> {
  n++;
  const p = `/orb-${n}`;
  servers.api.route(p, (_q, res) => {
    res.statusCode = status;
    for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
    res.setHeader('cache-control', 'no-store');
    res.end(body);
  });
  const url = servers.api.url(`${p}?run=orb-${n}-${Date.now().toString(36)}`);
  const result = await load(tab.page, how, url);
  const chrome = await waitFor(
    async () => {
      const s = tab.byUrl(url);
      return s && (s.failed || s.finished || s.received) ? s : undefined;
    },
    10_000,
    `Chrome's verdict (${result})`,
  );
  // The ORB issue is raised with the failure, which can follow the headers: give them time to arrive.
  if (!chrome.failed)
    await waitFor(async () => chrome.failed ?? chrome.finished, 1_000).catch(() => undefined);
  await new Promise((r) => setTimeout(r, 100));
  const entry = await waitFor(
    async () =>
      (await readEntries(ext, tab.tabId)).find(
        (e: LogEntry) => e.exchange.legs[0]?.url === url && e.exchange.outcome.state !== 'pending',
      ),
    10_000,
    'the extension to record the load as finished',
  );
  const v = entry.verdict;
  return {
    v,
    chrome,
    orbByChrome: chrome.orb === true || chrome.failed === 'net::ERR_BLOCKED_BY_ORB',
    bodyFinding: v.findings.some((f) => f.id === 'orb-decided-by-body'),
    context: `${url}: Chrome ${JSON.stringify(chrome)}, extension ${v.kind} (${v.outcome}) ${JSON.stringify(v.facts.filter((f) => f.decisive))}`,
  };
}

for (const response of responses) {
  for (const how of ['img', 'script', 'fetch'] as How[]) {
    test(`${how}: ${response[0]}`, async ({ orbTab, servers, chromium }) => {
      const { v, chrome, orbByChrome, bodyFinding, context } = await observe(
        orbTab,
        servers,
        chromium.ext,
        how,
        response,
      );
      if (v.kind === 'orb-blocked') {
        expect(orbByChrome, `no false ORB alarm: ${context}`).toBe(true);
        expect(v.outcome, context).toBe('failed');
        expect(chrome.failed, context).toBeDefined();
        // The reason is shown: one decisive fact (the header that decided, or the body).
        expect(v.facts.filter((f) => f.decisive).length, context).toBe(1);
      }
      if (orbByChrome) {
        if (how === 'fetch')
          expect(v.kind === 'orb-blocked' || bodyFinding, `never silent: ${context}`).toBe(true);
        else expect(v.kind, context).toBe('orb-blocked');
      } else {
        expect(v.kind, context).not.toBe('orb-blocked');
      }
    });
  }
}

test('the headers alone decided some of the no-cors fetches ORB blocked', async ({
  orbTab,
  servers,
  chromium,
}) => {
  test.setTimeout(120_000);
  // Its own loads (every response as a no-cors fetch), tallied here: how the fetches ORB blocked were
  // reported, from the headers or as "the body decides".
  const tally = { headers: 0, body: 0 };
  for (const response of responses) {
    const { v, orbByChrome, bodyFinding, context } = await observe(
      orbTab,
      servers,
      chromium.ext,
      'fetch',
      response,
    );
    if (!orbByChrome) continue;
    expect(v.kind === 'orb-blocked' || bodyFinding, `never silent: ${context}`).toBe(true);
    tally[v.kind === 'orb-blocked' ? 'headers' : 'body']++;
  }
  test
    .info()
    .annotations.push({ type: 'no-cors fetches blocked by ORB', description: JSON.stringify(tally) });
  expect(tally.headers).toBeGreaterThan(0);
  expect(tally.headers + tally.body).toBeGreaterThan(tally.headers);
});
