import { describe, expect, it } from 'vitest';
import base from '../../manifest.json' with { type: 'json' };
import pkg from '../../package.json' with { type: 'json' };
import {
  FIREFOX_ANDROID_MIN_VERSION,
  FIREFOX_MIN_VERSION,
  GECKO_ID,
  manifestFor,
  targetOfMode,
  VERSION,
} from '../../scripts/manifest';

describe('manifestFor', () => {
  it("chrome: manifest.json with package.json's version (a copy)", () => {
    const m = manifestFor('chrome');
    expect(m).toEqual({ ...base, version: pkg.version });
    expect(m).not.toBe(base);
  });

  it('one version number: package.json is its only source', () => {
    // manifest.json has none, so it cannot drift; both manifests take package.json's.
    expect(base).not.toHaveProperty('version');
    expect(VERSION).toBe(pkg.version);
    expect(pkg.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(manifestFor('chrome').version).toBe(pkg.version);
    expect(manifestFor('firefox').version).toBe(pkg.version);
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
      // Firefox for Android honours data_collection_permissions from 142 (addons-linter's warning).
      gecko_android: { strict_min_version: FIREFOX_ANDROID_MIN_VERSION },
    });
    // data_collection_permissions is rejected by Firefox 127 and older.
    expect(Number.parseFloat(FIREFOX_MIN_VERSION)).toBeGreaterThanOrEqual(128);
    expect(m).not.toHaveProperty('minimum_chrome_version');
    // Everything else is shared.
    for (const key of ['name', 'description', 'icons', 'action', 'devtools_page', 'permissions'])
      expect((m as Record<string, unknown>)[key], key).toEqual((base as Record<string, unknown>)[key]);
    expect(m.version).toBe(pkg.version);
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
