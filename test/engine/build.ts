/**
 * Compact builders for engine test rows: an exchange described as the browser would show it.
 */
import type { Exchange, HeaderList, Leg, ObservedPreflight } from '../../src/engine/types';

export const PAGE = 'https://app.example.com';
export const API = 'https://api.example.com';
export const OTHER = 'https://cdn.example.net';

export type Headers = Record<string, string | string[]>;

export function hl(h: Headers = {}): HeaderList {
  return Object.entries(h).flatMap(([name, v]) =>
    (Array.isArray(v) ? v : [v]).map((value) => ({ name, value })),
  );
}

export interface PreflightSpec {
  acrm?: string;
  acrh?: string;
  status?: number;
  headers?: Headers;
  error?: string;
  origin?: string;
}

export interface LegSpec {
  url: string;
  /** Request headers as sent; `false` = the leg was never sent. */
  sent?: Headers | false;
  status?: number;
  headers?: Headers;
  preflight?: PreflightSpec;
  redirectTo?: string;
  fromCache?: boolean;
}

export interface ExchangeSpec {
  method?: string;
  type?: string;
  initiator?: string;
  legs: LegSpec[];
  /** `completed`, `pending`, or a net error such as `net::ERR_FAILED`. */
  outcome: string;
}

function preflight(url: string, p: PreflightSpec, method: string, origin: string): ObservedPreflight {
  const req: Headers = {
    Accept: '*/*',
    'Access-Control-Request-Method': p.acrm ?? method,
    Origin: p.origin ?? origin,
  };
  if (p.acrh !== undefined) req['Access-Control-Request-Headers'] = p.acrh;
  return {
    url,
    requestHeaders: hl(req),
    ...(p.error ? { error: p.error } : { response: { statusCode: p.status ?? 204, headers: hl(p.headers) } }),
  };
}

let seq = 0;
export function exchange(spec: ExchangeSpec): Exchange {
  const method = spec.method ?? 'GET';
  const initiator = spec.initiator ?? PAGE;
  const legs: Leg[] = spec.legs.map((l, i) => {
    const leg: Leg = { url: l.url };
    if (l.preflight) leg.preflight = preflight(l.url, l.preflight, method, initiator);
    // A CORS request carries Origin whatever its method (a spec with no-cors requests says `sent`).
    if (l.sent !== false) leg.requestHeaders = hl(l.sent ?? { Origin: initiator });
    if (l.status !== undefined) {
      leg.response = { statusCode: l.status, headers: hl(l.headers), fromCache: l.fromCache ?? false };
    }
    const next = spec.legs[i + 1];
    if (l.redirectTo ?? next) leg.redirectUrl = l.redirectTo ?? next?.url;
    return leg;
  });
  const outcome =
    spec.outcome === 'completed'
      ? { state: 'completed' as const, statusCode: spec.legs[spec.legs.length - 1]?.status ?? 200 }
      : spec.outcome === 'pending'
        ? { state: 'pending' as const }
        : { state: 'failed' as const, error: spec.outcome };
  return {
    id: String(++seq),
    method,
    initiator,
    type: spec.type ?? 'xmlhttprequest',
    tabId: 1,
    frameId: 0,
    startTime: 1_700_000_000_000,
    legs,
    outcome,
  };
}

/** The error webRequest reports for a call the CORS check stopped. */
export const FAILED = 'net::ERR_FAILED';

/** A server's CORS response headers by what they say, in the order servers usually write them. */
export interface Cors {
  origin?: string | string[];
  credentials?: string;
  methods?: string;
  headers?: string;
  /** `Vary: Origin` after the origin. */
  vary?: boolean;
}

export function cors(c: Cors, extra: Headers = {}): Headers {
  const h: Headers = {};
  if (c.origin !== undefined) h['Access-Control-Allow-Origin'] = c.origin;
  if (c.vary) h.Vary = 'Origin';
  if (c.credentials !== undefined) h['Access-Control-Allow-Credentials'] = c.credentials;
  if (c.methods !== undefined) h['Access-Control-Allow-Methods'] = c.methods;
  if (c.headers !== undefined) h['Access-Control-Allow-Headers'] = c.headers;
  return { ...h, ...extra };
}

/** `Access-Control-Allow-Origin: <origin>` and nothing else. */
export const acao = (origin: string | string[]): Headers => cors({ origin });

/** The usual good answer to a CORS call from PAGE: its origin echoed, with `Vary: Origin`. */
export const ALLOWED = cors({ origin: PAGE, vary: true });

/** A response row as the network panel shows it: URL, status, response headers. */
export function res(url: string, status: number, headers?: Headers, more: Partial<LegSpec> = {}): LegSpec {
  return { url, status, ...(headers ? { headers } : {}), ...more };
}

/** A leg whose request was never sent (the preflight or the browser stopped it): at most its OPTIONS row. */
export function unsent(url: string, preflight?: PreflightSpec): LegSpec {
  return { url, sent: false, ...(preflight ? { preflight } : {}) };
}

/** A 3xx row pointing at `to`; the response also carries `headers`. */
export function redirect(url: string, status: number, to: string, headers: Headers = {}): LegSpec {
  return res(url, status, { Location: to, ...headers });
}

/** One exchange: its legs in order, how it ended (a net error by default), and method, type or initiator. */
export function call(
  legs: LegSpec | LegSpec[],
  outcome: string = FAILED,
  opts: Omit<ExchangeSpec, 'legs' | 'outcome'> = {},
): ExchangeSpec {
  return { ...opts, legs: Array.isArray(legs) ? legs : [legs], outcome };
}

/** A call with another method (PUT, DELETE…), preflighted when the method is not safelisted. */
export function callWith(
  method: string,
  legs: LegSpec | LegSpec[],
  outcome: string = FAILED,
  opts: Omit<ExchangeSpec, 'legs' | 'outcome' | 'method'> = {},
): ExchangeSpec {
  return call(legs, outcome, { ...opts, method });
}

/** The OPTIONS row: its response headers, and the status (204 by default), ACRM/ACRH or error it had. */
export function options(headers?: Headers, more: Omit<PreflightSpec, 'headers'> = {}): PreflightSpec {
  return { ...more, ...(headers ? { headers } : {}) };
}
