/**
 * Engine throughput: verdicts per second over a realistic mix of observed exchanges, one core, twice:
 * reading only each verdict's outcome and kind (a tally, a list's colour), and reading every field
 * (the words are built on first read: src/engine/lazy-verdict.ts).
 * Target: 150,000 verdicts/s or more for the checks, so the engine is never the bottleneck of the worker.
 */
import { evaluate } from '../src/engine';
import type { Exchange, Verdict } from '../src/engine/types';
import { API, OTHER, PAGE, exchange, type ExchangeSpec } from '../test/engine/build';

const ok = {
  'Access-Control-Allow-Origin': PAGE,
  Vary: 'Origin',
  'Content-Type': 'application/json',
  Server: 'nginx',
  Date: 'Sat, 28 Nov 2026 03:00:00 GMT',
  'Content-Length': '512',
  'Cache-Control': 'no-store',
};
const pf = {
  'Access-Control-Allow-Origin': PAGE,
  'Access-Control-Allow-Methods': 'GET, POST, PUT, DELETE',
  'Access-Control-Allow-Headers': 'content-type, authorization',
  'Access-Control-Max-Age': '600',
};
const sent = {
  Origin: PAGE,
  Accept: 'application/json',
  'Accept-Language': 'en-US,en;q=0.9',
  'User-Agent': 'Mozilla/5.0',
  Referer: `${PAGE}/`,
};

// [weight, description]
const MIX: [number, (n: number) => ExchangeSpec][] = [
  [
    55,
    (n) => ({
      legs: [{ url: `${API}/items?page=${n}`, sent, status: 200, headers: ok }],
      outcome: 'completed',
    }),
  ],
  [
    15,
    (n) => ({
      method: 'PUT',
      legs: [
        {
          url: `${API}/items/${n}`,
          sent,
          preflight: { acrh: 'authorization,content-type', headers: pf },
          status: 200,
          headers: ok,
        },
      ],
      outcome: 'completed',
    }),
  ],
  [
    8,
    (n) => ({
      legs: [{ url: `${API}/report/${n}`, sent, status: 502, headers: { Server: 'nginx' } }],
      outcome: 'net::ERR_FAILED',
    }),
  ],
  [
    5,
    (n) => ({
      legs: [{ url: `${API}/me?n=${n}`, sent, status: 200, headers: { 'Access-Control-Allow-Origin': '*' } }],
      outcome: 'net::ERR_FAILED',
    }),
  ],
  [
    5,
    (n) => ({
      method: 'DELETE',
      legs: [{ url: `${API}/items/${n}`, sent: false, preflight: { status: 404 } }],
      outcome: 'net::ERR_FAILED',
    }),
  ],
  [
    4,
    (n) => ({
      method: 'PUT',
      legs: [
        {
          url: `${API}/e/${n}`,
          sent: false,
          preflight: {
            acrh: 'authorization,content-type',
            headers: { ...pf, 'Access-Control-Allow-Headers': 'content-type' },
          },
        },
      ],
      outcome: 'net::ERR_FAILED',
    }),
  ],
  [
    3,
    (n) => ({
      legs: [
        {
          url: `${API}/r/${n}`,
          sent,
          status: 302,
          headers: { Location: `${OTHER}/t/${n}`, 'Access-Control-Allow-Origin': PAGE },
        },
        { url: `${OTHER}/t/${n}`, sent: { Origin: 'null' }, status: 200, headers: ok },
      ],
      outcome: 'net::ERR_FAILED',
    }),
  ],
  [
    3,
    (n) => ({
      type: 'image',
      legs: [
        { url: `${OTHER}/img/${n}.png`, sent: {}, status: 200, headers: { 'Content-Type': 'image/png' } },
      ],
      outcome: 'completed',
    }),
  ],
  [2, (n) => ({ legs: [{ url: `http://127.0.0.1:9/x${n}`, sent }], outcome: 'net::ERR_CONNECTION_REFUSED' })],
];

const POOL = 5_000;
const total = MIX.reduce((s, [w]) => s + w, 0);
const pool: Exchange[] = [];
for (let i = 0; i < POOL; i++) {
  let r = (i * 7919) % total;
  const entry = MIX.find(([w]) => (r -= w) < 0) ?? MIX[0]!;
  pool.push(exchange(entry[1](i)));
}

/** Reads every field of a verdict, as a report, the panel or a port's serialization does. */
function readAll(v: Verdict): number {
  let n = 0;
  for (const key in v) if (v[key as keyof Verdict] !== undefined) n++;
  return n;
}

/**
 * Runs for `ms` of this process's CPU time (user + system), not wall time: the figure is per core and
 * does not depend on what else the machine is doing. `all`: every field of each verdict is read (its
 * explanation, fix and notes built); otherwise only `outcome` and `kind`, as a tally does.
 */
function run(ms: number, all: boolean): { n: number; secs: number } {
  const c0 = process.cpuUsage();
  const cpu = () => {
    const d = process.cpuUsage(c0);
    return (d.user + d.system) / 1000;
  };
  let n = 0;
  let sink = 0;
  while (cpu() < ms) {
    for (let i = 0; i < 1000; i++) {
      const v = evaluate(pool[(n + i) % POOL]!);
      sink += all ? readAll(v) : v.outcome.length + v.kind.length;
    }
    n += 1000;
  }
  if (sink < 0) console.log(sink);
  return { n, secs: cpu() / 1000 };
}

function median(all: boolean): { median: number; rounds: number[] } {
  run(500, all); // warm-up
  const rounds = [run(1500, all), run(1500, all), run(1500, all)]
    .map((r) => r.n / r.secs)
    .sort((a, b) => a - b);
  return { median: rounds[1]!, rounds };
}

const checks = median(false);
const everything = median(true);
const kinds = new Map<string, number>();
for (const ex of pool) {
  const k = evaluate(ex).outcome;
  kinds.set(k, (kinds.get(k) ?? 0) + 1);
}
const line = (label: string, r: { median: number; rounds: number[] }) =>
  `engine: ${Math.round(r.median).toLocaleString('en-US')} verdicts/s ${label} (median of 3 × 1.5 s of CPU time; runs ${r.rounds.map((x) => Math.round(x)).join(', ')}); ${(1e6 / r.median).toFixed(1)} µs per verdict`;
console.log(
  `engine: mix of ${POOL} exchanges (${[...kinds].map(([k, v]) => `${k} ${((v / POOL) * 100).toFixed(0)}%`).join(', ')})`,
);
console.log(`${line('with outcome and kind read', checks)}; target ≥ 150,000/s`);
console.log(line('with every field read (explanation, fix, findings, notes)', everything));
console.log(
  `engine: reading only the outcome is ${(checks.median / everything.median).toFixed(1)}× as fast as reading everything`,
);
