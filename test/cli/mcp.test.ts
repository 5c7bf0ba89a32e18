/**
 * `cors-lens mcp` with the MCP SDK's own client over stdio: the built command line as the server,
 * loopback servers as the APIs. Lists the tools, calls each one (and with bad arguments), and checks
 * the text for the model and the structuredContent (docs/report-format.md).
 */
import { execFileSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..', '..');
const CLI = join(ROOT, 'dist', 'cli', 'cors-lens.js');
const HAR = join(ROOT, 'test', 'fixtures', 'har', 'chromium-scenarios.har');
const APP = 'https://app.example.com';

let api: Server;
let base = '';
let client: Client;
let stderr = '';
const seen: string[] = [];

async function call(name: string, args: Record<string, unknown>): Promise<CallToolResult> {
  return (await client.callTool({ name, arguments: args })) as CallToolResult;
}
const text = (r: CallToolResult): string => r.content.map((c) => (c.type === 'text' ? c.text : '')).join('');

beforeAll(async () => {
  execFileSync(process.execPath, [join(ROOT, 'scripts', 'build-cli.mjs')], { cwd: ROOT });
  api = createServer((req, res) => {
    req.resume();
    seen.push(`${req.method} ${req.url} ${String(req.headers.origin)}`);
    const origin = String(req.headers.origin ?? '');
    const path = (req.url ?? '').split('?')[0];
    // /items: allows the app's PUT with JSON, but not its X-Trace header.
    if (path === '/items' && origin === APP) {
      res.writeHead(req.method === 'OPTIONS' ? 204 : 200, {
        'access-control-allow-origin': APP,
        'access-control-allow-methods': 'GET, PUT',
        'access-control-allow-headers': 'content-type',
        vary: 'Origin',
      });
      return res.end();
    }
    // /me: echoes any origin with credentials (the classic hole the probe finds).
    if (path === '/me')
      res.writeHead(200, {
        'access-control-allow-origin': origin,
        'access-control-allow-credentials': 'true',
      });
    else res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('x');
  });
  await new Promise<void>((r) => api.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [CLI, 'mcp'],
    env: { PATH: process.env.PATH ?? '' },
    stderr: 'pipe',
  });
  transport.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  client = new Client({ name: 'cors-lens-test', version: '1.0.0' });
  await client.connect(transport);
}, 60_000);

afterAll(async () => {
  await client?.close();
  api?.close();
});

describe('cors-lens mcp', () => {
  it('lives in its own bundle: the SDK is not in main.js, which check starts from', () => {
    expect(readFileSync(join(ROOT, 'dist', 'cli', 'mcp.js'), 'utf8')).toContain('notifications/initialized');
    expect(readFileSync(join(ROOT, 'dist', 'cli', 'main.js'), 'utf8')).not.toContain(
      'notifications/initialized',
    );
  });

  it('--help, and a usage error for an argument', () => {
    expect(execFileSync(process.execPath, [CLI, 'mcp', '--help'], { encoding: 'utf8' })).toMatch(
      /"command": "npx"/,
    );
    let code = 0;
    let stderr = '';
    try {
      execFileSync(process.execPath, [CLI, 'mcp', 'extra'], { encoding: 'utf8', stdio: 'pipe' });
    } catch (e) {
      ({ status: code, stderr } = e as { status: number; stderr: string });
    }
    expect(code).toBe(2);
    expect(stderr).toMatch(/^cors-lens mcp: takes no arguments/);
  });

  it('lists four tools with JSON Schema inputs and honest annotations', async () => {
    expect(client.getServerVersion()?.name).toBe('cors-lens');
    const { tools } = await client.listTools();
    const byName = Object.fromEntries(tools.map((t) => [t.name, t]));
    expect(Object.keys(byName).sort()).toEqual([
      'cors_check',
      'cors_explain',
      'cors_explain_har',
      'cors_probe',
    ]);
    for (const t of tools) {
      expect(t.inputSchema.type).toBe('object');
      expect(t.description?.length).toBeGreaterThan(40);
    }
    expect(byName.cors_check?.inputSchema.required).toEqual(['url', 'origin']);
    expect(byName.cors_explain?.inputSchema.required).toEqual([
      'url',
      'origin',
      'method',
      'requestHeaders',
      'response',
    ]);
    expect(byName.cors_explain?.annotations).toMatchObject({ readOnlyHint: true, openWorldHint: false });
    expect(byName.cors_explain_har?.annotations).toMatchObject({ readOnlyHint: true });
    expect(byName.cors_check?.annotations).toMatchObject({ openWorldHint: true, readOnlyHint: false });
    expect(byName.cors_probe?.annotations).toMatchObject({ openWorldHint: true });
  });

  it('cors_check: sends the preflight, names the failed rule and the fix', async () => {
    seen.length = 0;
    const r = await call('cors_check', {
      url: `${base}/items`,
      origin: APP,
      method: 'PUT',
      headers: ['Content-Type: application/json', 'X-Trace: 1'],
    });
    expect(r.isError).toBeFalsy();
    expect(seen).toEqual([`OPTIONS /items ${APP}`]); // blocked at the preflight: no PUT went out
    expect(text(r)).toMatch(/x-trace/i);
    const report = r.structuredContent as { format: string; calls: Record<string, unknown>[] };
    expect(report.format).toBe('cors-lens-report');
    expect(report.calls[0]).toMatchObject({
      outcome: 'blocked',
      chromeError: 'HeaderDisallowedByPreflightResponse',
      failedParameter: 'x-trace',
    });
    const ok = await call('cors_check', {
      url: `${base}/items`,
      origin: APP,
      method: 'PUT',
      headers: ['Content-Type: application/json'],
    });
    expect((ok.structuredContent as { calls: { outcome: string }[] }).calls[0]?.outcome).toBe('allowed');
  });

  it('cors_explain: judges a given exchange without sending anything', async () => {
    seen.length = 0;
    const r = await call('cors_explain', {
      url: 'https://api.example.com/me',
      origin: APP,
      method: 'GET',
      requestHeaders: { Origin: APP, Cookie: 'sid=1', Accept: '*/*' },
      response: {
        status: 200,
        headers: { 'Access-Control-Allow-Origin': '*', 'Content-Type': 'application/json' },
      },
    });
    expect(seen).toEqual([]);
    expect(r.isError).toBeFalsy();
    expect((r.structuredContent as { calls: Record<string, unknown>[] }).calls[0]).toMatchObject({
      outcome: 'blocked',
      chromeError: 'WildcardOriginNotAllowed',
      credentials: 'include',
    });
    expect(text(r)).toMatch(/Cookie header/);
    // A preflight that does not allow the method: the request is never judged.
    const pf = await call('cors_explain', {
      url: 'https://api.example.com/items/1',
      origin: APP,
      method: 'DELETE',
      requestHeaders: ['Origin: https://app.example.com'],
      preflight: {
        status: 204,
        headers: [
          { name: 'Access-Control-Allow-Origin', value: APP },
          { name: 'Access-Control-Allow-Methods', value: 'GET, PUT' },
        ],
      },
      response: { status: 200, headers: {} },
      browser: 'firefox',
    });
    expect((pf.structuredContent as { calls: Record<string, unknown>[] }).calls[0]).toMatchObject({
      outcome: 'blocked',
      browser: 'firefox',
      chromeError: 'MethodDisallowedByPreflightResponse',
    });
  });

  it('cors_probe: at most ten GETs to the one URL, the echoed origin graded critical', async () => {
    seen.length = 0;
    const r = await call('cors_probe', { url: `${base}/me`, origin: APP });
    expect(r.isError).toBeFalsy();
    expect(seen.length).toBeGreaterThan(2);
    expect(seen.length).toBeLessThanOrEqual(10);
    expect(seen.every((s) => s.startsWith('GET /me '))).toBe(true);
    const out = r.structuredContent as { format: string; worst: string; requests: number };
    expect(out).toMatchObject({ format: 'cors-lens-probe', worst: 'critical', requests: seen.length });
    expect(text(r)).toContain('Worst finding: critical.');
  });

  it('cors_explain_har: every cross-origin call of a HAR file', async () => {
    const r = await call('cors_explain_har', { path: HAR });
    expect(r.isError).toBeFalsy();
    const report = r.structuredContent as { format: string; counts: { calls: number; blocked: number } };
    expect(report.format).toBe('cors-lens-report');
    expect(report.counts.calls).toBeGreaterThan(10);
    expect(report.counts.blocked).toBeGreaterThan(0);
    expect(text(r)).toContain(`${report.counts.blocked} blocked`);
  });

  it('bad arguments: a tool error with one sentence, and the server lives on', async () => {
    const cases: [string, Record<string, unknown>, RegExp][] = [
      ['cors_check', { url: `${base}/items` }, /^Missing the argument "origin"\.$/],
      ['cors_check', { url: 'ftp://x/', origin: APP }, /^"url": /],
      ['cors_check', { url: `${base}/items`, origin: 'app.example.com' }, /^"origin": /],
      ['cors_check', { url: `${base}/items`, origin: APP, headers: ['no colon'] }, /^"headers": /],
      ['cors_check', { url: `${base}/items`, origin: APP, browser: 'safari' }, /safari/],
      ['cors_check', { url: `${base}/items`, origin: APP, verbose: true }, /^Unknown argument "verbose"/],
      [
        'cors_explain',
        {
          url: `${base}/x`,
          origin: APP,
          method: 'GET',
          requestHeaders: {},
          response: { status: 'ok', headers: {} },
        },
        /"response\.status" must be an HTTP status/,
      ],
      ['cors_explain_har', { path: '/nonexistent/x.har' }, /no such file/],
      ['cors_nothing', {}, /^Unknown tool "cors_nothing"/],
    ];
    for (const [name, args, message] of cases) {
      const r = await call(name, args);
      expect(r.isError, name).toBe(true);
      expect(text(r), JSON.stringify(args)).toMatch(message);
      expect(text(r).split('\n')).toHaveLength(1);
    }
    expect((await client.listTools()).tools).toHaveLength(4);
    expect(stderr).toBe('');
  });
});
