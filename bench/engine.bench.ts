/**
 * Engine throughput: verdicts per second over a realistic mix of observed exchanges, one core.
 * Target: 50,000 verdicts/s or more, so the engine is never the bottleneck of the worker.
 */
import { evaluate } from '../src/engine';
import type { Exchange } from '../src/engine/types';
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

/**
 * Runs for `ms` of this process's CPU time (user + system), not wall time: the figure is per core and
 * does not depend on what else the machine is doing.
 */
function run(ms: number): { n: number; secs: number } {
  const c0 = process.cpuUsage();
  const cpu = () => {
    const d = process.cpuUsage(c0);
    return (d.user + d.system) / 1000;
  };
  let n = 0;
  while (cpu() < ms) {
    for (let i = 0; i < 1000; i++) evaluate(pool[(n + i) % POOL]!);
    n += 1000;
  }
  return { n, secs: cpu() / 1000 };
}

run(500); // warm-up
const rounds = [run(1500), run(1500), run(1500)].map((r) => r.n / r.secs).sort((a, b) => a - b);
const median = rounds[1]!;
const kinds = new Map<string, number>();
for (const ex of pool) {
  const k = evaluate(ex).outcome;
  kinds.set(k, (kinds.get(k) ?? 0) + 1);
}
console.log(
  `engine: mix of ${POOL} exchanges (${[...kinds].map(([k, v]) => `${k} ${((v / POOL) * 100).toFixed(0)}%`).join(', ')})`,
);
console.log(
  `engine: ${Math.round(median).toLocaleString('en-US')} verdicts/s (median of 3 × 1.5 s of CPU time; runs ${rounds.map((r) => Math.round(r)).join(', ')}); ${(1e6 / median).toFixed(1)} µs per verdict; target ≥ 50,000/s`,
);
