/**
 * `--browser`: which browser's rules judge the call. The single seam for browser profiles: the engine
 * judges with the named profile (src/engine/profile.ts); request construction is Chrome's for both.
 * The list of names and their labels comes from the engine's profiles, so the command line (options,
 * help, MCP schema) names a browser the engine gains without a change here.
 */
import { type BrowserName, BROWSERS, profileOf } from '../engine';

export type { BrowserName };

export interface BrowserProfile {
  name: BrowserName;
  label: string;
}

/** The browser whose rules judge a call when `--browser` is not given. */
export const DEFAULT_BROWSER: BrowserName = 'chrome';

/** Every browser the engine has a profile for, in the engine's order. */
export const BROWSER_NAMES: readonly BrowserName[] = BROWSERS;

/** "a or b", "a, b or c". */
export function orList(items: readonly string[]): string {
  return items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} or ${items.at(-1)}`;
}

export function browserProfile(
  name: string,
): { ok: true; value: BrowserProfile } | { ok: false; error: string } {
  const n = BROWSER_NAMES.find((b) => b === name.toLowerCase());
  if (n === undefined)
    return { ok: false, error: `"${name}" is not a browser this tool knows (${orList(BROWSER_NAMES)})` };
  return { ok: true, value: { name: n, label: labelOf(n) } };
}

/** The browser's name for people ("Chrome"). */
export function labelOf(name: BrowserName): string {
  return profileOf(name).label;
}
