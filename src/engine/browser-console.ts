/**
 * Each browser's own console message, where it is not Chrome's (explain/console.ts rebuilds Chrome's
 * for every verdict): read from each browser's profile (`BrowserProfile.consoleMessage`), keyed by
 * every {@link BrowserName}.
 */
import { PROFILES, type BrowserName, type ConsoleFormatter } from './profile';

export type { ConsoleFormatter } from './profile';

export const CONSOLE_FORMATTERS: Readonly<Record<BrowserName, ConsoleFormatter | undefined>> = {
  chrome: PROFILES.chrome.consoleMessage,
  firefox: PROFILES.firefox.consoleMessage,
};
