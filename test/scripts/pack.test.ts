/**
 * The npm package as a user gets it: `npm pack` (which runs `prepack`, so the command line is built),
 * the exact list of files in the tarball, an install of that tarball into an empty folder (no
 * runtime dependencies, so nothing comes from the registry), then `npx cors-lens` there against a
 * loopback server: the verdict, the exit code and `--version`.
 */
import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

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
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) =>
    execFile(
      cmd,
      args,
      { cwd, env: { ...process.env, NO_COLOR: '1' }, maxBuffer: 1 << 24 },
      (e, stdout, stderr) => done({ code: e ? Number(e.code ?? 1) : 0, stdout, stderr }),
    ),
  );
}

let tmp = '';
let tarball = '';
let server: Server;
let base = '';

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
        'dist/cli/package.json',
        'package.json',
      ].map((f) => `package/${f}`),
    );
    expect(pkg.dependencies ?? {}).toEqual({});
  });

  it('installs from the tarball alone and runs with npx', async () => {
    const app = join(tmp, 'app');
    rmSync(app, { recursive: true, force: true });
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
    );
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
    expect(report.calls[0]).toMatchObject({
      outcome: 'blocked',
      chromeError: 'MissingAllowOriginHeader',
    });
  }, 120_000);
});
