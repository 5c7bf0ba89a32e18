/**
 * Status codes and the redirect method rewrite, as the Fetch standard defines them. Every module that
 * asks "is this a redirect", "is this ok" or "which method does the next hop use" asks here.
 */

/** https://fetch.spec.whatwg.org/#ok-status — 200 to 299. */
export function isOkStatus(status: number): boolean {
  return status >= 200 && status <= 299;
}

/** https://fetch.spec.whatwg.org/#redirect-status — 301, 302, 303, 307, 308. */
export function isRedirectStatus(status: number): boolean {
  return status === 301 || status === 302 || status === 303 || status === 307 || status === 308;
}

/**
 * https://fetch.spec.whatwg.org/#http-redirect-fetch step 12: "If one of the following is true —
 * internalResponse's status is 301 or 302 and request's method is `POST`; internalResponse's status is
 * 303 and request's method is not `GET` or `HEAD` — then set request's method to `GET` and request's
 * body to null", removing the request-body-header names. Returns the method the next hop is sent
 * with; `rewritten` is true when the body and its headers are dropped.
 */
export function redirectMethod(method: string, status: number): { method: string; rewritten: boolean } {
  const rewritten =
    ((status === 301 || status === 302) && method === 'POST') ||
    (status === 303 && method !== 'GET' && method !== 'HEAD');
  return rewritten ? { method: 'GET', rewritten } : { method, rewritten };
}
