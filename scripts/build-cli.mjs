/**
 * Bundles the command line into dist/cli, part of `npm run build`:
 * - main.js: the whole command line (src/cli/main.ts, dependencies included), CommonJS for Node 20;
 * - mcp.js: `cors-lens mcp` (src/cli/mcp.ts with the MCP SDK), loaded by main.js only for that command,
 *   so the SDK costs nothing to the start of `check`;
 * - cors-lens.js: the package's `bin`, a small launcher (src/cli/launch.ts) that runs main.js from
 *   V8's code cache when one matches the running Node;
 * - main.js.cache: that code cache, written by one real `check` of a loopback server started here,
 *   so the functions a check needs are compiled in it. Without it (or when another Node rejects it),
 *   the command line works the same, only starts a few milliseconds slower;
 * - package.json: `"type": "commonjs"` for the two .js files (the repository itself is ESM).
 * Built in a staging folder, then each file is renamed into dist/cli (atomic per file): a test or a
 * command running the command line while another build runs sees whole files, never a missing one.
 */
import { build } from 'esbuild';
import { execFile } from 'node:child_process';
import { chmodSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const target = 'dist/cli';
const dir = `dist/.cli-build-${process.pid}`;
const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  minifySyntax: true,
  legalComments: 'none',
  logLevel: 'warning',
};

rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });
writeFileSync(`${dir}/package.json`, `${JSON.stringify({ type: 'commonjs' }, null, 2)}\n`);
const define = { __CORS_LENS_VERSION__: JSON.stringify(pkg.version) };
/** `import('./mcp')` in src/cli/commands.ts stays out of main.js: a require() of dist/cli/mcp.js. */
const mcpApart = {
  name: 'mcp-apart',
  setup(b) {
    b.onResolve({ filter: /^\.\/mcp$/ }, (a) =>
      a.importer.endsWith('commands.ts') ? { path: './mcp.js', external: true } : undefined,
    );
  },
};
await build({
  ...common,
  entryPoints: ['src/cli/main.ts'],
  outfile: `${dir}/main.js`,
  define,
  plugins: [mcpApart],
  // import() becomes require(): main.js runs as CommonJS (launch.ts), with a require of its folder.
  supported: { 'dynamic-import': false },
});
await build({ ...common, entryPoints: ['src/cli/mcp.ts'], outfile: `${dir}/mcp.js`, define });
await build({ ...common, entryPoints: ['src/cli/launch.ts'], outfile: `${dir}/cors-lens.js` });
chmodSync(`${dir}/cors-lens.js`, 0o755);
await writeCodeCache();
mkdirSync(target, { recursive: true });
const built = readdirSync(dir);
for (const f of readdirSync(target)) if (!built.includes(f)) rmSync(`${target}/${f}`, { force: true });
for (const f of built) renameSync(`${dir}/${f}`, `${target}/${f}`);
rmSync(dir, { recursive: true, force: true });

/** Runs `cors-lens check` once (a preflighted call that passes) with the cache writer switched on. */
async function writeCodeCache() {
  const server = createServer((req, res) => {
    req.resume();
    res.writeHead(req.method === 'OPTIONS' ? 204 : 200, {
      'access-control-allow-origin': 'http://localhost:3000',
      'access-control-allow-methods': 'PUT',
      'access-control-allow-headers': 'x-cors-lens',
      'content-type': 'application/json',
    });
    res.end(req.method === 'OPTIONS' ? undefined : '{}');
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  // Asynchronous: the server answers from this process's event loop while the child runs.
  const args = [`${dir}/cors-lens.js`, 'check', `http://127.0.0.1:${port}/build`];
  args.push('--origin', 'http://localhost:3000', '--method', 'PUT', '--header', 'X-Cors-Lens: 1');
  const env = { ...process.env, CORS_LENS_WRITE_CODE_CACHE: '1' };
  const child = await new Promise((resolve) =>
    execFile(process.execPath, args, { env }, (e, _out, err) => resolve({ code: e ? e.code : 0, err })),
  );
  server.close();
  if (child.code !== 0) {
    rmSync(`${dir}/main.js.cache`, { force: true });
    console.warn(`build-cli: no code cache (the training check exited ${child.code}): ${child.err}`);
  }
}
