/**
 * `cors-lens har` on a big DevTools-shaped HAR with bodies, read as a stream: a generated file of
 * 100,000 entries (about 1 GB: each response has a ~10 kB `content.text`, as an export with content
 * does), written to a temporary folder and deleted after. Prints wall time and the child's peak RSS
 * (targets: < 15 s, < 300 MB), for the text output and for --json. `HAR_BENCH_ENTRIES` changes the size.
 * Not a test: figures only.
 */
import { spawn } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const CLI = join(ROOT, 'dist', 'cli', 'cors-lens.js');
const ENTRIES = Number(process.env.HAR_BENCH_ENTRIES ?? 100_000);
const RSS_HOOK =
  'data:text/javascript,process.on("exit",()=>process.stderr.write("\\nmaxrss-kb="+process.resourceUsage().maxRSS+"\\n"))';

/** Writes the HAR entry by entry (the generator never holds the file either). */
async function generate(file: string, n: number, repeat: number): Promise<void> {
  const out = createWriteStream(file);
  const write = (s: string) =>
    out.write(s) ? Promise.resolve() : new Promise<void>((r) => out.once('drain', () => r()));
  const page = 'http://127.0.0.1:8801';
  const api = 'http://127.0.0.1:8802';
  const t0 = Date.parse('2026-01-01T00:00:00Z');
  // A JSON body with escapes, so the parser cannot skip through it.
  const body = JSON.stringify(`${'{"id": 1, "name": "x\\ty", "tags": ["a", "b"]} '.repeat(repeat)}\n`);
  const H = (o: Record<string, string>) =>
    JSON.stringify(Object.entries(o).map(([name, value]) => ({ name, value })));
  const entry = (
    i: number,
    method: string,
    url: string,
    type: string,
    req: Record<string, string>,
    status: number,
    res: Record<string, string>,
    error?: string,
  ) =>
    `{"startedDateTime":"${new Date(t0 + i * 3).toISOString()}","time":2,"request":{"method":"${method}","url":"${url}","httpVersion":"HTTP/1.1","headers":${H(req)},"queryString":[],"cookies":[],"headersSize":-1,"bodySize":0},"response":{"status":${status},"statusText":"","httpVersion":"HTTP/1.1","headers":${H(res)},"cookies":[],"content":{"size":10000,"mimeType":"application/json","text":${status ? body : '""'}},"redirectURL":"","headersSize":-1,"bodySize":-1${error ? `,"_error":"${error}"` : ''}},"cache":{},"timings":{"send":0,"wait":2,"receive":0},"_resourceType":"${type}","pageref":"page_1"}`;
  const origin = { Origin: page, Accept: '*/*', 'User-Agent': 'Mozilla/5.0' };
  await write(
    `{"log":{"version":"1.2","creator":{"name":"WebInspector","version":"537.36"},"pages":[{"id":"page_1","title":"${page}/","startedDateTime":"${new Date(t0).toISOString()}","pageTimings":{}}],"entries":[`,
  );
  let written = 0;
  for (let i = 0; written < n; i++) {
    const url = `${api}/items/${i}?page=${i % 7}`;
    const list: string[] = [];
    switch (i % 4) {
      case 0:
      case 1:
        list.push(entry(i, 'GET', url, 'fetch', origin, 200, { 'Access-Control-Allow-Origin': page }));
        break;
      case 2:
        list.push(
          entry(i, 'PUT', url, 'fetch', { ...origin, 'X-Test': '1' }, 200, {
            'Access-Control-Allow-Origin': page,
          }),
          entry(
            i,
            'OPTIONS',
            url,
            'preflight',
            { ...origin, 'Access-Control-Request-Method': 'PUT', 'Access-Control-Request-Headers': 'x-test' },
            204,
            {
              'Access-Control-Allow-Origin': page,
              'Access-Control-Allow-Methods': 'PUT',
              'Access-Control-Allow-Headers': 'x-test',
            },
          ),
        );
        break;
      default:
        list.push(
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
    }
    for (const e of list) {
      if (written >= n) break;
      await write(written ? `,${e}` : e);
      written++;
    }
  }
  await write(']}}\n');
  await new Promise<void>((r) => out.end(() => r()));
}

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

async function main(): Promise<void> {
  execFileSync(process.execPath, [join(ROOT, 'scripts', 'build-cli.mjs')], { cwd: ROOT });
  // The same entries with ~10 kB and with ~100-byte bodies: the memory should not follow the bytes.
  for (const [label, repeat, modes] of [
    ['~10 kB bodies', 160, [[], ['--json']]],
    ['~100-byte bodies', 2, [[]]],
  ] as const) {
    const tmp = mkdtempSync(join(tmpdir(), 'cors-lens-bench-big-'));
    try {
      const file = join(tmp, 'big.har');
      const g0 = performance.now();
      await generate(file, ENTRIES, repeat);
      const size = statSync(file).size;
      console.log(
        `cors-lens har, ${ENTRIES} entries with ${label} (${(size / 1e9).toFixed(2)} GB, generated in ${((performance.now() - g0) / 1000).toFixed(1)} s), read as a stream:`,
      );
      if (process.env.HAR_BENCH_KEEP) {
        console.log(file);
        return;
      }
      for (const mode of modes) {
        const r = await spawnTimed(['--import', RSS_HOOK, CLI, 'har', file, ...mode]);
        if (r.code !== 1) throw new Error(`har exited ${r.code}: ${r.stderr.slice(-500)}`);
        const kb = Number(/maxrss-kb=(\d+)/.exec(r.stderr)?.[1] ?? NaN);
        console.log(
          `  ${(mode[0] ?? 'text').padEnd(7)} wall ${(r.ms / 1000).toFixed(1)} s, peak RSS ${(kb / 1024).toFixed(0)} MB  (targets for 1 GB: < 15 s, < 300 MB)`,
        );
      }
    } finally {
      if (!process.env.HAR_BENCH_KEEP) rmSync(tmp, { recursive: true, force: true });
    }
  }
}

await main();
