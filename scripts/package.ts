/**
 * `npm run package`: store-ready zips of both builds, after `npm run build`:
 * dist/cors-lens-chrome-<version>.zip (Chrome Web Store) and dist/cors-lens-firefox-<version>.zip
 * (addons.mozilla.org). Each zip holds its build directory's contents with manifest.json at the root;
 * build bookkeeping (dot-directories such as `.vite`) is left out. Zipped by web-ext's `build` command.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import webExt from 'web-ext';
import { TARGETS } from './manifest';

const DIST = resolve('dist');

export function zipName(target: string, version: string): string {
  return `cors-lens-${target}-${version}.zip`;
}

async function main(): Promise<void> {
  for (const target of TARGETS) {
    const dir = join(DIST, target);
    const manifestPath = join(dir, 'manifest.json');
    if (!existsSync(manifestPath)) {
      throw new Error(`no build in ${dir}: run npm run build first`);
    }
    const { version } = JSON.parse(readFileSync(manifestPath, 'utf8')) as { version: string };
    const name = zipName(target, version);
    rmSync(join(DIST, name), { force: true });
    const result = await webExt.cmd.build(
      { sourceDir: dir, artifactsDir: DIST, filename: name, overwriteDest: true },
      { showReadyMessage: false, shouldExitProgram: false },
    );
    console.log(`${target}: ${result.extensionPath}`);
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
