/**
 * `cors-lens har` on the hostile files of test/fixtures/hostile/ (the built dist/cli, as users run it):
 * a file that is not a HAR ends with exit 2 and one line on stderr, never a stack trace; a HAR with
 * unreadable entries is judged, and its text output names them by index.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli } from './run-cli';

const HOSTILE = join(ROOT, 'test', 'fixtures', 'hostile');

const run = (args: string[]) => runCli(args);

describe('cors-lens har on hostile files', () => {
  it.each([
    ['har-not-a-har.har', /har-not-a-har\.har: not a HAR file \(no "log" object\)$/],
    ['har-truncated.har', /har-truncated\.har: not valid JSON: the file ends early \(truncated\?\)/],
  ])('%s: exit 2, one line, no stack', async (file, message) => {
    const r = await run(['har', join(HOSTILE, file)]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(message);
    expect(r.stderr).not.toMatch(/^\s+at /m);
  });

  it('a HAR with unreadable entries: judged, each unreadable entry named by index', async () => {
    const r = await run(['har', join(HOSTILE, 'har-wrong-types.har')]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/9 entries .*5 unreadable/);
    expect(r.stdout).toContain('entry 0: the entry is null, not an object (left out)');
    expect(r.stdout).toContain('entry 7: "response.status" is a string, not a number');
    const json = await run(['har', join(HOSTILE, 'har-wrong-types.har'), '--json']);
    const report = JSON.parse(json.stdout) as { problems: { index: number; skipped: boolean }[] };
    expect(report.problems.filter((p) => p.skipped).map((p) => p.index)).toEqual([0, 1, 2, 3, 4]);
  });

  it('deep nesting and NUL bytes: read, exit 0 or 1, nothing on stderr', async () => {
    for (const file of ['har-deep-nesting.har', 'har-nul-and-controls.har']) {
      const r = await run(['har', join(HOSTILE, file), '--json']);
      expect(r.stderr, file).toBe('');
      expect([0, 1]).toContain(r.code);
      expect(JSON.parse(r.stdout)).toMatchObject({ format: 'cors-lens-report' });
    }
  });
});
