/**
 * Reading a HAR: the JSON, the tool that wrote it ({@link HarProducer}), and each entry as a {@link Hop}:
 * one request/response pair with what the pairing and the verdict need. Pure, and never throws: an entry
 * that cannot be read is named ({@link EntryProblem}) and left out; only a file that is not a HAR fails.
 */
import type { Entry, Har } from 'har-format';
import { BODY_START_LIMIT, getHeader, type HeaderLine, splitList } from '../engine';
import { producerOf, type HarProducer } from './producer';
import { hasFields, isArray, isRecord } from '../lib/validate';

export type HarFlavor = 'chrome' | 'firefox' | 'other';

type ChromeInitiator = { type?: string; url?: string; requestId?: string };

/** One HAR entry, read. */
export interface Hop {
  index: number;
  url: string;
  method: string;
  start: number;
  end: number;
  reqHeaders: HeaderLine[];
  /** Status 0 when the file holds no response (Playwright writes -1, others 0). */
  status: number;
  statusText: string;
  resHeaders: HeaderLine[];
  redirectURL: string;
  /** The failure the producer recorded: `response._error` (DevTools), `_failureText` (Playwright)… */
  error: string | null;
  resourceType: string | undefined;
  fromCache: boolean;
  ip: string | undefined;
  pageref: string | undefined;
  preflight: boolean;
  /** Preflight only: the actual request's method and unsafe header names. */
  acrm?: string;
  acrh?: string;
  origin: string | null;
  /** `Sec-Fetch-Mode`, lower-cased, when the request carries it. */
  mode: string | null;
  used?: boolean;
  /** The start of the response body, when the export kept it (content.text). */
  bodyStart?: string;
}

/** An entry that could not be read (left out), or a field of it that had the wrong type (ignored). */
export interface EntryProblem {
  /** Index in `log.entries`. */
  index: number;
  problem: string;
  /** Whether the entry was left out (otherwise only the field was ignored). */
  skipped: boolean;
}

export const isObj = isRecord;

function typeName(x: unknown): string {
  if (x === null) return 'null';
  if (x === undefined) return 'missing';
  if (Array.isArray(x)) return 'a list';
  return typeof x === 'object' ? 'an object' : `a ${typeof x}`;
}

/**
 * Header lines. Request lines that repeat exactly (same name, same value) are kept once: chrome-har
 * writes every request header twice (once from `requestWillBeSent`, once from its `ExtraInfo`), and a
 * repeated request line never changes what CORS decides. Response lines are kept as they are: two
 * `Access-Control-Allow-Origin` lines are a CORS failure of their own.
 */
function headersOf(list: unknown, dedupe: boolean, where: string, warn: (p: string) => void): HeaderLine[] {
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list)) {
    warn(`${where} is ${typeName(list)}, not a list`);
    return [];
  }
  const out: HeaderLine[] = [];
  const seen = dedupe && list.length > 1 ? new Set<string>() : undefined;
  let bad = 0;
  for (const h of list as unknown[]) {
    if (!isObj(h) || typeof h.name !== 'string') {
      bad++;
      continue;
    }
    // HTTP/2 pseudo-headers (:authority, :status…) are not headers for CORS.
    if (h.name.startsWith(':')) continue;
    const v = h.value;
    let value: string;
    if (typeof v === 'string') value = v;
    else if (typeof v === 'number' || typeof v === 'boolean') value = String(v);
    else if (v === undefined || v === null) value = '';
    else {
      bad++;
      continue;
    }
    if (seen) {
      const key = `${h.name.toLowerCase()}\n${value}`;
      if (seen.has(key)) continue;
      seen.add(key);
    }
    out.push({ name: h.name, value });
  }
  if (bad) warn(`${where}: ${bad} line${bad === 1 ? '' : 's'} without a text name and value`);
  return out;
}

/** `JSON.parse` with a message a person can act on (truncated files are common: downloads cut short). */
export function parseHarJson(text: string): { ok: true; har: Har } | { ok: false; error: string } {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    const truncated =
      /end of (JSON )?input|Unterminated|Expected .* after/i.test(msg) && text.trim().length > 0;
    return {
      ok: false,
      error: truncated
        ? `not valid JSON: the file ends early (truncated?): ${oneLine(msg)}`
        : text.trim() === ''
          ? 'the file is empty'
          : `not valid JSON: ${oneLine(msg)}`,
    };
  }
  return checkHarShape(data);
}

/** V8's JSON messages quote the text around the error: keep them to one short line. */
export function oneLine(s: string): string {
  // eslint-disable-next-line no-control-regex
  const t = s.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ');
  return t.length > 200 ? `${t.slice(0, 200)}…` : t;
}

/** What a HAR file must have (the rest of each entry is read defensively: readEntry). */
const isHarShape = hasFields<Har>({ log: hasFields<Har['log']>({ entries: isArray }) });

export function checkHarShape(data: unknown): { ok: true; har: Har } | { ok: false; error: string } {
  if (!isObj(data) || !isObj(data.log)) return { ok: false, error: 'not a HAR file (no "log" object)' };
  if (!isHarShape(data)) return { ok: false, error: 'not a HAR file ("log.entries" is not a list)' };
  return { ok: true, har: data };
}

/** The coarse shape the notes speak of: Chrome's, Firefox's or another tool's. */
export function harFlavor(har: Har): HarFlavor {
  return flavorOf(producerOf(har.log?.creator, har.log.entries));
}

export function flavorOf(p: HarProducer): HarFlavor {
  return p.id === 'firefox' ? 'firefox' : p.id === 'proxy' || p.id === 'other' ? 'other' : 'chrome';
}

/** The failure text a producer wrote, wherever it wrote it. */
function errorOf(entry: Record<string, unknown>, res: Record<string, unknown>): string | null {
  for (const v of [res._error, res._failureText, entry._error, entry._failureText])
    if (typeof v === 'string' && v) return v;
  return null;
}

/** One entry as a {@link Hop}, or why it cannot be read. `warn` hears of fields with a wrong type. */
export function readEntry(
  e: unknown,
  index: number,
  warn: (p: string) => void = () => undefined,
): Hop | { problem: string } {
  if (!isObj(e)) return { problem: `the entry is ${typeName(e)}, not an object` };
  if (!isObj(e.request)) return { problem: `"request" is ${typeName(e.request)}, not an object` };
  const req = e.request;
  if (typeof req.url !== 'string') return { problem: `"request.url" is ${typeName(req.url)}, not text` };
  if (e.response !== undefined && !isObj(e.response))
    warn(`"response" is ${typeName(e.response)}, not an object`);
  const res = isObj(e.response) ? e.response : {};
  const start = Date.parse(typeof e.startedDateTime === 'string' ? e.startedDateTime : '');
  if (typeof e.startedDateTime !== 'string' || !Number.isFinite(start))
    warn(`"startedDateTime" is not a date`);
  const time = typeof e.time === 'number' && e.time >= 0 && Number.isFinite(e.time) ? e.time : 0;
  const reqHeaders = headersOf(req.headers, true, '"request.headers"', warn);
  // A HAR keeps cookies twice; a tool may keep only the parsed list.
  if (!getHeader(reqHeaders, 'cookie') && Array.isArray(req.cookies) && req.cookies.length) {
    const c = (req.cookies as unknown[])
      .filter((x): x is Record<string, unknown> => isObj(x) && typeof x.name === 'string')
      .map((x) => `${String(x.name)}=${typeof x.value === 'string' ? x.value : ''}`)
      .join('; ');
    if (c) reqHeaders.push({ name: 'Cookie', value: c });
  }
  if (req.method !== undefined && typeof req.method !== 'string')
    warn(`"request.method" is ${typeName(req.method)}, not text`);
  const method = typeof req.method === 'string' && req.method ? req.method : 'GET';
  const acrm = getHeader(reqHeaders, 'access-control-request-method');
  const initiator = isObj(e._initiator) ? (e._initiator as ChromeInitiator) : undefined;
  const resourceType = typeof e._resourceType === 'string' ? e._resourceType : undefined;
  const preflight =
    resourceType === 'preflight' ||
    initiator?.type === 'preflight' ||
    (method.toUpperCase() === 'OPTIONS' && acrm !== null);
  if (res.status !== undefined && typeof res.status !== 'number')
    warn(`"response.status" is ${typeName(res.status)}, not a number`);
  // Playwright writes -1 for "no response"; others write 0.
  const status =
    typeof res.status === 'number' && Number.isFinite(res.status) && res.status > 0
      ? Math.trunc(res.status)
      : 0;
  const mode = getHeader(reqHeaders, 'sec-fetch-mode');
  const cache = e.cache;
  const hop: Hop = {
    index,
    url: req.url,
    method,
    start: Number.isFinite(start) ? start : 0,
    end: (Number.isFinite(start) ? start : 0) + time,
    reqHeaders,
    status,
    statusText: typeof res.statusText === 'string' ? res.statusText : '',
    resHeaders: headersOf(res.headers, false, '"response.headers"', warn),
    redirectURL: typeof res.redirectURL === 'string' ? res.redirectURL : '',
    error: errorOf(e, res),
    resourceType,
    fromCache:
      e._fromCache === true ||
      typeof e._fromCache === 'string' ||
      (isObj(cache) && isObj(cache.beforeRequest)),
    ip:
      typeof e.serverIPAddress === 'string' && e.serverIPAddress
        ? e.serverIPAddress.replace(/^\[|\]$/g, '')
        : undefined,
    pageref: typeof e.pageref === 'string' ? e.pageref : undefined,
    preflight,
    origin: getHeader(reqHeaders, 'origin'),
    mode: mode === null ? null : mode.trim().toLowerCase(),
  };
  // Kept for server errors only (the verdict reads an error page's words), to keep big files small.
  const body = hop.status >= 500 ? bodyStartOf(res.content) : undefined;
  if (body) hop.bodyStart = body;
  if (preflight) {
    hop.acrm = acrm ?? method;
    hop.acrh = [
      ...new Set(
        splitList(getHeader(reqHeaders, 'access-control-request-headers')).map((s) => s.toLowerCase()),
      ),
    ]
      .sort()
      .join(',');
  }
  return hop;
}

/** {@link readEntry} without the reasons (null when unreadable). */
export function toHop(e: unknown, index: number): Hop | null {
  const h = readEntry(e, index);
  return 'problem' in h ? null : h;
}

/** The start of `content.text` (base64 decoded when the export says so), or nothing. */
function bodyStartOf(content: unknown): string | undefined {
  if (!isObj(content) || typeof content.text !== 'string' || !content.text) return undefined;
  let text = content.text;
  if (content.encoding === 'base64') {
    // Bytes as Latin-1 characters: enough to find an ASCII phrase, and available in Node and browsers.
    try {
      text = atob(text.slice(0, Math.ceil((BODY_START_LIMIT * 4) / 3 / 4) * 4));
    } catch {
      return undefined;
    }
  }
  return text.slice(0, BODY_START_LIMIT) || undefined;
}

export function resolveUrl(location: string, base: string): string {
  try {
    return new URL(location, base).href;
  } catch {
    return location;
  }
}

export type { Entry };
