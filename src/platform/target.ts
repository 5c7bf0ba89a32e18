/**
 * Which browser this build is for: `npm run build` builds dist/chrome and dist/firefox from the same
 * source, and Vite replaces `__CORS_LENS_TARGET__` in each (vite.config.ts). Unit tests run without
 * the replacement and get Chrome.
 */
declare const __CORS_LENS_TARGET__: string | undefined;

export type BuildTarget = 'chrome' | 'firefox';

export const TARGET: BuildTarget =
  typeof __CORS_LENS_TARGET__ !== 'undefined' && __CORS_LENS_TARGET__ === 'firefox' ? 'firefox' : 'chrome';
