import { describe, expect, it } from 'vitest';
import { CORS_TYPES, LISTENERS, listenersFor } from '../../src/background/listeners';

describe('listenersFor', () => {
  it("chrome: every listener asks for 'extraHeaders' (else Chrome hides preflights and Origin)", () => {
    const { listeners, types } = listenersFor('chrome');
    expect(listeners).toEqual(LISTENERS);
    for (const l of listeners) expect(l.extraInfoSpec).toContain('extraHeaders');
    expect(types).toEqual([...CORS_TYPES]);
  });

  it("firefox: no 'extraHeaders' (Firefox rejects it), no empty options array, the same events", () => {
    const { listeners, types } = listenersFor('firefox');
    expect(listeners.map((l) => l.event)).toEqual(LISTENERS.map((l) => l.event));
    for (const l of listeners) {
      expect(l.extraInfoSpec ?? []).not.toContain('extraHeaders');
      // An empty array made the registration throw in Firefox: the argument is left out instead.
      if (l.extraInfoSpec) expect(l.extraInfoSpec.length).toBeGreaterThan(0);
    }
    expect(listeners.find((l) => l.event === 'beforeRequest')).toEqual({ event: 'beforeRequest' });
    expect(listeners.find((l) => l.event === 'sendHeaders')?.extraInfoSpec).toEqual(['requestHeaders']);
    expect(listeners.find((l) => l.event === 'completed')?.extraInfoSpec).toEqual(['responseHeaders']);
    // Firefox's own types for sendBeacon and <img srcset>.
    expect(types).toEqual([...CORS_TYPES, 'beacon', 'imageset']);
  });

  it('does not change the shared Chrome list', () => {
    listenersFor('firefox');
    for (const l of LISTENERS) expect(l.extraInfoSpec).toContain('extraHeaders');
  });
});
