/**
 * Chromium as the judge: a page on one loopback origin calls the API on another, and we read what
 * Chrome decided from the page's fetch result and from CDP (Network.loadingFailed.corsErrorStatus).
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export function chromePath(): string | undefined {
  return [
    process.env.CHROME_PATH ?? '',
    '/usr/bin/chromium',
    '/usr/bin/chromium-browser',
    '/usr/bin/google-chrome',
  ].find((p) => p !== '' && existsSync(p));
}

export async function launch(): Promise<Browser> {
  const executablePath = chromePath();
  if (!executablePath) throw new Error('Chromium not found (set CHROME_PATH)');
  return chromium.launch({
    executablePath,
    headless: true,
    args: [
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}

export interface CallInit {
  method?: string;
  headers?: Record<string, string>;
  credentials?: 'include' | 'omit' | 'same-origin';
  body?: string;
}

export interface Outcome {
  /** The page could read the response. */
  allowed: boolean;
  /** The status the page read (only when allowed). */
  status?: number;
  body?: string;
  /** Chrome's CORS error for the call (CDP `Network.CorsError`), when it blocked it. */
  corsError?: string;
  /** The fetch() rejection message, when it failed. */
  error?: string;
}

interface LoadingFailed {
  requestId: string;
  errorText: string;
  corsErrorStatus?: { corsError: string; failedParameter: string };
}

/** From a fresh context on `pageOrigin`, fetch `url` and report what Chrome decided. */
export async function callFrom(
  browser: Browser,
  pageOrigin: string,
  url: string,
  init: CallInit = {},
): Promise<Outcome> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(`${pageOrigin}/`);
    const cdp = await context.newCDPSession(page);
    const urls = new Map<string, string>();
    const failed: LoadingFailed[] = [];
    cdp.on('Network.requestWillBeSent', (e: { requestId: string; request: { url: string } }) =>
      urls.set(e.requestId, e.request.url),
    );
    cdp.on('Network.loadingFailed', (e: LoadingFailed) => failed.push(e));
    await cdp.send('Network.enable');
    const result = await page.evaluate(
      async ({ url, init }) => {
        try {
          const res = await fetch(url, init);
          return { ok: true as const, status: res.status, body: await res.text() };
        } catch (e) {
          return { ok: false as const, error: String(e) };
        }
      },
      { url, init },
    );
    // CDP events may trail the fetch rejection by a moment.
    const deadline = Date.now() + 2_000;
    const corsFailure = (): LoadingFailed | undefined =>
      failed.find((f) => f.corsErrorStatus && (urls.get(f.requestId) ?? url) === url);
    while (!result.ok && !corsFailure() && Date.now() < deadline) await page.waitForTimeout(25);
    const cors = corsFailure();
    return result.ok
      ? { allowed: true, status: result.status, body: result.body }
      : { allowed: false, error: result.error, corsError: cors?.corsErrorStatus?.corsError };
  } finally {
    await context.close();
  }
}
