/**
 * Firefox DevTools' own HAR of the producers' page (test/e2e/har-record.ts `pageCalls`), with Firefox's
 * own verdicts from the same run.
 *
 * - The HAR: Firefox ESR (puppeteer-core over BiDi) started with `--devtools`, which opens the DevTools
 *   toolbox on the first tab; the network monitor must be the toolbox's selected tool (else it records
 *   nothing and getHAR returns no entries). A small add-on (test/e2e/devtools-har-firefox/) has a DevTools
 *   page that calls `browser.devtools.network.getHAR()`: the network monitor's HAR exporter, the one
 *   behind *Save All As HAR*. The test asks through the inspected page (`window.__harAsk`), and the
 *   DevTools page writes the answer back there (`window.__har`), so asking adds no request to the log.
 * - Firefox's verdicts: whether the page could read each call, and the reason of Firefox's
 *   "Cross-Origin Request Blocked" console message about it ({@link FirefoxOracle}).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'puppeteer-core';
import { FirefoxOracle, startFirefox, type FirefoxMessage } from './firefox-harness';
import { makeCalls, pageCalls, type PageCall } from './har-record';
import { ROOT, waitFor, type Servers } from './harness';
import { DID_NOT_SUCCEED } from './firefox-rows';
import { tagOf } from '../har/compare';

const EXTENSION = join(ROOT, 'test', 'e2e', 'devtools-har-firefox');

/** Firefox's verdict on one call: what the page could read, and the reason Firefox logged. */
export interface FirefoxRow {
  name: string;
  tag: string;
  outcome: 'blocked' | 'allowed';
  /** Firefox's reason name (security.properties key without its number, as on MDN); `none logged`. */
  firefoxReason?: string;
}

/**
 * The reason for one blocked call: the specific one when Firefox logged one (it often follows it with
 * "CORS request did not succeed" for the same call), else that generic one, else `none logged`.
 */
function reasonFor(messages: FirefoxMessage[]): string {
  const blocks = messages.filter((m) => !m.warning);
  return (
    blocks.find((m) => m.reason !== DID_NOT_SUCCEED)?.reason ??
    blocks.find((m) => m.reason === DID_NOT_SUCCEED)?.reason ??
    'none logged'
  );
}

function firefoxRows(calls: PageCall[], readable: boolean[], oracle: FirefoxOracle): FirefoxRow[] {
  return calls.map((c, i) => {
    const row: FirefoxRow = { name: c.name, tag: c.tag, outcome: readable[i] ? 'allowed' : 'blocked' };
    if (!readable[i]) row.firefoxReason = reasonFor(oracle.messages.filter((m) => tagOf(m.url) === c.tag));
    return row;
  });
}

/** Asks the DevTools page for the network monitor's HAR (its `log`), once. */
async function askHar(page: Page, ask: number, timeoutMs = 20_000): Promise<unknown> {
  await page.evaluate((n: number) => {
    (globalThis as unknown as { __harAsk: number }).__harAsk = n;
  }, ask);
  return waitFor(
    async () =>
      page.evaluate((n: number) => {
        const har = (globalThis as unknown as { __har?: { ask: number; log: unknown } }).__har;
        return har?.ask === n ? har.log : undefined;
      }, ask),
    timeoutMs,
    "the DevTools page's answer (getHAR)",
  );
}

export interface FirefoxRecording {
  firefox: FirefoxRow[];
  calls: PageCall[];
  /** Firefox's version as its HAR's `creator.version` says it. */
  version: string;
}

/**
 * Firefox with the toolbox open on its first tab, showing the page, and the add-on's DevTools page
 * answering there (a first answer shows it runs, and the network monitor with it). Now and then the
 * DevTools page never starts: no answer, not even after 40 s (4 of 21 runs on this loaded 2-core machine,
 * 3 of them with two other Firefox runs beside them; perhaps the add-on was installed while the toolbox
 * was opening).
 * Firefox is then started again, at most three times in all.
 */
async function firefoxWithDevTools(
  servers: Servers,
): Promise<{ browser: Browser; page: Page; oracle: FirefoxOracle }> {
  for (let attempt = 1; ; attempt++) {
    const browser = await startFirefox({
      args: ['--devtools'],
      prefs: { 'devtools.toolbox.host': 'window', 'devtools.toolbox.selectedTool': 'netmonitor' },
    });
    try {
      await browser.installExtension(EXTENSION);
      // The toolbox is open on the first tab only: the calls are made there.
      const [page] = await browser.pages();
      if (!page) throw new Error('Firefox opened no tab');
      const oracle = new FirefoxOracle(page);
      await page.goto(servers.page.url('/'));
      await askHar(page, 1, 10_000);
      return { browser, page, oracle };
    } catch (e) {
      await browser.close().catch(() => undefined);
      if (attempt >= 3) throw e;
    }
  }
}

/** Records the page in Firefox with DevTools open and writes DevTools' HAR (`{ "log": … }`) to `file`. */
export async function recordFirefox(servers: Servers, file: string): Promise<FirefoxRecording> {
  const { browser, page, oracle } = await firefoxWithDevTools(servers);
  try {
    const calls = pageCalls(servers, `f${Date.now().toString(36)}`);
    const readable = await page.evaluate(makeCalls, calls);
    // Firefox logs the reason as the call fails; give late console messages a moment.
    await new Promise((r) => setTimeout(r, 300));
    const firefox = firefoxRows(calls, readable, oracle);
    // The network monitor lists a request some time after it ended: ask until every call's tag is in
    // the log, for at most 15 s, then take what it holds (a call still missing fails the test).
    const complete = (log: unknown) => {
      const text = JSON.stringify(log);
      return calls.every((c) => text.includes(c.tag));
    };
    let ask = 2;
    let log = await askHar(page, ask);
    for (const deadline = Date.now() + 15_000; !complete(log) && Date.now() < deadline;) {
      await new Promise((r) => setTimeout(r, 250));
      log = await askHar(page, ++ask);
    }
    writeFileSync(file, `${JSON.stringify({ log }, null, 1)}\n`);
    const creator = (log as { creator?: { version?: unknown } }).creator;
    return { firefox, calls, version: typeof creator?.version === 'string' ? creator.version : '' };
  } finally {
    await browser.close().catch(() => undefined);
  }
}
