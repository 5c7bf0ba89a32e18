/**
 * The built command line as a child process (dist/cli/cors-lens.js, rebuilt here): exit codes, the
 * one-line reason on stderr, colour rules, probe against real loopback servers with known origin
 * policies, ci with a config file, har on a real file.
 */
import { execFileSync } from 'node:child_process';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, type CliRun, ROOT, runCli } from './run-cli';

const APP = 'https://app.example.com';

type Run = CliRun;

const run = (args: string[], env: Record<string, string> = {}, cli = CLI): Promise<Run> =>
  runCli(args, { env, cwd: tmp, cli });

type Handler = (req: IncomingMessage, res: ServerResponse) => void;
let server: Server;
let base = '';
let tmp = '';
const routes = new Map<string, Handler>();

function answer(res: ServerResponse, headers: Record<string, string>): void {
  res.writeHead(200, { 'content-type': 'application/json', ...headers });
  res.end('{"user":"alice"}');
}

/** Origin policies as servers really get them wrong (or right). */
function policy(allow: (origin: string) => boolean, credentials: boolean): Handler {
  return (req, res) => {
    const origin = String(req.headers.origin ?? '');
    if (!origin || !allow(origin)) return answer(res, {});
    answer(res, {
      'access-control-allow-origin': origin,
      vary: 'Origin',
      ...(credentials ? { 'access-control-allow-credentials': 'true' } : {}),
    });
  };
}

beforeAll(async () => {
  execFileSync(process.execPath, [join(ROOT, 'scripts', 'build-cli.mjs')], { cwd: ROOT });
  tmp = mkdtempSync(join(tmpdir(), 'cors-lens-cli-test-'));
  // Two Access-Control-Allow-Origin lines: Chrome names them, Firefox joins them into one value.
  routes.set('/two-lines', (_req, res) => {
    res.setHeader('access-control-allow-origin', [APP, APP]);
    res.setHeader('content-type', 'text/plain');
    res.end('x');
  });
  routes.set(
    '/allowlist',
    policy((o) => o === APP, true),
  );
  routes.set(
    '/reflect',
    policy(() => true, true),
  );
  // The classic: /example\.com$/ also matches attackerexample.com.
  routes.set(
    '/suffix-regex',
    policy((o) => /example\.com$/.test(o), true),
  );
  routes.set(
    '/null',
    policy((o) => o === APP || o === 'null', true),
  );
  routes.set('/star', (_req, res) => answer(res, { 'access-control-allow-origin': '*' }));
  // A preflight answered with `*` and no methods: without credentials the method check fails, with
  // credentials the origin check (before it) already does.
  routes.set('/star-preflight', (req, res) => {
    if (req.method === 'OPTIONS') {
      res.writeHead(204, { 'access-control-allow-origin': '*' });
      return res.end();
    }
    answer(res, { 'access-control-allow-origin': '*' });
  });
  routes.set('/put', (req, res) => {
    if (req.method === 'OPTIONS') {
      res.writeHead(204, {
        'access-control-allow-origin': APP,
        'access-control-allow-methods': 'PUT',
        'access-control-allow-headers': 'x-ok',
      });
      return res.end();
    }
    answer(res, { 'access-control-allow-origin': APP });
  });
  // Python's http.server: no CORS, and OPTIONS is not implemented (501).
  routes.set('/simplehttp', (req, res) => {
    res.writeHead(req.method === 'OPTIONS' ? 501 : 200, {
      server: 'SimpleHTTP/0.6 Python/3.11.2',
      'content-type': 'text/html',
    });
    res.end('<html></html>');
  });
  server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    req.resume();
    const h = routes.get(path);
    if (h) h(req, res);
    else {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server?.closeAllConnections();
  await new Promise<void>((r) => server?.close(() => r()));
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

/** An ANSI escape sequence (colour). */
const ANSI = new RegExp(`${String.fromCharCode(27)}\\[`);

const noStack = (s: string) => expect(s).not.toMatch(/\n\s+at |Error:|node:internal/);

describe('usage and exit codes', () => {
  it('prints help (global and per command) and the version, exit 0', async () => {
    const g = await run(['--help']);
    expect(g.code).toBe(0);
    expect(g.stdout).toMatch(/cors-lens check <url> --origin <origin>/);
    // No command: a script must tell it from success. The usage goes to stderr, exit 2.
    const none = await run([]);
    expect(none).toMatchObject({ code: 2, stdout: '' });
    expect(none.stderr).toMatch(/^Usage\n {2}cors-lens check <url> --origin <origin>/);
    const unknown = await run(['frobnicate']);
    expect(unknown.stderr).toMatch(/^cors-lens: unknown command "frobnicate"\n\nUsage\n/);
    for (const cmd of ['check', 'probe', 'har', 'ci']) {
      const r = await run([cmd, '--help']);
      expect(r.code, cmd).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`^cors-lens ${cmd}`));
    }
    const v = await run(['--version']);
    expect(v).toMatchObject({ code: 0, stdout: expect.stringMatching(/^\d+\.\d+\.\d+\n$/), stderr: '' });
  });

  it.each([
    [['check', 'http://127.0.0.1:9/x', '--origin', 'https://app.example.com/path'], /--origin: .*has a path/],
    [['check', 'http://127.0.0.1:9/x', '--origin', 'app.example.com'], /--origin: .*is not an origin/],
    [['check', 'ftp://127.0.0.1/x', '--origin', APP], /not an http\(s\) URL/],
    [['check', 'http://127.0.0.1:9/x'], /missing --origin/],
    [
      ['check', 'http://127.0.0.1:9/x', '--origin', APP, '--browser', 'safari'],
      /not a browser this tool knows/,
    ],
    [['check', 'http://127.0.0.1:9/x', '--origin', APP, '--header', 'nonsense'], /--header: .*not a header/],
    [['check', 'http://127.0.0.1:9/x', '--origin', APP, '--method', 'TRACE'], /refuse the method TRACE/],
    [['check', 'http://127.0.0.1:9/x', '--origin', APP, '--json', '--markdown'], /exclude each other/],
    [['check', 'http://127.0.0.1:9/x', '--origin', APP, '--frobnicate'], /Unknown option '--frobnicate'/],
    [['frobnicate'], /unknown command "frobnicate"/],
    [['probe', 'mailto:x@y', '--origin', APP], /not an http\(s\) URL/],
  ])('usage error %j: exit 2, one reason, no stack', async (args, message) => {
    const r = await run(args);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.split('\n')[0]).toMatch(message);
    noStack(r.stderr);
  });

  it('an unreachable URL is a network failure: exit 2, one line naming net::ERR_CONNECTION_REFUSED', async () => {
    const dead = createServer();
    await new Promise<void>((r) => dead.listen(0, '127.0.0.1', r));
    const port = (dead.address() as AddressInfo).port;
    await new Promise<void>((r) => dead.close(() => r()));
    const r = await run(['check', `http://127.0.0.1:${port}/x`, '--origin', APP]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^cors-lens: net::ERR_CONNECTION_REFUSED for http:\/\/127\.0\.0\.1:\d+\/x/);
    noStack(r.stderr);
    const p = await run(['probe', `http://127.0.0.1:${port}/x`, '--origin', APP, '--json']);
    expect(p.code).toBe(2);
    expect(p.stderr).toMatch(/net::ERR_CONNECTION_REFUSED/);
  });

  it('a HAR that is not JSON, truncated, or missing: exit 2 with the reason', async () => {
    writeFileSync(join(tmp, 'text.har'), 'this is not json');
    writeFileSync(join(tmp, 'cut.har'), '{"log": {"version": "1.2", "entries": [{"request": {"url": "http');
    for (const [file, msg] of [
      ['text.har', /text\.har: not valid JSON/],
      ['cut.har', /cut\.har: not valid JSON: the file ends early \(truncated\?\)/],
      ['missing.har', /missing\.har: no such file/],
    ] as const) {
      const r = await run(['har', file]);
      expect(r.code, file).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(msg);
      noStack(r.stderr);
    }
  });
});

describe('check', () => {
  it('allowed: exit 0; blocked: exit 1 with the verdict, the explanation and the fix', async () => {
    const ok = await run(['check', `${base}/put`, '--origin', APP, '-X', 'PUT', '-H', 'X-Ok: 1']);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/^Allowed/);
    const bad = await run(['check', `${base}/put`, '--origin', APP, '-X', 'PUT', '-H', 'X-Nope: 1']);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/Chrome error HeaderDisallowedByPreflightResponse · failed parameter x-nope/);
    expect(bad.stdout).toMatch(/\nWhy\n/);
    expect(bad.stdout).toMatch(/\nFix\n/);
    expect(bad.stdout).toMatch(/preflight +OPTIONS .*\/put → 204/);
    expect(bad.stdout).toMatch(/request +PUT .*\/put → not sent/);
  });

  it('--json is the documented report for one call; --markdown the ticket', async () => {
    const j = await run(['check', `${base}/put`, '--origin', APP, '-X', 'PUT', '-H', 'X-Nope: 1', '--json']);
    const report = JSON.parse(j.stdout);
    expect(report).toMatchObject({
      format: 'cors-lens-report',
      version: 1,
      scope: 'call',
      counts: { calls: 1, blocked: 1 },
    });
    expect(report.calls[0]).toMatchObject({
      chromeError: 'HeaderDisallowedByPreflightResponse',
      failedParameter: 'x-nope',
      preflighted: true,
    });
    expect(report.calls[0].exchange.legs[0].preflight.requestHeaders).toContainEqual({
      name: 'Access-Control-Request-Headers',
      value: 'x-nope',
    });
    const m = await run([
      'check',
      `${base}/put`,
      '--origin',
      APP,
      '-X',
      'PUT',
      '-H',
      'X-Nope: 1',
      '--markdown',
    ]);
    expect(m.stdout).toMatch(/^## Blocked: PUT /);
    expect(m.stdout).toMatch(/\| Chrome's error \| `HeaderDisallowedByPreflightResponse` \|/);
  });

  it('--credentials: the failure of the credentialed reading is named, not the one without', async () => {
    const args = ['check', `${base}/star-preflight`, '--origin', APP, '--method', 'PUT', '--json'];
    const chromeErrorOf = (r: Run) =>
      (JSON.parse(r.stdout) as { calls: { chromeError?: string }[] }).calls[0]?.chromeError;
    const omit = await run(args);
    expect(omit.code).toBe(1);
    expect(chromeErrorOf(omit)).toBe('MethodDisallowedByPreflightResponse');
    const include = await run([...args, '--credentials']);
    expect(include.code).toBe(1);
    expect(chromeErrorOf(include)).toBe('PreflightWildcardOriginNotAllowed');
  });

  it("--browser firefox judges the same answer by Firefox's rules (its reason name)", async () => {
    const chrome = JSON.parse((await run(['check', `${base}/two-lines`, '--origin', APP, '--json'])).stdout);
    expect(chrome.calls[0]).toMatchObject({ browser: 'chrome', chromeError: 'MultipleAllowOriginValues' });
    const r = await run(['check', `${base}/two-lines`, '--origin', APP, '--browser', 'firefox', '--json']);
    expect(r.code).toBe(1);
    const firefox = JSON.parse(r.stdout);
    expect(firefox.calls[0]).toMatchObject({ browser: 'firefox', outcome: 'blocked' });
    expect(firefox.calls[0].firefoxReason.name).toBe('CORSAllowOriginNotMatchingOrigin');
    // The text names Firefox's reason and console message as Firefox's, not as Chrome's.
    const text = await run(['check', `${base}/two-lines`, '--origin', APP, '--browser', 'firefox']);
    expect(text.stdout).toContain('Firefox reason CORSAllowOriginNotMatchingOrigin · Chrome error');
    expect(text.stdout).toMatch(/Firefox's console message:\n {2}Cross-Origin Request Blocked/);
    expect(text.stdout).not.toContain("Chrome's console message");
  });

  it('no colour without a TTY or with NO_COLOR; colour when forced', async () => {
    const args = ['check', `${base}/star`, '--origin', APP];
    expect((await run(args)).stdout).not.toMatch(ANSI);
    expect((await run(args, { NO_COLOR: '1', FORCE_COLOR: '1' })).stdout).not.toMatch(ANSI);
    expect((await run(args, { FORCE_COLOR: '1' })).stdout).toMatch(ANSI);
  });
});

describe('probe against real servers', () => {
  const probe = async (path: string) => {
    const r = await run(['probe', `${base}${path}`, '--origin', APP, '--json']);
    const out = JSON.parse(r.stdout) as {
      worst: string;
      requests: number;
      results: { id: string; severity: string }[];
    };
    const found = out.results.filter((x) => x.severity !== 'none').map((x) => `${x.id}:${x.severity}`);
    return { code: r.code, worst: out.worst, found, requests: out.requests };
  };

  it('an allowlist: no finding, exit 0', async () => {
    expect(await probe('/allowlist')).toEqual({ code: 0, worst: 'none', found: [], requests: 9 });
  });
  it('a reflecting server with credentials: critical, exit 1', async () => {
    const r = await probe('/reflect');
    expect(r.code).toBe(1);
    expect(r.worst).toBe('critical');
    expect(r.found).toEqual([
      'unrelated:critical',
      'null:critical',
      'prefix:critical',
      'suffix:critical',
      'site-suffix:critical',
      'unescaped-dot:critical',
      'subdomain:high',
      'http-twin:high',
    ]);
  });
  it('a suffix-matching regular expression: the suffix look-alikes are found', async () => {
    const r = await probe('/suffix-regex');
    expect(r.code).toBe(1);
    // appxexample.com ends in example.com too.
    expect(r.found).toEqual([
      'suffix:critical',
      'site-suffix:critical',
      'unescaped-dot:critical',
      'subdomain:high',
      'http-twin:high',
    ]);
  });
  it('null allowed: found', async () => {
    const r = await probe('/null');
    expect(r.found).toEqual(['null:critical']);
    expect(r.code).toBe(1);
  });
  it('* without credentials: no critical finding, exit 0', async () => {
    const r = await probe('/star');
    expect(r.code).toBe(0);
    expect(r.worst).toBe('info');
    expect(r.found.every((f) => f.endsWith(':info'))).toBe(true);
  });
  it('lists every origin before sending, and sends no more requests than listed', async () => {
    let hits = 0;
    routes.set('/count', (req, res) => {
      hits++;
      policy(() => false, false)(req, res);
    });
    const r = await run(['probe', `${base}/count`, '--origin', APP]);
    const listed = r.stdout
      .split('\n\n')[0]!
      .split('\n')
      .filter((l) => /^ {2}\S/.test(l));
    expect(listed).toHaveLength(9);
    expect(hits).toBe(9);
  });
});

describe('ci', () => {
  it('passes when every check is as expected, fails (exit 1) on a difference', async () => {
    const good = {
      origin: APP,
      checks: [
        { name: 'put ok', url: `${base}/put`, method: 'PUT', headers: { 'X-Ok': '1' }, expect: 'allowed' },
        {
          url: `${base}/put`,
          method: 'PUT',
          headers: ['X-Nope: 1'],
          expect: 'HeaderDisallowedByPreflightResponse',
          failedParameter: 'x-nope',
        },
        { url: `${base}/star`, credentials: true, expect: 'WildcardOriginNotAllowed' },
      ],
    };
    writeFileSync(join(tmp, 'cors-lens.json'), JSON.stringify(good));
    const ok = await run(['ci']);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/All 3 checks as expected/);
    const bad = {
      ...good,
      checks: [
        ...good.checks,
        { name: 'star is allowed with cookies?', url: `${base}/star`, credentials: true, expect: 'allowed' },
      ],
    };
    writeFileSync(join(tmp, 'bad.json'), JSON.stringify(bad));
    const r = await run(['ci', 'bad.json', '--json']);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ format: 'cors-lens-ci', passed: 3, failed: 1 });
    expect(out.results[3]).toMatchObject({
      ok: false,
      expect: 'allowed',
      actual: 'WildcardOriginNotAllowed',
    });
  });
  it('an invalid config is exit 2 with the place of the mistake', async () => {
    writeFileSync(
      join(tmp, 'broken.json'),
      JSON.stringify({ checks: [{ url: `${base}/x`, expect: 'allowed' }] }),
    );
    const r = await run(['ci', 'broken.json']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/broken\.json: checks\[0\]\.origin is missing/);
    const none = await run(['ci', 'nothing-here.json']);
    expect(none.code).toBe(2);
  });
});

describe('the fix in the terminal', () => {
  const putJson = (path: string, ...more: string[]) =>
    run([
      'check',
      `${base}${path}`,
      '--origin',
      APP,
      '-X',
      'PUT',
      '-H',
      'Content-Type: application/json',
      ...more,
    ]);

  it('a PUT of JSON to a server without CORS: the complete header set, and no stack guessed', async () => {
    const r = await putJson('/simplehttp');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`[both] Access-Control-Allow-Origin: ${APP}`);
    expect(r.stdout).toContain('[preflight] Access-Control-Allow-Methods: GET, POST, PUT');
    expect(r.stdout).toContain('[preflight] Access-Control-Allow-Headers: Content-Type');
    expect(r.stdout).toContain('[preflight] Status: 204 No Content');
    expect(r.stdout).toMatch(/Server stack: unknown\. Nothing in the responses points at one/);
    // No stack's code is shown as if it were this server's.
    expect(r.stdout).not.toMatch(/require\('cors'\)|app\.use|add_header/);
    expect(r.stdout).toMatch(/\n {2}Notes:\n {2}- Add every origin/);
  });

  it('--stack picks the recipe and prints its notes; an unknown name is a usage error listing the valid ones', async () => {
    const r = await putJson('/simplehttp', '--stack', 'flask');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('Flask (Flask-CORS) (--stack flask):');
    expect(r.stdout).toContain('methods=["GET", "POST", "PUT"]');
    expect(r.stdout).toContain('allow_headers=["Content-Type"]');
    expect(r.stdout).toMatch(/- Flask-CORS adds the headers to error responses too/);
    const bad = await putJson('/simplehttp', '--stack', 'rails');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--stack: unknown stack "rails"; valid: express, fastify, koa,');
    noStack(bad.stderr);
    const help = await run(['har', '--help']);
    expect(help.stdout).toContain('--stack <name>');
    expect(help.stdout).toContain('cloudflare-workers');
  });
});

/** A Chrome HAR entry: a preflight or the request it guarded (which failed). */
function harEntry(
  method: string,
  url: string,
  headers: Record<string, string>,
  status: number,
  resHeaders: Record<string, string>,
  preflight = false,
) {
  const list = (h: Record<string, string>) => Object.entries(h).map(([name, value]) => ({ name, value }));
  return {
    startedDateTime: '2026-11-30T07:41:48.665Z',
    time: 3,
    request: {
      method,
      url,
      httpVersion: 'HTTP/1.1',
      headers: list(headers),
      queryString: [],
      cookies: [],
      headersSize: -1,
      bodySize: 0,
    },
    response: {
      status,
      statusText: '',
      httpVersion: status ? 'http/1.1' : '',
      headers: list(resHeaders),
      cookies: [],
      content: { size: 0, mimeType: 'x-unknown' },
      redirectURL: '',
      headersSize: -1,
      bodySize: -1,
      ...(status ? {} : { _error: 'net::ERR_FAILED' }),
    },
    cache: {},
    timings: { send: 0, wait: 1, receive: 0 },
    _resourceType: preflight ? 'preflight' : 'fetch',
  };
}

describe('har', () => {
  it("a file Firefox wrote: its rows and details name Firefox's reasons and console messages", async () => {
    const r = await run(['har', join(ROOT, 'test', 'fixtures', 'har', 'firefox-153.8.har')]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      /^BLOCKED {2}GET .*\n {9}No Access-Control-Allow-Origin .* \[CORSMissingAllowOrigin\]$/m,
    );
    expect(r.stdout).toMatch(/\[CORSMethodNotFound: DELETE\]$/m);
    expect(r.stdout).not.toMatch(/\[MissingAllowOriginHeader\]/);
    expect(r.stdout).toContain(
      'Firefox reason CORSMissingAllowOrigin · Chrome error MissingAllowOriginHeader',
    );
    expect(r.stdout).not.toContain("Chrome's console message");
    expect(r.stdout).not.toContain('net::ERR_FAILED');
  });

  it('one recipe per API origin: the blocked calls to one server share one merged configuration', async () => {
    const api = 'https://api.example.net';
    const entries = [
      ['PUT', `${api}/v1/items/1`, 'x-a'],
      ['DELETE', `${api}/v1/items/2`, 'x-b'],
    ].flatMap(([method, url, header]) => [
      harEntry(
        'OPTIONS',
        url!,
        { Origin: APP, 'Access-Control-Request-Method': method!, 'Access-Control-Request-Headers': header! },
        204,
        { server: 'nginx/1.25.3' },
        true,
      ),
      harEntry(method!, url!, { Origin: APP, [header!]: '1' }, 0, {}),
    ]);
    const file = join(tmp, 'one-api.har');
    writeFileSync(
      file,
      JSON.stringify({
        log: { version: '1.2', creator: { name: 'WebInspector', version: '537.36' }, pages: [], entries },
      }),
    );
    const r = await run(['har', file]);
    expect(r.code).toBe(1);
    expect(r.stdout.match(/^BLOCKED/gm)).toHaveLength(2);
    expect(r.stdout.match(/Fix for /g)).toHaveLength(1);
    expect(r.stdout).toContain(`Fix for ${api} (2 blocked calls)`);
    expect(r.stdout.match(/map \$http_origin/g)).toHaveLength(1);
    expect(r.stdout).toContain('add_header Access-Control-Allow-Methods "GET, POST, PUT, DELETE" always;');
    expect(r.stdout).toContain('add_header Access-Control-Allow-Headers "X-A, X-B" always;');
    // Credentials unknown (a HAR does not say): the recipe's option points at a note, which is printed.
    const express = await run(['har', file, '--stack', 'express']);
    expect(express.stdout).toContain('(--stack express):');
    expect(express.stdout).toContain('(see the note)');
    expect(express.stdout).toMatch(/\n {2}- Credentials are an option here/);
  });

  it('explains the recorded Chromium HAR: exit 1 (some calls blocked), a row per call', async () => {
    const r = await run(['har', join(ROOT, 'test', 'fixtures', 'har', 'chromium-scenarios.har')]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/\(written by Chrome DevTools[^)]*\)\), \d+ cross-origin calls, \d+ blocked/);
    expect(r.stdout).toMatch(/^BLOCKED +PUT /m);
    expect(r.stdout).toMatch(/note: No request in this file carries a Cookie header/);
  });

  it('applies the cross-call rules: one API answering two origins without Vary is a warning', async () => {
    const entry = (origin: string) => ({
      startedDateTime: '2026-12-07T10:00:00.000Z',
      time: 5,
      request: {
        method: 'GET',
        url: 'https://api.example.net/items',
        httpVersion: 'HTTP/1.1',
        headers: [{ name: 'Origin', value: origin }],
        queryString: [],
        cookies: [],
        headersSize: -1,
        bodySize: 0,
      },
      response: {
        status: 200,
        statusText: 'OK',
        httpVersion: 'HTTP/1.1',
        headers: [{ name: 'Access-Control-Allow-Origin', value: origin }],
        cookies: [],
        content: { size: 2, mimeType: 'application/json' },
        redirectURL: '',
        headersSize: -1,
        bodySize: 2,
      },
      cache: {},
      timings: { send: 0, wait: 5, receive: 0 },
    });
    const har = (origins: string[]) => {
      const file = join(tmp, `vary-${origins.length}.har`);
      writeFileSync(
        file,
        JSON.stringify({
          log: { version: '1.2', creator: { name: 'test', version: '1' }, entries: origins.map(entry) },
        }),
      );
      return file;
    };
    const severities = async (file: string) => {
      const r = await run(['har', file, '--json']);
      const calls = (JSON.parse(r.stdout) as { calls: { findings: { id: string; severity: string }[] }[] })
        .calls;
      return calls.map((c) => c.findings.find((f) => f.id === 'missing-vary-origin')?.severity);
    };
    expect(await severities(har([APP]))).toEqual(['info']);
    expect(await severities(har([APP, 'https://admin.example.org']))).toEqual(['warning', 'warning']);
  });
});

describe('the launcher and its code cache', () => {
  const check = () => ['check', `${base}/put`, '--origin', APP, '--method', 'PUT', '--json'];
  const debug = { CORS_LENS_DEBUG: '1' };
  /** The built dist/cli in a folder of its own, so its cache can be damaged without touching dist/. */
  function copyOfBuild(name: string): string {
    const dir = join(tmp, name);
    cpSync(join(ROOT, 'dist', 'cli'), dir, { recursive: true });
    return dir;
  }
  /** What the user reads (the timings of the two runs differ). */
  const verdictOf = (r: Run) =>
    (JSON.parse(r.stdout) as { calls: Record<string, unknown>[] }).calls.map((c) => [
      c.outcome,
      c.chromeError,
      c.title,
      c.explanation,
      c.findings,
      c.fix,
    ]);

  it('the build leaves a cache this Node accepts', async () => {
    const r = await run(check(), debug);
    expect(r.stderr).toMatch(/^cors-lens: code cache used$/m);
    expect(r.code).toBe(0);
    expect(verdictOf(r)[0]?.[0]).toBe('allowed');
  });

  it('a damaged or missing cache is rejected or skipped, and the verdict is the same', async () => {
    const good = await run(check(), {});
    const damaged = copyOfBuild('damaged');
    writeFileSync(join(damaged, 'main.js.cache'), Buffer.alloc(4096, 7));
    const r1 = await run(check(), debug, join(damaged, 'cors-lens.js'));
    expect(r1.stderr).toMatch(/^cors-lens: code cache rejected$/m);
    const missing = copyOfBuild('missing');
    rmSync(join(missing, 'main.js.cache'));
    const r2 = await run(check(), debug, join(missing, 'cors-lens.js'));
    expect(r2.stderr).toMatch(/^cors-lens: code cache absent$/m);
    for (const r of [r1, r2]) {
      expect(r.code).toBe(good.code);
      expect(verdictOf(r)).toEqual(verdictOf(good));
    }
  });
});
