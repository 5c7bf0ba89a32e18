/**
 * Arbitrary input brought into the {@link Exchange} shape without throwing, so that every later step of
 * the engine can trust it (stored entries, imported reports and fixtures are not checked elsewhere).
 */
import { lineValue } from './headers';
import type { Exchange, HeaderLine, HeaderList, Leg, ObservedResponse } from './types';

/** Header lines with string names and values only (binary values read as Latin-1). */
function cleanHeaders(list: unknown): HeaderList | undefined {
  if (list === undefined) return undefined;
  if (!Array.isArray(list)) return [];
  // The common case (webRequest's own shape) is reused as is, so memoized indexes stay valid.
  if (list.every((l: HeaderLine) => l && typeof l.name === 'string' && typeof l.value === 'string'))
    return list as HeaderList;
  return list.map((l: unknown) => {
    const line = (l && typeof l === 'object' ? l : {}) as HeaderLine;
    return { name: typeof line.name === 'string' ? line.name : '', value: lineValue(line) };
  });
}

function cleanResponse(r: unknown): ObservedResponse | undefined {
  if (!r || typeof r !== 'object') return undefined;
  const x = r as ObservedResponse;
  return {
    ...x,
    statusCode: Number.isFinite(x.statusCode) ? x.statusCode : 0,
    headers: cleanHeaders(x.headers) ?? [],
  };
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function cleanList(list: unknown): boolean {
  if (!Array.isArray(list)) return false;
  const lines = list as (HeaderLine | null)[];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (!line || typeof line.name !== 'string' || typeof line.value !== 'string') return false;
  }
  return true;
}

function isCleanResponse(r: ObservedResponse | undefined): boolean {
  return (
    r === undefined || (!!r && typeof r === 'object' && Number.isFinite(r.statusCode) && cleanList(r.headers))
  );
}

function isCleanLeg(l: Leg): boolean {
  if (!l || typeof l !== 'object' || typeof l.url !== 'string') return false;
  if (l.requestHeaders !== undefined && !cleanList(l.requestHeaders)) return false;
  if (!isCleanResponse(l.response)) return false;
  if (l.redirectUrl !== undefined && typeof l.redirectUrl !== 'string') return false;
  const pf = l.preflight;
  if (pf === undefined) return true;
  return (
    !!pf &&
    typeof pf === 'object' &&
    typeof pf.url === 'string' &&
    (pf.requestHeaders === undefined || cleanList(pf.requestHeaders)) &&
    isCleanResponse(pf.response) &&
    (pf.error === undefined || typeof pf.error === 'string')
  );
}

/**
 * Input already in the Exchange shape (what capture and the command line build): every field
 * {@link sanitizeExchange} would rewrite already has its sanitized value, so it is used as is.
 */
function isClean(x: Partial<Exchange>): x is Exchange {
  if (typeof x.id !== 'string' || typeof x.method !== 'string' || !x.method || typeof x.type !== 'string')
    return false;
  if (x.initiator !== undefined && typeof x.initiator !== 'string') return false;
  if (typeof x.tabId !== 'number' || typeof x.startTime !== 'number') return false;
  if (!x.outcome || typeof x.outcome !== 'object') return false;
  if (x.credentialsMode !== undefined && x.credentialsMode !== 'include' && x.credentialsMode !== 'omit')
    return false;
  if (x.mode !== undefined && x.mode !== 'cors' && x.mode !== 'no-cors') return false;
  if (!Array.isArray(x.legs) || x.legs.length === 0) return false;
  for (const l of x.legs) if (!isCleanLeg(l)) return false;
  return true;
}

/** Bring arbitrary input into the Exchange shape without throwing: every later step can trust it. */
export function sanitizeExchange(input: unknown): Exchange {
  if (input && typeof input === 'object' && isClean(input)) return input;
  const x = (input && typeof input === 'object' ? input : {}) as Partial<Exchange>;
  const legs: Leg[] = Array.isArray(x.legs)
    ? x.legs
        .filter((l): l is Leg => !!l && typeof l === 'object')
        .map((l) => {
          const pf = l.preflight && typeof l.preflight === 'object' ? l.preflight : undefined;
          return {
            url: str(l.url) ?? '',
            requestHeaders: cleanHeaders(l.requestHeaders),
            response: cleanResponse(l.response),
            redirectUrl: str(l.redirectUrl),
            preflight: pf && {
              url: str(pf.url) ?? '',
              requestHeaders: cleanHeaders(pf.requestHeaders),
              response: cleanResponse(pf.response),
              error: str(pf.error),
            },
          };
        })
    : [];
  const outcome = x.outcome && typeof x.outcome === 'object' ? x.outcome : { state: 'pending' as const };
  return {
    id: String(x.id ?? ''),
    method: typeof x.method === 'string' && x.method ? x.method : 'GET',
    initiator: str(x.initiator),
    type: str(x.type) ?? 'other',
    tabId: typeof x.tabId === 'number' ? x.tabId : -1,
    frameId: x.frameId,
    documentId: x.documentId,
    startTime: typeof x.startTime === 'number' ? x.startTime : 0,
    endTime: x.endTime,
    legs: legs.length ? legs : [{ url: '' }],
    outcome,
    ...(x.credentialsMode === 'include' || x.credentialsMode === 'omit'
      ? { credentialsMode: x.credentialsMode }
      : {}),
    ...(x.mode === 'cors' || x.mode === 'no-cors' ? { mode: x.mode } : {}),
  };
}
