/**
 * Records a page's network traffic over CDP and writes it in the shape of Chrome DevTools' HAR export:
 * one entry per request and per redirect hop, preflights as their own entries with
 * `_resourceType: "preflight"` and `_initiator: {type: "preflight", url, requestId}`, the headers as
 * sent and received (the `…ExtraInfo` events, which also carry a CORS-blocked response's status and
 * headers), and `response._error` for a failed load.
 */
import type { CDPSession } from 'playwright-core';
import type { Entry, Har, Header } from 'har-format';

interface Hop {
  requestId: string;
  url: string;
  method: string;
  type: string;
  initiator: Record<string, unknown> | undefined;
  headers: Record<string, string>;
  wallTime: number;
  timestamp: number;
  endTimestamp?: number;
  status?: number;
  statusText?: string;
  responseHeaders?: Record<string, string>;
  protocol?: string;
  ip?: string;
  redirectURL?: string;
  error?: string;
  fromCache?: boolean;
}

interface Pending {
  hops: Hop[];
  reqExtra: Record<string, string>[];
  resExtra: { statusCode: number; headers: Record<string, string> }[];
}

function headerList(h: Record<string, string> | undefined): Header[] {
  const out: Header[] = [];
  for (const [name, value] of Object.entries(h ?? {})) {
    // CDP joins repeated header lines with "\n"; DevTools' HAR lists them one by one.
    for (const v of String(value).split('\n')) out.push({ name, value: v });
  }
  return out;
}

export class HarRecorder {
  private readonly requests = new Map<string, Pending>();

  static async attach(cdp: CDPSession): Promise<HarRecorder> {
    const r = new HarRecorder();
    const on = (event: string, fn: (e: Record<string, unknown>) => void) =>
      cdp.on(event as 'Network.requestWillBeSent', fn as never);
    on('Network.requestWillBeSent', (e) => r.onRequest(e));
    on('Network.requestWillBeSentExtraInfo', (e) => {
      r.pending(String(e.requestId)).reqExtra.push(e.headers as Record<string, string>);
    });
    on('Network.responseReceived', (e) => {
      const hop = r.last(String(e.requestId));
      const res = e.response as {
        status: number;
        statusText: string;
        headers: Record<string, string>;
        protocol?: string;
        remoteIPAddress?: string;
        fromDiskCache?: boolean;
      };
      if (!hop) return;
      hop.status = res.status;
      hop.statusText = res.statusText;
      hop.responseHeaders = res.headers;
      if (res.protocol) hop.protocol = res.protocol;
      if (res.remoteIPAddress) hop.ip = res.remoteIPAddress;
      if (res.fromDiskCache) hop.fromCache = true;
    });
    on('Network.responseReceivedExtraInfo', (e) => {
      r.pending(String(e.requestId)).resExtra.push({
        statusCode: Number(e.statusCode),
        headers: e.headers as Record<string, string>,
      });
    });
    on('Network.loadingFinished', (e) => {
      const hop = r.last(String(e.requestId));
      if (hop) hop.endTimestamp = Number(e.timestamp);
    });
    on('Network.loadingFailed', (e) => {
      const hop = r.last(String(e.requestId));
      if (!hop) return;
      hop.endTimestamp = Number(e.timestamp);
      hop.error = String(e.errorText);
    });
    await cdp.send('Network.enable');
    return r;
  }

  private pending(id: string): Pending {
    let p = this.requests.get(id);
    if (!p) this.requests.set(id, (p = { hops: [], reqExtra: [], resExtra: [] }));
    return p;
  }

  private last(id: string): Hop | undefined {
    const hops = this.requests.get(id)?.hops;
    return hops?.[hops.length - 1];
  }

  private onRequest(e: Record<string, unknown>): void {
    const id = String(e.requestId);
    const p = this.pending(id);
    const request = e.request as { url: string; method: string; headers: Record<string, string> };
    const redirect = e.redirectResponse as
      | { status: number; statusText: string; headers: Record<string, string>; remoteIPAddress?: string }
      | undefined;
    const prev = p.hops[p.hops.length - 1];
    if (redirect && prev) {
      prev.status = redirect.status;
      prev.statusText = redirect.statusText;
      prev.responseHeaders = redirect.headers;
      prev.redirectURL = request.url;
      prev.endTimestamp = Number(e.timestamp);
      if (redirect.remoteIPAddress) prev.ip = redirect.remoteIPAddress;
    }
    p.hops.push({
      requestId: id,
      url: request.url,
      method: request.method,
      type: typeof e.type === 'string' ? e.type : 'Other',
      initiator: e.initiator as Record<string, unknown> | undefined,
      headers: request.headers,
      wallTime: Number(e.wallTime),
      timestamp: Number(e.timestamp),
    });
  }

  /** The recorded traffic whose URLs satisfy `keep`, as a DevTools-shaped HAR. */
  har(keep: (url: string) => boolean = () => true, pageUrl = ''): Har {
    const entries: Entry[] = [];
    for (const p of this.requests.values()) {
      p.hops.forEach((hop, i) => {
        if (!keep(hop.url)) return;
        const sentHeaders = p.reqExtra[i] ?? hop.headers;
        const resExtra = p.resExtra[i];
        const status = resExtra?.statusCode ?? hop.status ?? 0;
        const resHeaders = resExtra?.headers ?? hop.responseHeaders;
        const started = new Date(hop.wallTime * 1000).toISOString();
        const time =
          hop.endTimestamp !== undefined ? Math.max(0, (hop.endTimestamp - hop.timestamp) * 1000) : 0;
        const entry: Entry & Record<string, unknown> = {
          startedDateTime: started,
          time,
          request: {
            method: hop.method,
            url: hop.url,
            httpVersion: 'HTTP/1.1',
            headers: headerList(sentHeaders),
            queryString: [...new URL(hop.url).searchParams].map(([name, value]) => ({ name, value })),
            cookies: [],
            headersSize: -1,
            bodySize: 0,
          },
          response: {
            status,
            statusText: hop.statusText ?? '',
            httpVersion: hop.protocol ?? '',
            headers: headerList(resHeaders),
            cookies: [],
            content: { size: 0, mimeType: resHeaders?.['content-type'] ?? 'x-unknown' },
            redirectURL: hop.redirectURL ?? '',
            headersSize: -1,
            bodySize: -1,
            _transferSize: 0,
            ...(hop.error && !hop.redirectURL ? { _error: hop.error } : {}),
          },
          cache: {},
          timings: { send: 0, wait: time, receive: 0 },
          serverIPAddress: hop.ip ?? '',
          _initiator: (hop.initiator as Entry['_initiator']) ?? { type: 'other' },
          // CDP types a preflight "Other"; DevTools derives its "preflight" resource type from the initiator.
          _resourceType: (hop.initiator?.type === 'preflight'
            ? 'preflight'
            : hop.type.toLowerCase()) as Entry['_resourceType'],
          pageref: 'page_1',
        };
        if (hop.fromCache) entry._fromCache = 'disk';
        entries.push(entry);
      });
    }
    entries.sort((a, b) => a.startedDateTime.localeCompare(b.startedDateTime));
    return {
      log: {
        version: '1.2',
        creator: { name: 'WebInspector', version: '537.36' },
        pages: pageUrl
          ? [{ id: 'page_1', title: pageUrl, startedDateTime: new Date().toISOString(), pageTimings: {} }]
          : [],
        entries,
      },
    };
  }
}
