/**
 * Capture on synthetic streams: preflight pairing under concurrency (every causal ordering fast-check
 * finds), service-worker attribution, navigation reset, bounds and drop counts, and robustness.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { toWebRequestEvent, type WebRequestEvent } from '../../src/capture';
import { getHeader } from '../../src/engine/headers';
import { trimRequestHeaders, trimResponseHeaders } from '../../src/capture/headers';
import type { ObservedPreflight } from '../../src/engine/types';
import { API, FakeSessionStorage, PAGE, ev, feed, nav, newCapture } from './helpers';

const TAB = 7;
const URL1 = `${API}/items?run=1`;

interface Spec {
  method: string;
  header: string;
  pass: boolean;
}

/** The event chain of one preflighted request, in its own causal order. */
function chain(i: number, spec: Spec): WebRequestEvent[] {
  const a = `a${i}`;
  const p = `p${i}`;
  const base = { url: URL1 };
  const preflightHeaders = [
    { name: 'Access-Control-Request-Method', value: spec.method },
    { name: 'Access-Control-Request-Headers', value: spec.header },
    { name: 'Origin', value: PAGE },
  ];
  const preflightResponse = [
    { name: 'Access-Control-Allow-Origin', value: PAGE },
    { name: 'Access-Control-Allow-Methods', value: 'PUT, DELETE, PATCH' },
    { name: 'Access-Control-Allow-Headers', value: spec.pass ? spec.header : 'x-other' },
  ];
  const evs: WebRequestEvent[] = [
    ev('beforeRequest', { ...base, requestId: a, method: spec.method }),
    ev('beforeRequest', { ...base, requestId: p, method: 'OPTIONS' }),
    ev('sendHeaders', { ...base, requestId: p, method: 'OPTIONS', requestHeaders: preflightHeaders }),
    ev('headersReceived', {
      ...base,
      requestId: p,
      method: 'OPTIONS',
      statusCode: 204,
      responseHeaders: preflightResponse,
    }),
    ev('completed', {
      ...base,
      requestId: p,
      method: 'OPTIONS',
      statusCode: 204,
      responseHeaders: preflightResponse,
    }),
  ];
  if (spec.pass) {
    const ok = [{ name: 'Access-Control-Allow-Origin', value: PAGE }];
    evs.push(
      ev('sendHeaders', {
        ...base,
        requestId: a,
        method: spec.method,
        requestHeaders: [
          { name: spec.header, value: '1' },
          { name: 'Origin', value: PAGE },
        ],
      }),
      ev('headersReceived', {
        ...base,
        requestId: a,
        method: spec.method,
        statusCode: 200,
        responseHeaders: ok,
      }),
      ev('completed', { ...base, requestId: a, method: spec.method, statusCode: 200, responseHeaders: ok }),
    );
  } else {
    evs.push(ev('errorOccurred', { ...base, requestId: a, method: spec.method, error: 'net::ERR_FAILED' }));
  }
  return evs;
}

/** Interleaves chains by `picks` (each pick chooses the next chain to advance), keeping each chain's order. */
function interleave(chains: WebRequestEvent[][], picks: number[]): WebRequestEvent[] {
  const pos = chains.map(() => 0);
  const out: WebRequestEvent[] = [];
  let k = 0;
  const total = chains.reduce((n, c) => n + c.length, 0);
  while (out.length < total) {
    const live = chains.map((c, i) => i).filter((i) => (pos[i] ?? 0) < (chains[i]?.length ?? 0));
    const pick = live[(picks[k++ % Math.max(1, picks.length)] ?? 0) % live.length] as number;
    out.push((chains[pick] as WebRequestEvent[])[pos[pick] as number] as WebRequestEvent);
    pos[pick] = (pos[pick] ?? 0) + 1;
  }
  // Time follows the interleaving.
  return out.map((e, i) => ({ ...e, timeStamp: 1000 + i }));
}

const acrhOf = (pre: ObservedPreflight | undefined): string | null =>
  getHeader(pre?.requestHeaders, 'access-control-request-headers');

describe('preflight pairing under concurrency', () => {
  const spec = fc.array(
    fc.record({ method: fc.constantFrom('PUT', 'DELETE', 'PATCH'), pass: fc.boolean() }),
    { minLength: 1, maxLength: 6 },
  );

  it('gives every request one preflight of its own method and fate, and sent requests exactly their own', () => {
    fc.assert(
      fc.property(spec, fc.array(fc.nat(), { minLength: 1, maxLength: 80 }), (specs, picks) => {
        const full: Spec[] = specs.map((s, i) => ({ ...s, header: `x-h${i}` }));
        const capture = newCapture();
        capture.handle(nav(TAB, `${PAGE}/`));
        feed(
          capture,
          interleave(
            full.map((s, i) => chain(i, s)),
            picks,
          ),
        );
        const entries = capture.entries(TAB);
        expect(entries.length).toBe(full.length);
        const used = new Set<string>();
        for (const e of entries) {
          const i = Number(e.exchange.id.slice(1));
          const s = full[i] as Spec;
          const pre = e.exchange.legs[0]?.preflight;
          expect(pre, `request ${i} has a preflight`).toBeDefined();
          expect(getHeader(pre?.requestHeaders, 'access-control-request-method')).toBe(s.method);
          const acrh = acrhOf(pre) as string;
          used.add(acrh);
          // Its preflight had the same fate: the header it asked for was allowed iff the request went out.
          expect(full.find((f) => f.header === acrh)?.pass).toBe(s.pass);
          if (s.pass) expect(acrh).toBe(s.header);
          expect(e.summary?.outcome).toBe(s.pass ? 'allowed' : 'blocked');
        }
        expect(used.size).toBe(full.length);
      }),
      { numRuns: 400 },
    );
  });

  it('pairs exactly when methods differ, whatever the order', () => {
    fc.assert(
      fc.property(
        fc.shuffledSubarray(['PUT', 'DELETE', 'PATCH'], { minLength: 1 }),
        fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }),
        fc.array(fc.nat(), { minLength: 1, maxLength: 40 }),
        (methods, passes, picks) => {
          const full: Spec[] = methods.map((m, i) => ({
            method: m,
            header: `x-h${i}`,
            pass: passes[i] ?? true,
          }));
          const capture = newCapture();
          capture.handle(nav(TAB, `${PAGE}/`));
          feed(
            capture,
            interleave(
              full.map((s, i) => chain(i, s)),
              picks,
            ),
          );
          for (const e of capture.entries(TAB)) {
            const i = Number(e.exchange.id.slice(1));
            expect(acrhOf(e.exchange.legs[0]?.preflight)).toBe(full[i]?.header);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('does not invent a preflight for a request whose preflight came from the cache', () => {
    const capture = newCapture();
    capture.handle(nav(TAB, `${PAGE}/`));
    const evs = chain(0, { method: 'PUT', header: 'x-a', pass: true }).filter(
      (e) => !e.requestId.startsWith('p'),
    );
    feed(capture, evs);
    const [e] = capture.entries(TAB);
    expect(e?.exchange.legs[0]?.preflight).toBeUndefined();
    expect(e?.summary?.outcome).toBe('allowed');
  });

  it("treats the page's own OPTIONS request as a request, with its own preflight", () => {
    const capture = newCapture();
    capture.handle(nav(TAB, `${PAGE}/`));
    const url = `${API}/opt`;
    const acao = [
      { name: 'Access-Control-Allow-Origin', value: PAGE },
      { name: 'Access-Control-Allow-Methods', value: 'OPTIONS' },
    ];
    feed(capture, [
      ev('beforeRequest', { requestId: 'o1', url, method: 'OPTIONS' }),
      ev('beforeRequest', { requestId: 'o2', url, method: 'OPTIONS' }),
      ev('sendHeaders', {
        requestId: 'o2',
        url,
        method: 'OPTIONS',
        requestHeaders: [{ name: 'Access-Control-Request-Method', value: 'OPTIONS' }],
      }),
      ev('completed', { requestId: 'o2', url, method: 'OPTIONS', statusCode: 204, responseHeaders: acao }),
      ev('sendHeaders', {
        requestId: 'o1',
        url,
        method: 'OPTIONS',
        requestHeaders: [{ name: 'Origin', value: PAGE }],
      }),
      ev('completed', { requestId: 'o1', url, method: 'OPTIONS', statusCode: 200, responseHeaders: acao }),
    ]);
    const entries = capture.entries(TAB);
    expect(entries.map((e) => e.exchange.id)).toEqual(['o1']);
    expect(entries[0]?.preflightIds).toEqual(['o2']);
    expect(entries[0]?.exchange.outcome).toEqual({ state: 'completed', statusCode: 200 });
  });
});

describe('what is recorded', () => {
  const simple = (id: string, extra: Partial<WebRequestEvent> = {}): WebRequestEvent[] => [
    ev('beforeRequest', { requestId: id, url: `${API}/${id}`, method: 'GET', ...extra }),
    ev('errorOccurred', {
      requestId: id,
      url: `${API}/${id}`,
      method: 'GET',
      error: 'net::ERR_FAILED',
      ...extra,
    }),
  ];

  it('ignores same-origin calls, extension calls and browser-initiated calls', () => {
    const capture = newCapture();
    capture.handle(nav(TAB, `${PAGE}/`));
    feed(capture, [
      ...simple('same', { url: `${PAGE}/x` }),
      ...simple('ext', { initiator: 'chrome-extension://abcdefghijklmnop' }),
      ...simple('none', { initiator: undefined }),
      ...simple('cross'),
    ]);
    expect(capture.entries(TAB).map((e) => e.exchange.id)).toEqual(['cross']);
  });

  it("attributes a page service worker's calls (tabId -1) to the tab showing its origin", () => {
    const capture = newCapture();
    capture.handle(nav(3, 'http://other.test/', 1));
    capture.handle(nav(4, `${PAGE}/old`, 2));
    capture.handle(nav(5, `${PAGE}/page`, 3));
    feed(capture, simple('sw', { tabId: -1, frameId: -1, documentId: undefined }));
    feed(
      capture,
      simple('stranger', { tabId: -1, frameId: -1, documentId: undefined, initiator: 'http://nobody.test' }),
    );
    expect(capture.entries(5).map((e) => e.exchange.id)).toEqual(['sw']);
    expect(capture.entries(5)[0]?.exchange.tabId).toBe(5);
    expect(capture.entries(4)).toEqual([]);
    expect(capture.entries(3)).toEqual([]);
    expect(capture.size).toBe(1);
  });

  it('ends a call redirected to a scheme webRequest does not cover, where its events stop (Chromium 156)', () => {
    const capture = newCapture();
    capture.handle(nav(TAB, `${PAGE}/`));
    const redirected = (id: string, location: string): WebRequestEvent[] => {
      const base = { requestId: id, url: `${API}/${id}`, method: 'GET' };
      const headers = [
        { name: 'Access-Control-Allow-Origin', value: '*' },
        { name: 'Location', value: location },
      ];
      return [
        ev('beforeRequest', base),
        ev('sendHeaders', { ...base, requestHeaders: [{ name: 'Origin', value: PAGE }] }),
        ev('headersReceived', { ...base, statusCode: 302, responseHeaders: headers }),
        ev('beforeRedirect', { ...base, statusCode: 302, responseHeaders: headers, redirectUrl: location }),
      ];
    };
    feed(capture, [
      ...redirected('ftp', 'ftp://files.test/a'),
      ...redirected('ws', 'ws://api.test/socket'),
      ...redirected('http', `${API}/next`),
    ]);
    const byId = new Map(capture.entries(TAB).map((e) => [e.exchange.id, e]));
    expect(byId.get('ftp')?.exchange.outcome).toEqual({ state: 'failed', error: 'net::ERR_FAILED' });
    expect(byId.get('ftp')?.summary).toMatchObject({
      outcome: 'blocked',
      kind: 'redirect-to-non-http-scheme.cors-disabled',
      chromeError: 'CorsDisabledScheme',
    });
    expect(byId.get('ws')?.exchange.outcome).toEqual({
      state: 'failed',
      error: 'net::ERR_UNKNOWN_URL_SCHEME',
    });
    expect(byId.get('ws')?.summary?.outcome).toBe('failed');
    // An http(s) target is followed: the call goes on.
    expect(byId.get('http')?.exchange.outcome).toEqual({ state: 'pending' });
  });

  it('starts the log afresh on navigation, unless Preserve log is on', () => {
    const capture = newCapture();
    capture.handle(nav(TAB, `${PAGE}/`));
    feed(capture, simple('a'));
    expect(capture.tab(TAB).blocked).toBe(1);
    const ch = capture.handle(nav(TAB, `${PAGE}/next`));
    expect(ch?.cleared).toEqual([{ tabId: TAB, reason: 'navigation' }]);
    expect(ch?.remove).toContain('x:a');
    expect(ch?.badges).toContain(TAB);
    expect(capture.entries(TAB)).toEqual([]);
    expect(capture.tab(TAB).blocked).toBe(0);

    capture.setPreserveLog(TAB, true);
    feed(capture, simple('b'));
    const kept = capture.handle(nav(TAB, `${PAGE}/again`));
    expect(kept?.cleared ?? []).toEqual([]);
    expect(capture.entries(TAB).map((e) => e.exchange.id)).toEqual(['b']);
    expect(capture.tab(TAB).blocked).toBe(1);
    // A redirect or a 204 does not replace the document.
    capture.setPreserveLog(TAB, false);
    expect(capture.handle({ ...nav(TAB, `${PAGE}/r`), statusCode: 302 })).toBeUndefined();
    expect(capture.entries(TAB).length).toBe(1);
  });

  it('keeps the log bounded, dropping the oldest first and counting them', () => {
    const store = new FakeSessionStorage();
    const capture = newCapture({ maxEntriesPerTab: 3, maxEntriesTotal: 5 });
    store.apply(capture.handle(nav(1, `${PAGE}/`)));
    store.apply(capture.handle(nav(2, `${PAGE}/`)));
    for (const id of ['a', 'b', 'c', 'd', 'e']) feed(capture, simple(id, { tabId: 1 }), store);
    expect(capture.entries(1).map((e) => e.exchange.id)).toEqual(['c', 'd', 'e']);
    expect(capture.tab(1).dropped).toBe(2);
    expect(capture.tab(1).blocked).toBe(5);
    for (const id of ['f', 'g', 'h']) feed(capture, simple(id, { tabId: 2 }), store);
    // 6 > 5 in total: the globally oldest (c, of tab 1) goes.
    expect(capture.entries(1).map((e) => e.exchange.id)).toEqual(['d', 'e']);
    expect(capture.tab(1).dropped).toBe(3);
    expect(capture.size).toBe(5);
    // Storage mirrors memory: no dropped entry lingers.
    const keys = [...store.items.keys()].filter((k) => k.startsWith('x:')).sort();
    expect(keys).toEqual(['x:d', 'x:e', 'x:f', 'x:g', 'x:h']);
    const restored = newCapture({ maxEntriesPerTab: 3, maxEntriesTotal: 5 });
    restored.restore(store.snapshot());
    expect(restored.tab(1)).toEqual(capture.tab(1));
    expect(restored.entries(2)).toEqual(capture.entries(2));
  });

  it('clears on request and forgets closed tabs', () => {
    const store = new FakeSessionStorage();
    const capture = newCapture();
    store.apply(capture.handle(nav(TAB, `${PAGE}/`)));
    feed(capture, simple('a'), store);
    const ch = capture.clear(TAB);
    store.apply(ch);
    expect(ch.cleared).toEqual([{ tabId: TAB, reason: 'user' }]);
    expect(capture.entries(TAB)).toEqual([]);
    feed(capture, simple('b'), store);
    store.apply(capture.removeTab(TAB));
    expect(store.items.size).toBe(0);
  });
});

describe('headers kept', () => {
  it('keeps CORS and stack hints, redacts cookie values, drops noise', () => {
    const res = trimResponseHeaders([
      { name: 'Access-Control-Allow-Origin', value: PAGE },
      { name: 'Server', value: 'nginx' },
      { name: 'X-Powered-By', value: 'Express' },
      { name: 'cf-ray', value: '123-AMS' },
      { name: 'Set-Cookie', value: 'sid=secret; Path=/; SameSite=None; Secure' },
      { name: 'Date', value: 'Mon' },
      { name: 'Content-Security-Policy', value: "default-src 'self'" },
      { name: 'Vary', value: 'Origin' },
    ]);
    expect(res).toEqual([
      { name: 'Access-Control-Allow-Origin', value: PAGE },
      { name: 'Server', value: 'nginx' },
      { name: 'X-Powered-By', value: 'Express' },
      { name: 'cf-ray', value: '123-AMS' },
      { name: 'Set-Cookie', value: 'sid=…; Path=/; SameSite=None; Secure' },
      { name: 'Vary', value: 'Origin' },
    ]);
    const req = trimRequestHeaders([
      { name: 'Origin', value: PAGE },
      { name: 'Cookie', value: 'a=1; b=2' },
      { name: 'User-Agent', value: 'Mozilla' },
      { name: 'Accept-Language', value: 'x'.repeat(200) },
    ]);
    expect(req).toEqual([
      { name: 'Origin', value: PAGE },
      { name: 'Cookie', value: 'a=…; b=…' },
      { name: 'Accept-Language', value: 'x'.repeat(200) },
    ]);
  });
});

describe('malformed input', () => {
  it('counts an event it could not fold, drops it and keeps going', () => {
    const capture = newCapture();
    capture.handle(nav(TAB, `${PAGE}/`));
    capture.handle(ev('beforeRequest', { requestId: 'r1', url: URL1, method: 'GET' }));
    expect(capture.unreadableEvents).toBe(0);
    // Not from toWebRequestEvent (which would drop the bad field): response headers that are no list.
    const bad = ev('headersReceived', {
      requestId: 'r1',
      url: URL1,
      method: 'GET',
      statusCode: 200,
      responseHeaders: 42 as unknown as WebRequestEvent['responseHeaders'],
    });
    const changes = capture.handle(bad);
    expect(capture.unreadableEvents).toBe(1);
    expect(capture.lastUnreadableError).toMatch(/^headersReceived r1: /);
    // It threw before anything was written to the change list: nothing to store.
    expect(changes).toBeUndefined();
    capture.handle(bad);
    expect(capture.unreadableEvents).toBe(2);
    // The request is still logged and finishes normally.
    capture.handle(
      ev('completed', {
        requestId: 'r1',
        url: URL1,
        method: 'GET',
        statusCode: 200,
        responseHeaders: [{ name: 'Access-Control-Allow-Origin', value: '*' }],
      }),
    );
    expect(capture.entries(TAB).map((e) => e.exchange.outcome)).toEqual([
      { state: 'completed', statusCode: 200 },
    ]);
    expect(capture.unreadableEvents).toBe(2);
  });

  it('never throws, whatever the event or the stored state', () => {
    const anyHeaders = fc.array(
      fc.record({ name: fc.oneof(fc.string(), fc.constant('origin')), value: fc.option(fc.string()) }),
    );
    const detail = fc.record(
      {
        requestId: fc.oneof(fc.constantFrom('1', '2', '3'), fc.integer(), fc.anything()),
        url: fc.oneof(fc.constantFrom(URL1, `${PAGE}/x`, 'not a url', ''), fc.anything()),
        method: fc.oneof(fc.constantFrom('GET', 'PUT', 'OPTIONS'), fc.anything()),
        tabId: fc.oneof(fc.constantFrom(-1, TAB), fc.anything()),
        initiator: fc.oneof(fc.constantFrom(PAGE, 'null'), fc.anything()),
        type: fc.constantFrom('xmlhttprequest', 'main_frame', 'image'),
        timeStamp: fc.oneof(fc.double(), fc.anything()),
        requestHeaders: fc.oneof(anyHeaders, fc.anything()),
        responseHeaders: fc.oneof(anyHeaders, fc.anything()),
        statusCode: fc.oneof(fc.integer(), fc.anything()),
        redirectUrl: fc.oneof(fc.constant(URL1), fc.anything()),
        error: fc.anything(),
      },
      { requiredKeys: [] },
    );
    const eventName = fc.constantFrom(
      'beforeRequest',
      'sendHeaders',
      'headersReceived',
      'beforeRedirect',
      'responseStarted',
      'completed',
      'errorOccurred',
      'bogus',
    );
    fc.assert(
      fc.property(
        fc.array(fc.tuple(eventName, fc.oneof(detail, fc.anything())), { maxLength: 40 }),
        fc.dictionary(fc.string(), fc.anything()),
        (events, stored) => {
          const capture = newCapture({ maxEntriesPerTab: 4, maxEntriesTotal: 6 });
          capture.restore(stored);
          capture.restore({ 'x:1': { seq: 'no' }, 't:1': null, 'x:2': { seq: 1, exchange: { legs: [] } } });
          capture.handle(nav(TAB, `${PAGE}/`));
          for (const [name, d] of events) {
            const e = toWebRequestEvent(name, d);
            if (e) capture.handle(e);
          }
          expect(capture.entries(TAB).length).toBeLessThanOrEqual(4);
        },
      ),
      { numRuns: 300 },
    );
  });
});
