import { describe, expect, it } from 'vitest';
import { normalizeDetails } from '../../src/platform/details';

describe('normalizeDetails', () => {
  const ff = { requestId: '7', url: 'http://api.test/x', method: 'GET', tabId: 2 };

  it.each([
    ['http://page.test:8080/app/index.html', 'http://page.test:8080'],
    ['https://page.test/worker.js', 'https://page.test'],
    ['blob:https://page.test/3f1c', 'https://page.test'],
    ['data:text/html,<p>x', 'null'],
    ['about:srcdoc', 'null'],
    ['moz-extension://6c6f7273-6c65/src/panel/panel.html', 'moz-extension://6c6f7273-6c65'],
  ])('firefox: originUrl %s -> initiator %s', (originUrl, initiator) => {
    expect(normalizeDetails('firefox', { ...ff, originUrl })).toEqual({ ...ff, originUrl, initiator });
  });

  it('firefox: keeps an initiator that is already there, and details without originUrl', () => {
    const withInitiator = { ...ff, initiator: 'http://a.test', originUrl: 'http://b.test/' };
    expect(normalizeDetails('firefox', withInitiator)).toBe(withInitiator);
    expect(normalizeDetails('firefox', ff)).toBe(ff);
    const bad = { ...ff, originUrl: 'not a url' };
    expect(normalizeDetails('firefox', bad)).toBe(bad);
  });

  it("firefox: a sandboxed frame's request (documentId, no originUrl nor documentUrl) has the opaque origin", () => {
    const sandboxed = { ...ff, type: 'image', frameId: 17179869185, documentId: 'f9f08ef3-a9ff' };
    expect(normalizeDetails('firefox', sandboxed)).toEqual({ ...sandboxed, initiator: 'null' });
    // Browser-initiated loads (no document) stay without an initiator.
    expect(normalizeDetails('firefox', ff)).toBe(ff);
    const page = { ...sandboxed, documentUrl: 'http://page.test/' };
    expect(normalizeDetails('firefox', page)).toBe(page);
  });

  it('chrome: untouched; bad input passes through for capture to reject', () => {
    const chrome = { ...ff, originUrl: 'http://page.test/' };
    expect(normalizeDetails('chrome', chrome)).toBe(chrome);
    expect(normalizeDetails('firefox', null)).toBe(null);
    expect(normalizeDetails('firefox', 'x')).toBe('x');
  });
});
