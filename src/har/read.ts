/**
 * Reading a HAR: the JSON, the exporter (Chrome DevTools, Firefox, other), and each entry as a
 * {@link Hop}: one request/response pair with what the pairing and the verdict need. Pure.
 */
import type { Entry, Har, Header } from 'har-format';
import { getHeader, splitList } from '../engine/headers';
import { BODY_START_LIMIT, type HeaderLine } from '../engine/types';

export type HarFlavor = 'chrome' | 'firefox' | 'other';

type ChromeInitiator = { type?: string; url?: string; requestId?: string };
type AnyEntry = Entry & { response: Entry['response'] & { _error?: string | null } };

/** One HAR entry, read. */
export interface Hop {
  index: number;
  url: string;
  method: string;
  start: number;
  end: number;
  reqHeaders: HeaderLine[];
  status: number;
  statusText: string;
  resHeaders: HeaderLine[];
  redirectURL: string;
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
  used?: boolean;
  /** The start of the response body, when the export kept it (content.text). */
  bodyStart?: string;
}

export function isObj(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function headersOf(list: unknown): HeaderLine[] {
  if (!Array.isArray(list)) return [];
  const out: HeaderLine[] = [];
  for (const h of list as Header[]) {
    if (!isObj(h) || typeof h.name !== 'string') continue;
    // HTTP/2 pseudo-headers (:authority, :status…) are not headers for CORS.
    if (h.name.startsWith(':')) continue;
    out.push({ name: h.name, value: typeof h.value === 'string' ? h.value : String(h.value ?? '') });
  }
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
        ? `not valid JSON: the file ends early (truncated?): ${msg}`
        : text.trim() === ''
          ? 'the file is empty'
          : `not valid JSON: ${msg}`,
    };
  }
  if (!isObj(data) || !isObj(data.log)) return { ok: false, error: 'not a HAR file (no "log" object)' };
  if (!Array.isArray(data.log.entries))
    return { ok: false, error: 'not a HAR file ("log.entries" is not a list)' };
  return { ok: true, har: data as unknown as Har };
}

export function harFlavor(har: Har): HarFlavor {
  const name = String(har.log?.creator?.name ?? '').toLowerCase();
  const entries = har.log.entries as unknown[];
  if (name.includes('firefox')) return 'firefox';
  if (name === 'webinspector' || entries.some((e) => isObj(e) && '_resourceType' in e)) return 'chrome';
  return 'other';
}

export function toHop(e: unknown, index: number): Hop | null {
  if (!isObj(e) || !isObj(e.request) || typeof e.request.url !== 'string') return null;
  const entry = e as unknown as AnyEntry;
  const req = entry.request;
  const res = (isObj(entry.response) ? entry.response : {}) as Partial<AnyEntry['response']>;
  const start = Date.parse(String(entry.startedDateTime ?? ''));
  const time = typeof entry.time === 'number' && entry.time >= 0 ? entry.time : 0;
  const reqHeaders = headersOf(req.headers);
  // A HAR keeps cookies twice; a tool may keep only the parsed list.
  if (!getHeader(reqHeaders, 'cookie') && Array.isArray(req.cookies) && req.cookies.length) {
    const c = req.cookies
      .filter((x) => isObj(x) && typeof x.name === 'string')
      .map((x) => `${x.name}=${String(x.value ?? '')}`)
      .join('; ');
    if (c) reqHeaders.push({ name: 'Cookie', value: c });
  }
  const method = typeof req.method === 'string' && req.method ? req.method : 'GET';
  const acrm = getHeader(reqHeaders, 'access-control-request-method');
  const initiator = isObj(entry._initiator) ? (entry._initiator as ChromeInitiator) : undefined;
  const preflight =
    entry._resourceType === 'preflight' ||
    initiator?.type === 'preflight' ||
    (method.toUpperCase() === 'OPTIONS' && acrm !== null);
  const error = typeof res._error === 'string' && res._error ? res._error : null;
  const hop: Hop = {
    index,
    url: req.url,
    method,
    start: Number.isFinite(start) ? start : 0,
    end: (Number.isFinite(start) ? start : 0) + time,
    reqHeaders,
    status: typeof res.status === 'number' ? res.status : 0,
    statusText: typeof res.statusText === 'string' ? res.statusText : '',
    resHeaders: headersOf(res.headers),
    redirectURL: typeof res.redirectURL === 'string' ? res.redirectURL : '',
    error,
    resourceType: typeof entry._resourceType === 'string' ? entry._resourceType : undefined,
    fromCache: !!entry._fromCache || (isObj(entry.cache) && (isObj(entry.cache.beforeRequest) || false)),
    ip:
      typeof entry.serverIPAddress === 'string' && entry.serverIPAddress
        ? entry.serverIPAddress.replace(/^\[|\]$/g, '')
        : undefined,
    pageref: typeof entry.pageref === 'string' ? entry.pageref : undefined,
    preflight,
    origin: getHeader(reqHeaders, 'origin'),
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
