/**
 * End-to-end library for Firefox: Debian's firefox-esr (FIREFOX_PATH, default /usr/bin/firefox-esr)
 * driven by puppeteer-core over WebDriver BiDi, with dist/firefox installed as a temporary add-on,
 * Firefox's own CORS verdicts read from its console, and the extension's stored log read from an
 * extension page. Playwright cannot load extensions into Firefox, so the Playwright specs using this
 * library launch Firefox through puppeteer-core themselves.
 *
 * - `--remote-allow-system-access` lets automation open `moz-extension://` pages (Firefox 153 refuses
 *   them otherwise), and the `extensions.webextensions.uuids` preference pins the extension's UUID, so
 *   the panel's URL is known before the add-on is installed.
 * - The oracle: for each blocked call Firefox logs "Cross-Origin Request Blocked: … (Reason: …)" to the
 *   page's console (BiDi `log.entryAdded`, surfaced by puppeteer as `pageerror`), for the page and its
 *   frames (not for dedicated or service workers). {@link reasonOf} maps the text back to the key of
 *   Firefox's `security.properties` (its reason name, as on MDN).
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import type { StoredEntry } from '../../src/capture';
import type { LogEntry } from '../../src/shared/protocol';
import { GECKO_ID } from '../../scripts/manifest';
import { storedLogOf, waitFor, type BrowserDriver } from './driver';
import { ROOT } from './harness';

export const FIREFOX_DIST = join(ROOT, 'dist', 'firefox');
export const FIREFOX_PATH = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';
/** The extension's pinned internal UUID: its pages live at `moz-extension://<uuid>/`. */
export const EXTENSION_UUID = '6c6f7273-6c65-4e73-8c65-6e73636f7273';
export const EXTENSION_ORIGIN = `moz-extension://${EXTENSION_UUID}`;
export const PANEL_PATH = '/src/panel/panel.html';

// ---------------------------------------------------------------------------------------------
// Firefox's reasons

/**
 * Firefox's CORS console messages (security.properties, en-US, as shipped in Firefox 153), by reason
 * name: the text between "(Reason: " and ")" with `%2$S` as a wildcard. Firefox 153 numbers some keys
 * (`CORSMissingAllowOrigin2`); the reason name is the key without the number, as on MDN.
 */
const REASON_TEXTS: readonly [string, RegExp][] = [
  ['CORSDisabled', /^CORS disabled$/],
  ['CORSDidNotSucceed', /^CORS request did not succeed$/],
  ['CORSOriginHeaderNotAdded', /^CORS header ‘Origin’ cannot be added$/],
  ['CORSExternalRedirectNotAllowed', /^CORS request external redirect not allowed$/],
  ['CORSRequestNotHttp', /^CORS request not http$/],
  ['CORSMissingAllowOrigin', /^CORS header ‘Access-Control-Allow-Origin’ missing$/],
  ['CORSMultipleAllowOriginNotAllowed', /^Multiple CORS header ‘Access-Control-Allow-Origin’ not allowed$/],
  ['CORSAllowOriginNotMatchingOrigin', /^CORS header ‘Access-Control-Allow-Origin’ does not match ‘.*’$/],
  [
    'CORSNotSupportingCredentials',
    /^Credential is not supported if the CORS header ‘Access-Control-Allow-Origin’ is ‘\*’$/,
  ],
  ['CORSMethodNotFound', /^Did not find method in CORS header ‘Access-Control-Allow-Methods’$/],
  ['CORSMissingAllowCredentials', /^expected ‘true’ in CORS header ‘Access-Control-Allow-Credentials’$/],
  ['CORSPreflightDidNotSucceed', /^CORS preflight response did not succeed$/],
  ['CORSInvalidAllowMethod', /^invalid token ‘.*’ in CORS header ‘Access-Control-Allow-Methods’$/],
  ['CORSInvalidAllowHeader', /^invalid token ‘.*’ in CORS header ‘Access-Control-Allow-Headers’$/],
  [
    'CORSMissingAllowHeaderFromPreflight',
    /^header ‘.*’ is not allowed according to header ‘Access-Control-Allow-Headers’ from CORS preflight response$/,
  ],
];

export interface FirefoxMessage {
  /** Firefox's reason name (security.properties key without its number), or `unknown`. */
  reason: string;
  url: string;
  /** `Status code: N` when the message has it. */
  status?: number;
  /** The text of the `%2$S` parameter (header name, token, ACAO value) when the message has one. */
  parameter?: string;
  /** A warning ("Cross-Origin Request Warning"), not a block. */
  warning: boolean;
  text: string;
}

/** Parses one console message; undefined when it is not a CORS message. */
export function reasonOf(text: string): FirefoxMessage | undefined {
  const warning = /^Cross-Origin Request Warning:/.test(text);
  const m =
    /^Cross-Origin Request (?:Blocked|Warning): The Same Origin Policy (?:disallows|will disallow) reading the remote resource at ‘?(\S+?)’?(?: soon)?\. \(Reason: (.*?)\)\.(?: Status code: (\d+|\(null\))\.)?$/s.exec(
      text.trim(),
    );
  if (!m) return undefined;
  const [, url = '', reasonText = '', status] = m;
  const out: FirefoxMessage = { reason: 'unknown', url, warning, text };
  if (status !== undefined && /^\d+$/.test(status)) out.status = Number(status);
  if (warning) {
    out.reason = /`Authorization` header is not covered/.test(reasonText)
      ? 'CORSAllowHeaderFromPreflightDeprecation'
      : 'unknown';
    return out;
  }
  for (const [name, re] of REASON_TEXTS) {
    if (re.test(reasonText)) {
      out.reason = name;
      const p = /‘([^’]*)’/g;
      const params = [...reasonText.matchAll(p)].map((x) => x[1] ?? '');
      if (name === 'CORSAllowOriginNotMatchingOrigin') out.parameter = params[1];
      if (name === 'CORSInvalidAllowMethod' || name === 'CORSInvalidAllowHeader') out.parameter = params[0];
      if (name === 'CORSMissingAllowHeaderFromPreflight') out.parameter = params[0];
      break;
    }
  }
  return out;
}

/** Collects Firefox's CORS console messages of one page (and its frames). */
export class FirefoxOracle {
  readonly messages: FirefoxMessage[] = [];

  constructor(page: Page) {
    const take = (text: string): void => {
      const m = reasonOf(text);
      if (m) this.messages.push(m);
    };
    page.on('pageerror', (e: unknown) => take(e instanceof Error ? e.message : String(e)));
    page.on('console', (m) => take(m.text()));
  }

  /** The messages about URLs containing `marker`. */
  about(marker: string): FirefoxMessage[] {
    return this.messages.filter((m) => m.url.includes(marker));
  }
}

// ---------------------------------------------------------------------------------------------
// Browser

/** Firefox with the extension: the {@link BrowserDriver}, plus the puppeteer handles for what only it has. */
export interface FirefoxExtension extends BrowserDriver<Page> {
  browser: Browser;
  /** An extension page (the panel as a pop-out, tabId unset) used to read the extension's state. */
  extPage: Page;
}

export interface FirefoxLaunchOptions {
  extensionPath?: string;
  prefs?: Record<string, unknown>;
}

/** Navigates, tolerating Firefox's habit of never resolving navigations to moz-extension pages. */
export async function gotoExtensionPage(page: Page, path: string): Promise<void> {
  const url = EXTENSION_ORIGIN + path;
  await page.goto(url, { timeout: 3_000 }).catch(() => undefined);
  await waitFor(
    async () => (await page.evaluate(() => location.href).catch(() => '')) === url && true,
    10_000,
    `${url} to load`,
  );
}

export interface FirefoxStartOptions {
  /** More command-line arguments (`--devtools` opens the DevTools toolbox on the first tab). */
  args?: string[];
  /** More preferences, over the quiet defaults. */
  prefs?: Record<string, unknown>;
}

/**
 * Launches headless Firefox (FIREFOX_PATH) with a fresh profile, allowed to open `moz-extension://`
 * pages and kept quiet (no updates, no default-browser check), without any add-on.
 */
export async function startFirefox(options: FirefoxStartOptions = {}): Promise<Browser> {
  return puppeteer.launch({
    browser: 'firefox',
    executablePath: FIREFOX_PATH,
    headless: true,
    args: ['--remote-allow-system-access', ...(options.args ?? [])],
    extraPrefsFirefox: {
      // Keep the loopback-only test quiet: no updates, telemetry or remote settings.
      'app.update.enabled': false,
      'browser.shell.checkDefaultBrowser': false,
      ...options.prefs,
    },
  });
}

/**
 * Launches Firefox with a fresh profile and the built extension (copied first, so a concurrent build
 * cannot change it under a running test), and opens an extension page to read its state from.
 */
export async function launchFirefox(options: FirefoxLaunchOptions = {}): Promise<FirefoxExtension> {
  const tmp = mkdtempSync(join(tmpdir(), 'cors-lens-ff-'));
  const extDir = join(tmp, 'extension');
  cpSync(options.extensionPath ?? FIREFOX_DIST, extDir, { recursive: true });
  const browser = await startFirefox({
    prefs: {
      'extensions.webextensions.uuids': JSON.stringify({ [GECKO_ID]: EXTENSION_UUID }),
      ...options.prefs,
    },
  });
  const close = async (): Promise<void> => {
    await browser.close().catch(() => undefined);
    rmSync(tmp, { recursive: true, force: true });
  };
  try {
    const id = await browser.installExtension(extDir);
    if (id !== GECKO_ID) throw new Error(`installed add-on id ${id}, expected ${GECKO_ID}`);
    const extPage = await browser.newPage();
    await gotoExtensionPage(extPage, `${PANEL_PATH}?tabId=-99`);
    await extPage.evaluate(async () => {
      const b = (globalThis as unknown as { browser: BrowserApi }).browser;
      const bg = (await b.runtime.getBackgroundPage()) as unknown as { __corsLens: { ready: Promise<void> } };
      await bg.__corsLens.ready;
    });
    return firefoxDriver(browser, extPage, close);
  } catch (e) {
    await close();
    throw e;
  }
}

/** The few extension APIs the in-page helpers use (Firefox's `browser` global on extension pages). */
interface BrowserApi {
  runtime: { getBackgroundPage(): Promise<Window> };
  storage: { session: { get(keys: null): Promise<Record<string, unknown>> } };
}

interface DebugApi {
  ready: Promise<void>;
  tabIds(): number[];
  stored(t: number): StoredEntry[];
  entries(t: number): LogEntry[];
  clear(t: number): void;
}

type DebugOp = 'find-tab' | 'clear' | 'entries';

/**
 * Calls the background page's debug API (`__corsLens`) from the extension page. Extension pages may not
 * `eval`, so the operations are fixed here.
 */
async function debugOp(extPage: Page, op: DebugOp, arg: string | number): Promise<unknown> {
  return extPage.evaluate(
    async (o: DebugOp, a: string | number) => {
      const b = (globalThis as unknown as { browser: BrowserApi }).browser;
      const api = ((await b.runtime.getBackgroundPage()) as unknown as { __corsLens: DebugApi }).__corsLens;
      if (o === 'clear') return api.clear(Number(a));
      if (o === 'entries') return api.entries(Number(a));
      for (const t of api.tabIds())
        if (api.stored(t).some((e) => e.exchange.legs.some((l) => l.url.includes(String(a))))) return t;
      return undefined;
    },
    op,
    arg,
  );
}

/** The {@link BrowserDriver} over Firefox: the extension's state is read from an extension page. */
function firefoxDriver(browser: Browser, extPage: Page, close: () => Promise<void>): FirefoxExtension {
  return {
    name: 'firefox',
    browser,
    extPage,
    close,
    newPage: () => browser.newPage(),
    goto: async (page, url) => {
      await page.goto(url);
    },
    evaluate: <A, R>(page: Page, fn: (arg: A) => R | Promise<R>, arg: A) =>
      page.evaluate(fn as (arg: unknown) => Promise<Awaited<R>>, arg) as Promise<R>,
    findTabId: async (marker) => (await debugOp(extPage, 'find-tab', marker)) as number | undefined,
    clearLog: async (tabId) => {
      await debugOp(extPage, 'clear', tabId);
    },
    readEntries: async (tabId) => (await debugOp(extPage, 'entries', tabId)) as LogEntry[],
    readLog: async (tabId) => {
      const items = await extPage.evaluate(() =>
        (globalThis as unknown as { browser: BrowserApi }).browser.storage.session.get(null),
      );
      return storedLogOf(items, tabId);
    },
    clearCookies: async () => {
      const cookies = await browser.cookies();
      if (cookies.length) await browser.deleteCookie(...cookies);
    },
    // `browser.action`, read from the extension page.
    badgeText: (tabId) =>
      extPage.evaluate(
        (t: number) =>
          (
            globalThis as unknown as {
              browser: { action: { getBadgeText(d: { tabId: number }): Promise<string> } };
            }
          ).browser.action.getBadgeText({ tabId: t }),
        tabId,
      ),
  };
}

// ---------------------------------------------------------------------------------------------
// Running code in the page's contexts (the page, a dedicated worker, a cross-origin iframe, the
// page's service worker), served by the loopback servers of ./harness (`/worker.js`, `/frame.html`,
// `/sw.js`).

export type RunContext = 'page' | 'worker' | 'frame' | 'sw';

/** Adds the cross-origin iframe and registers the service worker; call once per page. */
export async function prepareContexts(page: Page, frameOrigin: string): Promise<void> {
  await page.evaluate(async (src: string) => {
    const f = document.createElement('iframe');
    f.src = src;
    const loaded = new Promise((r) => f.addEventListener('load', r, { once: true }));
    document.body.append(f);
    await loaded;
    await navigator.serviceWorker.register('/sw.js');
    await navigator.serviceWorker.ready;
  }, `${frameOrigin}/frame.html`);
}

/** Runs the function whose source is `src` with `arg` in one of the page's contexts; returns its result. */
export async function runIn(
  page: Page,
  context: RunContext,
  frameOrigin: string,
  src: string,
  arg: unknown,
): Promise<unknown> {
  return page.evaluate(
    async (ctx: RunContext, frameSrc: string, s: string, a: unknown) => {
      if (ctx === 'page') return (0, eval)(s)(a) as unknown;
      const id = Math.random().toString(36).slice(2);
      if (ctx === 'worker') {
        const g = globalThis as unknown as { __w?: Worker };
        const w = (g.__w ??= new Worker('/worker.js'));
        return new Promise((resolve) => {
          w.onmessage = (e: MessageEvent<{ value: unknown }>) => resolve(e.data.value);
          w.postMessage({ fn: s, arg: a });
        });
      }
      if (ctx === 'frame') {
        const f = document.querySelector<HTMLIFrameElement>(`iframe[src="${frameSrc}"]`);
        if (!f?.contentWindow) throw new Error('no frame');
        return new Promise((resolve) => {
          const onMsg = (e: MessageEvent<{ id: string; value: unknown }>): void => {
            if (e.data?.id !== id) return;
            removeEventListener('message', onMsg);
            resolve(e.data.value);
          };
          addEventListener('message', onMsg);
          f.contentWindow?.postMessage({ id, fn: s, arg: a }, '*');
        });
      }
      const reg = await navigator.serviceWorker.ready;
      return new Promise((resolve) => {
        const onMsg = (e: MessageEvent<{ id: string; value: unknown }>): void => {
          if (e.data?.id !== id) return;
          navigator.serviceWorker.removeEventListener('message', onMsg);
          resolve(e.data.value);
        };
        navigator.serviceWorker.addEventListener('message', onMsg);
        reg.active?.postMessage({ id, fn: s, arg: a });
      });
    },
    context,
    `${frameOrigin}/frame.html`,
    src,
    arg,
  );
}
