/**
 * A fix that works in one round, proven in Chromium: for every blocked call of the scenario matrix
 * (test/e2e/scenarios.ts) that a server change can fix, the route is replaced by one that serves exactly
 * the header lines of the fix the extension's verdict carries (preflight lines on OPTIONS, the others
 * on the request), and the page's first retry must be readable. `cors-lens check` (runCheck) against
 * the fixed route must say allowed too.
 *
 * Covered: calls made by fetch() in the page, without redirects (the fix is for one URL), whose origin
 * is not `null` (a sandboxed page or a tainted redirect chain is not fixed on the server). Elements,
 * workers, frames and https pages are left to test/engine/explain/complete.test.ts, which applies the
 * same fix to every recorded blocked exchange.
 */
import { test, expect } from '@playwright/test';
import type { Page } from 'playwright-core';
import type { LogEntry } from '../../src/shared/protocol';
import type { HeaderChange } from '../../src/engine/types';
import { legOrigins } from '../../src/engine/simulate';
import { runCheck } from '../../src/cli/check';
import {
  launchWithExtension,
  readEntries,
  send,
  startServers,
  waitFor,
  waitForListeners,
  type Extension,
  type Servers,
  type TestServer,
} from './harness';
import { REQUESTS_SOURCE, readable } from './requests';
import { scenarios, type Req, type Scenario } from './scenarios';

test.describe.configure({ mode: 'serial' });

let servers: Servers;
let ext: Extension;
let page: Page;
let tabId: number;

test.beforeAll(async () => {
  test.setTimeout(90_000);
  servers = await startServers();
  ext = await launchWithExtension();
  page = await ext.context.newPage();
  await page.goto(servers.page.url('/'));
  tabId = await waitForListeners(ext, page, servers);
});

test.afterAll(async () => {
  await ext?.close();
  await servers?.close();
});

/**
 * fetch() calls, not aborted. A method in lower case (`patch`) is left out: Node's HTTP parser answers
 * such a request 400 itself, so no Node route can serve the fixed answer to it.
 */
const fetchOnly = (r: Req) =>
  (r.kind ?? 'fetch') === 'fetch' &&
  (r.mode ?? 'cors') === 'cors' &&
  !r.abortAfterMs &&
  (r.method ?? 'GET') === (r.method ?? 'GET').toUpperCase();

/** Scenarios of fetch() calls from the page, each URL called once (so a call and its entry pair up). */
const candidates = scenarios.filter((s) => (s.context ?? 'page') === 'page' && !s.secure && !s.tls);

const makeRequests = (reqs: Req[], sequential: boolean): Promise<string[]> =>
  page.evaluate(({ s, a }) => (0, eval)(s)(a) as Promise<string[]>, {
    s: REQUESTS_SOURCE,
    a: { reqs, sequential },
  });

function lines(headers: readonly HeaderChange[], step: 'preflight' | 'actual'): Record<string, string> {
  const out: Record<string, string> = {};
  for (const h of headers) {
    if ((h.on === step || h.on === 'both') && h.value !== null && h.name !== 'Status') out[h.name] = h.value;
  }
  return out;
}

/** The route at `url` answering exactly the fix's lines: OPTIONS with the preflight's, the rest with the request's. */
function serveFix(url: string, headers: readonly HeaderChange[]): TestServer {
  const u = new URL(url);
  const server = [servers.api, servers.third, servers.page].find((s: TestServer) => s.origin === u.origin);
  if (!server) throw new Error(`no test server for ${u.origin}`);
  const status = parseInt(headers.find((h) => h.name === 'Status' && h.on !== 'actual')?.value ?? '204', 10);
  server.route(u.pathname, (req, res) => {
    if (req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined)
      send(res, status, lines(headers, 'preflight'));
    else
      send(res, 200, { 'content-type': 'application/json', ...lines(headers, 'actual') }, '{"fixed":true}');
  });
  return server;
}

interface Fixable {
  req: Req;
  entry: LogEntry;
}

async function blockedCalls(s: Scenario, tag: string, reqs: Req[]): Promise<Fixable[]> {
  const entries = await waitFor(
    async () => {
      const mine = (await readEntries(ext, tabId)).filter((e) =>
        e.exchange.legs[0]?.url.includes(`run=${tag}`),
      );
      return mine.length >= reqs.length && mine.every((e) => e.verdict.outcome !== 'pending') && mine;
    },
    10_000,
    `the extension's entries for ${s.name}`,
  );
  const out: Fixable[] = [];
  for (const entry of entries) {
    const { exchange: ex, verdict: v } = entry;
    if (v.outcome !== 'blocked' || !v.fix || ex.legs.length !== 1) continue;
    if (legOrigins(ex, v.requestOrigin)[v.legIndex] === 'null') continue;
    const url = ex.legs[0]!.url;
    const same = reqs.filter(
      (r) => r.url === url && (r.method ?? 'GET').toUpperCase() === ex.method.toUpperCase(),
    );
    if (same.length !== 1 || !fetchOnly(same[0]!)) continue;
    out.push({ req: same[0]!, entry });
  }
  return out;
}

let proven = 0;

for (const s of candidates) {
  test(s.name, async () => {
    const tag = `${s.name.replace(/[^a-z0-9]+/gi, '-').slice(0, 24)}-${Date.now().toString(36)}`;
    const before = s.before?.(servers, tag) ?? [];
    if (before.length) await makeRequests(before, true);
    const reqs = s.setup(servers, tag);
    await makeRequests(reqs, s.sequential ?? false);
    const calls = await blockedCalls(s, tag, reqs);
    test.skip(calls.length === 0, 'no blocked call a server change can fix');
    for (const { req, entry } of calls) {
      const fix = entry.verdict.fix!;
      const server = serveFix(req.url, fix.headers);
      const sent = server.log.length;
      const [result] = await makeRequests([req], true);
      // The browser answered from its HTTP cache (a copy stored before the fix, as in the HTTP cache
      // scenario): the fixed server was never asked, and only a fresh response can carry the fix.
      if (server.log.length === sent) {
        test
          .info()
          .annotations.push({ type: 'cached', description: `${req.url} answered from the HTTP cache` });
        continue;
      }
      expect(
        { call: `${req.method ?? 'GET'} ${req.url}`, result: readable(result ?? '') ? 'readable' : result },
        `first retry (${entry.verdict.kind}) with ${JSON.stringify(fix.headers)}`,
      ).toEqual({ call: `${req.method ?? 'GET'} ${req.url}`, result: 'readable' });
      const checked = await runCheck(
        {
          url: req.url,
          origin: servers.page.origin,
          method: req.method ?? 'GET',
          headers: Object.entries(req.headers ?? {}).map(([name, value]) => ({ name, value })),
          credentials: req.credentials === 'include',
        },
        { defaults: { userAgent: 'cors-lens-e2e' } },
      );
      expect(checked.verdict.outcome, `cors-lens check: ${checked.verdict.title}`).toBe('allowed');
      proven++;
    }
  });
}

test('proved the fix for the blocked calls of the matrix', () => {
  // A floor, so that a filter gone wrong cannot make the suite pass on nothing.
  expect(proven).toBeGreaterThanOrEqual(40);
});
