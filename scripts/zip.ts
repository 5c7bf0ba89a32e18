/**
 * Store zips that are the same bytes for the same files: entries in sorted path order, every entry
 * dated EPOCH (not the file's mtime), the same compression level, no extra attributes. Two clean
 * builds of the same sources therefore give byte-identical zips (AMO asks for sources when the code is
 * bundled; docs/store.md says how to rebuild). Zipped with fflate.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { zipSync, type Zippable } from 'fflate';

/** The fixed date of every entry (DOS dates start in 1980). */
export const EPOCH = new Date(Date.UTC(1980, 0, 1, 12, 0, 0));

/**
 * What never goes into a store zip: build bookkeeping (dot-folders such as `.vite`, dot-files),
 * source maps, and test files.
 */
export function excluded(path: string): boolean {
  const parts = path.split('/');
  if (parts.some((p) => p.startsWith('.'))) return true;
  const name = parts[parts.length - 1] ?? '';
  return /\.map$/.test(name) || /\.(test|spec)\.[cm]?[jt]sx?$/.test(name) || parts.includes('test');
}

/** The files a zip of `dir` holds: `/`-separated paths relative to `dir`, sorted, exclusions left out. */
export function zipEntries(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const full = join(d, e.name);
      const rel = relative(dir, full).split(sep).join('/');
      if (excluded(rel)) continue;
      if (e.isDirectory()) walk(full);
      else if (e.isFile()) out.push(rel);
    }
  };
  walk(dir);
  return out.sort();
}

/** The zip of `dir` (see {@link zipEntries}), deterministic. */
export function zipDir(dir: string): Uint8Array {
  const files: Zippable = {};
  for (const rel of zipEntries(dir)) files[rel] = [readFileSync(join(dir, rel)), { mtime: EPOCH }];
  return zipSync(files, { level: 9, mtime: EPOCH });
}
