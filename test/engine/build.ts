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
