/**
 * The command line against hostile input: a HAR full of terminal escapes, bidi overrides and Markdown
 * (test/fixtures/hostile), a 1 MB header value and 10,000 headers, servers on loopback that send
 * control bytes, never answer, trickle their headers, send 100 KB of them or an endless body, and a
 * probe target that drops half the forged origins. The command line is bundled here from src/cli
 * (into a temporary folder, so that this file and cli.test.ts never write the same dist/).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectPrintable, expectSafeMarkdown, withoutSgr } from '../fixtures/hostile/check';
import { HOSTILE, hostileHar } from '../fixtures/hostile/corpus';
import { rawServer, utf8Bytes, writeHead, type RawServer } from './hostile-servers';
import { type CliRun, ROOT, runCli } from './run-cli';

const HAR = join(ROOT, 'test', 'fixtures', 'hostile', 'hostile.har');
const APP = 'https://app.example';
let tmp = '';
let cli = '';

type Run = CliRun;

const run = (args: string[], env: Record<string, string> = {}): Promise<Run> =>
  runCli(args, { env: { NO_COLOR: '1', ...env }, cwd: tmp, cli });

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'cors-lens-hostile-'));
  cli = join(tmp, 'cors-lens.cjs');
  await build({
    entryPoints: [join(ROOT, 'src', 'cli', 'main.ts')],
    outfile: cli,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    logLevel: 'warning',
    define: { __CORS_LENS_VERSION__: '"0.0.0-test"' },
  });
}, 60_000);
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

// Child processes and servers on a busy 2-core machine: generous budgets, the real limits are asserted.
describe('har on a hostile file', { timeout: 60_000 }, () => {
  it('text output, plain and in colour, carries no raw control or bidi character', async () => {
    for (const env of [{}, { FORCE_COLOR: '1', NO_COLOR: '' }] as Record<string, string>[]) {
      const r = await run(['har', HAR], env);
      expect(r.code).toBe(1);
      expectPrintable(withoutSgr(r.stdout), `har text ${JSON.stringify(env)}`);
      expectPrintable(r.stderr, 'har stderr');
      // Shown escaped, not dropped.
      expect(r.stdout).toContain('\\x1b]0;pwned\\x07');
      expect(r.stdout).toContain('\\u202e');
    }
  });

  it('--markdown is printable and opens no link, image, HTML or table cell', async () => {
    for (const redact of [[], ['--no-redact']]) {
      const r = await run(['har', HAR, '--markdown', ...redact]);
      expect(r.code).toBe(1);
      expectSafeMarkdown(r.stdout, `har --markdown ${redact.join(' ')}`);
      expect(r.stdout).toContain('\\x1b[2J');
    }
  });

  it('--json keeps every value exactly', async () => {
    const r = await run(['har', HAR, '--json', '--no-redact']);
    const report = JSON.parse(r.stdout) as { calls: { exchange: { legs: { url: string }[] } }[] };
    const urls = report.calls.map((c) => c.exchange.legs[0]?.url);
    expect(urls).toContain(`https://api.example/a?q=${HOSTILE.title}${HOSTILE.clear}`);
  });

  it(
    'a 1 MB header value and 10,000 headers: printable text and Markdown',
    { timeout: 120_000 },
    async () => {
      for (const [name, size, render] of [
        ['small', { bigValue: 64 * 1024, manyHeaders: 1000 }, true],
        ['big', { bigValue: 1 << 20, manyHeaders: 10_000 }, false],
      ] as const) {
        const file = join(tmp, `${name}.har`);
        writeFileSync(file, hostileHar(size));
        const text = await run(['har', file]);
        expect(text.stderr).toBe('');
        expectPrintable(text.stdout, `${name} har text`);
        const md = await run(['har', file, '--markdown']);
        expect(md.stdout.length).toBeGreaterThan(size.bigValue);
        expectSafeMarkdown(md.stdout, `${name} har markdown`, { render });
      }
    },
  );
});

describe('check against hostile servers (raw sockets)', { timeout: 30_000 }, () => {
  const servers: RawServer[] = [];
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.close()));
  });
  const serve = async (answer: Parameters<typeof rawServer>[0]) => {
    const s = await rawServer(answer);
    servers.push(s);
    return s;
  };

  it('control bytes in the status line and header values: printable text and Markdown, exact JSON', async () => {
    // What Node's HTTP client still accepts: ESC in the reason phrase, C1 bytes (CSI 0x9b), UTF-8
    // bidi overrides (bytes 0xe2 0x80 0xae) and tabs in values.
    const acao = `${HOSTILE.csi8}${utf8Bytes(HOSTILE.bidi)}\t${HOSTILE.link}${HOSTILE.html}`;
    const s = await serve((_req, socket) => {
      writeHead(socket, `HTTP/1.1 200 O${HOSTILE.title}K`, [
        ['Access-Control-Allow-Origin', acao],
        ['X-Evil', `${HOSTILE.backticks}${HOSTILE.pipes}\u0085`],
        ['Content-Length', '0'],
      ]);
      socket.end();
    });
    const args = ['check', `${s.url}/x`, '--origin', APP];
    const text = await run(args);
    expect(text.code).toBe(1);
    expectPrintable(text.stdout, 'check text');
    expect(text.stdout).toContain('\\x9b31mred');
    const md = await run([...args, '--markdown']);
    expectSafeMarkdown(md.stdout, 'check --markdown');
    const json = JSON.parse((await run([...args, '--json'])).stdout) as {
      calls: { exchange: { legs: { response: { headers: { name: string; value: string }[] } }[] } }[];
    };
    const got = json.calls[0]?.exchange.legs[0]?.response.headers.find(
      (h) => h.name === 'Access-Control-Allow-Origin',
    );
    expect(got?.value).toBe(acao);
  });

  it('a server that never answers: one line naming the timeout, within it', async () => {
    const s = await serve(() => undefined);
    const r = await run(['check', `${s.url}/x`, '--origin', APP, '--timeout', '800']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/net::ERR_TIMED_OUT .*within 800 ms/);
    expect(r.ms).toBeLessThan(800 + 5_000);
  });

  it('a server that trickles its headers: the timeout covers the whole head', async () => {
    const s = await serve((_req, socket) => {
      const head = 'HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: https://app.example\r\n';
      let i = 0;
      const t = setInterval(() => {
        if (socket.destroyed || i >= head.length) return clearInterval(t);
        socket.write(head[i++] ?? '');
      }, 100);
      socket.on('close', () => clearInterval(t));
    });
    const r = await run(['check', `${s.url}/x`, '--origin', APP, '--timeout', '1000']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/net::ERR_TIMED_OUT .*within 1000 ms/);
  });

  it('100 KB of headers: a verdict from them', async () => {
    const s = await serve((_req, socket) => {
      const many: [string, string][] = [];
      for (let i = 0; i < 1000; i++) many.push([`X-Filler-${i}`, 'x'.repeat(90)]);
      writeHead(socket, 'HTTP/1.1 200 OK', [
        ...many,
        ['Access-Control-Allow-Origin', APP],
        ['Content-Length', '0'],
      ]);
      socket.end();
    });
    const r = await run(['check', `${s.url}/x`, '--origin', APP, '--timeout', '5000']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Allowed/);
  });

  it('a body of gigabytes: the verdict from the headers, the body never read', async () => {
    const s = await serve((_req, socket, stats) => {
      stats.written += writeHead(socket, 'HTTP/1.1 200 OK', [
        ['Access-Control-Allow-Origin', APP],
        ['Content-Type', 'application/octet-stream'],
        ['Content-Length', String(8 * 1024 ** 3)],
      ]);
      const chunk = Buffer.alloc(64 * 1024, 0x61);
      const pump = () => {
        while (!socket.destroyed && socket.write(chunk)) stats.written += chunk.length;
      };
      socket.on('drain', pump);
      socket.on('close', () => stats.closedByClient++);
      pump();
    });
    const r = await run(['check', `${s.url}/x`, '--origin', APP, '--timeout', '5000']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Allowed/);
    await expect.poll(() => s.stats.closedByClient, { timeout: 10_000 }).toBe(1);
    expect(s.stats.written).toBeLessThan(64 * 1024 ** 2);
  });
});

describe('probe that tested too little', { timeout: 30_000 }, () => {
  it('a server that drops half the forged origins: inconclusive, the dropped ones named, exit 2', async () => {
    let forged = 0;
    const s = await rawServer((req, socket) => {
      const origin = req.headers.get('origin') ?? '';
      if (origin !== APP && forged++ % 2 === 0) {
        socket.destroy();
        return;
      }
      const grant = origin === APP ? [['Access-Control-Allow-Origin', APP] as [string, string]] : [];
      writeHead(socket, 'HTTP/1.1 200 OK', [...grant, ['Vary', 'Origin'], ['Content-Length', '0']]);
      socket.end();
    });
    try {
      const r = await run(['probe', `${s.url}/me`, '--origin', APP, '--timeout', '2000']);
      expect(r.code).toBe(2);
      expect(r.stdout).toMatch(/timeout 2000 ms each, 60000 ms in all/);
      expect(r.stdout).toMatch(/Inconclusive: 4 of 7 forged origins not tested/);
      expect(r.stdout).not.toMatch(/No forged origin may read/);
      expect(r.stderr).toMatch(
        /^cors-lens: probe inconclusive: 4 of 7 forged origins not tested: https:\/\/attacker\.example \(net::ERR_/,
      );
      forged = 0;
      const json = JSON.parse((await run(['probe', `${s.url}/me`, '--origin', APP, '--json'])).stdout) as {
        inconclusive: boolean;
        untested: { origin: string }[];
      };
      expect(json.inconclusive).toBe(true);
      expect(json.untested).toHaveLength(4);
    } finally {
      await s.close();
    }
  });

  it('429 and 5xx answers are not tests; the total time limit stops the run and says so', async () => {
    let n = 0;
    const s = await rawServer((req, socket) => {
      const origin = req.headers.get('origin') ?? '';
      if (origin === APP) {
        writeHead(socket, 'HTTP/1.1 200 OK', [
          ['Access-Control-Allow-Origin', APP],
          ['Content-Length', '0'],
        ]);
        socket.end();
        return;
      }
      n++;
      if (n === 1) writeHead(socket, 'HTTP/1.1 429 Too Many Requests', [['Content-Length', '0']]);
      else if (n === 2) writeHead(socket, 'HTTP/1.1 503 Unavailable', [['Content-Length', '0']]);
      else return; // never answers: the per-request timeout, then the total limit
      socket.end();
    });
    try {
      const r = await run([
        'probe',
        `${s.url}/me`,
        '--origin',
        APP,
        '--timeout',
        '500',
        '--total-timeout',
        '1500',
      ]);
      expect(r.code).toBe(2);
      expect(r.stdout).toMatch(/timeout 500 ms each, 1500 ms in all/);
      expect(r.stdout).toMatch(/^untested https:\/\/attacker\.example\n/m);
      expect(r.stdout).toContain('not tested: the server answered 429 Too Many Requests');
      expect(r.stdout).toContain('the server answered 503');
      expect(r.stdout).toContain('not sent: the total time limit of 1500 ms was reached');
      expect(r.ms).toBeLessThan(1500 + 5_000);
    } finally {
      await s.close();
    }
  });
});

it('the hostile HAR in the repository is what corpus.ts writes', () => {
  expect(readFileSync(HAR, 'utf8')).toBe(hostileHar() + '\n');
});
