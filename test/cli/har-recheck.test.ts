/**
 * `cors-lens har --recheck` (the built dist/cli) against loopback servers: the calls whose answer the
 * file does not hold are asked live, one after another, within the printed bounds (a cap on the number
 * of checks, a per-request timeout), and each merged verdict is marked as re-checked, not seen in the file.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './run-cli';

const APP = 'https://app.example';

const run = (args: string[]) => runCli(args);

let server: Server;
let base = '';
let tmp = '';
const seen: string[] = [];

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'cors-lens-recheck-'));
  server = createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    // No Date header: two runs' reports are compared.
    res.sendDate = false;
    if (req.url?.startsWith('/slow')) return; // never answers
    if (req.url?.startsWith('/blocked')) return res.end('no CORS headers');
    res.setHeader('access-control-allow-origin', APP);
    res.setHeader('access-control-allow-credentials', 'true');
    res.end('ok');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  rmSync(tmp, { recursive: true, force: true });
});

/**
 * Playwright's shape for a blocked call: status -1, no headers, _failureText, a Referer. `pad`: each
 * entry gets a comment of that many characters (a file above 32 MB is read as a stream).
 */
function harFile(paths: string[], pad = 0): string {
  const file = join(tmp, `${paths.join('-').replace(/\W/g, '')}${pad ? '-big' : ''}.har`);
  writeFileSync(
    file,
    JSON.stringify({
      log: {
        creator: { name: 'Playwright', version: '1.65.1' },
        pages: [],
        entries: paths.map((p, i) => ({
          startedDateTime: new Date(Date.UTC(2026, 0, 1) + i * 100).toISOString(),
          time: 1,
          _resourceType: 'fetch',
          request: { method: 'GET', url: `${base}${p}`, headers: [{ name: 'Referer', value: `${APP}/` }] },
          response: { status: -1, headers: [], _failureText: 'net::ERR_FAILED' },
          ...(pad ? { comment: 'x'.repeat(pad) } : {}),
        })),
      },
    }),
  );
  return file;
}

describe('har --recheck', () => {
  it('prints its bounds, stops at the cap, and times out a server that never answers', async () => {
    const file = harFile(['/slow', '/blocked', '/allowed']);
    seen.length = 0;
    const r = await run(['har', file, '--recheck', '--recheck-max', '2', '--timeout', '300']);
    expect(r.stdout).toContain(
      'Re-checking 3 calls whose answer the file does not hold, live against the servers: at most 2 checks, one after another, each request timing out after 300 ms.',
    );
    expect(r.stdout).toContain('2 checks made; 1 call left undetermined (the cap of 2 was reached');
    expect(r.stdout).toMatch(/the server could not be asked \([^)]*time/i);
    // Sequential and bounded: the third call was never sent.
    expect(seen).toEqual(['GET /slow', 'GET /blocked']);
    expect(r.code).toBe(1);
  });

  it('merges the answers, each marked as re-checked at a time and not seen in the file', async () => {
    const file = harFile(['/blocked', '/allowed']);
    const r = await run(['har', file, '--recheck', '--json']);
    expect(r.stderr).toBe('');
    const report = JSON.parse(r.stdout) as {
      recheck: Record<string, number>;
      calls: {
        url: string;
        outcome: string;
        durationMs: number;
        chromeError: string | null;
        notes: string[];
        recheck: { checkedAt: string; notInFile: boolean; merged: boolean; command: string };
      }[];
    };
    expect(report.recheck).toEqual({ timeoutMs: 10000, max: 20, candidates: 2, checks: 3, skipped: 0 });
    const [blocked, allowed] = report.calls;
    expect(blocked).toMatchObject({ outcome: 'blocked', chromeError: 'MissingAllowOriginHeader' });
    expect(blocked?.recheck).toMatchObject({ notInFile: true, merged: true });
    expect(Date.parse(blocked?.recheck.checkedAt ?? '')).toBeGreaterThan(Date.now() - 60_000);
    // The call keeps the file's time, and lasts as long as the live check did (not until now).
    expect(blocked?.durationMs).toBeLessThan(10_000);
    expect(blocked?.notes.join(' ')).toMatch(/Re-checked live at .*not one seen in the file/);
    // Allowed now, with and without credentials: said, not hidden.
    expect(allowed).toMatchObject({ outcome: 'allowed' });
    expect(allowed?.notes.join(' ')).toMatch(/the server allows it now/);
  });

  it("asks a Firefox file's calls again by Firefox's rules, as the file was judged", async () => {
    // Firefox's shape for a call that got no answer: status 0, no headers, no error field.
    const file = join(tmp, 'firefox.har');
    writeFileSync(
      file,
      JSON.stringify({
        log: {
          creator: { name: 'Firefox', version: '153.8.0' },
          pages: [],
          entries: [
            {
              startedDateTime: new Date(Date.UTC(2026, 0, 1)).toISOString(),
              time: 1,
              request: { method: 'GET', url: `${base}/blocked`, headers: [{ name: 'Origin', value: APP }] },
              response: { status: 0, headers: [] },
            },
          ],
        },
      }),
    );
    const r = await run(['har', file, '--recheck', '--json']);
    expect(r.stderr).toBe('');
    const report = JSON.parse(r.stdout) as {
      calls: {
        browser: string;
        outcome: string;
        firefoxReason: { name: string } | null;
        recheck: { command: string };
      }[];
    };
    expect(report.calls[0]).toMatchObject({
      browser: 'firefox',
      outcome: 'blocked',
      firefoxReason: { name: 'CORSMissingAllowOrigin' },
    });
    expect(report.calls[0]?.recheck.command).toMatch(/ --browser firefox$/);
  });

  it('refuses its options without --recheck, and a cap that is not a whole number', async () => {
    const file = harFile(['/blocked']);
    for (const args of [
      ['--recheck-max', '3'],
      ['--timeout', '100'],
      ['--recheck', '--recheck-max', '0'],
    ]) {
      const r = await run(['har', file, ...args]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr.split('\n')[0]).toMatch(/^cors-lens har: /);
    }
  });

  it(
    'a file above 32 MB gives the same report: text, --json and --markdown',
    { timeout: 60_000 },
    async () => {
      const paths = ['/blocked?a', '/allowed?b', '/blocked?c', '/blocked?d'];
      const small = harFile(paths);
      const big = harFile(paths, 9_000_000);
      // The re-check times (and the report's) differ between two runs.
      const times = (t: string) =>
        t
          .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z/g, '<time>')
          .replace(/("durationMs": |"endTime": )\d+/g, '$1<duration>')
          .replace(/<time> \([\d.]+ m?s\)/g, '<time> (<duration>)');
      for (const mode of [[], ['--json'], ['--markdown']]) {
        const args = ['--recheck', '--recheck-max', '3', ...mode];
        seen.length = 0;
        const a = await run(['har', small, ...args]);
        const asked = [...seen];
        seen.length = 0;
        const b = await run(['har', big, ...args]);
        expect(b.stderr).toBe('');
        expect(b.code).toBe(a.code);
        // The same calls asked in the same order: the first ones, up to the cap of 3 checks.
        expect(seen).toEqual(asked);
        expect(times(b.stdout.replaceAll(big, small))).toBe(times(a.stdout));
      }
      expect(seen).toEqual(['GET /blocked?a', 'GET /allowed?b', 'GET /allowed?b']);
    },
  );
});
