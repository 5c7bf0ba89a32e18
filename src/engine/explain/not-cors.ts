/**
 * Explanations of the verdicts that are not a CORS rule failure: not a CORS request at all, allowed,
 * pending, and failures that have another cause (network, CORP/COEP, ORB, Local Network Access).
 */
import type { Kind } from '../catalogue';
import { getHeader } from '../headers';
import { orbCheck } from '../orb';
import { addressSpaceOf, isLoopbackOrigin } from '../origin';
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
    `${c.browser} let the page read the response from ${api}: the server allowed ${q(acaoOfLast(ex))} and the page's origin is ${page}.`,
  ];
  if (kind === 'allowed-contrary') {
    text.push(
      `By the rules CORS Lens applies, these headers should have been refused, yet ${c.browser} allowed the call. Please report this exchange (Export → JSON) so the rules can be corrected.`,
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
  const { kind, info, url, api, page, out, verdict } = c;
  const space = addressSpaceOf(url);
  const target = space === 'unknown' ? 'a more private address' : `a ${space} address`;
  const why = verdict?.confidence.level === 'inferred' ? [verdict.confidence.reason] : [];
  if (kind === 'lna-insecure-initiator')
    return out(info.label, [
      `A page on ${page} tried to reach ${url} (${target}, on a more private network than the page). Chrome allows that only from a secure context: an HTTPS page, or a page on localhost or 127.0.0.1 (Local Network Access). ${page} is neither.`,
      ...why,
      'Fix: serve the page over HTTPS (the user then grants "Local network access" to the site), or serve it from the same network. CORS headers and Access-Control-Allow-Private-Network do not help.',
    ]);
  if (kind === 'lna-permission-denied')
    return out(info.label, [
      `A page on ${page} tried to reach ${url} (${target}, on your local network or this machine). The page is a secure context${isLoopbackOrigin(page) ? ' (a loopback host counts as secure even over http)' : ''}, so this is not about HTTPS: Chrome needs the user's permission for such calls (Local Network Access), and it was not granted.`,
      ...why,
      'Fix: allow "Local network access" for the site (site settings, or the prompt Chrome shows on the first call; service workers cannot prompt), or serve the page from the same network. CORS headers and Access-Control-Allow-Private-Network do not help.',
    ]);
  return out(info.label, [
    `The call named a target address space (fetch(…, { targetAddressSpace })) that ${api} is not in: it is ${target}. Chrome checks the option against the address it connects to and fails the call when they differ.`,
    ...why,
    `Fix: drop the option, or name the server's space${space === 'loopback' || space === 'local' ? ` ("${space}")` : ''}; "local" is for the local network, "loopback" for this machine.`,
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
      `The page fetched ${url} with mode "no-cors", so ${c.browser} sent it without asking the server for permission and hands the page an opaque response: status 0, no headers, empty body. Nothing was blocked and no error is shown, which is why this often looks like "the API returns nothing".`,
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
      `${c.browser} failed this request to ${url} with net::ERR_FAILED, but every response header CORS Lens could observe passes the CORS rules.`,
      `Check the DevTools Console for ${c.browser}'s own message. Common hidden causes: a request mode of "same-origin", Local Network Access (a public page calling a private address), or a preflight sent before CORS Lens was listening (reload the page with DevTools open).`,
    ]);
  },
  'answer-not-recorded': (c) => {
    const { url, api, page, out } = c;
    return out("Blocked: the file does not hold the server's answer", [
      `The browser failed this cross-origin call to ${url} (${c.browser === 'Firefox' ? 'status 0, no error named' : 'net::ERR_FAILED'}), but the recording has no response headers for it: the tool that wrote the file kept only the failure. Which CORS rule failed, if any, cannot be read from it, so CORS Lens does not guess one.`,
      `Ask ${api} the same question the browser asked (the page's origin ${page}, the method and the request headers from the file) with cors-lens check, or re-record the page with Chrome DevTools' own HAR export, which keeps a blocked response's headers.`,
    ]);
  },
  'preflight-network-error': (c) => {
    const { verdict, api, method, preflightWhy, out } = c;
    return out(`Preflight could not reach ${api} (${verdict?.netError ?? 'network error'})`, [
      `${preflightWhy} That OPTIONS request failed below HTTP with ${verdict?.netError ?? 'a network error'}, so ${c.browser} never sent the ${method} request. This is not a CORS header problem: the server was unreachable (refused connection, DNS, TLS, reset).`,
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
    const { leg, url, out, verdict } = c;
    const r = leg.response;
    const orb = r ? orbCheck(r) : undefined;
    const reason = !orb
      ? []
      : orb.decision === 'blocked'
        ? [`Why: ${orb.text}`]
        : [
            `The headers alone did not decide it (${orb.text}) so the body did: Chrome sniffed its first bytes and found data (HTML, JSON, XML) or not the image, audio or video its type claims. Extensions cannot see the body.`,
          ];
    const how =
      verdict?.netError === 'net::ERR_BLOCKED_BY_ORB'
        ? 'Chrome reported net::ERR_BLOCKED_BY_ORB.'
        : 'Chrome hands a no-cors fetch blocked this way an empty response (the DevTools Issues panel says "Response was blocked by ORB").';
    return out('Failed, not CORS: blocked by ORB', [
      `The page loaded ${url} with an element or a no-cors request, and the response looks like data rather than a script, style sheet, image or media file. Opaque Response Blocking (ORB) refuses to hand data to a page that way. ${how}`,
      ...reason,
      'Fix: read it with fetch() in CORS mode (and allow the origin on the server), or, if it really is a script or an image, serve it with its correct Content-Type.',
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
