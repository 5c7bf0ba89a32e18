/**
 * The comparison the verdict specs make: one row per request, from CDP (Chrome's verdict) and from the
 * extension's stored log. Requests sharing a URL are told apart by method and custom (`x-…`) headers.
 * CDP's empty `failedParameter` and an absent one both mean "none".
 */
import type { CdpRequest } from './harness';
import type { StoredEntry } from '../../src/capture';

export interface Row {
  request: string;
  outcome: string;
  chromeError?: string;
  failedParameter?: string;
}

const customNames = (names: string[]): string =>
  names
    .map((n) => n.toLowerCase())
    .filter((n) => n.startsWith('x-'))
    .sort()
    .join(',');

export function chromeRow(r: CdpRequest): Row {
  const row: Row = {
    request: `${r.method} ${customNames(r.headerNames)}`,
    outcome: r.done?.outcome ?? 'pending',
  };
  if (r.done?.corsError) row.chromeError = r.done.corsError;
  if (r.done?.failedParameter) row.failedParameter = r.done.failedParameter;
  return row;
}

export function extensionRow(e: StoredEntry): Row {
  const leg = e.exchange.legs[0];
  const sent = leg?.requestHeaders?.map((h) => h.name) ?? [];
  const acrh =
    leg?.preflight?.requestHeaders
      ?.find((h) => h.name.toLowerCase() === 'access-control-request-headers')
      ?.value?.split(',')
      .map((s) => s.trim()) ?? [];
  const row: Row = {
    request: `${e.exchange.method} ${customNames(sent.length ? sent : acrh)}`,
    outcome: e.summary?.outcome ?? 'pending',
  };
  if (e.summary?.chromeError) row.chromeError = e.summary.chromeError;
  if (e.summary?.failedParameter) row.failedParameter = e.summary.failedParameter;
  return row;
}

export const byRequest = (a: Row, b: Row): number =>
  a.request < b.request ? -1 : a.request > b.request ? 1 : 0;
