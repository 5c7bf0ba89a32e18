/**
 * Same-origin redirect tracking. A same-origin request is not CORS and is not logged, unless it redirects
 * cross-origin: from that leg on it is a CORS request (with a tainted origin), and its first leg matters
 * to the verdict. So every same-origin request is remembered briefly (in memory, bounded), and stored
 * under `s:<requestId>` only between a cross-origin redirect and its next leg, to survive a worker stop.
 */
import type { Leg } from '../engine';
import type { ChangeCollector } from './changes';
import type { WebRequestEvent } from './events';
import { mergeResponse, responseOf, sameOrigin } from './headers';
import { SAME_ORIGIN_PREFIX, type SameOriginRequest } from './stored';

/** At most this many same-origin requests are remembered at once (the oldest is forgotten first). */
export const MAX_SAME_ORIGIN = 1000;

/** A same-origin request just redirected cross-origin: from here on it is an exchange to log. */
export interface BecameCrossOrigin {
  request: SameOriginRequest;
  /** Its same-origin leg (with the redirect response when one was seen). */
  firstLeg: Leg;
}

export class SameOriginTracker {
  private readonly requests = new Map<string, SameOriginRequest>();

  constructor(private readonly changes: ChangeCollector) {}

  get size(): number {
    return this.requests.size;
  }

  get(requestId: string): SameOriginRequest | undefined {
    return this.requests.get(requestId);
  }

  /** A same-origin request started (`onBeforeRequest`). */
  start(ev: WebRequestEvent, tabId: number): void {
    if (this.requests.size >= MAX_SAME_ORIGIN) {
      const oldest = this.requests.keys().next().value;
      if (oldest !== undefined) this.requests.delete(oldest);
    }
    this.requests.set(ev.requestId, { requestId: ev.requestId, tabId, url: ev.url, start: ev.timeStamp });
  }

  /**
   * The worker restarted while a same-origin request was in flight and the first event seen is its
   * redirect: it matters only if it now redirects cross-origin (its start time is then the redirect's).
   */
  startAtRedirect(ev: WebRequestEvent, tabId: number): void {
    const request: SameOriginRequest = { requestId: ev.requestId, tabId, url: ev.url, start: ev.timeStamp };
    this.requests.set(ev.requestId, request);
    this.onEvent(request, ev);
  }

  /** A request read back from storage after a restart. */
  restore(request: SameOriginRequest): void {
    this.requests.set(request.requestId, request);
  }

  /**
   * Folds one event of a tracked request. Returns what is needed to log it when it just left its origin
   * (its next leg started on another origin); it is then no longer tracked here.
   */
  onEvent(request: SameOriginRequest, ev: WebRequestEvent): BecameCrossOrigin | undefined {
    switch (ev.event) {
      case 'headersReceived':
        request.response = responseOf(ev);
        return undefined;
      case 'beforeRedirect':
        if (!request.response) request.response = responseOf(ev);
        else mergeResponse(request.response, ev);
        if (ev.redirectUrl !== undefined) request.redirectUrl = ev.redirectUrl;
        if (ev.redirectUrl !== undefined && ev.initiator && !sameOrigin(ev.redirectUrl, ev.initiator)) {
          // About to become a CORS request: keep it across a worker restart.
          request.persisted = true;
          this.changes.current.put[SAME_ORIGIN_PREFIX + request.requestId] = { ...request };
        }
        return undefined;
      case 'beforeRequest': {
        if (ev.initiator && sameOrigin(ev.url, ev.initiator)) {
          request.url = ev.url;
          delete request.response;
          delete request.redirectUrl;
          return undefined;
        }
        // Redirected cross-origin: from here on it is a CORS request.
        this.forget(request);
        const firstLeg: Leg = { url: request.url, redirectUrl: ev.url };
        if (request.response) firstLeg.response = request.response;
        return { request, firstLeg };
      }
      case 'completed':
      case 'errorOccurred':
        this.forget(request);
        return undefined;
      default:
        return undefined;
    }
  }

  private forget(request: SameOriginRequest): void {
    this.requests.delete(request.requestId);
    if (request.persisted) this.changes.current.remove.push(SAME_ORIGIN_PREFIX + request.requestId);
  }
}
