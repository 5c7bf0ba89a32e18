/**
 * The explanation of a response without Access-Control-Allow-Origin (docs/cors-failures.md §3A): on
 * the actual response, an error response, a redirect hop, a cached copy, or the preflight.
 */
import { isOkStatus } from '../status';
import type { FixPlan } from '../types';
import type { Explainer } from './context';
import { expressOriginRefusal, refusalWords } from './express-refusal';
import { allowOriginChanges, makeFix, pathOf } from './plan';

export const missingAllowOrigin: Explainer = (c) => {
  const {
    input,
    kind,
    leg,
    url,
    api,
    page,
    creds,
    onPf,
    status,
    on,
    method,
    location,
    out,
    where,
    preNote,
    corsBase,
  } = c;
  const text = [
    onPf
      ? `${preNote}${corsBase(where)} (status ${status ?? '?'}) has no Access-Control-Allow-Origin header, so ${c.browser} took it as a refusal and never sent the ${method} request itself.`
      : `${corsBase(where)} (status ${status ?? '?'}) has no Access-Control-Allow-Origin header, so ${c.browser} does not let the page on ${page} read it. The server may well have processed the request: CORS only decides whether the page can read the answer.`,
  ];
  let title = onPf
    ? `Preflight answered without CORS headers (${status ?? '?'})`
    : `No Access-Control-Allow-Origin from ${api}`;
  const extra: Partial<FixPlan> = {};
  if (onPf && status !== undefined && !isOkStatus(status)) {
    const why =
      status === 401 || status === 403
        ? `Status ${status} usually means authentication middleware ran on the OPTIONS request. Preflights never carry cookies or Authorization, so the OPTIONS route must answer before auth.`
        : status === 404 || status === 405 || status === 501
          ? `Status ${status} usually means the server has no route for OPTIONS ${pathOf(url)}: the request never reaches your API logic until OPTIONS is handled.`
          : `The server answered the OPTIONS request with ${status}.`;
    text.push(
      `${why} ${c.browser} checks the CORS headers before the status, which is why it reports a missing header rather than the status.`,
    );
    title = `Preflight not handled: ${status} without CORS headers`;
  } else if (onPf) {
    text.push(
      `Something answered the OPTIONS request with ${status} (often the framework's automatic OPTIONS reply), but the CORS handling did not run for it: it is attached to the ${method} route only, or registered after the router. Apply it to OPTIONS ${pathOf(url)} too.`,
    );
  }
  if (kind === 'missing-allow-origin.error-status') {
    title = `${api} failed with ${status}, and the error response has no CORS headers`;
    text.unshift(
      `The server failed first: it answered ${status}${leg.response?.statusLine ? ` (${leg.response.statusLine.replace(/^HTTP\/\S+\s+/, '')})` : ''}. Error pages from the framework, a gateway or a proxy usually lack CORS headers, so the browser reports a CORS error and hides the real one.`,
    );
    text.push(
      `Fix the ${status} first, and make error responses carry the CORS headers too, so the next failure shows its real status to the page.`,
    );
    extra.errorResponses = true;
    extra.note = `The server answered ${status}; fix that error as well.`;
  }
  if (kind === 'missing-allow-origin.redirect-hop') {
    title = `Redirect (${status}) from ${api} has no CORS headers`;
    text.push(
      `${c.browser} checks every redirect of a CORS request. This ${status} redirect to ${location ?? 'another URL'} lacks Access-Control-Allow-Origin. Call the final URL directly, or add the header to the redirect response.`,
    );
    if (location) extra.avoidRedirect = { from: url, to: location };
  }
  // A 5xx from Express's error handler: the cors origin function refused the origin (named first).
  const refusal = expressOriginRefusal(onPf ? leg.preflight?.response : leg.response);
  const words = refusal ? refusalWords(refusal, page, status) : undefined;
  if (words) {
    title = words.title;
    text.unshift(words.paragraph);
    extra.errorResponses = true;
    extra.note = words.note;
  }
  if (kind === 'missing-allow-origin.cached-variant') {
    text.push(
      'This response came from the HTTP cache: a copy stored for a request without Origin (or for another origin) was reused. Send Vary: Origin whenever Access-Control-Allow-Origin depends on the request, or always send it.',
    );
  }
  return out(
    title,
    text,
    makeFix(
      input,
      leg,
      `${words ? `${words.summary} Then: send` : 'Send'} Access-Control-Allow-Origin: ${page}${creds ? ' and Access-Control-Allow-Credentials: true' : ''} from ${api}${onPf ? ' on the OPTIONS response (with status 204) and on the response itself' : ''}${kind === 'missing-allow-origin.error-status' ? ', also on error responses' : ''}.`,
      allowOriginChanges(on, page, creds),
      extra,
    ),
  );
};
