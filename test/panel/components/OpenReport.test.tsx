// @vitest-environment happy-dom
/**
 * The panel's *Open report…* gives the same verdicts as the command line for every producer: each
 * recorded file is opened through the toolbar's file input (as a user picks it) and read by the built
 * `cors-lens har --json`; the calls, outcomes, kinds and Chrome error names must be the same.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { cleanup, fireEvent, render, waitFor } from '@testing-library/preact';
import { Toolbar } from '../../../src/panel/components/Toolbar';
import { createStore } from '../../../src/panel/store';

// The export menu reads stored preferences; not the thing under test here.
vi.mock('../../../src/platform/browser', () => ({ default: { storage: { local: {} } } }));

afterEach(cleanup);

const ROOT = resolve(import.meta.dirname, '..', '..', '..');
const CLI = join(ROOT, 'dist', 'cli', 'cors-lens.js');
const DIR = join(ROOT, 'test', 'fixtures', 'har');
const FILES = [
  'chromium-scenarios.har',
  'playwright-1.65.1.har',
  'chrome-har-1.3.1.har',
  'playwright-1.65.1-trace.zip',
  'firefox-153.8.har',
  'proxy-documented-format.har',
];

interface Row {
  url: string;
  method: string;
  outcome: string;
  kind: string;
  chromeError: string | null;
}

function cliRows(file: string): Row[] {
  let stdout: string;
  try {
    stdout = execFileSync(process.execPath, [CLI, 'har', file, '--json', '--no-redact'], {
      encoding: 'utf8',
      maxBuffer: 64 << 20,
    });
  } catch (e) {
    // Exit 1: some calls are blocked; the report is on stdout all the same.
    stdout = (e as { stdout: string }).stdout;
  }
  const report = JSON.parse(stdout) as { calls: Row[] };
  return report.calls.map(({ url, method, outcome, kind, chromeError }) => ({
    url,
    method,
    outcome,
    kind,
    chromeError,
  }));
}

describe('Open report… = cors-lens har', () => {
  test.each(FILES)('%s', async (name) => {
    const store = createStore(7);
    const { container } = render(
      <Toolbar store={store} filterRef={{ current: null }} onClear={() => {}} onPreserveLog={() => {}} />,
    );
    const input = container.querySelector('input[type="file"]') as HTMLInputElement;
    const bytes = readFileSync(join(DIR, name));
    fireEvent.change(input, { target: { files: [new File([bytes], name)] } });
    await waitFor(() => expect(store.state.value.report).not.toBeNull(), { timeout: 10_000 });
    const panel: Row[] = (store.state.value.report?.entries ?? []).map(({ exchange, verdict }) => ({
      url: exchange.legs[0]?.url ?? '',
      method: exchange.method,
      outcome: verdict.outcome,
      kind: verdict.kind,
      chromeError: verdict.chromeError ?? null,
    }));
    expect(panel.length).toBeGreaterThanOrEqual(4);
    expect(panel).toEqual(cliRows(join(DIR, name)));
  });
});
