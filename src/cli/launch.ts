#!/usr/bin/env node
/**
 * The `cors-lens` executable: starts the bundled command line (dist/cli/main.js) from V8's code cache
 * when the build left one for this very Node (dist/cli/main.js.cache), so that a one-shot `check`
 * does not spend its start-up compiling the engine again. Node 22 has `module.enableCompileCache()`
 * for this; Node 20, which CORS Lens supports, does not, hence these few lines.
 *
 * V8 checks the cache against its own version, its flags and the source, and rejects a cache that does
 * not match: the script is then compiled as usual, so a stale or foreign cache costs time, never
 * correctness. `npm run build` writes the cache by running one `check` with
 * CORS_LENS_WRITE_CODE_CACHE=1 (scripts/build-cli.mjs): functions compiled during that run are in it.
 *
 * Bundled as CommonJS with main.js (dist/cli/package.json says so): CommonJS is what vm.Script runs,
 * and it starts faster than an ES module on Node 20.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire, wrap } from 'node:module';
import { dirname, join } from 'node:path';
import { Script, constants } from 'node:vm';

function start(): void {
  const file = join(__dirname, 'main.js');
  const cacheFile = `${file}.cache`;
  let cachedData: Buffer | undefined;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    cachedData = undefined; // no cache (a build without one, or removed): compile as usual
  }
  const script = new Script(wrap(readFileSync(file, 'utf8')), {
    filename: file,
    cachedData,
    importModuleDynamically: constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  if (process.env.CORS_LENS_DEBUG)
    process.stderr.write(
      `cors-lens: code cache ${cachedData === undefined ? 'absent' : script.cachedDataRejected ? 'rejected' : 'used'}\n`,
    );
  if (process.env.CORS_LENS_WRITE_CODE_CACHE === '1')
    process.once('exit', () => writeFileSync(cacheFile, script.createCachedData()));
  const mod = { exports: {} };
  const run = script.runInThisContext() as (
    exports: unknown,
    require: NodeJS.Require,
    module: unknown,
    filename: string,
    dirname: string,
  ) => void;
  run.call(mod.exports, mod.exports, createRequire(file), mod, file, dirname(file));
}

start();
