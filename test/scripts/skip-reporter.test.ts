/**
 * The e2e run's skip reporter (test/e2e/skip-reporter.ts), in a real Playwright run of a small spec
 * written here: a test skipped with a reason, one skipped without, and the rest of a serial group
 * after a failure, each printed with why.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..', '..');

it('prints one line per skipped test with its reason, then the flaky and the failed tests, at the end of the run', () => {
  // In the repository, so that the spec resolves @playwright/test (removed at the end).
  const dir = mkdtempSync(join(ROOT, '.tmp-skip-reporter-'));
  try {
    writeFileSync(
      join(dir, 'demo.spec.ts'),
      `import { test } from '@playwright/test';
test('runs', () => {});
test('flaky', ({}, info) => { if (info.retry === 0) throw new Error('first try'); });
test('needs nginx', () => { test.skip(true, 'nginx is not installed'); });
test('skipped bare', () => { test.skip(); });
test.describe.serial('group', () => {
  test('fails', () => { throw new Error('boom'); });
  test('after it', () => {});
});
`,
    );
    writeFileSync(
      join(dir, 'pw.config.ts'),
      `export default { testDir: ${JSON.stringify(dir)}, outputDir: ${JSON.stringify(join(dir, 'out'))}, retries: 1, reporter: [['list'], [${JSON.stringify(join(ROOT, 'test', 'e2e', 'skip-reporter.ts'))}]] };\n`,
    );
    const r = spawnSync(
      process.execPath,
      [
        join(ROOT, 'node_modules', '@playwright', 'test', 'cli.js'),
        'test',
        '--config',
        join(dir, 'pw.config.ts'),
      ],
      {
        cwd: ROOT,
        encoding: 'utf8',
        env: { ...process.env, CI: '' },
      },
    );
    expect(r.status).toBe(1);
    const tail = r.stdout.slice(r.stdout.indexOf('skipped tests, with the reason:'));
    expect(tail).toMatch(/^skipped tests, with the reason:\n/);
    expect(tail).toContain('demo.spec.ts › needs nginx: nginx is not installed\n');
    expect(tail).toContain('demo.spec.ts › skipped bare: no reason given\n');
    expect(tail).toContain(
      'demo.spec.ts › group › after it: not run: an earlier test of its serial group failed',
    );
    expect(r.stdout).toMatch(/\n3 skipped tests, with the reason:/);
    // The failures come last, with their first error line; a test that passed on its retry is flaky.
    expect(r.stdout.slice(r.stdout.indexOf('\n1 flaky test'))).toBe(
      [
        '',
        '1 flaky test (failed, then passed on a retry):',
        '  - demo.spec.ts › flaky: Error: first try',
        '',
        '1 FAILED test:',
        '  - demo.spec.ts › group › fails (failed): Error: boom',
        '',
      ].join('\n'),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 60_000);
