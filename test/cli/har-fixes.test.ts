/**
 * `cors-lens har --json` gives the one merged fix per API origin that the text output gives (its
 * envelope's `fixes`), on the files real producers wrote (the built dist/cli, as users run it).
 */
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..', '..');
const CLI = join(ROOT, 'dist', 'cli', 'cors-lens.js');
const FIXTURES = join(ROOT, 'test', 'fixtures', 'har');

const run = (...args: string[]) =>
  spawnSync(process.execPath, [CLI, ...args], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', NO_COLOR: '1' },
  }).stdout;

interface Fix {
  apiOrigin: string;
  blockedCalls: number;
  headers: { on: string; name: string; value: string | null }[];
}

describe('cors-lens har --json: one merged fix per API origin, as the text output', () => {
  it.each(['chromium-scenarios.har', 'chrome-devtools-156.har', 'proxy-documented-format.har'])(
    '%s',
    (file) => {
      const text = run('har', join(FIXTURES, file));
      const report = JSON.parse(run('har', join(FIXTURES, file), '--json')) as {
        fixes: Fix[];
      };
      const sections = [...text.matchAll(/^Fix for (\S+) \((\d+) blocked calls?\)$/gm)].map((m) => [
        m[1],
        Number(m[2]),
      ]);
      expect(sections.length).toBeGreaterThan(0);
      expect(report.fixes.map((f) => [f.apiOrigin, f.blockedCalls])).toEqual(sections);
      // The fix lines of the text section are the JSON's header changes.
      for (const f of report.fixes)
        for (const h of f.headers) if (h.value) expect(text).toContain(`${h.name}: ${h.value}`);
    },
  );
});
