/**
 * `--browser`: which browser's rules judge the call. The single seam for browser profiles: the engine
 * has Chrome's rules today; Firefox's arrive with their own profile and are wired in here.
 */
export type BrowserName = 'chrome' | 'firefox';

export interface BrowserProfile {
  name: BrowserName;
  label: string;
}

const PROFILES: Partial<Record<BrowserName, BrowserProfile>> = {
  chrome: { name: 'chrome', label: 'Chrome' },
};

export function browserProfile(
  name: string,
): { ok: true; value: BrowserProfile } | { ok: false; error: string } {
  const n = name.toLowerCase();
  if (n !== 'chrome' && n !== 'firefox')
    return { ok: false, error: `"${name}" is not a browser this tool knows (chrome or firefox)` };
  const p = PROFILES[n];
  if (!p) return { ok: false, error: 'Firefox rules are not available yet; use --browser chrome' };
  return { ok: true, value: p };
}
