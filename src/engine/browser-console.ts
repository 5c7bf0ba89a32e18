/**
 * Each browser's own console message, where it is not Chrome's (explain/console.ts rebuilds Chrome's
 * for every verdict): keyed by every {@link BrowserName}, so a new browser profile does not compile
 * until it says how its console words a blocked call (or that it has no formatter of its own).
 */
import { firefoxConsoleMessage } from './firefox-console';
import type { BrowserName } from './profile';
import type { Exchange, Verdict } from './types';

/** Builds the console message for a verdict the browser logs under `reason`; undefined: none known. */
export type ConsoleFormatter = (ex: Exchange, v: Verdict, reason: string) => string | undefined;

export const CONSOLE_FORMATTERS: Readonly<Record<BrowserName, ConsoleFormatter | undefined>> = {
  chrome: undefined,
  firefox: firefoxConsoleMessage,
};
