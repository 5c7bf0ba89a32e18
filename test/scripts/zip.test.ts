/**
 * The store zips' writer: what goes in, and the same bytes for the same files whatever their mtimes
 * and the order they were written in (the reproducible-build half that does not need a build; the
 * other half, two clean builds, is scripts/reproducible.ts).
 */
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { afterEach, describe, expect, it } from 'vitest';
import { excluded, zipDir, zipEntries } from '../../scripts/zip';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A build folder written in the given order, each file with the given mtime (seconds). */
function build(order: string[], mtime: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'cors-lens-zip-'));
  dirs.push(dir);
  for (const rel of order) {
    const file = join(dir, rel);
    mkdirSync(join(file, '..'), { recursive: true });
    writeFileSync(file, `content of ${rel}\n`.repeat(50));
    utimesSync(file, mtime, mtime);
  }
  return dir;
}

const FILES = [
  'manifest.json',
  'assets/panel-abc.js',
  'assets/panel-abc.js.map',
  'assets/engine.js',
  '.vite/manifest.json',
  'src/panel/panel.html',
  'icons/icon-16.png',
  'test/fixture.json',
  'assets/engine.test.js',
];

describe('store zip', () => {
  it('leaves out build bookkeeping, source maps and test files', () => {
    expect(zipEntries(build(FILES, 1_700_000_000))).toEqual([
      'assets/engine.js',
      'assets/panel-abc.js',
      'icons/icon-16.png',
      'manifest.json',
      'src/panel/panel.html',
    ]);
    for (const p of ['a.js.map', '.vite/x', 'x/.DS_Store', 'test/a.js', 'a.spec.ts'])
      expect(excluded(p), p).toBe(true);
    for (const p of ['manifest.json', 'assets/latest.js', 'src/panel/panel.html'])
      expect(excluded(p), p).toBe(false);
  });

  it('holds the files as they are, manifest.json at the root, every entry dated 1980-01-01', () => {
    const dir = build(FILES, 1_700_000_000);
    const files = unzipSync(zipDir(dir));
    expect(Object.keys(files)).toEqual(zipEntries(dir));
    expect(new TextDecoder().decode(files['manifest.json'])).toBe('content of manifest.json\n'.repeat(50));
  });

  it('is the same bytes for the same files, whatever their mtimes and write order', () => {
    const a = zipDir(build(FILES, 1_700_000_000));
    const b = zipDir(build([...FILES].reverse(), 1_800_000_000));
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
    // And it does change when a byte of the content does.
    const c = build(FILES, 1_700_000_000);
    writeFileSync(join(c, 'assets/engine.js'), 'changed');
    expect(Buffer.from(zipDir(c)).equals(Buffer.from(a))).toBe(false);
  });
});
