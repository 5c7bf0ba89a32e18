/**
 * The fix: the stack-independent plan (what the server must send) built from the observed values, and
 * the header changes and recipes that go with it.
 */
import { isOkStatus } from '../cors-check';
import { recipesFor, responseHeadersOf } from '../fix';
import { getHeader, splitList } from '../headers';
import { originOf, parseUrl } from '../origin';
import { isCorsSafelistedMethod, normalizeMethod } from '../safelist';
import type { Fix, FixPlan, HeaderChange, Leg } from '../types';
import type { ExplainInput } from './context';

export function pathOf(url: string): string {
  return parseUrl(url)?.pathname ?? '/';
}

function listOf(value: string | null): string[] {
  return splitList(value).filter((s) => s !== '*');
}

/** Build the stack-independent plan from the observed values. */
export function planFor(input: ExplainInput, leg: Leg, extra: Partial<FixPlan>): FixPlan {
  const { ex, requestOrigin, verdict } = input;
  const pf = leg.preflight;
  const acrm = getHeader(pf?.requestHeaders, 'access-control-request-method') ?? normalizeMethod(ex.method);
  const acrh = listOf(getHeader(pf?.requestHeaders, 'access-control-request-headers')).map((h) =>
    h.toLowerCase(),
  );
  const existingMethods = listOf(getHeader(pf?.response?.headers, 'access-control-allow-methods'));
  const existingHeaders = listOf(getHeader(pf?.response?.headers, 'access-control-allow-headers')).map((h) =>
    h.toLowerCase(),
  );
  const methods = pf
    ? [
        ...new Set([
          ...existingMethods.filter((m) => !isCorsSafelistedMethod(m) || m === acrm),
          ...(isCorsSafelistedMethod(acrm) ? [] : [acrm]),
        ]),
      ]
    : [];
  const headers = pf ? [...new Set([...existingHeaders, ...acrh])] : [];
  const status = leg.response?.statusCode ?? 0;
  return {
    origin: requestOrigin,
    credentials: verdict?.credentials === 'include',
    methods,
    headers,
    handlePreflight: !!pf,
    errorResponses: status >= 400 || (!!pf?.response && !isOkStatus(pf.response.statusCode)),
    path: pathOf(leg.url),
    apiOrigin: originOf(leg.url),
    ...extra,
  };
}

export function makeFix(
  input: ExplainInput,
  leg: Leg,
  summary: string,
  headers: HeaderChange[],
  extra: Partial<FixPlan> = {},
): Fix {
  const plan = planFor(input, leg, extra);
  const responseHeaders = responseHeadersOf(input.ex);
  return { summary, headers, plan, recipes: recipesFor(plan, { responseHeaders, primary: true }) };
}

/** Header changes that make a CORS check pass for `origin` (with ACAC when credentialed). */
export function allowOriginChanges(
  on: HeaderChange['on'],
  origin: string,
  credentials: boolean,
): HeaderChange[] {
  const out: HeaderChange[] = [{ on, name: 'Access-Control-Allow-Origin', value: origin }];
  if (credentials) out.push({ on, name: 'Access-Control-Allow-Credentials', value: 'true' });
  out.push({ on, name: 'Vary', value: 'Origin' });
  return out;
}

export function planMethods(input: ExplainInput, leg: Leg): string {
  const m = planFor(input, leg, {}).methods;
  return (m.length ? m : ['GET', 'POST']).join(', ');
}

export function planHeaders(input: ExplainInput, leg: Leg): string {
  return planFor(input, leg, {}).headers.join(', ');
}
