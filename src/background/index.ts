/**
 * Service worker entry: starts the glue (worker.ts) on the real extension API at top level, so every
 * listener is registered synchronously and events wake a stopped worker, and publishes its read API
 * for tests and debugging (evaluate it in the worker: `globalThis.__corsLens`).
 */
import browser from '../platform/browser';
import { evaluate } from '../engine';
import { startWorker, type CorsLensDebug, type WebRequestEvents } from './worker';

const debug = startWorker(
  {
    storage: browser.storage.session,
    action: browser.action,
    tabs: browser.tabs,
    runtime: browser.runtime,
    webRequest: browser.webRequest as unknown as WebRequestEvents,
  },
  { evaluate },
);

(globalThis as unknown as { __corsLens: CorsLensDebug }).__corsLens = debug;
