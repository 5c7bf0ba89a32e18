/**
 * A Playwright reporter next to 'list': one line per skipped test with the reason given to
 * `test.skip(condition, reason)` (the list reporter shows the title only), together at the end of
 * the run.
 */
import type { FullResult, Reporter, TestCase, TestResult } from '@playwright/test/reporter';

export function skipReason(test: TestCase): string {
  const notes = test.annotations.filter((a) => a.type === 'skip' || a.type === 'fixme');
  if (!notes.length) return 'not run: an earlier test of its serial group failed, or the run was stopped';
  return notes.map((a) => a.description).find((d) => d) ?? 'no reason given';
}

export default class SkipReporter implements Reporter {
  private readonly skipped: string[] = [];

  printsToStdio(): boolean {
    return false;
  }

  onTestEnd(test: TestCase, result: TestResult): void {
    if (result.status !== 'skipped') return;
    const title = test.titlePath().filter(Boolean).join(' › ');
    this.skipped.push(`  - ${title}: ${skipReason(test)}`);
  }

  onEnd(_result: FullResult): void {
    if (!this.skipped.length) return;
    process.stdout.write(
      `\n${this.skipped.length} skipped test${this.skipped.length === 1 ? '' : 's'}, with the reason:\n${this.skipped.join('\n')}\n`,
    );
  }
}
