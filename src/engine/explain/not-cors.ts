/**
 * Explanations of the verdicts that are not a CORS rule failure: not a CORS request at all, allowed,
 * pending, and failures that have another cause (network, CORP/COEP, ORB, Local Network Access).
 */
import type { Kind } from '../catalogue';
import { getHeader } from '../headers';
import type { Exchange } from '../types';
import { resourceWord } from './console';
import { q, type Explainer } from './context';

function acaoOfLast(ex: Exchange): string | null {
  const r = [...ex.legs].reverse().find((l) => l.response)?.response;
  return getHeader(r?.headers, 'access-control-allow-origin');
}

const allowedCall: Explainer = (c) => {
  const { ex, kind, verdict, api, page, out } = c;
  const text = [
    `Chrome let the page read the response from ${api}: the server allowed ${q(acaoOfLast(ex))} and the page's origin is ${page}.`,
  ];
  if (kind === 'allowed-contrary') {
    text.push(
      'By the rules CORS Lens applies, these headers should have been refused, yet Chrome allowed the call. Please report this exchange (Export → JSON) so the rules can be corrected.',
    );
  }
  if (verdict?.confidence.level === 'inferred') text.push(verdict.confidence.reason);
  return out(kind === 'allowed' ? 'Allowed' : 'Allowed, although the headers look wrong', text);
};

const resourcePolicy: Explainer = (c) => {
  const { kind, info, leg, url, api, page, out } = c;
  const corp = getHeader(leg.response?.headers, 'cross-origin-resource-policy');
  return out(info.label, [
    kind === 'coep-requires-corp'
      ? `This page is cross-origin isolated (Cross-Origin-Embedder-Policy), so every cross-origin resource it embeds without CORS must opt in with Cross-Origin-Resource-Policy. ${url} sends none.`
      : `${api} answered with Cross-Origin-Resource-Policy: ${corp ?? ''}, which forbids pages on ${page} from embedding it (net::ERR_BLOCKED_BY_RESPONSE). This is not a CORS header problem.`,
    'Fix: send Cross-Origin-Resource-Policy: cross-origin on the resource only if any site may embed it, or load it with CORS (crossorigin attribute / fetch) and allow the origin.',
  ]);
};

const localNetwork: Explainer = (c) => {
  const { kind, info, url, api, page, out } = c;
  return out(info.label, [
    kind === 'lna-insecure-initiator'
      ? `A page on ${page} (not a secure context) tried to reach ${url}, which is on a more private network. Chrome allows that only from HTTPS pages (Local Network Access).`
      : kind === 'lna-permission-denied'
        ? `A page on ${page} tried to reach ${url}, on your local network or this machine. Chrome needs the user's permission for that (Local Network Access) and it was not granted. CORS headers do not help.`
        : `The request asked for a specific target address space (targetAddressSpace) but ${api} resolved to another one.`,
    'Fix: serve the page over HTTPS and grant "Local network access" for the site, or serve the page from the same network.',
  ]);
};

export const NOT_CORS = {
  navigation: (c) => {
    const { out } = c;
    return out('Navigation (not a CORS request)', ['Page and frame navigations are not subject to CORS.']);
  },
  'same-origin': (c) => {
    const { page, out } = c;
    return out('Same-origin request (not CORS)', [`The request stays on ${page}; CORS does not apply.`]);
  },
  'opaque-response': (c) => {
    const { url, api, page, out } = c;
    return out('no-cors fetch: the response is opaque', [
      `The page fetched ${url} with mode "no-cors", so Chrome sent it without asking the server for permission and hands the page an opaque response: status 0, no headers, empty body. Nothing was blocked and no error is shown, which is why this often looks like "the API returns nothing".`,
      `If the page needs to read the answer, remove mode: "no-cors" and have ${api} send Access-Control-Allow-Origin: ${page}.`,
    ]);
  },
  'no-cors-load': (c) => {
    const { ex, out } = c;
    return out('No-CORS load (not a CORS request)', [
      `This ${resourceWord(ex.type)} was loaded without CORS (no crossorigin attribute or a no-cors request): the page can display or run it but cannot read it, and CORS headers are not consulted.`,
    ]);
  },
  pending: (c) => {
    const { out } = c;
    return out('In flight', ['The request has not finished yet.']);
  },
  allowed: allowedCall,
  'allowed-contrary': allowedCall,
  'unexplained-failure': (c) => {
    const { url, out } = c;
    return out('Blocked, for a reason the headers do not show', [
      `Chrome failed this request to ${url} with net::ERR_FAILED, but every response header CORS Lens could observe passes the CORS rules.`,
      'Check the DevTools Console for Chrome\'s own message. Common hidden causes: a request mode of "same-origin", Local Network Access (a public page calling a private address), or a preflight sent before CORS Lens was listening (reload the page with DevTools open).',
    ]);
  },
  'preflight-network-error': (c) => {
    const { verdict, api, method, preflightWhy, out } = c;
    return out(`Preflight could not reach ${api} (${verdict?.netError ?? 'network error'})`, [
      `${preflightWhy} That OPTIONS request failed below HTTP with ${verdict?.netError ?? 'a network error'}, so Chrome never sent the ${method} request. This is not a CORS header problem: the server was unreachable (refused connection, DNS, TLS, reset).`,
      'Fix connectivity first; then check the preflight again.',
    ]);
  },
  'network-failure-not-cors': (c) => {
    const { verdict, url, out } = c;
    return out(`Network error: ${verdict?.netError ?? 'unknown'} (not CORS)`, [
      `The request to ${url} failed with ${verdict?.netError ?? 'a network error'} before any CORS check: the server was unreachable, the certificate invalid, or the connection dropped. Firefox labels these as CORS errors; Chrome does not.`,
    ]);
  },
  'blocked-by-client': (c) => {
    const { url, out } = c;
    return out('Blocked by an extension or DevTools (not the server)', [
      `Something in this browser cancelled the request to ${url} (net::ERR_BLOCKED_BY_CLIENT): an ad or privacy blocker, another extension, or DevTools request blocking. The server never saw it. Disable the blocker for this site to confirm.`,
    ]);
  },
  aborted: (c) => {
    const { url, out } = c;
    return out('Cancelled (not CORS)', [
      `The request to ${url} was cancelled (net::ERR_ABORTED): the page aborted it (AbortController, a new navigation) before it finished.`,
    ]);
  },
  'unsafe-port': (c) => {
    const { url, out } = c;
    return out('Port blocked by the browser', [
      `Browsers refuse to connect to the port of ${url} (net::ERR_UNSAFE_PORT). Use another port.`,
    ]);
  },
  'too-many-redirects': (c) => {
    const { url, out } = c;
    return out('Redirect loop', [
      `The request to ${url} was redirected more than 20 times (net::ERR_TOO_MANY_REDIRECTS).`,
    ]);
  },
  'redirect-to-non-http-scheme': (c) => {
    const { leg, url, location, out } = c;
    return out('Redirect to a non-HTTP(S) URL', [
      `${url} redirected to ${leg.redirectUrl ?? location ?? 'a URL'} whose scheme is not http or https; a cross-origin request can only follow redirects to http(s) URLs.`,
    ]);
  },
  'corp-not-same-origin': resourcePolicy,
  'corp-not-same-site': resourcePolicy,
  'coep-requires-corp': resourcePolicy,
  'orb-blocked': (c) => {
    const { url, out } = c;
    return out('Opaque Response Blocking (not CORS)', [
      `The page loaded ${url} with an element or a no-cors request, and the response looks like data (JSON, HTML, XML…). Chrome refuses to hand data to a page that way (net::ERR_BLOCKED_BY_ORB). Use fetch() with CORS, or serve the correct media type for scripts and images.`,
    ]);
  },
  'lna-permission-denied': localNetwork,
  'lna-insecure-initiator': localNetwork,
  'lna-address-space-mismatch': localNetwork,
  'malformed-input': (c) => {
    const { info, url, out } = c;
    return out(info.label, [`${url}: ${info.label}.`]);
  },
} satisfies Partial<Record<Kind, Explainer>>;
