/**
 * The comparison the verdict specs make: one row per request, from CDP (Chrome's verdict) and from the
 * extension's stored log. Requests sharing a URL are told apart by method and custom (`x-…`) headers.
 * CDP's empty `failedParameter` and an absent one both mean "none". A failure that is not CORS also
 * carries its `net::ERR_*` name: CDP's `errorText` (without the detail Chrome appends, such as
 * `.NotSameOrigin`) against the error webRequest gave the extension, which the failure kinds are read from.
 * A load Chrome blocked for its resource policy also carries which policy: CDP's `blockedReason` against
 * the extension's kind (Chrome's names are the catalogue's, the COEP ones folded into one kind).
 */
import type { CdpRequest } from './harness';
import type { StoredEntry } from '../../src/capture';

export interface Row {
  request: string;
  outcome: string;
  chromeError?: string;
  failedParameter?: string;
  netError?: string;
  resourcePolicy?: string;
}

/** CDP `blockedReason` values for Cross-Origin-Resource-Policy blocks, as catalogue kinds. */
function policyKind(blockedReason: string | undefined): string | undefined {
  if (blockedReason === 'corp-not-same-origin' || blockedReason === 'corp-not-same-site')
    return blockedReason;
  // corp-not-same-origin-after-defaulted-to-same-origin-by-coep (and its DIP/COEP-frame variants).
  if (blockedReason?.startsWith('corp-') || blockedReason?.startsWith('coep-')) return 'coep-requires-corp';
  return undefined;
}

const POLICY_KINDS = new Set(['corp-not-same-origin', 'corp-not-same-site', 'coep-requires-corp']);

const netErrorName = (text: string | undefined): string | undefined =>
  /net::ERR_[A-Z0-9_]+/.exec(text ?? '')?.[0];

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
  const netError = row.outcome === 'failed' ? netErrorName(r.done?.errorText) : undefined;
  if (netError) row.netError = netError;
  const policy = policyKind(r.done?.blockedReason);
  if (policy) row.resourcePolicy = policy;
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
  const outcome = e.exchange.outcome;
  const netError =
    row.outcome === 'failed' && outcome.state === 'failed' ? netErrorName(outcome.error) : undefined;
  if (netError) row.netError = netError;
  if (e.summary && POLICY_KINDS.has(e.summary.kind)) row.resourcePolicy = e.summary.kind;
  return row;
}

export const byRequest = (a: Row, b: Row): number =>
  a.request < b.request ? -1 : a.request > b.request ? 1 : 0;
