/**
 * Capture over the real event streams recorded from Chromium (test/fixtures/*.json, written by
 * `RECORD=1 npx playwright test verdicts`): pairing, legs and outcome, and the engine's verdict over the
 * captured exchange equals Chrome's verdict recorded from CDP in the same run.
 */
import { describe, expect, it } from 'vitest';
import type { StoredEntry } from '../../src/capture';
import { getHeader } from '../../src/engine/headers';
import { redirectMethod } from '../../src/engine/status';
import { evaluate } from '../../src/engine';
import { FakeSessionStorage, feed, fixtureEvents, loadFixtures, newCapture, type Fixture } from './helpers';

const fixtures = loadFixtures().map((fx) => {
  // Chrome's list may include requests made before recording started (e.g. a cookie set-up call).
  const urls = new Set(fx.events.map((e) => String(e.details.url)));
  return { ...fx, chrome: fx.chrome.filter((c) => urls.has(c.url)) };
});

/**
 * Entries as JSON for comparing runs. A same-origin request redirected cross-origin while the worker
 * was stopped before its redirect starts when the redirect was seen (its start was never stored, to
 * keep same-origin traffic free of storage writes): its startTime is left out.
 */
function comparable(entries: StoredEntry[]): string {
  return JSON.stringify(
    entries.map((e) => {
      const x = e.exchange;
      const first = x.legs[0]?.url ?? '';
      if (x.initiator && first.startsWith(`${x.initiator}/`))
        return { ...e, exchange: { ...x, startTime: 0 } };
      return e;
    }),
  );
}

function tagOf(fx: Fixture): string {
  const url = fx.chrome[0]?.url ?? '';
  return new URL(url).searchParams.get('run') ?? new URL(url).searchParams.get('setup') ?? '';
}

const custom = (names: string[]): string =>
  names
    .map((n) => n.toLowerCase())
    .filter((n) => n.startsWith('x-'))
    .sort()
    .join(',');

function row(
  method: string,
  names: string[],
  v: { outcome: string; chromeError?: string; failedParameter?: string },
) {
  return {
    request: `${method} ${custom(names)}`,
    outcome: v.outcome,
    chromeError: v.chromeError || undefined,
    failedParameter: v.failedParameter || undefined,
  };
}

function exchangeNames(e: StoredEntry): string[] {
  const leg = e.exchange.legs[0];
  const sent = leg?.requestHeaders?.map((h) => h.name) ?? [];
  if (sent.length) return sent;
  return (getHeader(leg?.preflight?.requestHeaders, 'access-control-request-headers') ?? '').split(',');
}

/** The method each leg was sent with (the redirect rewrite is src/engine/status.ts's `redirectMethod`). */
function legMethods(e: StoredEntry): string[] {
  let method = e.exchange.method;
  return e.exchange.legs.map((leg) => {
    const now = method;
    method = redirectMethod(method, leg.response?.statusCode ?? 0).method;
    return now;
  });
}

const sortRows = <T extends { request: string }>(rows: T[]): T[] =>
  [...rows].sort((a, b) => (a.request < b.request ? -1 : a.request > b.request ? 1 : 0));

describe('capture over recorded Chromium streams', () => {
  it('has the recorded scenarios', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(40);
  });

  for (const fx of fixtures) {
    describe(fx.scenario, () => {
      const capture = newCapture();
      feed(capture, fixtureEvents(fx));
      const entries = capture.entries(fx.tabId);

      it('records one finished exchange per request, in the page tab', () => {
        expect(entries.length).toBe(fx.chrome.length);
        for (const e of entries) {
          expect(e.exchange.tabId).toBe(fx.tabId);
          expect(e.exchange.outcome.state).not.toBe('pending');
          expect(e.summary).toBeDefined();
        }
      });

      it('builds the legs and outcome from the events', () => {
        for (const e of entries) {
          const mine = fx.events.filter((r) => r.details.requestId === e.exchange.id);
          // One leg per onBeforeRequest of that request (the first, then one per followed redirect).
          const urls = mine.filter((r) => r.event === 'beforeRequest').map((r) => r.details.url);
          expect(urls.length).toBeGreaterThan(0);
          expect(e.exchange.legs.map((l) => l.url)).toEqual(urls);
          // Each leg but the last redirected to the next one.
          expect(e.exchange.legs.slice(0, -1).map((l) => l.redirectUrl)).toEqual(urls.slice(1));
          const last = mine[mine.length - 1];
          if (last?.event === 'completed')
            expect(e.exchange.outcome).toEqual({ state: 'completed', statusCode: last.details.statusCode });
          if (last?.event === 'errorOccurred')
            expect(e.exchange.outcome).toEqual({ state: 'failed', error: last.details.error });
        }
      });

      it('pairs every preflight with its own request and leg', () => {
        const preflightIds = new Set(
          fx.events
            .filter(
              (r) =>
                r.event === 'sendHeaders' &&
                r.details.method === 'OPTIONS' &&
                getHeader(r.details.requestHeaders as never, 'access-control-request-method') !== null,
            )
            .map((r) => String(r.details.requestId)),
        );
        const linked: string[] = [];
        for (const e of entries) {
          const methods = legMethods(e);
          (e.preflightIds ?? []).forEach((id, i) => {
            if (!id) return;
            linked.push(id);
            const leg = e.exchange.legs[i];
            const pre = leg?.preflight;
            expect(pre?.url).toBe(leg?.url);
            const acrm = getHeader(pre?.requestHeaders, 'access-control-request-method');
            expect(acrm).toBe(methods[i]);
            // The preflight's events really are that request's: same URL, after the actual started.
            const br = fx.events.find((r) => r.event === 'beforeRequest' && r.details.requestId === id);
            expect(br?.details.url).toBe(leg?.url);
          });
          // When the actual was sent, its custom headers are exactly what its preflight asked for.
          for (const leg of e.exchange.legs) {
            if (!leg.preflight || !leg.requestHeaders) continue;
            const asked = custom(
              (getHeader(leg.preflight.requestHeaders, 'access-control-request-headers') ?? '').split(','),
            );
            expect(custom(leg.requestHeaders.map((h) => h.name))).toBe(asked);
          }
        }
        expect(new Set(linked)).toEqual(preflightIds);
        expect(linked.length).toBe(preflightIds.size);
      });

      it("gives Chrome's verdict (evaluate over the captured exchange)", () => {
        const expected = sortRows(
          fx.chrome.map((c) =>
            row(c.method, c.headerNames, { ...c.verdict, chromeError: c.verdict.corsError }),
          ),
        );
        const actual = sortRows(
          entries.map((e) => row(e.exchange.method, exchangeNames(e), evaluate(e.exchange))),
        );
        expect(actual).toEqual(expected);
      });

      it('loses nothing when the worker stops at any point of the stream', () => {
        const events = fixtureEvents(fx);
        const reference = comparable(entries);
        for (let cut = 1; cut < events.length; cut++) {
          const store = new FakeSessionStorage();
          const before = newCapture();
          feed(before, events.slice(0, cut), store);
          const after = newCapture();
          after.restore(store.snapshot());
          feed(after, events.slice(cut), store);
          expect(comparable(after.entries(fx.tabId)), `stopped after event ${cut}`).toBe(reference);
          // And what is stored equals what is in memory.
          const again = newCapture();
          again.restore(store.snapshot());
          expect(comparable(again.entries(fx.tabId)), `restored after event ${cut}`).toBe(reference);
        }
      });
    });
  }

  it('has a tag in every recorded request', () => {
    for (const fx of fixtures) expect(tagOf(fx)).not.toBe('');
  });
});
