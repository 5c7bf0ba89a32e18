/**
 * A Playwright reporter next to 'list': one line per skipped test with the reason given to
 * `test.skip(condition, reason)` (the list reporter shows the title only), then the tests that failed
 * and those that passed only on a retry (flaky), each with the first line of its error: last, so that
 * the end of a long CI log says what went wrong.
 */
import type { FullResult, Reporter, TestCase, TestResult } from '@playwright/test/reporter';

export function skipReason(test: TestCase): string {
  const notes = test.annotations.filter((a) => a.type === 'skip' || a.type === 'fixme');
  if (!notes.length) return 'not run: an earlier test of its serial group failed, or the run was stopped';
  return notes.map((a) => a.description).find((d) => d) ?? 'no reason given';
}

/** The first line of a result's first error, without colour codes. */
function firstErrorLine(result: TestResult): string {
  const e = result.errors[0];
  // eslint-disable-next-line no-control-regex -- colour codes in Playwright's messages
  const text = (e?.message ?? e?.value ?? 'no error message').replace(/\x1b\[[0-9;]*m/g, '');
  return (
    text
      .split('\n')
      .find((l) => l.trim())
      ?.trim() ?? 'no error message'
  );
}

export default class SkipReporter implements Reporter {
  /** By test: a test retried with its serial group is skipped again, and listed once. */
  private readonly skipped = new Map<TestCase, string>();
  /** Each test's last failure, by test; moved to `flaky` when a retry passes. */
  private readonly failed = new Map<TestCase, { title: string; status: string; error: string }>();
  private readonly flaky = new Map<TestCase, string>();

  printsToStdio(): boolean {
    return false;
  }

  onTestEnd(test: TestCase, result: TestResult): void {
    const title = test.titlePath().filter(Boolean).join(' › ');
    if (result.status === 'skipped') {
      this.skipped.set(test, `  - ${title}: ${skipReason(test)}`);
      return;
    }
    if (result.status === 'passed') {
      const failure = this.failed.get(test);
      if (failure !== undefined) {
        this.failed.delete(test);
        this.flaky.set(test, `  - ${failure.title}: ${failure.error}`);
      }
      return;
    }
    if (result.status !== test.expectedStatus)
      this.failed.set(test, { title, status: result.status, error: firstErrorLine(result) });
  }

  onEnd(_result: FullResult): void {
    const list = (lines: string[], one: string, many: string) =>
      process.stdout.write(`\n${lines.length} ${lines.length === 1 ? one : many}:\n${lines.join('\n')}\n`);
    if (this.skipped.size)
      list([...this.skipped.values()], 'skipped test, with the reason', 'skipped tests, with the reason');
    if (this.flaky.size)
      list(
        [...this.flaky.values()],
        'flaky test (failed, then passed on a retry)',
        'flaky tests (failed, then passed on a retry)',
      );
    const failed = [...this.failed.values()].map((f) => `  - ${f.title} (${f.status}): ${f.error}`);
    if (failed.length) list(failed, 'FAILED test', 'FAILED tests');
  }
}
