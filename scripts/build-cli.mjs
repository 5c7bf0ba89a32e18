/**
 * Bundles the command line into dist/cli/cors-lens.js: one ES module for Node 20, dependencies
 * included, shebang kept from src/cli/main.ts. Part of `npm run build`.
 */
import { build } from 'esbuild';
import { chmodSync, readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const outfile = 'dist/cli/cors-lens.js';
await build({
  entryPoints: ['src/cli/main.ts'],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  minifySyntax: true,
  legalComments: 'none',
  define: { __CORS_LENS_VERSION__: JSON.stringify(pkg.version) },
  // CommonJS dependencies bundled into an ES module may call require() for Node built-ins.
  banner: {
    js: "import { createRequire as __corsLensRequire } from 'node:module'; const require = __corsLensRequire(import.meta.url);",
  },
  logLevel: 'warning',
});
chmodSync(outfile, 0o755);
