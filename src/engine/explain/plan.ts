/**
 * The fix: the stack-independent plan (what the server must send) built from the observed values, and
 * the header changes and recipes that go with it.
 */
import { isOkStatus } from '../status';
import { detectStacks, recipesFor, responseHeadersOf } from '../fix';
import { getHeader, hasHeader, splitList } from '../headers';
import { originOf, parseUrl } from '../origin';
import { isCorsSafelistedMethod, normalizeMethod } from '../safelist';
import type { Exchange, Fix, FixPlan, HeaderChange, Leg } from '../types';
import type { ExplainInput } from './input';

export function pathOf(url: string): string {
  return parseUrl(url)?.pathname ?? '/';
}

function listOf(value: string | null): string[] {
  return splitList(value).filter((s) => s !== '*');
}

/**
 * Signs that the app uses cookies with this API, when the credentials mode itself was not observable:
 * the call carried Cookie, or the server sets a cookie. An `Authorization` header the preflight asks
 * for is not one: the script set it, and a script-set header needs Access-Control-Allow-Headers, never
 * Access-Control-Allow-Credentials (credentials are cookies, browser-managed HTTP authentication and
 * TLS client certificates: https://fetch.spec.whatwg.org/#credentials).
 */
export function credentialSigns(ex: Exchange): string | undefined {
  for (const leg of ex.legs) {
    if (hasHeader(leg.requestHeaders, 'cookie')) return 'the call carried a Cookie header';
    if (
      hasHeader(leg.response?.headers, 'set-cookie') ||
      hasHeader(leg.preflight?.response?.headers, 'set-cookie')
    )
      return 'the server sets a cookie';
  }
  return undefined;
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
  // Credentials: what the verdict established; when it could not tell, cookie signs decide, and
  // without them the recipes offer the credentials line as an option.
  const unknown = verdict?.credentials !== 'include' && verdict?.credentials !== 'omit';
  const signs = unknown ? credentialSigns(ex) : undefined;
  const credentials = verdict?.credentials === 'include' || signs !== undefined;
  return {
    origin: requestOrigin,
    credentials,
    ...(unknown && !credentials ? { credentialsOptional: true } : {}),
    methods,
    headers,
    handlePreflight: !!pf,
    errorResponses: status >= 400 || (!!pf?.response && !isOkStatus(pf.response.statusCode)),
    path: pathOf(leg.url),
    apiOrigin: originOf(leg.url),
    ...extra,
  };
}

/** The fix for a plan (by default the one {@link planFor} builds with `extra`). */
export function makeFix(
  input: ExplainInput,
  leg: Leg,
  summary: string,
  headers: HeaderChange[],
  extra: Partial<FixPlan> = {},
  plan: FixPlan = planFor(input, leg, extra),
): Fix {
  const responseHeaders = responseHeadersOf(input.ex);
  const detected = detectStacks(responseHeaders);
  // The recipe enables credentials on cookie signs the verdict did not need: the header changes say so too.
  const withCredentials =
    plan.credentials &&
    !headers.some((h) => h.name === 'Access-Control-Allow-Credentials') &&
    headers.some((h) => h.name === 'Access-Control-Allow-Origin' && h.value !== null)
      ? [
          ...headers,
          ...headers
            .filter((h) => h.name === 'Access-Control-Allow-Origin')
            .map((h) => ({ on: h.on, name: 'Access-Control-Allow-Credentials', value: 'true' })),
        ]
      : headers;
  return {
    summary,
    headers: withCredentials,
    plan,
    recipes: recipesFor(plan, { detected, primary: true }),
    detected,
  };
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

/** The Access-Control-Allow-Methods value a plan asks for. */
export function planMethods(plan: FixPlan): string {
  const m = plan.methods;
  return (m.length ? m : ['GET', 'POST']).join(', ');
}

/** The Access-Control-Allow-Headers value a plan asks for. */
export function planHeaders(plan: FixPlan): string {
  return plan.headers.join(', ');
}
