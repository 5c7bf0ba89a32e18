// Service worker entry. Listeners are registered synchronously at top level so that events wake it.
import browser from '../platform/browser';

browser.runtime.onInstalled.addListener(() => undefined);
