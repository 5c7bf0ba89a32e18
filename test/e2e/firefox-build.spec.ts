/**
 * The Firefox build as addons.mozilla.org sees it (run after `npm run build`, as `npm run test:e2e`
 * does): `web-ext lint` finds no error and only the warnings the README explains, and `npm run package`
 * writes a store zip per browser with manifest.json at its root.
 */
import { test, expect } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './harness';

const WEB_EXT = join(ROOT, 'node_modules', '.bin', 'web-ext');

/** Warnings explained in the README's "Firefox build" section (code → file it may appear in). */
const EXPLAINED: Record<string, RegExp> = {
  // data_collection_permissions is honoured from Firefox 140 on desktop, 142 on Android; the extension is
  // a DevTools extension and Firefox for Android has no DevTools.
  KEY_FIREFOX_ANDROID_UNSUPPORTED_BY_MIN_VERSION: /^manifest\.json$/,
  // Preact's renderer has an innerHTML branch for dangerouslySetInnerHTML, which CORS Lens never uses.
  UNSAFE_VAR_ASSIGNMENT: /^assets\/panel-[\w-]+\.js$/,
};

interface LintMessage {
  code: string;
  file?: string;
  message: string;
}

test('web-ext lint: no errors, only explained warnings', () => {
  test.setTimeout(120_000);
  const out = execFileSync(
    WEB_EXT,
    ['lint', '--source-dir', join(ROOT, 'dist', 'firefox'), '--output', 'json', '--no-config-discovery'],
    { encoding: 'utf8' },
  );
  const report = JSON.parse(out.slice(out.indexOf('{'))) as {
    errors: LintMessage[];
    warnings: LintMessage[];
  };
  expect(report.errors).toEqual([]);
  for (const w of report.warnings) {
    const where = EXPLAINED[w.code];
    expect(where, `unexplained web-ext warning ${w.code}: ${w.message}`).toBeDefined();
    expect(w.file ?? 'manifest.json').toMatch(where!);
  }
});

test('npm run package: one store zip per browser, manifest.json at the root', () => {
  test.setTimeout(120_000);
  execFileSync('npm', ['run', 'package'], { cwd: ROOT, encoding: 'utf8' });
  const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
  for (const browser of ['chrome', 'firefox']) {
    const zip = join(ROOT, 'dist', `cors-lens-${browser}-${version}.zip`);
    expect(existsSync(zip), zip).toBe(true);
    // The zip's central directory names every file: the manifest sits at the root, no build folder.
    const names = centralDirectoryNames(readFileSync(zip));
    expect(names).toContain('manifest.json');
    expect(names.some((n) => n.startsWith('.vite'))).toBe(false);
    const manifest = JSON.parse(readFileSync(join(ROOT, 'dist', browser, 'manifest.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    expect(manifest.version).toBe(version);
  }
});

/** File names from a zip's central directory (PKZIP: signature 0x02014b50, name at offset 46). */
function centralDirectoryNames(buf: Buffer): string[] {
  const names: string[] = [];
  for (let i = 0; i + 46 <= buf.length; i++) {
    if (buf.readUInt32LE(i) !== 0x02014b50) continue;
    const len = buf.readUInt16LE(i + 28);
    names.push(buf.toString('utf8', i + 46, i + 46 + len));
    i += 45 + len;
  }
  return names;
}
