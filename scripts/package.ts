/**
 * `npm run package`: store-ready zips of both builds, after `npm run build`:
 * dist/cors-lens-chrome-<version>.zip (Chrome Web Store) and dist/cors-lens-firefox-<version>.zip
 * (addons.mozilla.org). Each zip holds its build directory's contents with manifest.json at the root,
 * without build bookkeeping, source maps or test files, and is byte-for-byte reproducible
 * (scripts/zip.ts). The Firefox build must pass `web-ext lint` with no error and no warning first.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { execFileSync } from 'node:child_process';
import { TARGETS } from './manifest';
import { zipDir, zipEntries } from './zip';

const DIST = resolve('dist');

export function zipName(target: string, version: string): string {
  return `cors-lens-${target}-${version}.zip`;
}

interface LintReport {
  summary: { errors: number; warnings: number; notices: number };
  errors: { code: string; message: string }[];
  warnings: { code: string; message: string }[];
}

/** addons.mozilla.org's linter on the Firefox build; any error or warning stops the packaging. */
function lint(dir: string): LintReport['summary'] {
  const bin = resolve('node_modules', '.bin', 'web-ext');
  const out = execFileSync(bin, ['lint', '--source-dir', dir, '--output', 'json', '--no-config-discovery'], {
    encoding: 'utf8',
  });
  const report = JSON.parse(out.slice(out.indexOf('{'))) as LintReport;
  const problems = [...report.errors, ...report.warnings];
  if (problems.length)
    throw new Error(`web-ext lint: ${problems.map((p) => `${p.code}: ${p.message}`).join('; ')}`);
  return report.summary;
}

function main(): void {
  for (const target of TARGETS) {
    const dir = join(DIST, target);
    const manifestPath = join(dir, 'manifest.json');
    if (!existsSync(manifestPath)) throw new Error(`no build in ${dir}: run npm run build first`);
    const { version } = JSON.parse(readFileSync(manifestPath, 'utf8')) as { version: string };
    if (target === 'firefox') {
      const s = lint(dir);
      console.log(`firefox: web-ext lint: ${s.errors} errors, ${s.warnings} warnings, ${s.notices} notices`);
    }
    const zip = zipDir(dir);
    const path = join(DIST, zipName(target, version));
    writeFileSync(path, zip);
    const kb = (zip.length / 1024).toFixed(1);
    console.log(`${target}: ${path} (${zipEntries(dir).length} files, ${kb} KiB)`);
  }
}

try {
  main();
} catch (e) {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
}
