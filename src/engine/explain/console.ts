/**
 * Chrome's console message for a verdict, rebuilt word for word (cors_error_string.cc), so that users
 * can search for it.
 */
import type { ChromeCorsError } from '../catalogue';
import { addressSpaceOf } from '../origin';
import type { Exchange, Verdict } from '../types';

/** The word Chrome uses for the resource in its console message. */
export function resourceWord(type: string): string {
  switch (type) {
    case 'xmlhttprequest':
      return 'fetch';
    case 'script':
      return 'script';
    case 'stylesheet':
      return 'stylesheet';
    case 'image':
      return 'image';
    case 'font':
      return 'font';
    case 'media':
      return 'media';
    default:
      return 'resource';
  }
}

/** Chrome's console detail for each CorsError (cors_error_string.cc). */
function consoleDetail(chromeError: ChromeCorsError, p: string, location?: string): string | undefined {
  const pre = "Response to preflight request doesn't pass access control check: ";
  const base = chromeError.replace(
    /^Preflight(?=(Missing|Wildcard|Multiple|InvalidAllowOrigin|AllowOrigin|InvalidAllowCredentials))/,
    '',
  );
  const prefix = base !== chromeError ? pre : '';
  switch (base) {
    case 'MissingAllowOriginHeader':
      return `${prefix}No 'Access-Control-Allow-Origin' header is present on the requested resource.`;
    case 'WildcardOriginNotAllowed':
      return `${prefix}The value of the 'Access-Control-Allow-Origin' header in the response must not be the wildcard '*' when the request's credentials mode is 'include'.`;
    case 'AllowOriginMismatch':
      return `${prefix}The 'Access-Control-Allow-Origin' header has a value '${p}' that is not equal to the supplied origin.`;
    case 'MultipleAllowOriginValues':
      return `${prefix}The 'Access-Control-Allow-Origin' header contains multiple values '${p}', but only one is allowed.`;
    case 'InvalidAllowOriginValue':
      return `${prefix}The 'Access-Control-Allow-Origin' header contains the invalid value '${p}'.`;
    case 'InvalidAllowCredentials':
      return `${prefix}The value of the 'Access-Control-Allow-Credentials' header in the response is '${p}' which must be 'true' when the request's credentials mode is 'include'.`;
    case 'PreflightInvalidStatus':
      return `${pre}It does not have HTTP ok status.`;
    case 'PreflightDisallowedRedirect':
      return `${pre}Redirect is not allowed for a preflight request.`;
    case 'InvalidAllowMethodsPreflightResponse':
      return 'Cannot parse Access-Control-Allow-Methods response header field in preflight response.';
    case 'InvalidAllowHeadersPreflightResponse':
      return 'Cannot parse Access-Control-Allow-Headers response header field in preflight response.';
    case 'MethodDisallowedByPreflightResponse':
      return `Method ${p} is not allowed by Access-Control-Allow-Methods in preflight response.`;
    case 'HeaderDisallowedByPreflightResponse':
      return `Request header field ${p} is not allowed by Access-Control-Allow-Headers in preflight response.`;
    case 'CorsDisabledScheme':
      // Chromium 156's list (url::GetCorsEnabledSchemes(), which embedders extend).
      return 'Cross origin requests are only supported for protocol schemes: chrome, chrome-experimental-site-token-provider, chrome-extension, chrome-untrusted, data, http, https, isolated-app.';
    case 'DisallowedByMode':
      return 'Cross origin requests are not allowed by request mode.';
    case 'LocalNetworkAccessPermissionDenied':
      return `Permission was denied for this request to access the \`${p}\` address space.`;
    case 'InsecureLocalNetwork':
      return `The request client is not a secure context and the resource is in more-private address space \`${p}\`.`;
    case 'InvalidLocalNetworkAccess':
      // Chrome names the call's targetAddressSpace first; extensions cannot see it.
      return `Request had a target IP address space of \`(the call's targetAddressSpace)\` yet the resource is in address space \`${p}\`.`;
    case 'RedirectContainsCredentials':
      return `Redirect location '${location ?? ''}' contains a username and password, which is disallowed for cross-origin requests.`;
    default:
      return undefined;
  }
}

export function consoleMessage(ex: Exchange, v: Verdict, location?: string): string | undefined {
  if (!v.chromeError) return undefined;
  const param = v.chromeError.includes('LocalNetwork')
    ? addressSpaceOf(ex.legs[v.legIndex]?.url ?? '')
    : (v.failedParameter ?? '');
  const detail = consoleDetail(v.chromeError, param, location);
  if (!detail) return undefined;
  const first = ex.legs[0]?.url ?? '';
  // A refused scheme is reported at the redirect's target, which is not a leg of its own.
  const at =
    v.chromeError === 'CorsDisabledScheme' && location ? location : (ex.legs[v.legIndex]?.url ?? first);
  const redirected = at !== first ? ` (redirected from '${first}')` : '';
  return `Access to ${resourceWord(ex.type)} at '${at}'${redirected} from origin '${v.requestOrigin}' has been blocked by CORS policy: ${detail}`;
}
