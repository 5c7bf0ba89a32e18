/**
 * The command line, as a user runs it (a new Node process each time, the built bundle):
 * - `cors-lens check` of a loopback endpoint: wall time from spawn to exit, median of N runs;
 * - `cors-lens har` on a generated 10,000-entry Chrome-shaped HAR (bench/har-generator.ts): wall time and
 *   the child's peak RSS.
 * Prints figures only (targets: check < 150 ms, har < 2 s and < 200 MB).
 */
import { execFileSync, spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeDevtoolsHar } from './har-generator';

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
    await writeDevtoolsHar(file, ENTRIES, 0);
    console.log(`cors-lens har, ${ENTRIES} entries (${(statSync(file).size / 1e6).toFixed(1)} MB):`);
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
