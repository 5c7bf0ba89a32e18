/**
 * Firefox's console message for a blocked call, rebuilt from its template (security.properties as
 * shipped in Firefox 153, en-US), so users can search for it: "Cross-Origin Request Blocked: The Same
 * Origin Policy disallows reading the remote resource at <url>. (Reason: …)". Some reasons add
 * "Status code: N".
 */
import { getHeader } from './headers';
import type { Exchange, Verdict } from './types';

const REASON_TEXT: Record<string, (param: string) => string> = {
  CORSDisabled: () => 'CORS disabled',
  CORSDidNotSucceed: () => 'CORS request did not succeed',
  CORSOriginHeaderNotAdded: () => 'CORS header ‘Origin’ cannot be added',
  CORSExternalRedirectNotAllowed: () => 'CORS request external redirect not allowed',
  CORSRequestNotHttp: () => 'CORS request not http',
  CORSMissingAllowOrigin: () => 'CORS header ‘Access-Control-Allow-Origin’ missing',
  CORSMultipleAllowOriginNotAllowed: () => 'Multiple CORS header ‘Access-Control-Allow-Origin’ not allowed',
  CORSAllowOriginNotMatchingOrigin: (p) => `CORS header ‘Access-Control-Allow-Origin’ does not match ‘${p}’`,
  CORSNotSupportingCredentials: () =>
    'Credential is not supported if the CORS header ‘Access-Control-Allow-Origin’ is ‘*’',
  CORSMethodNotFound: () => 'Did not find method in CORS header ‘Access-Control-Allow-Methods’',
  CORSMissingAllowCredentials: () => 'expected ‘true’ in CORS header ‘Access-Control-Allow-Credentials’',
  CORSPreflightDidNotSucceed: () => 'CORS preflight response did not succeed',
  CORSInvalidAllowMethod: (p) => `invalid token ‘${p}’ in CORS header ‘Access-Control-Allow-Methods’`,
  CORSInvalidAllowHeader: (p) => `invalid token ‘${p}’ in CORS header ‘Access-Control-Allow-Headers’`,
  CORSMissingAllowHeaderFromPreflight: (p) =>
    `header ‘${p}’ is not allowed according to header ‘Access-Control-Allow-Headers’ from CORS preflight response`,
};

/** The keys whose message ends with "Status code: N" (the `…2`/`…3` keys of Firefox 153). */
const WITH_STATUS = new Set(['CORSMissingAllowOrigin', 'CORSPreflightDidNotSucceed', 'CORSDidNotSucceed']);

export function firefoxConsoleMessage(ex: Exchange, v: Verdict, reason: string): string | undefined {
  const text = REASON_TEXT[reason];
  if (!text) return undefined;
  const leg = ex.legs[v.legIndex] ?? ex.legs[0];
  const preflight = v.step === 'preflight';
  const response = preflight ? leg?.preflight?.response : leg?.response;
  const acao = getHeader(response?.headers, 'access-control-allow-origin') ?? '';
  const param = reason === 'CORSAllowOriginNotMatchingOrigin' ? acao : (v.failedParameter ?? '');
  const url = ex.legs[0]?.url ?? '';
  const status = response ? String(response.statusCode) : '(null)';
  const at = reason === 'CORSNotSupportingCredentials' ? `‘${url}’` : url;
  return `Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at ${at}. (Reason: ${text(param)}).${WITH_STATUS.has(reason) ? ` Status code: ${status}.` : ''}`;
}
