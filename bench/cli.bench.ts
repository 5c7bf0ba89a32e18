/**
 * The command line, as a user runs it (a new Node process each time, the built bundle):
 * - `cors-lens check` of a loopback endpoint: wall time from spawn to exit, median of N runs;
 * - `cors-lens har` on a generated 10,000-entry Chrome-shaped HAR: wall time and the child's peak RSS.
 * Prints figures only (targets: check < 150 ms, har < 2 s and < 200 MB).
 */
import { execFileSync, spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const CLI = join(ROOT, 'dist', 'cli', 'cors-lens.js');
const RUNS = Number(process.env.CLI_BENCH_RUNS ?? 21);
const ENTRIES = 10_000;
/** Prints the child's peak RSS (kB) on stderr at exit, without touching the CLI. */
const RSS_HOOK =
  'data:text/javascript,process.on("exit",()=>process.stderr.write("\\nmaxrss-kb="+process.resourceUsage().maxRSS+"\\n"))';

function spawnTimed(args: string[]): Promise<{ ms: number; code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, args, {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, NO_COLOR: '1' },
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ ms: performance.now() - t0, code, stderr }));
  });
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
};
const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))] as number;

/** A Chrome DevTools-shaped HAR: allowed GETs, preflighted PUTs, blocked GETs and failed preflights. */
function generateHar(n: number): string {
  const page = 'http://127.0.0.1:8801';
  const api = 'http://127.0.0.1:8802';
  const t0 = Date.parse('2026-01-01T00:00:00Z');
  const entries: unknown[] = [];
  const H = (o: Record<string, string>) => Object.entries(o).map(([name, value]) => ({ name, value }));
  const entry = (
    i: number,
    method: string,
    url: string,
    type: string,
    req: Record<string, string>,
    status: number,
    res: Record<string, string>,
    error?: string,
  ) => ({
    startedDateTime: new Date(t0 + i * 3).toISOString(),
    time: 2,
    request: {
      method,
      url,
      httpVersion: 'HTTP/1.1',
      headers: H(req),
      queryString: [],
      cookies: [],
      headersSize: -1,
      bodySize: 0,
    },
    response: {
      status,
      statusText: '',
      httpVersion: 'HTTP/1.1',
      headers: H(res),
      cookies: [],
      content: { size: 0, mimeType: 'application/json' },
      redirectURL: '',
      headersSize: -1,
      bodySize: -1,
      ...(error ? { _error: error } : {}),
    },
    cache: {},
    timings: { send: 0, wait: 2, receive: 0 },
    _resourceType: type,
    _initiator: type === 'preflight' ? { type: 'preflight', url } : { type: 'script' },
    pageref: 'page_1',
  });
  const origin = { Origin: page, Accept: '*/*', 'User-Agent': 'Mozilla/5.0' };
  let i = 0;
  while (entries.length < n) {
    const url = `${api}/items/${i}?page=${i % 7}`;
    switch (i % 5) {
      case 0:
      case 1:
        entries.push(
          entry(i, 'GET', url, 'fetch', origin, 200, {
            'Access-Control-Allow-Origin': page,
            'Content-Type': 'application/json',
          }),
        );
        break;
      case 2: {
        entries.push(
          entry(
            i,
            'PUT',
            url,
            'fetch',
            { ...origin, 'X-Test': '1', 'Content-Type': 'application/json' },
            200,
            { 'Access-Control-Allow-Origin': page },
          ),
        );
        entries.push(
          entry(
            i,
            'OPTIONS',
            url,
            'preflight',
            {
              ...origin,
              'Access-Control-Request-Method': 'PUT',
              'Access-Control-Request-Headers': 'content-type,x-test',
            },
            204,
            {
              'Access-Control-Allow-Origin': page,
              'Access-Control-Allow-Methods': 'PUT',
              'Access-Control-Allow-Headers': 'content-type, x-test',
            },
          ),
        );
        break;
      }
      case 3:
        entries.push(
          entry(
            i,
            'GET',
            url,
            'fetch',
            origin,
            200,
            { 'Content-Type': 'application/json' },
            'net::ERR_FAILED',
          ),
        );
        break;
      default:
        entries.push(entry(i, 'DELETE', url, 'fetch', origin, 0, {}, 'net::ERR_FAILED'));
        entries.push(
          entry(
            i,
            'OPTIONS',
            url,
            'preflight',
            { ...origin, 'Access-Control-Request-Method': 'DELETE' },
            204,
            { 'Access-Control-Allow-Origin': page, 'Access-Control-Allow-Methods': 'GET, PUT' },
          ),
        );
    }
    i++;
  }
  return JSON.stringify({
    log: {
      version: '1.2',
      creator: { name: 'WebInspector', version: '537.36' },
      pages: [
        { id: 'page_1', title: `${page}/`, startedDateTime: new Date(t0).toISOString(), pageTimings: {} },
      ],
      entries: entries.slice(0, n),
    },
  });
}

async function main(): Promise<void> {
  execFileSync(process.execPath, [join(ROOT, 'scripts', 'build-cli.mjs')], { cwd: ROOT });
  const server = createServer((req, res) => {
    req.resume();
    res.writeHead(200, { 'access-control-allow-origin': '*', 'content-type': 'application/json' });
    res.end('{}');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/thing`;

  // Node's own start-up, for scale.
  const bare: number[] = [];
  for (let i = 0; i < 5; i++) bare.push((await spawnTimed(['-e', '0'])).ms);

  const times: number[] = [];
  for (let i = 0; i < RUNS + 2; i++) {
    const r = await spawnTimed([CLI, 'check', url, '--origin', 'http://localhost:3000']);
    if (r.code !== 0) throw new Error(`check exited ${r.code}: ${r.stderr}`);
    if (i >= 2) times.push(r.ms); // the first runs warm the file cache
  }
  server.close();
  console.log(`cors-lens check, loopback endpoint, process start included (${RUNS} runs):`);
  console.log(
    `  median ${median(times).toFixed(1)} ms, min ${Math.min(...times).toFixed(1)} ms, p90 ${pct(times, 0.9).toFixed(1)} ms  (node -e 0: median ${median(bare).toFixed(1)} ms)`,
  );

  const tmp = mkdtempSync(join(tmpdir(), 'cors-lens-bench-'));
  try {
    const file = join(tmp, 'big.har');
    const text = generateHar(ENTRIES);
    writeFileSync(file, text);
    console.log(`cors-lens har, ${ENTRIES} entries (${(text.length / 1e6).toFixed(1)} MB):`);
    for (const mode of [['--json'], []]) {
      const r = await spawnTimed(['--import', RSS_HOOK, CLI, 'har', file, ...mode]);
      if (r.code !== 1) throw new Error(`har exited ${r.code}: ${r.stderr}`);
      const kb = Number(/maxrss-kb=(\d+)/.exec(r.stderr)?.[1] ?? NaN);
      console.log(
        `  ${(mode[0] ?? 'text').padEnd(7)} wall ${r.ms.toFixed(0)} ms, peak RSS ${(kb / 1024).toFixed(0)} MB`,
      );
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

await main();
