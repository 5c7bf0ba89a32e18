/**
 * `cors-lens ci` in GitHub Actions: the built command line run with GITHUB_ACTIONS=true and
 * GITHUB_STEP_SUMMARY pointing at a temporary file, against loopback servers whose CORS answers are
 * right, risky and wrong; the workflow commands it printed and the summary it appended are parsed.
 * Plus the escaping rules on hostile values.
 */
import { execFileSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { escapeData, escapeProperty } from '../../src/cli/github';
import { ROOT, runCli } from './run-cli';

const APP = 'https://app.example.com';

let server: Server;
let base = '';
let tmp = '';

const run = (args: string[], env: Record<string, string>) => runCli(args, { env, cwd: tmp });

/** The inverse of the runner's escaping, to read the commands back. */
const unescape = (s: string): string =>
  s
    .replace(/%0D/g, '\r')
    .replace(/%0A/g, '\n')
    .replace(/%3A/g, ':')
    .replace(/%2C/g, ',')
    .replace(/%25/g, '%');

interface Command {
  level: string;
  title: string;
  message: string;
}

function commands(stdout: string): Command[] {
  return stdout
    .split('\n')
    .filter((l) => l.startsWith('::'))
    .map((l) => {
      // A property value must hold no raw ':' or ',' and the message no raw newline: the runner's rules.
      const m = /^::(error|warning) title=([^:,\r\n]*)::([^\r\n]*)$/.exec(l);
      expect(m, l).not.toBeNull();
      return { level: m![1]!, title: unescape(m![2]!), message: unescape(m![3]!) };
    });
}

beforeAll(async () => {
  execFileSync(process.execPath, [join(ROOT, 'scripts', 'build-cli.mjs')], { cwd: ROOT });
  tmp = mkdtempSync(join(tmpdir(), 'cors-lens-gh-'));
  server = createServer((req, res) => {
    req.resume();
    const origin = String(req.headers.origin ?? '');
    const path = (req.url ?? '').split('?')[0];
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (path === '/allowlist' && origin === APP)
      Object.assign(headers, { 'access-control-allow-origin': APP, vary: 'Origin' });
    if (path === '/two-lines') res.setHeader('access-control-allow-origin', [APP, APP]);
    // `*` on a response that sets a cookie: passes, and is risky (the cookie is ignored).
    if (path === '/reflect')
      Object.assign(headers, { 'access-control-allow-origin': '*', 'set-cookie': 'sid=1; Path=/' });
    res.writeHead(200, headers);
    res.end('{}');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 60_000);

afterAll(() => {
  server?.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('escaping (GitHub workflow commands)', () => {
  it('escapes %, CR and LF in messages, and also : and , in properties', () => {
    expect(escapeData('100% done\r\nnext: a, b')).toBe('100%25 done%0D%0Anext: a, b');
    expect(escapeProperty('GET http://h:1/a,b%\n')).toBe('GET http%3A//h%3A1/a%2Cb%25%0A');
    // % first: an already-escaped-looking value is not taken for an escape.
    expect(escapeData('%0A')).toBe('%250A');
  });
});

describe('ci with GITHUB_ACTIONS and GITHUB_STEP_SUMMARY', () => {
  it('one ::error per difference, one ::warning per risky pass, and a summary table', async () => {
    const config = {
      origin: APP,
      checks: [
        { name: 'allowlisted', url: `${base}/allowlist`, expect: 'allowed' },
        {
          name: 'profile, with cookies: 100%',
          url: `${base}/reflect?a=1,2`,
          expect: 'allowed',
        },
        { name: 'no CORS at all', url: `${base}/none`, method: 'PUT', expect: 'allowed' },
      ],
    };
    writeFileSync(join(tmp, 'cors-lens.json'), JSON.stringify(config));
    const summaryFile = join(tmp, 'summary.md');
    writeFileSync(summaryFile, '# earlier step\n\n');
    const r = await run(['ci'], { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summaryFile, NO_COLOR: '1' });
    expect(r.code, r.stderr).toBe(1);
    const cmds = commands(r.stdout);
    expect(cmds.map((c) => c.level)).toEqual(['warning', 'error']);

    const [warning, error] = cmds as [Command, Command];
    expect(warning.title).toBe(`CORS: GET ${base}/reflect?a=1,2`);
    expect(warning.message).toMatch(/^profile, with cookies: 100%: allowed, but /);
    expect(warning.message).toMatch(/Set-Cookie/);

    expect(error.title).toBe(`CORS: PUT ${base}/none`);
    expect(error.message).toMatch(
      /^no CORS at all: expected allowed, got PreflightMissingAllowOriginHeader\. /,
    );
    expect(error.message).toMatch(/Fix: .*Access-Control-Allow-Origin/);

    // Appended, not overwritten; one row per check.
    const md = readFileSync(summaryFile, 'utf8');
    expect(md.startsWith('# earlier step\n\n## CORS Lens\n')).toBe(true);
    expect(md).toContain(
      '**1 of 3 checks differ from their expectation.** 1 passing check has risky findings.',
    );
    const rows = md.split('\n').filter((l) => /^\| (✅|⚠️|❌) \|/.test(l));
    expect(rows.map((l) => l.slice(2, 4).trim())).toEqual(['✅', '⚠️', '❌']);
    expect(rows[2]).toContain('| `allowed` | `PreflightMissingAllowOriginHeader` |');
    // A table row is one line whatever the values hold.
    for (const row of rows) expect(row.split(' | ').length).toBeGreaterThanOrEqual(6);
  }, 60_000);

  it('an unusable config file is an ::error on that file too', async () => {
    writeFileSync(join(tmp, 'broken.json'), '{ "checks": [ { "url": 1 } ] }');
    const r = await run(['ci', 'broken.json'], { GITHUB_ACTIONS: 'true' });
    expect(r.code).toBe(2);
    expect(r.stdout.trim()).toBe(
      '::error file=broken.json,title=CORS Lens%3A config::broken.json: checks[0].url is missing',
    );
    expect(r.stderr).toMatch(/^cors-lens: broken\.json: checks\[0\]\.url is missing/);
    const none = await run(['ci', 'nothing.json'], { GITHUB_ACTIONS: 'true' });
    expect(none.stdout).toMatch(
      /^::error file=nothing\.json,title=CORS Lens%3A config::nothing\.json: no such file/,
    );
  });

  it('outside Actions: no workflow commands; --json stays one JSON document', async () => {
    const plain = await run(['ci'], { NO_COLOR: '1' });
    expect(plain.stdout).not.toMatch(/^::/m);
    const json = await run(['ci', '--json'], { GITHUB_ACTIONS: 'true', NO_COLOR: '1' });
    expect(JSON.parse(json.stdout)).toMatchObject({ format: 'cors-lens-ci', failed: 1, passed: 2 });
  }, 60_000);

  it('--browser firefox judges by Firefox rules and names', async () => {
    // Two Access-Control-Allow-Origin lines: Chrome names them, Firefox joins them into one value.
    const check = { url: `${base}/two-lines`, origin: APP, expect: 'CORSAllowOriginNotMatchingOrigin' };
    // And an allowed call stays allowed under Firefox's rules (it once read as CORSDidNotSucceed).
    const allowed = { url: `${base}/allowlist`, origin: APP, expect: 'allowed' };
    writeFileSync(join(tmp, 'ff.json'), JSON.stringify([check]));
    writeFileSync(join(tmp, 'ff-ok.json'), JSON.stringify([allowed, check]));
    const ff = await run(['ci', 'ff-ok.json', '--browser', 'firefox', '--json'], {});
    expect(ff.code, ff.stdout).toBe(0);
    expect(JSON.parse(ff.stdout)).toMatchObject({ browser: 'firefox', passed: 2 });
    const chrome = await run(['ci', 'ff.json', '--json'], {});
    expect(chrome.code).toBe(1);
    expect(JSON.parse(chrome.stdout)).toMatchObject({
      browser: 'chrome',
      results: [{ actual: expect.stringMatching(/^MultipleAllowOriginValues/) }],
    });
    // A Chrome name still matches the same failure judged by Firefox's rules.
    writeFileSync(join(tmp, 'ff2.json'), JSON.stringify([{ ...check, expect: 'MultipleAllowOriginValues' }]));
    expect((await run(['ci', 'ff2.json', '--browser', 'firefox'], {})).code).toBe(0);
    const bad = await run(['ci', 'ff.json', '--browser', 'safari'], {});
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/safari/);
  }, 60_000);
});
