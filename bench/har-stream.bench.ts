/**
 * `cors-lens har` on big DevTools-shaped HARs with bodies (bench/har-generator.ts), as users run it: 10,000
 * and 100,000 entries (about 1 GB: each answered response has a ~10 kB `content.text`, as an export with
 * content does), then 100,000 entries with ~100-byte bodies; each written to a temporary folder and deleted
 * after. Prints wall time, CPU time and the child's peak RSS for the text output, for --json, and for --json
 * read through a pipe (as `| jq` reads it: the output must not pile up in memory) (targets
 * for 1 GB: < 15 s, < 300 MB). Files above 32 MB are read as a stream and written out call by call.
 * `HAR_BENCH_ENTRIES` changes the big size; `HAR_BENCH_KEEP=1` only writes the files and prints their
 * paths. Not a test: figures only.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';
import { writeDevtoolsHar } from './har-generator';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const CLI = join(ROOT, 'dist', 'cli', 'cors-lens.js');
const ENTRIES = Number(process.env.HAR_BENCH_ENTRIES ?? 100_000);
/** Prints the child's peak RSS (kB) and CPU time (user + system, s) on stderr at exit. */
const RSS_HOOK =
  'data:text/javascript,process.on("exit",()=>{const u=process.resourceUsage();process.stderr.write("\\nmaxrss-kb="+u.maxRSS+" cpu-s="+((u.userCPUTime+u.systemCPUTime)/1e6).toFixed(2)+"\\n")})';

/** `piped`: stdout is a pipe read by this process (as `| jq` would), not discarded. */
function spawnTimed(
  args: string[],
  piped = false,
): Promise<{ ms: number; code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, args, {
      stdio: ['ignore', piped ? 'pipe' : 'ignore', 'pipe'],
      env: { ...process.env, NO_COLOR: '1' },
    });
    child.stdout?.resume();
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ ms: performance.now() - t0, code, stderr }));
  });
}

async function main(): Promise<void> {
  execFileSync(process.execPath, [join(ROOT, 'scripts', 'build-cli.mjs')], { cwd: ROOT });
  // 10,000 and 100,000 entries with ~10 kB bodies, then the big one with ~100-byte bodies: the memory
  // should follow neither the bytes nor the number of calls.
  const runs: [number, string, number, string[][]][] = [
    [ENTRIES / 10, '~10 kB bodies', 185, [[], ['--json']]],
    [ENTRIES, '~10 kB bodies', 185, [[], ['--json'], ['--json', '|']]],
    [ENTRIES, '~100-byte bodies', 2, [[]]],
  ];
  for (const [entries, label, repeat, modes] of runs) {
    const tmp = mkdtempSync(join(tmpdir(), 'cors-lens-bench-big-'));
    try {
      const file = join(tmp, 'big.har');
      const g0 = performance.now();
      await writeDevtoolsHar(file, entries, repeat);
      const size = statSync(file).size;
      console.log(
        `cors-lens har, ${entries} entries with ${label} (${(size / 1e9).toFixed(2)} GB, generated in ${((performance.now() - g0) / 1000).toFixed(1)} s)${size > 32 * 1024 * 1024 ? ', read as a stream' : ''}:`,
      );
      if (process.env.HAR_BENCH_KEEP) {
        console.log(file);
        continue;
      }
      for (const mode of modes) {
        const piped = mode.includes('|');
        const args = mode.filter((m) => m !== '|');
        const r = await spawnTimed(['--import', RSS_HOOK, CLI, 'har', file, ...args], piped);
        if (r.code !== 1) throw new Error(`har exited ${r.code}: ${r.stderr.slice(-500)}`);
        const kb = Number(/maxrss-kb=(\d+)/.exec(r.stderr)?.[1] ?? NaN);
        const cpu = Number(/cpu-s=([\d.]+)/.exec(r.stderr)?.[1] ?? NaN);
        console.log(
          `  ${`${args[0] ?? 'text'}${piped ? ' | ' : ''}`.padEnd(9)} wall ${(r.ms / 1000).toFixed(1)} s (CPU ${cpu.toFixed(1)} s), peak RSS ${(kb / 1024).toFixed(0)} MB${size > 5e8 ? '  (targets for 1 GB: < 15 s, < 300 MB)' : ''}`,
        );
      }
    } finally {
      if (!process.env.HAR_BENCH_KEEP) rmSync(tmp, { recursive: true, force: true });
    }
  }
}

await main();
