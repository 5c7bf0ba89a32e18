/**
 * The npm package as a user gets it: `npm pack` (which runs `prepack`, so the command line is built),
 * the exact list of files in the tarball, an install of that tarball into an empty folder (no
 * runtime dependencies, so nothing comes from the registry), then `npx cors-lens` there against a
 * loopback server: the verdict, the exit code and `--version`. Then action.yml's step, run as the
 * runner would run it (its script, with its inputs in the environment) in that folder, offline: npx
 * finds the installed package of the action's default version, so the step's exact command runs.
 */
import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  version: string;
  dependencies?: Record<string, string>;
};
const APP = 'https://app.example.com';

/** Asynchronous, so that the loopback server (in this process) answers while the child runs. */
function sh(
  cmd: string,
  args: string[],
  cwd: string,
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) =>
    execFile(
      cmd,
      args,
      { cwd, env: { ...process.env, NO_COLOR: '1', ...env }, maxBuffer: 1 << 24 },
      (e, stdout, stderr) => done({ code: e ? Number(e.code ?? 1) : 0, stdout, stderr }),
    ),
  );
}

let tmp = '';
let tarball = '';
let server: Server;
let base = '';
let app = '';

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'cors-lens-pack-'));
  server = createServer((req, res) => {
    req.resume();
    const ok = req.url === '/allowlist' && req.headers.origin === APP;
    res.writeHead(200, {
      'content-type': 'application/json',
      ...(ok ? { 'access-control-allow-origin': APP, vary: 'Origin' } : {}),
    });
    res.end('{}');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const packed = await sh('npm', ['pack', '--json', '--pack-destination', tmp], ROOT);
  expect(packed.code, packed.stderr).toBe(0);
  const [info] = JSON.parse(packed.stdout.slice(packed.stdout.indexOf('['))) as { filename: string }[];
  tarball = join(tmp, info!.filename);
}, 120_000);

afterAll(() => {
  server?.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('npm package', () => {
  it('holds the bundled command line and its docs, nothing else', async () => {
    const list = await sh('tar', ['-tzf', tarball], tmp);
    expect(list.code).toBe(0);
    expect(list.stdout.trim().split('\n').sort()).toEqual(
      [
        'CHANGELOG.md',
        'LICENSE',
        'README.md',
        'dist/cli/cors-lens.js',
        'dist/cli/main.js',
        'dist/cli/main.js.cache',
        'dist/cli/mcp.js',
        'dist/cli/package.json',
        'package.json',
      ].map((f) => `package/${f}`),
    );
    expect(pkg.dependencies ?? {}).toEqual({});
  });

  it('installs from the tarball alone and runs with npx', async () => {
    app = join(tmp, 'app');
    await sh('mkdir', ['-p', app], tmp);
    writeFileSync(join(app, 'package.json'), '{ "name": "empty-app", "private": true }\n');
    const install = await sh(
      'npm',
      ['install', '--offline', '--no-audit', '--no-fund', '--save-dev', tarball],
      app,
    );
    expect(install.code, install.stderr).toBe(0);
    // Nothing but the package itself was installed: no runtime dependencies.
    expect(readdirSync(join(app, 'node_modules')).filter((n) => !n.startsWith('.'))).toEqual(['cors-lens']);

    const version = await sh('npx', ['--no', '--', 'cors-lens', '--version'], app);
    expect(version.stdout.trim()).toBe(pkg.version);

    const allowed = await sh(
      'npx',
      ['--no', '--', 'cors-lens', 'check', `${base}/allowlist`, '--origin', APP],
      app,
      { CORS_LENS_DEBUG: '1' },
    );
    // The packed V8 code cache is valid for the Node that built it, wherever the package is installed
    // (another Node rejects it and compiles as usual: launch.ts).
    expect(allowed.stderr).toContain('cors-lens: code cache used');
    expect(allowed.code, allowed.stderr).toBe(0);
    expect(allowed.stdout).toMatch(/allowed/i);

    const blocked = await sh(
      'npx',
      ['--no', '--', 'cors-lens', 'check', `${base}/none`, '--origin', APP, '--json'],
      app,
    );
    expect(blocked.code, blocked.stderr).toBe(1);
    const report = JSON.parse(blocked.stdout) as {
      generator: string;
      calls: { outcome: string; chromeError: string }[];
    };
    expect(report.generator).toBe(`cors-lens ${pkg.version}`);
    // The MCP server from the installed package (its SDK is bundled too): the four tools.
    const client = new Client({ name: 'pack-test', version: '1.0.0' });
    await client.connect(
      new StdioClientTransport({
        command: join(app, 'node_modules', '.bin', 'cors-lens'),
        args: ['mcp'],
        cwd: app,
      }),
    );
    expect((await client.listTools()).tools.map((t) => t.name).sort()).toEqual([
      'cors_check',
      'cors_explain',
      'cors_explain_har',
      'cors_probe',
    ]);
    await client.close();

    expect(report.calls[0]).toMatchObject({
      outcome: 'blocked',
      chromeError: 'MissingAllowOriginHeader',
    });
  }, 120_000);

  it("action.yml: its step runs the package's ci with the inputs, annotations and summary included", async () => {
    expect(app, 'the install test ran first').not.toBe('');
    interface Action {
      inputs: Record<string, { default?: string }>;
      runs: { using: string; steps: { shell: string; env: Record<string, string>; run: string }[] };
    }
    const action = parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as Action;
    expect(action.runs.using).toBe('composite');
    expect(Object.keys(action.inputs).sort()).toEqual(['browser', 'config', 'version']);
    // The action runs its own release of the package: one version number.
    expect(action.inputs.version?.default).toBe(pkg.version);
    const [step] = action.runs.steps;
    expect(step?.shell).toBe('bash');
    const inputs: Record<string, string> = {
      config: 'checks/cors lens.json',
      browser: 'firefox',
      version: String(action.inputs.version?.default),
    };
    // The runner's substitution of `${{ inputs.x }}`: only in env, the script itself has none.
    expect(step!.run).not.toContain('${{');
    const env = Object.fromEntries(
      Object.entries(step!.env).map(([k, v]) => [
        k,
        v.replace(/\$\{\{ inputs\.(\w+) \}\}/g, (_m, n: string) => inputs[n] ?? ''),
      ]),
    );
    await sh('mkdir', ['-p', join(app, 'checks')], app);
    const checks = [
      { name: 'allowlisted', url: `${base}/allowlist`, expect: 'allowed' },
      { name: 'no CORS', url: `${base}/none`, expect: 'allowed' },
    ];
    writeFileSync(join(app, inputs.config!), JSON.stringify({ origin: APP, checks }));
    const summaryFile = join(tmp, 'step-summary.md');
    const r = await new Promise<{ code: number; stdout: string }>((done) =>
      execFile(
        'bash',
        ['-e', '-c', step!.run],
        {
          cwd: app,
          env: {
            ...process.env,
            ...env,
            NO_COLOR: '1',
            GITHUB_ACTIONS: 'true',
            GITHUB_STEP_SUMMARY: summaryFile,
            npm_config_offline: 'true',
          },
        },
        (e, stdout) => done({ code: e ? Number(e.code ?? 1) : 0, stdout }),
      ),
    );
    expect(r.code, r.stdout).toBe(1);
    const annotations = r.stdout.split('\n').filter((l) => l.startsWith('::'));
    expect(annotations, r.stdout).toHaveLength(1);
    // Judged by Firefox's rules (the browser input), named by Firefox.
    expect(annotations[0]).toMatch(
      /^::error title=CORS%3A GET http%3A\/\/127\.0\.0\.1%3A\d+\/none::no CORS: expected allowed, got CORSMissingAllowOrigin\. /,
    );
    expect(readFileSync(summaryFile, 'utf8')).toContain('**1 of 2 checks differ from their expectation.**');
  }, 60_000);
});
