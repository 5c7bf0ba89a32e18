import { describe, expect, it } from 'vitest';
import base from '../../manifest.json' with { type: 'json' };
import { FIREFOX_MIN_VERSION, GECKO_ID, manifestFor, targetOfMode } from '../../scripts/manifest';

describe('manifestFor', () => {
  it('chrome: manifest.json unchanged (a copy)', () => {
    const m = manifestFor('chrome');
    expect(m).toEqual(base);
    expect(m).not.toBe(base);
  });

  it('firefox: MV3 event page, gecko id, minimum version, nothing collected', () => {
    const m = manifestFor('firefox') as Record<string, unknown> & typeof base;
    expect(m.manifest_version).toBe(3);
    // Firefox has no extension service worker: the same module runs as an event page.
    expect(m.background).toEqual({ scripts: [base.background.service_worker], type: 'module' });
    expect(m.browser_specific_settings).toEqual({
      gecko: {
        id: GECKO_ID,
        strict_min_version: FIREFOX_MIN_VERSION,
        data_collection_permissions: { required: ['none'] },
      },
    });
    // data_collection_permissions is rejected by Firefox 127 and older.
    expect(Number.parseFloat(FIREFOX_MIN_VERSION)).toBeGreaterThanOrEqual(128);
    expect(m).not.toHaveProperty('minimum_chrome_version');
    // Everything else is shared.
    for (const key of ['name', 'version', 'description', 'icons', 'action', 'devtools_page', 'permissions'])
      expect((m as Record<string, unknown>)[key], key).toEqual((base as Record<string, unknown>)[key]);
    expect(m.host_permissions).toEqual(['<all_urls>']);
  });

  it('does not change its source', () => {
    const before = JSON.stringify(base);
    manifestFor('firefox');
    expect(JSON.stringify(base)).toBe(before);
  });

  it('rejects an unknown target and a source without a background worker', () => {
    expect(() => manifestFor('safari' as never)).toThrow(/unknown build target "safari"/);
    const { background: _drop, ...noBackground } = base;
    expect(() => manifestFor('firefox', noBackground as never)).toThrow(/background.service_worker/);
  });

  it('targetOfMode: only --mode firefox builds Firefox', () => {
    expect(targetOfMode('firefox')).toBe('firefox');
    for (const mode of ['production', 'development', 'test', 'chrome'])
      expect(targetOfMode(mode)).toBe('chrome');
  });
});
