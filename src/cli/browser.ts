/**
 * `--browser`: which browser's rules judge the call. The single seam for browser profiles: the engine
 * judges with the named profile (src/engine/profile.ts); request construction is Chrome's for both.
 */
export type BrowserName = 'chrome' | 'firefox';

export interface BrowserProfile {
  name: BrowserName;
  label: string;
}

const PROFILES: Record<BrowserName, BrowserProfile> = {
  chrome: { name: 'chrome', label: 'Chrome' },
  firefox: { name: 'firefox', label: 'Firefox' },
};

export function browserProfile(
  name: string,
): { ok: true; value: BrowserProfile } | { ok: false; error: string } {
  const n = name.toLowerCase();
  if (n !== 'chrome' && n !== 'firefox')
    return { ok: false, error: `"${name}" is not a browser this tool knows (chrome or firefox)` };
  return { ok: true, value: PROFILES[n] };
}
