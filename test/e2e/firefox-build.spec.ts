/**
 * The builds as the stores see them (run after `npm run build`, as `npm run test:e2e` does):
 * `web-ext lint` finds no error and no warning in the Firefox build, and `npm run package` writes a
 * store zip per browser holding exactly the build's files (manifest.json at the root), without build
 * bookkeeping, source maps or test files.
 */
import { test, expect } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { zipEntries } from '../../scripts/zip';
import { ROOT } from './harness';

const WEB_EXT = join(ROOT, 'node_modules', '.bin', 'web-ext');

interface LintMessage {
  code: string;
  file?: string;
  message: string;
}

test('web-ext lint: no errors, no warnings', () => {
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
  expect(report.warnings).toEqual([]);
});

test('npm run package: one store zip per browser, exactly the build, nothing else', () => {
  test.setTimeout(120_000);
  const printed = execFileSync('npm', ['run', 'package'], { cwd: ROOT, encoding: 'utf8' });
  const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
  for (const browser of ['chrome', 'firefox']) {
    const zip = join(ROOT, 'dist', `cors-lens-${browser}-${version}.zip`);
    expect(existsSync(zip), zip).toBe(true);
    // Its size is stated.
    expect(printed).toMatch(new RegExp(`${browser}: .*\\.zip \\(\\d+ files, [\\d.]+ KiB\\)`));
    // The zip's central directory names every file: the build's files, manifest at the root.
    const names = centralDirectoryNames(readFileSync(zip));
    expect(names).toEqual(zipEntries(join(ROOT, 'dist', browser)));
    expect(names).toContain('manifest.json');
    expect(names).toContain('src/panel/panel.html');
    expect(names.some((n) => n.endsWith('.js'))).toBe(true);
    for (const n of names) {
      expect(n, 'build bookkeeping').not.toMatch(/(^|\/)\./);
      expect(n, 'source map').not.toMatch(/\.map$/);
      expect(n, 'test file').not.toMatch(/(^|\/)test\/|\.(test|spec)\.[jt]sx?$/);
    }
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
