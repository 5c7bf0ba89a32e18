/**
 * `cors-lens har` on a file above 32 MB (the built dist/cli, as users run it): it is read as a stream and
 * written out call by call (its calls judged twice instead of held). The report must be the one the
 * whole-file path gives for the same entries: each real producer's file is repeated, an hour apart (so
 * that no preflight pairs across copies), once padded past 32 MB with an entry `comment` and once not.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..', '..');
const CLI = join(ROOT, 'dist', 'cli', 'cors-lens.js');
const FIXTURES = join(ROOT, 'test', 'fixtures', 'har');
const STREAM_FROM_BYTES = 32 * 1024 * 1024;
const tmp = mkdtempSync(join(tmpdir(), 'cors-lens-har-big-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function run(cwd: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd,
      env: { PATH: process.env.PATH ?? '', NO_COLOR: '1' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

type Entry = {
  startedDateTime: string;
  comment?: string;
  response?: { status?: number; content?: { text?: string } };
};

/**
 * The fixture's entries `copies` times, each copy an hour later, each padded with `pad` characters: in
 * the body (`content.text`, which the streaming reader leaves out unless the status is 500 or more) or,
 * for a server error, in a `comment`.
 */
function repeated(fixture: string, copies: number, pad: number): string {
  const har = JSON.parse(readFileSync(join(FIXTURES, fixture), 'utf8')) as {
    log: { entries: Entry[] };
  };
  const entries: Entry[] = [];
  for (let k = 0; k < copies; k++)
    for (const e of har.log.entries) {
      const at = new Date(Date.parse(e.startedDateTime) + k * 3_600_000).toISOString();
      const status = e.response?.status ?? 0;
      const padded: Partial<Entry> = !pad
        ? {}
        : status >= 500
          ? { comment: 'x'.repeat(pad) }
          : {
              response: {
                ...e.response,
                content: {
                  ...e.response?.content,
                  text: `${e.response?.content?.text ?? ''}${'"x\\"'.repeat(pad / 4)}`,
                },
              },
            };
      entries.push({ ...e, startedDateTime: at, ...padded });
    }
  return JSON.stringify({ log: { ...har.log, entries } });
}

const stamp = (s: string) => s.replace(/"generatedAt": ?"[^"]*"/, '"generatedAt":"<now>"');

describe('cors-lens har on a file above 32 MB: the same report as the whole-file path', () => {
  it.each([
    // Preflights without their request (chrome-har drops a failed request): merged in by start time.
    ['chrome-har-1.3.1.har', 50],
    // Many outcomes, findings, redirects; more than 500 calls, so --json is the compact report.
    ['chromium-scenarios.har', 10],
  ])('%s repeated %i times: text and --json', { timeout: 120_000 }, async (fixture, copies) => {
    const small = mkdtempSync(join(tmp, 'small-'));
    const big = mkdtempSync(join(tmp, 'big-'));
    writeFileSync(join(small, 'calls.har'), repeated(fixture, copies, 0));
    const entries = (JSON.parse(readFileSync(join(FIXTURES, fixture), 'utf8')) as { log: { entries: [] } })
      .log.entries.length;
    writeFileSync(join(big, 'calls.har'), repeated(fixture, copies, Math.ceil(34e6 / (entries * copies))));
    expect(statSync(join(small, 'calls.har')).size).toBeLessThan(STREAM_FROM_BYTES);
    expect(statSync(join(big, 'calls.har')).size).toBeGreaterThan(STREAM_FROM_BYTES);
    for (const mode of [[], ['--json'], ['--json', '--no-redact']]) {
      const a = await run(small, ['har', 'calls.har', ...mode]);
      const b = await run(big, ['har', 'calls.har', ...mode]);
      expect(b.stderr).toBe('');
      expect(b.code).toBe(a.code);
      expect(stamp(b.stdout)).toBe(stamp(a.stdout));
      if (mode.length) {
        const report = JSON.parse(b.stdout) as { counts: { calls: number } };
        expect(report.counts.calls).toBeGreaterThan(copies);
      }
    }
  });
});
