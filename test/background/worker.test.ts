/**
 * The worker glue over an in-memory extension API: restore before events, panels (hello, snapshot,
 * pushes, malformed messages), badges, urgent and batched storage writes, and capture's health.
 */
import { describe, expect, it } from 'vitest';
import { startWorker } from '../../src/background/worker';
import { evaluate } from '../../src/engine';
import { PORT_NAME, PROTOCOL_VERSION, type WorkerToPanel } from '../../src/shared/protocol';
import { FakeBrowser } from './fake-browser';

const TAB = 7;
const PAGE = 'https://app.test';
const URL = 'https://api.test/items';

let time = 1000;
/** A webRequest details object of a call from the page to the API. */
const details = (requestId: string, extra: Record<string, unknown> = {}) => ({
  requestId,
  url: URL,
  method: 'GET',
  type: 'xmlhttprequest',
  tabId: TAB,
  frameId: 0,
  initiator: PAGE,
  timeStamp: time++,
  ...extra,
});

/** A GET the server answers without `Access-Control-Allow-Origin`: blocked. */
function blockedCall(browser: FakeBrowser, requestId: string): void {
  browser.fire('onBeforeRequest', details(requestId));
  browser.fire('onSendHeaders', details(requestId, { requestHeaders: [{ name: 'Origin', value: PAGE }] }));
  browser.fire('onHeadersReceived', details(requestId, { statusCode: 200, responseHeaders: [] }));
  browser.fire('onErrorOccurred', details(requestId, { error: 'net::ERR_FAILED' }));
}

function start(browser = new FakeBrowser()) {
  const warnings: [string, unknown][] = [];
  const debug = startWorker(browser.api(), { evaluate, warn: (m, d) => warnings.push([m, d]), flushMs: 0 });
  return { browser, debug, warnings };
}

const types = (posted: unknown[]) => posted.map((m) => (m as WorkerToPanel).type);

describe('worker glue', () => {
  it('registers its listeners at once and folds events that came before the restore, in order', async () => {
    const { browser, debug } = start();
    expect([...browser.webRequestListeners.keys()].sort()).toEqual([
      'onBeforeRedirect',
      'onBeforeRequest',
      'onCompleted',
      'onErrorOccurred',
      'onHeadersReceived',
      'onResponseStarted',
      'onSendHeaders',
    ]);
    expect(browser.onConnect.listeners).toHaveLength(1);
    blockedCall(browser, '1');
    expect(debug.tabIds()).toEqual([]);
    await debug.ready;
    expect(debug.entries(TAB).map((e) => [e.exchange.id, e.verdict.outcome, e.verdict.chromeError])).toEqual([
      ['1', 'blocked', 'MissingAllowOriginHeader'],
    ]);
    expect(browser.badges.get(TAB)).toMatchObject({ text: '1', color: '#c5221f' });
  });

  it('keeps the log across a restart through storage', async () => {
    const first = start();
    await first.debug.ready;
    blockedCall(first.browser, '1');
    await first.debug.flush();
    expect(first.debug.idle()).toBe(true);
    const again = new FakeBrowser();
    for (const [k, v] of first.browser.storage.items) again.storage.items.set(k, v);
    const second = start(again);
    await second.debug.ready;
    expect(second.debug.stored(TAB)).toEqual(first.debug.stored(TAB));
    expect(second.debug.tab(TAB).blocked).toBe(1);
  });

  it('answers hello with a snapshot, then pushes upserts, settings and clears to that panel', async () => {
    const { browser, debug } = start();
    await debug.ready;
    blockedCall(browser, '1');
    const panel = browser.connect(PORT_NAME);
    const elsewhere = browser.connect(PORT_NAME);
    panel.send({ type: 'hello', protocol: PROTOCOL_VERSION, tabId: TAB });
    elsewhere.send({ type: 'hello', protocol: PROTOCOL_VERSION, tabId: TAB + 1 });
    expect(panel.posted[0]).toMatchObject({
      type: 'snapshot',
      protocol: PROTOCOL_VERSION,
      tabId: TAB,
      dropped: 0,
      settings: { preserveLog: false },
      health: { unreadableEvents: 0 },
      entries: [{ exchange: { id: '1' }, verdict: { outcome: 'blocked' } }],
    });
    blockedCall(browser, '2');
    panel.send({ type: 'set-preserve-log', tabId: TAB, preserveLog: true });
    // A setting is written at once, not batched.
    expect(browser.storage.calls.at(-1)).toMatchObject({ set: { [`t:${TAB}`]: { preserveLog: true } } });
    panel.send({ type: 'clear', tabId: TAB });
    expect(types(panel.posted)).toEqual([
      'snapshot',
      'upsert',
      'upsert',
      'upsert',
      'upsert',
      'settings',
      'cleared',
    ]);
    expect(panel.posted.at(-2)).toEqual({ type: 'settings', tabId: TAB, settings: { preserveLog: true } });
    expect(types(elsewhere.posted)).toEqual(['snapshot']);
    expect(debug.entries(TAB)).toEqual([]);
    expect(browser.badges.get(TAB)?.text).toBe('');
  });

  it('stops pushing to a panel that went away', async () => {
    const { browser, debug } = start();
    await debug.ready;
    const panel = browser.connect(PORT_NAME);
    panel.send({ type: 'hello', protocol: PROTOCOL_VERSION, tabId: TAB });
    panel.disconnect();
    blockedCall(browser, '1');
    expect(types(panel.posted)).toEqual(['snapshot']);
  });

  it('says so to a panel of another protocol version', async () => {
    const { browser, debug } = start();
    await debug.ready;
    const panel = browser.connect(PORT_NAME);
    panel.send({ type: 'hello', protocol: 999, tabId: TAB });
    blockedCall(browser, '1');
    expect(panel.posted).toEqual([
      { type: 'version-mismatch', workerProtocol: PROTOCOL_VERSION, panelProtocol: 999 },
    ]);
  });

  it('drops a malformed panel message with a counted warning, and ignores other ports', async () => {
    const { browser, debug, warnings } = start();
    await debug.ready;
    const panel = browser.connect(PORT_NAME);
    panel.send({ type: 'clear', tabId: String(TAB) });
    panel.send({ type: 'set-preserve-log', tabId: TAB, preserveLog: 'yes' });
    panel.send('hello');
    expect(debug.health().rejectedMessages).toBe(3);
    expect(warnings.map(([m]) => m)).toEqual([
      'CORS Lens: dropped a malformed panel message (1 so far)',
      'CORS Lens: dropped a malformed panel message (2 so far)',
      'CORS Lens: dropped a malformed panel message (3 so far)',
    ]);
    expect(debug.tab(TAB).preserveLog).toBe(false);
    expect(panel.posted).toEqual([]);
    const stranger = browser.connect('someone-else');
    expect(stranger.onMessage.listeners).toHaveLength(0);
  });

  it('counts an event capture could not read and tells the panels', async () => {
    // A record stored in a shape capture cannot fold an event into (a response without a header list).
    const browser = new FakeBrowser();
    browser.storage.items.set('x:9', {
      seq: 0,
      exchange: {
        id: '9',
        method: 'GET',
        type: 'xmlhttprequest',
        tabId: TAB,
        initiator: PAGE,
        startTime: 1,
        legs: [{ url: URL, response: { statusCode: 200, headers: null } }],
        outcome: { state: 'pending' },
      },
    });
    const { debug, warnings } = start(browser);
    await debug.ready;
    const panel = browser.connect(PORT_NAME);
    panel.send({ type: 'hello', protocol: PROTOCOL_VERSION, tabId: TAB });
    browser.fire('onCompleted', details('9', { statusCode: 200, responseHeaders: [] }));
    expect(debug.health()).toMatchObject({ unreadableEvents: 1, rejectedMessages: 0 });
    expect(debug.health().lastUnreadableError).toMatch(/^completed 9: /);
    expect(panel.posted.at(-1)).toEqual({ type: 'health', health: { unreadableEvents: 1 } });
    expect(warnings.map(([m]) => m)).toEqual(['CORS Lens: could not read a webRequest event']);
    // Capture keeps going.
    blockedCall(browser, '1');
    expect(debug.entries(TAB).map((e) => e.exchange.id)).toEqual(['9', '1']);
    const again = browser.connect(PORT_NAME);
    again.send({ type: 'hello', protocol: PROTOCOL_VERSION, tabId: TAB });
    expect(again.posted[0]).toMatchObject({ type: 'snapshot', health: { unreadableEvents: 1 } });
  });
});
