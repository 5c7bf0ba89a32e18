/**
 * The panel's *Open report…* in Chromium with the built extension: a recorded Playwright trace and the
 * HARs Chrome DevTools, Firefox DevTools and chrome-har wrote (test/fixtures/har/) are opened through the
 * file input as a user picks them, and the list shows as many calls, and as many blocked ones, as
 * `cors-lens har --json` finds (every producer's verdicts, call by call: OpenReport.test.tsx).
 */
import type { Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from './harness';
import { watchedPage } from './driver';
import { test as base, expect } from './fixtures';

const CLI = join(ROOT, 'dist', 'cli', 'cors-lens.js');
const DIR = join(ROOT, 'test', 'fixtures', 'har');

/** The panel's pop-out page, docked size, on a watched tab: once for the file. */
const test = base.extend<object, { panel: Page }>({
  panel: [
    async ({ servers, chromium }, use) => {
      const { page: site, tabId } = await watchedPage(chromium.driver, servers);
      const panel = await chromium.ext.context.newPage();
      await panel.setViewportSize({ width: 520, height: 800 });
      await panel.goto(`chrome-extension://${chromium.ext.extensionId}/src/panel/panel.html?tabId=${tabId}`);
      await use(panel);
      await panel.close();
      await site.close();
    },
    { scope: 'worker', timeout: 60_000 },
  ],
});

test.describe.configure({ mode: 'serial' });

function cliCounts(file: string): { calls: number; blocked: number } {
  let out: string;
  try {
    out = execFileSync(process.execPath, [CLI, 'har', file, '--json'], { encoding: 'utf8' });
  } catch (e) {
    out = (e as { stdout: string }).stdout;
  }
  return (JSON.parse(out) as { counts: { calls: number; blocked: number } }).counts;
}

for (const name of [
  'playwright-1.65.1-trace.zip',
  'chrome-devtools-156.har',
  'firefox-153.8.har',
  'chrome-har-1.3.1.har',
]) {
  test(`opens ${name} with the command line's verdicts`, async ({ panel }) => {
    const file = join(DIR, name);
    const want = cliCounts(file);
    await panel.locator('input[type="file"]').setInputFiles(file);
    // The default view lists the calls CORS rules apply to; the no-cors loads (the trace's image) are
    // counted on the one switch above the list.
    const listed = async (): Promise<number> => {
      const sw = panel.locator('.no-cors-switch');
      const hidden = (await sw.count()) ? Number(/^\d+/.exec((await sw.textContent()) ?? '')?.[0] ?? 0) : 0;
      return (await panel.getByRole('option').count()) + hidden;
    };
    await expect.poll(listed).toBe(want.calls);
    await expect(panel.locator('.filter-blocked .count')).toHaveText(String(want.blocked));
    await panel.screenshot({ path: test.info().outputPath(`${name}.png`) });
    if (name.endsWith('.zip')) {
      const undetermined = panel
        .getByRole('option')
        .filter({ hasText: "the file does not hold the server's answer" });
      await expect(undetermined).toHaveCount(want.blocked);
      // Its detail gives the command that asks the server the same question.
      await undetermined.first().click();
      await expect(panel.getByText(/from the command line: cors-lens check /)).toBeVisible();
      await panel.screenshot({ path: test.info().outputPath('detail.png') });
      await panel.keyboard.press('Escape');
    }
  });
}
