/**
 * Capture: `chrome.webRequest` events in, per-tab logs of exchanges out. Pure: no browser globals.
 */
export * from './events';
export * from './capture';
export { trimRequestHeaders, trimResponseHeaders, headerValue, sameOrigin, originOf } from './headers';
