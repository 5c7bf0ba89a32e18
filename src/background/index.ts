/**
 * Background entry (a service worker in Chrome, an event page in Firefox): starts the glue (worker.ts) on the real extension API at top level, so every
 * listener is registered synchronously and events wake a stopped worker, and publishes its read API
 * for tests and debugging (evaluate it in the worker: `globalThis.__corsLens`).
 */
import browser from '../platform/browser';
import { evaluate } from '../engine';
import { TARGET } from '../platform/target';
import { startWorker, type CorsLensDebug } from './worker';

const debug = startWorker(
  {
    storage: browser.storage.session,
    action: browser.action,
    tabs: browser.tabs,
    runtime: browser.runtime,
    webRequest: browser.webRequest,
  },
  // Verdicts by the rules of the browser this build runs in.
  { evaluate: (exchange) => evaluate(exchange, { browser: TARGET }), target: TARGET },
);

declare global {
  /** The worker's read API (tests and debugging). */
  var __corsLens: CorsLensDebug | undefined;
}

globalThis.__corsLens = debug;
