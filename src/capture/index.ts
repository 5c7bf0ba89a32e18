/**
 * Capture: `chrome.webRequest` events in, per-tab logs of exchanges out. Pure: no browser globals.
 */
export * from './events';
export { Capture, DEFAULT_MAX_PER_TAB, DEFAULT_MAX_TOTAL, type CaptureOptions } from './capture';
export { emptyChanges, type Changes, type EntryChange } from './changes';
export {
  ENTRY_PREFIX,
  SAME_ORIGIN_PREFIX,
  TAB_PREFIX,
  type StoredEntry,
  type StoredTab,
  type VerdictSummary,
} from './stored';
export { trimRequestHeaders, trimResponseHeaders, sameOrigin } from './headers';
