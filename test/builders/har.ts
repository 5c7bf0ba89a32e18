/**
 * HAR builders: entries written the way the producers write them (docs/har-producers.md), for the HAR
 * reader's tests and the benches. `harEntry` is one HAR 1.2 entry with every field a producer always
 * writes, in their order; producer extras (`_resourceType`, `_initiator`, `_error`, a leading `pageref`)
 * go in `extra` / `resExtra` / `pageref`. `harFile` wraps entries in a log with a producer's creator.
 */

export type HarHeaders = Record<string, string | string[]>;

/** HAR header lines, one per value, in the record's order (repeated lines as arrays). */
export function harHeaders(o: HarHeaders): { name: string; value: string }[] {
  return Object.entries(o).flatMap(([name, v]) =>
    (Array.isArray(v) ? v : [v]).map((value) => ({ name, value })),
  );
}

export const HAR_T0 = Date.parse('2026-03-01T10:00:00.000Z');

export interface HarEntrySpec {
  url: string;
  /** Start, in ms after `t0`. */
  ms?: number;
  /** Defaults to HAR_T0. */
  t0?: number;
  method?: string;
  req?: HarHeaders;
  /** 0 for a call that got no answer (what Chrome and Firefox write). */
  status?: number;
  res?: HarHeaders;
  redirectURL?: string;
  mimeType?: string;
  /** Total time, all of it waiting (default 5 ms). */
  time?: number;
  /** Written first, as chrome-har and Playwright do. */
  pageref?: string;
  /** Fields after `timings` (`_resourceType`, `_initiator`, a trailing `pageref`…). */
  extra?: Record<string, unknown>;
  /** Fields at the end of `response` (`_error`, `_transferSize`…). */
  resExtra?: Record<string, unknown>;
}

export function harEntry(e: HarEntrySpec) {
  const time = e.time ?? 5;
  return {
    ...(e.pageref ? { pageref: e.pageref } : {}),
    startedDateTime: new Date((e.t0 ?? HAR_T0) + (e.ms ?? 0)).toISOString(),
    time,
    request: {
      method: e.method ?? 'GET',
      url: e.url,
      httpVersion: 'HTTP/1.1',
      headers: harHeaders(e.req ?? {}),
      queryString: [],
      cookies: [],
      headersSize: -1,
      bodySize: 0,
    },
    response: {
      status: e.status ?? 200,
      statusText: '',
      httpVersion: 'HTTP/1.1',
      headers: harHeaders(e.res ?? {}),
      cookies: [],
      content: { size: 0, mimeType: e.mimeType ?? '' },
      redirectURL: e.redirectURL ?? '',
      headersSize: -1,
      bodySize: -1,
      ...e.resExtra,
    },
    cache: {},
    timings: { send: 0, wait: time, receive: 0 },
    ...e.extra,
  };
}

export type HarEntry = ReturnType<typeof harEntry>;

/** The `creator` (and `browser`) each producer writes. */
export const PRODUCERS = {
  chrome: { creator: { name: 'WebInspector', version: '537.36' } },
  firefox: { creator: { name: 'Firefox', version: '153.0' }, browser: { name: 'Firefox', version: '153.0' } },
} as const;

export interface HarFileSpec {
  creator: { name: string; version: string };
  browser?: { name: string; version: string };
  pages?: unknown[];
}

/** A HAR file's text: `{ log: { version, creator, [browser], pages, entries } }`. */
export function harFile(producer: HarFileSpec, entries: unknown[]): string {
  return JSON.stringify({
    log: {
      version: '1.2',
      creator: producer.creator,
      ...(producer.browser ? { browser: producer.browser } : {}),
      pages: producer.pages ?? [],
      entries,
    },
  });
}
