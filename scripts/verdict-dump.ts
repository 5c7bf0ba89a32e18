/**
 * Writes every verdict the project can derive from its recorded inputs as one JSON document, so that a
 * refactor can be proved to change no verdict: run it before and after and compare the two files byte
 * for byte (`cmp`).
 *
 *   npx tsx scripts/verdict-dump.ts > before.json
 *
 * What it covers: each recorded Chromium event stream in test/fixtures/*.json, fed through capture and
 * judged under the Chrome and the Firefox profile (every field read, so lazily built parts are
 * included); the stored entries capture would persist; and each HAR, trace and hostile file in
 * test/fixtures/har and test/fixtures/hostile, judged by the built command line (`npm run build:cli`
 * first): `cors-lens har` as JSON, Markdown and text.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { evaluate } from '../src/engine';
import { feed, FIXTURES, fixtureEvents, loadFixtures, newCapture } from '../test/capture/helpers';
import { spawnSync } from 'node:child_process';

interface Dump {
  fixtures: Record<string, unknown>;
  har: Record<string, unknown>;
}

/** The built command line (`npm run build:cli`), as a user runs it: exit code, stdout, stderr. */
function cli(...args: string[]): unknown {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
  });
  // The one field that differs from run to run: when the report was written.
  const stamp = (t: string): string =>
    t.replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/g, (iso) =>
      Math.abs(Date.parse(iso) - started) < 600_000 ? '<now>' : iso,
    );
  return { status: r.status, stdout: stamp(r.stdout), stderr: stamp(r.stderr) };
}

const started = Date.now();
const CLI = join(import.meta.dirname, '..', 'dist', 'cli', 'cors-lens.js');

function main(): void {
  const out: Dump = { fixtures: {}, har: {} };
  for (const fx of loadFixtures()) {
    const capture = newCapture();
    feed(capture, fixtureEvents(fx));
    const tabs = capture.tabIds();
    const perTab = tabs.map((tabId) => {
      const stored = capture.entries(tabId);
      return stored.map((e) => ({
        stored: e,
        chrome: evaluate(e.exchange, { browser: 'chrome' }),
        firefox: evaluate(e.exchange, { browser: 'firefox' }),
      }));
    });
    out.fixtures[fx.file] = perTab;
  }
  for (const dir of ['har', 'hostile']) {
    const base = join(FIXTURES, dir);
    for (const name of readdirSync(base).sort()) {
      if (!/\.(har|zip)$/.test(name)) continue;
      const file = join(base, name);
      out.har[`${dir}/${name}`] = {
        json: cli('har', file, '--json'),
        markdown: cli('har', file, '--markdown'),
        text: cli('har', file),
      };
    }
  }
  process.stdout.write(`${JSON.stringify(out, null, 1)}\n`);
}

main();
