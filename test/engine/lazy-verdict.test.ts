/**
 * A verdict's words are built on first read (src/engine/lazy-verdict.ts). Whatever is read first, and
 * in whatever order, the verdict is the same object: same keys in the same order, same values, same
 * JSON, same structured clone. Checked on every exchange of the recorded Chromium fixtures, under both
 * browser profiles.
 */
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../src/engine';
import type { BrowserName, Exchange, Verdict } from '../../src/engine/types';
import { feed, fixtureEvents, loadFixtures, newCapture } from '../capture/helpers';

function exchangesOf(): { name: string; ex: Exchange }[] {
  const out: { name: string; ex: Exchange }[] = [];
  for (const fx of loadFixtures()) {
    const capture = newCapture();
    feed(capture, fixtureEvents(fx));
    for (const tabId of capture.tabIds())
      for (const e of capture.entries(tabId))
        out.push({ name: `${fx.file} ${e.exchange.id}`, ex: e.exchange });
  }
  return out;
}

/** The verdict built in full first (its title read), then copied key by key into a plain object. */
function eager(v: Verdict): Record<string, unknown> {
  expect(typeof v.title).toBe('string');
  return Object.fromEntries(Object.keys(v).map((k) => [k, v[k as keyof Verdict]]));
}

const EXCHANGES = exchangesOf();
const BROWSERS: BrowserName[] = ['chrome', 'firefox'];

describe('lazily built verdicts', () => {
  it('cover the recorded fixtures', () => {
    expect(EXCHANGES.length).toBeGreaterThan(20);
    const outcomes = new Set(EXCHANGES.map(({ ex }) => evaluate(ex).outcome));
    expect([...outcomes].sort()).toEqual(expect.arrayContaining(['allowed', 'blocked']));
  });

  for (const browser of BROWSERS) {
    it(`equal the eagerly read verdict, key for key and in JSON (${browser})`, () => {
      for (const { name, ex } of EXCHANGES) {
        const reference = eager(evaluate(ex, { browser }));
        // Read in another order: the check fields first, then one word field, then the rest.
        const lazy = evaluate(ex, { browser });
        expect(lazy.outcome, name).toBe(reference.outcome);
        expect(lazy.kind, name).toBe(reference.kind);
        expect(lazy.findings, name).toEqual(reference.findings);
        expect(Object.keys(lazy), name).toEqual(Object.keys(reference));
        expect(lazy, name).toStrictEqual(reference);
        expect(JSON.stringify(lazy), name).toBe(JSON.stringify(reference));
        // Serialized before anything was read (chrome.runtime ports, chrome.storage).
        const untouched = evaluate(ex, { browser });
        expect(JSON.stringify(untouched), name).toBe(JSON.stringify(reference));
        expect(structuredClone(evaluate(ex, { browser })), name).toStrictEqual(reference);
        expect({ ...evaluate(ex, { browser }) }, name).toStrictEqual(reference);
      }
    });
  }

  it('keep a value assigned before the words were built', () => {
    const { ex } = EXCHANGES.find(({ ex }) => evaluate(ex).outcome === 'blocked')!;
    const v = evaluate(ex);
    v.title = 'renamed';
    expect(v.title).toBe('renamed');
    expect(v.explanation.length).toBeGreaterThan(0);
    expect(v.title).toBe('renamed');
    expect(JSON.parse(JSON.stringify(v)).title).toBe('renamed');
  });
});
