/**
 * One manifest source (manifest.json, written in Chrome's shape), one generated manifest per browser.
 * The version is not in manifest.json: it comes from package.json, the one version number of the
 * extension, the npm package and `cors-lens --version`.
 * `npm run build` calls {@link manifestFor} once per target (vite.config.ts).
 *
 * Firefox differs in:
 * - `background`: an event page (`background.scripts`, ES module) instead of a service worker, which
 *   Firefox does not support for extensions.
 * - `browser_specific_settings.gecko`: the add-on id (addons.mozilla.org and the test harness's pinned
 *   UUID key on it), `strict_min_version` and `data_collection_permissions` saying that nothing is
 *   collected. Firefox 127 and older reject that key, and it is only honoured from Firefox 140
 *   (addons-linter warns below that), so the minimum is 140 (the 140 ESR line and later).
 * - `browser_specific_settings.gecko_android.strict_min_version` 142: Firefox for Android honours
 *   `data_collection_permissions` from 142 (addons-linter warns without this). Firefox for Android has
 *   no DevTools, so CORS Lens does nothing there; the key only states the truth about that key.
 * - No `minimum_chrome_version` (Firefox ignores it with a warning).
 */
import base from '../manifest.json' with { type: 'json' };
import pkg from '../package.json' with { type: 'json' };

export type Target = 'chrome' | 'firefox';
export const TARGETS: readonly Target[] = ['chrome', 'firefox'];

/** The add-on id in Firefox. Stable: stored data and the test harness's UUID pin are keyed by it. */
export const GECKO_ID = 'cors-lens@cors-lens.dev';
export const FIREFOX_MIN_VERSION = '140.0';
export const FIREFOX_ANDROID_MIN_VERSION = '142.0';

type Manifest = typeof base & Record<string, unknown>;

/** The version of everything CORS Lens ships (package.json's). */
export const VERSION: string = pkg.version;

export interface FirefoxManifest {
  manifest_version: 3;
  background: { scripts: string[]; type: 'module' };
  browser_specific_settings: {
    gecko: {
      id: string;
      strict_min_version: string;
      data_collection_permissions: { required: string[] };
    };
    gecko_android: { strict_min_version: string };
  };
  [key: string]: unknown;
}

export function isTarget(value: unknown): value is Target {
  return value === 'chrome' || value === 'firefox';
}

/** The manifest for one browser, from manifest.json. Throws on an unknown target. */
export function manifestFor(target: Target, source: Manifest = base): Record<string, unknown> {
  if (!isTarget(target)) throw new Error(`unknown build target ${JSON.stringify(target)}: chrome or firefox`);
  // The version right after the name, where a reader of the built manifest looks for it.
  const { manifest_version, name, ...rest } = structuredClone(source);
  const m: Record<string, unknown> = { manifest_version, name, version: VERSION, ...rest };
  if (target === 'chrome') return m;
  const worker = source.background?.service_worker;
  if (typeof worker !== 'string') throw new Error('manifest.json: background.service_worker is missing');
  delete m.minimum_chrome_version;
  const firefox: FirefoxManifest = {
    ...m,
    manifest_version: 3,
    background: { scripts: [worker], type: 'module' },
    browser_specific_settings: {
      gecko: {
        id: GECKO_ID,
        strict_min_version: FIREFOX_MIN_VERSION,
        // Nothing leaves the browser: see docs/privacy.md.
        data_collection_permissions: { required: ['none'] },
      },
      gecko_android: { strict_min_version: FIREFOX_ANDROID_MIN_VERSION },
    },
  };
  return firefox;
}

/** The build target named by Vite's mode (`vite build --mode firefox`); anything else is Chrome. */
export function targetOfMode(mode: string): Target {
  return mode === 'firefox' ? 'firefox' : 'chrome';
}
