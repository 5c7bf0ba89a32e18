/**
 * Which `chrome.webRequest` events the worker listens to, for which resource types, with which options.
 * Shared by the worker and the overhead benchmark's bare extension (which must register the same set).
 *
 * Choices, to keep the per-request cost low (every listener is an IPC per request):
 * - Resource types: only those that can make a CORS request. `xmlhttprequest` (fetch, XHR, and their
 *   preflights), `script` and `stylesheet` (module scripts, `crossorigin`), `image` and `media`
 *   (`crossorigin`), `font` (always CORS), `ping` (`sendBeacon` with a non-safelisted type), `other`
 *   (EventSource and anything Chrome cannot classify). Not `sub_frame`, `object`, `websocket`,
 *   `csp_report`.
 * - Events: `onBeforeSendHeaders` and `onResponseStarted` add nothing that `onSendHeaders` and
 *   `onCompleted` do not have, so they are not registered.
 * - `'extraHeaders'` on every listener: without it Chrome hides preflights, `Origin` and blocked responses.
 *   Request-header listeners use `['requestHeaders','extraHeaders']`, response-header listeners
 *   `['responseHeaders','extraHeaders']`.
 * - Navigations: one `onResponseStarted` listener for `main_frame` (log reset, the tab's origin).
 *
 * Firefox ({@link listenersFor}): no `'extraHeaders'` (Firefox rejects the value and shows preflights,
 * `Origin` and blocked responses anyway), and no options argument at all when nothing is left (an empty
 * array makes the registration throw). Two more resource types exist there: `beacon` (`sendBeacon`)
 * and `imageset` (`<img srcset>` / `<picture>`).
 */
export const CORS_TYPES = [
  'xmlhttprequest',
  'script',
  'stylesheet',
  'image',
  'font',
  'media',
  'ping',
  'other',
] as const;

export const URLS = ['http://*/*', 'https://*/*'];

export type ListenedEvent =
  'beforeRequest' | 'sendHeaders' | 'headersReceived' | 'beforeRedirect' | 'completed' | 'errorOccurred';

export const LISTENERS: readonly { event: ListenedEvent; extraInfoSpec: string[] }[] = [
  { event: 'beforeRequest', extraInfoSpec: ['extraHeaders'] },
  { event: 'sendHeaders', extraInfoSpec: ['requestHeaders', 'extraHeaders'] },
  { event: 'headersReceived', extraInfoSpec: ['responseHeaders', 'extraHeaders'] },
  { event: 'beforeRedirect', extraInfoSpec: ['responseHeaders', 'extraHeaders'] },
  { event: 'completed', extraInfoSpec: ['responseHeaders', 'extraHeaders'] },
  { event: 'errorOccurred', extraInfoSpec: ['extraHeaders'] },
];

/** Extra resource types Firefox reports for CORS-capable loads (Chrome rejects unknown types in a filter). */
export const FIREFOX_EXTRA_TYPES = ['beacon', 'imageset'] as const;

export interface ListenerSpec {
  event: ListenedEvent;
  /** Omitted when there is nothing to ask for. */
  extraInfoSpec?: string[];
}

/** The listeners and resource types for one browser. */
export function listenersFor(target: 'chrome' | 'firefox'): {
  listeners: ListenerSpec[];
  types: string[];
} {
  if (target === 'chrome') {
    return {
      listeners: LISTENERS.map((l) => ({ event: l.event, extraInfoSpec: [...l.extraInfoSpec] })),
      types: [...CORS_TYPES],
    };
  }
  return {
    listeners: LISTENERS.map((l) => {
      const spec = l.extraInfoSpec.filter((v) => v !== 'extraHeaders');
      return spec.length > 0 ? { event: l.event, extraInfoSpec: spec } : { event: l.event };
    }),
    types: [...CORS_TYPES, ...FIREFOX_EXTRA_TYPES],
  };
}

/** The `chrome.webRequest` events the worker listens to, by their name on `chrome.webRequest`. */
export type WebRequestEventKey =
  | 'onBeforeRequest'
  | 'onSendHeaders'
  | 'onHeadersReceived'
  | 'onBeforeRedirect'
  | 'onResponseStarted'
  | 'onCompleted'
  | 'onErrorOccurred';

/** The `chrome.webRequest` event object for a listened event name. */
export const EVENT_KEYS: Record<ListenedEvent, WebRequestEventKey> = {
  beforeRequest: 'onBeforeRequest',
  sendHeaders: 'onSendHeaders',
  headersReceived: 'onHeadersReceived',
  beforeRedirect: 'onBeforeRedirect',
  completed: 'onCompleted',
  errorOccurred: 'onErrorOccurred',
};
