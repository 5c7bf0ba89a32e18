/**
 * What the explanations read, computed once per verdict: the decisive leg and its values, Chrome's
 * console message, and the phrases several explanations share.
 */
import { kindInfo, type Kind, type KindInfo } from '../catalogue';
import { getHeader } from '../headers';
import { originOf } from '../origin';
import { normalizeMethod } from '../safelist';
import type { Exchange, Fix, HeaderChange, Leg, Verdict } from '../types';
import { consoleMessage } from './console';
import type { ExplainInput, Explained } from './input';
import { pathOf } from './plan';

export type { ExplainInput, Explained };

type Where = 'preflight' | 'response';

export interface Context {
  input: ExplainInput;
  /** The browser whose verdict this is ("Chrome", "Firefox"). */
  browser: string;
  ex: Exchange;
  kind: Kind;
  info: KindInfo;
  verdict: Verdict | undefined;
  /** The decisive leg (the first when there is no verdict yet). */
  leg: Leg;
  url: string;
  /** The origin of the decisive leg's URL. */
  api: string;
  /** The page's origin (the request origin). */
  page: string;
  /** The verdict assumes credentials mode "include". */
  creds: boolean;
  /** Says the credentials were inferred, mid-sentence; empty otherwise. */
  credWord: string;
  /** Chrome's failedParameter, or empty. */
  p: string;
  /** The decisive check is the preflight's. */
  onPf: boolean;
  /** Status of the decisive response (the preflight's when `onPf`). */
  status: number | undefined;
  /** Its Access-Control-Allow-Credentials. */
  acac: string | null;
  /** The origin the browser sent on the decisive leg (`null` after a tainting redirect). */
  sentOrigin: string;
  /** Which responses must carry the origin headers. */
  on: HeaderChange['on'];
  /** The method of the actual request, as the preflight asked for it. */
  method: string;
  /** One sentence: why there was a preflight. */
  preflightWhy: string;
  /** The decisive response's Location. */
  location: string | undefined;
  /** A result with Chrome's console message. */
  out: (title: string, explanation: string[], fix?: Fix) => Explained;
  where: Where;
  /** `preflightWhy` and a space when the preflight failed; empty otherwise. */
  preNote: string;
  /** "The preflight answer from …" / "The response from …". */
  corsBase: (where: Where) => string;
  /** The same, mid-sentence. */
  corsBaseLower: (where: Where) => string;
}

/** One kind's explanation. */
export type Explainer = (c: Context) => Explained;

/** A value in backticks, or `(absent)`. */
export const q = (v: string | null | undefined) => (v === null || v === undefined ? '(absent)' : `\`${v}\``);

export function contextOf(input: ExplainInput): Context {
  const { ex, requestOrigin, kind, verdict } = input;
  const browser = input.browser ?? 'Chrome';
  const info = kindInfo(kind);
  const legIndex = verdict?.legIndex ?? 0;
  const leg: Leg = ex.legs[legIndex] ?? ex.legs[0] ?? { url: '' };
  const url = leg.url;
  const api = originOf(url);
  const page = requestOrigin;
  const creds = verdict?.credentials === 'include';
  const credWord = verdict?.confidence.level === 'inferred' && creds ? ' (it was sent with credentials)' : '';
  const p = verdict?.failedParameter ?? '';
  const onPf = verdict?.step === 'preflight';
  const resp = onPf ? leg.preflight?.response : leg.response;
  const status = resp?.statusCode;
  const acac = getHeader(resp?.headers, 'access-control-allow-credentials');
  const sentOrigin = input.sim?.checked.find((c) => c.legIndex === legIndex)?.origin ?? page;
  // Where the origin headers must go: a preflight's fix applies to the actual response too (it was
  // never sent, so nothing shows it passing), and a preflighted call needs them on both.
  const on: HeaderChange['on'] = onPf || leg.preflight ? 'both' : 'actual';
  const method =
    getHeader(leg.preflight?.requestHeaders, 'access-control-request-method') ?? normalizeMethod(ex.method);
  const preflightWhy = `Before sending this ${method} request, ${browser} asked ${api} for permission with a preflight (OPTIONS ${pathOf(url)}).`;
  const location = getHeader(leg.response?.headers, 'location') ?? undefined;
  const cm = verdict ? consoleMessage(ex, verdict, leg.redirectUrl ?? location) : undefined;
  const out = (title: string, explanation: string[], fix?: Fix): Explained => ({
    title,
    explanation,
    consoleMessage: cm,
    fix,
  });
  const corsBase = (where: Where) =>
    where === 'preflight' ? `The preflight answer from ${api}` : `The response from ${api}`;
  const corsBaseLower = (where: Where) =>
    where === 'preflight' ? `the preflight answer from ${api}` : `the response from ${api}`;
  const where: Where = onPf ? 'preflight' : 'response';
  const preNote = onPf ? `${preflightWhy} ` : '';
  return {
    input,
    browser,
    ex,
    kind,
    info,
    verdict,
    leg,
    url,
    api,
    page,
    creds,
    credWord,
    p,
    onPf,
    status,
    acac,
    sentOrigin,
    on,
    method,
    preflightWhy,
    location,
    out,
    where,
    preNote,
    corsBase,
    corsBaseLower,
  };
}
