/**
 * One interface over the browsers the end-to-end tests drive: Chromium through Playwright
 * (test/e2e/harness.ts, `chromiumDriver`) and Firefox through puppeteer-core over BiDi
 * (test/e2e/firefox-harness.ts, `launchFirefox` returns a driver). A spec written against
 * {@link BrowserDriver} runs in either; what only one browser has (Chrome's CDP oracle, Firefox's
 * console reasons) stays in its own harness. A third browser is one more implementation.
 */
import { ENTRY_PREFIX, TAB_PREFIX, type StoredEntry, type StoredTab } from '../../src/capture';
import type { LogEntry } from '../../src/shared/protocol';
import type { Servers } from './harness';

export type BrowserName = 'chromium' | 'firefox';

export interface StoredLog {
  tab: StoredTab | undefined;
  /** Oldest first. */
  entries: StoredEntry[];
}

/** One tab's stored log, from everything the extension keeps in its session storage. */
export function storedLogOf(items: Record<string, unknown>, tabId: number): StoredLog {
  const entries = Object.entries(items)
    .filter(([k]) => k.startsWith(ENTRY_PREFIX))
    .map(([, v]) => v as StoredEntry)
    .filter((e) => e.exchange.tabId === tabId)
    .sort((a, b) => a.seq - b.seq);
  return { tab: items[`${TAB_PREFIX}${tabId}`] as StoredTab | undefined, entries };
}

/** What the tests need from a browser with the extension installed. `P` is the driver library's page. */
export interface BrowserDriver<P> {
  readonly name: BrowserName;
  /** A new tab. */
  newPage(): Promise<P>;
  /** Navigates `page` and waits for its load. */
  goto(page: P, url: string): Promise<void>;
  /** Runs `fn(arg)` in `page`'s main frame and returns its (serializable) result. */
  evaluate<A, R>(page: P, fn: (arg: A) => R | Promise<R>, arg: A): Promise<R>;
  /** The tab id of the exchange whose URL contains `marker`, if the extension holds one now. */
  findTabId(marker: string): Promise<number | undefined>;
  clearLog(tabId: number): Promise<void>;
  /** The tab's log with full verdicts, from the extension's memory (what a panel snapshot carries). */
  readEntries(tabId: number): Promise<LogEntry[]>;
  /** The tab's log as the extension stored it in `storage.session` (what a restart restores from). */
  readLog(tabId: number): Promise<StoredLog>;
  /** The badge text the extension set for the tab. */
  badgeText(tabId: number): Promise<string>;
  /** Removes every cookie of the profile (the loopback servers share one host, 127.0.0.1). */
  clearCookies(): Promise<void>;
  /** Closes the browser and removes its temporary profile and extension copy. */
  close(): Promise<void>;
}

/** Polls `fn` until it returns a value other than undefined/false, or throws after `timeoutMs`. */
export async function waitFor<T>(
  fn: () => Promise<T | undefined | false>,
  timeoutMs = 10_000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined | false;
  do {
    last = await fn();
    if (last !== undefined && last !== false) return last;
    await new Promise((r) => setTimeout(r, 25));
  } while (Date.now() < deadline);
  throw new Error(`timed out waiting for ${what}`);
}

/**
 * Waits until the extension's webRequest listeners are live (they register asynchronously: requests
 * right after start-up can be missed). Fetches a throwaway cross-origin URL from `page` until the
 * extension records it, then clears that tab's log. Returns the page's tab id.
 */
export async function listenersReady<P>(
  driver: BrowserDriver<P>,
  page: P,
  servers: Servers,
): Promise<number> {
  servers.api.route('/__probe', (_req, res) => {
    res.writeHead(200, {
      'access-control-allow-origin': '*',
      'content-type': 'text/plain',
      'cache-control': 'no-store',
    });
    res.end('probe');
  });
  const deadline = Date.now() + 20_000;
  for (let i = 0; Date.now() < deadline; i++) {
    const run = `probe-${Date.now()}-${i}`;
    await driver.evaluate(
      page,
      (u: string) =>
        fetch(u).then(
          () => undefined,
          () => undefined,
        ),
      servers.api.url(`/__probe?run=${run}`),
    );
    const tabId = await waitFor(() => driver.findTabId(run), 1_000, 'the probe').catch(() => undefined);
    if (tabId !== undefined) {
      await driver.clearLog(tabId);
      return tabId;
    }
  }
  throw new Error('the extension never recorded a request: are its webRequest listeners registered?');
}

/**
 * A new tab on the test page origin, with the extension's listeners ready for it. The browser may be
 * shared with other spec files (test/e2e/fixtures.ts): cookies an earlier file set on 127.0.0.1 (any
 * port) are cleared first, so they cannot turn this file's credentialed calls into certain ones.
 * `watch` runs on the new tab before it loads anything (attach a console or CDP oracle there).
 */
export async function watchedPage<P>(
  driver: BrowserDriver<P>,
  servers: Servers,
  watch?: (page: P) => Promise<void> | void,
): Promise<{ page: P; tabId: number }> {
  await driver.clearCookies();
  const page = await driver.newPage();
  await watch?.(page);
  await driver.goto(page, servers.page.url('/'));
  return { page, tabId: await listenersReady(driver, page, servers) };
}
