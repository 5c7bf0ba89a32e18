/** Test helpers for capture: recorded fixtures, a storage stand-in with real serialisation, builders. */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  Capture,
  toWebRequestEvent,
  type Changes,
  type CaptureOptions,
  type WebRequestEvent,
} from '../../src/capture';
import { evaluate } from '../../src/engine';

export const FIXTURES = resolve(import.meta.dirname, '..', 'fixtures');

export interface FixtureVerdict {
  outcome: 'blocked' | 'allowed' | 'failed';
  corsError?: string;
  failedParameter?: string;
  errorText?: string;
}

export interface Fixture {
  file: string;
  scenario: string;
  context: string;
  pageOrigin: string;
  tabId: number;
  chrome: { method: string; url: string; headerNames: string[]; verdict: FixtureVerdict }[];
  events: { event: string; details: Record<string, unknown> }[];
}

export function loadFixtures(): Fixture[] {
  return readdirSync(FIXTURES)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => ({
      file: f,
      ...(JSON.parse(readFileSync(join(FIXTURES, f), 'utf8')) as Omit<Fixture, 'file'>),
    }));
}

/**
 * The fixture's events as capture input, preceded by the page's navigation (recorded before the
 * scenario started; it tells capture the tab's origin, which attributes service-worker calls).
 */
export function fixtureEvents(fx: Fixture): WebRequestEvent[] {
  const nav: WebRequestEvent = {
    event: 'responseStarted',
    requestId: 'nav',
    url: `${fx.pageOrigin}/`,
    method: 'GET',
    type: 'main_frame',
    tabId: fx.tabId,
    frameId: 0,
    statusCode: 200,
    timeStamp: 0,
  };
  const evs = fx.events.map((e) => toWebRequestEvent(e.event, e.details));
  return [nav, ...evs.filter((e): e is WebRequestEvent => e !== undefined)];
}

/**
 * Stands in for chrome.storage.session: applies puts and removes, serialising values at the moment of
 * the call (as the real API does), so later mutation of capture's objects cannot leak into it.
 */
export class FakeSessionStorage {
  readonly items = new Map<string, unknown>();

  apply(ch: Changes | undefined): void {
    if (!ch) return;
    for (const [k, v] of Object.entries(ch.put)) this.items.set(k, JSON.parse(JSON.stringify(v)));
    for (const k of ch.remove) this.items.delete(k);
  }

  snapshot(): Record<string, unknown> {
    return Object.fromEntries([...this.items].map(([k, v]) => [k, JSON.parse(JSON.stringify(v))]));
  }

  bytes(): number {
    let n = 0;
    for (const [k, v] of this.items) n += k.length + JSON.stringify(v).length;
    return n;
  }
}

export function newCapture(options: Partial<CaptureOptions> = {}): Capture {
  return new Capture({ evaluate, ...options });
}

/** Feeds events, mirroring every change into `store`. */
export function feed(capture: Capture, events: WebRequestEvent[], store?: FakeSessionStorage): void {
  for (const ev of events) {
    const ch = capture.handle(ev);
    store?.apply(ch);
  }
}

let nextId = 1000;

/** Builds webRequest events for synthetic streams. */
export function ev(
  event: WebRequestEvent['event'],
  fields: Partial<WebRequestEvent> & { requestId: string; url: string; method: string },
): WebRequestEvent {
  return {
    event,
    type: 'xmlhttprequest',
    tabId: 7,
    frameId: 0,
    documentId: 'DOC',
    initiator: 'http://page.test',
    timeStamp: nextId++,
    ...fields,
  };
}

export const PAGE = 'http://page.test';
export const API = 'http://api.test';

export function nav(tabId: number, url: string, timeStamp = nextId++): WebRequestEvent {
  return {
    event: 'responseStarted',
    requestId: `nav${timeStamp}`,
    url,
    method: 'GET',
    type: 'main_frame',
    tabId,
    frameId: 0,
    statusCode: 200,
    timeStamp,
  };
}
