/**
 * The only import of webextension-polyfill: every other module that needs the extension API takes it
 * from here, so the Firefox build and the tests have one seam.
 */
import browser from 'webextension-polyfill';

export default browser;
export type { Runtime, WebRequest, Tabs } from 'webextension-polyfill';
