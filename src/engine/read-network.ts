/**
 * Readings of failures that are not a CORS header rule: a `net::ERR_*` that names its own cause, ORB on a
 * no-cors response (orb.ts), and Local Network Access blocks that webRequest shows as plain
 * net::ERR_FAILED (docs/cors-failures.md §3F, §3G). evaluate.ts asks these first.
 */
import { type Kind } from './catalogue';
import { getHeader } from './headers';
import { orbCheck, type OrbResult } from './orb';
import { addressSpaceOf, isPotentiallyTrustworthyOrigin, originOf } from './origin';
import { type SimFailure, type Simulation } from './simulate';
import { isCorsSafelistedMethod, normalizeMethod } from './safelist';
import type { Confidence, Exchange, Fact, HeaderList } from './types';

const NET_ERROR = /net::ERR_[A-Z0-9_]+/;

export function netErrorToken(error: string | undefined): string | undefined {
  return error ? (NET_ERROR.exec(error)?.[0] ?? error) : undefined;
}

export interface Reading {
  kind: Kind;
  sim?: Simulation;
  failure?: SimFailure;
  netError?: string;
  confidence: Confidence;
  credentials: 'include' | 'omit' | 'unknown';
  legIndex: number;
  /** Facts for readings that do not come from a simulation (net errors). */
  facts?: Fact[];
}

const NON_CORS_NET: Readonly<Record<string, Kind>> = {
  'net::ERR_BLOCKED_BY_CLIENT': 'blocked-by-client',
  'net::ERR_BLOCKED_BY_ORB': 'orb-blocked',
  'net::ERR_UNSAFE_PORT': 'unsafe-port',
  'net::ERR_TOO_MANY_REDIRECTS': 'too-many-redirects',
  'net::ERR_UNSAFE_REDIRECT': 'redirect-to-non-http-scheme',
  'net::ERR_ABORTED': 'aborted',
  'net::ERR_INCONSISTENT_IP_ADDRESS_SPACE': 'lna-address-space-mismatch',
};

/** The headers ORB looked at, the deciding one marked (or the body, when sniffing decided). */
export function orbFacts(orb: OrbResult, headers: HeaderList, blockedByChrome = false): Fact[] {
  const decidedBy: Record<OrbResult['reason'], string> = {
    'safelisted-type': 'content-type',
    'javascript-type': 'body',
    'never-sniffed-type': 'content-type',
    'partial-data-type': 'status',
    'nosniff-data-type': 'x-content-type-options',
    'partial-not-from-start': 'content-range',
    nosniff: 'x-content-type-options',
    'error-status': 'status',
    'no-mime-type': 'content-type',
    'media-type': 'body',
    'sniff-javascript-or-json': 'body',
  };
  const key = orb.decision === 'body' ? 'body' : decidedBy[orb.reason];
  // Blocked for sure: the headers decided it, or Chrome reported it (then the body decided, if they did not).
  const blocked = orb.decision === 'blocked' || blockedByChrome;
  /** A header (or the status) ORB looked at; decisive when it is what blocked the response. */
  const fact = (name: string, expected: string, received: string | null, decides: boolean): Fact => ({
    step: 'actual',
    name,
    expected,
    received,
    ok: !(blocked && decides),
    decisive: blocked && decides,
  });
  const facts: Fact[] = [
    fact(
      'content-type',
      'a script, style sheet, image, audio or video type',
      getHeader(headers, 'content-type'),
      key === 'content-type',
    ),
    fact(
      'x-content-type-options',
      'no nosniff on data types',
      getHeader(headers, 'x-content-type-options'),
      key === 'x-content-type-options',
    ),
    fact(
      'status',
      orb.status === 206 ? 'a 206 of a non-data type, from byte 0' : '200–299',
      String(orb.status),
      key === 'status' || key === 'content-range',
    ),
  ];
  if (key === 'body')
    facts.push({
      step: 'actual',
      name: 'body',
      expected: 'JavaScript, or an image, audio or video file (ORB sniffs the first bytes)',
      received: 'not visible to extensions',
      ok: blocked ? false : orb.likely !== 'blocked',
      decisive: blocked,
    });
  return facts;
}

/** A failure that webRequest reports with its own net error: not a CORS header rule. */
export function readNetError(ex: Exchange, token: string): Reading {
  const last = ex.legs.length - 1;
  const certain: Confidence = { level: 'certain' };
  const base = { netError: token, confidence: certain, credentials: 'unknown' as const, legIndex: last };
  // Local Network Access is checked on every connection, the preflight's included: it wins over
  // reading the preflight's error as a network failure.
  if (token === 'net::ERR_BLOCKED_BY_LOCAL_NETWORK_ACCESS_CHECKS') {
    // A secure context is a potentially trustworthy origin: https, or a loopback host (127.0.0.0/8,
    // ::1, localhost) even over http. From there the block is the permission's; otherwise the page's.
    const secure = isPotentiallyTrustworthyOrigin(ex.initiator ?? '');
    const target = addressSpaceOf(ex.legs[last]?.url ?? '');
    const facts = localNetworkFacts(ex.initiator ?? null, secure, target);
    return { ...base, kind: secure ? 'lna-permission-denied' : 'lna-insecure-initiator', facts };
  }
  const pfIndex = ex.legs.findIndex((l) => l.preflight?.error);
  if (pfIndex >= 0 && netErrorToken(ex.legs[pfIndex]?.preflight?.error) === token) {
    return { ...base, kind: 'preflight-network-error', legIndex: pfIndex };
  }
  if (token === 'net::ERR_BLOCKED_BY_RESPONSE') {
    const corp = getHeader(ex.legs[last]?.response?.headers, 'cross-origin-resource-policy');
    const kind =
      corp === 'same-site'
        ? 'corp-not-same-site'
        : corp === 'same-origin'
          ? 'corp-not-same-origin'
          : 'coep-requires-corp';
    return { ...base, kind };
  }
  if (token === 'net::ERR_BLOCKED_BY_ORB') {
    const r = ex.legs[last]?.response;
    return { ...base, kind: 'orb-blocked', facts: r ? orbFacts(orbCheck(r), r.headers, true) : [] };
  }
  return { ...base, kind: NON_CORS_NET[token] ?? 'network-failure-not-cors' };
}

const SPACE_RANK = { loopback: 0, local: 1, public: 2, unknown: 2 } as const;

/**
 * Local Network Access failures that webRequest reports as plain net::ERR_FAILED, before anything was
 * sent to a loopback or local address (measured in Chromium 156):
 * - a call that names a `targetAddressSpace` the server is not in (CDP: InvalidLocalNetworkAccess);
 * - the LNA block of a call that needs a preflight: the preflight is stopped (its own error is
 *   net::ERR_FAILED, or webRequest shows none), and the call gets the permission or secure-context error.
 * LNA blocks only a page more public than the server; from a page in the same (or a more private)
 * space, only the targetAddressSpace check remains.
 */
export function readLocalNetworkFailure(
  ex: Exchange,
  requestOrigin: string,
  token: string | undefined,
): Reading | undefined {
  const last = ex.legs.length - 1;
  const leg = ex.legs[last];
  if (token !== 'net::ERR_FAILED' || !leg || leg.response) return undefined;
  const pf = leg.preflight;
  // A stopped preflight ends with net::ERR_FAILED, or its end is not reported before the call fails
  // (capture settles the exchange then): neither is an answer or another network error.
  if (pf && (pf.response || (pf.error !== undefined && netErrorToken(pf.error) !== 'net::ERR_FAILED')))
    return undefined;
  const target = addressSpaceOf(leg.url);
  if (target !== 'loopback' && target !== 'local') return undefined;
  const pageSpace = addressSpaceOf(requestOrigin);
  const preflighted = !!pf || !isCorsSafelistedMethod(normalizeMethod(ex.method));
  const base = { netError: token, credentials: 'unknown' as const, legIndex: last };
  if (SPACE_RANK[pageSpace] > SPACE_RANK[target] && preflighted) {
    const secure = isPotentiallyTrustworthyOrigin(requestOrigin);
    return {
      ...base,
      kind: secure ? 'lna-permission-denied' : 'lna-insecure-initiator',
      confidence: {
        level: 'inferred',
        reason: `The call needed a preflight, and Chrome stopped it before anything reached ${originOf(leg.url)} (a ${target} address) with plain net::ERR_FAILED: that is Local Network Access blocking a page on a more public network${secure ? ' (the page is a secure context, so it is the permission)' : ' that is not a secure context'}.`,
      },
      facts: localNetworkFacts(requestOrigin, secure, target),
    };
  }
  return {
    ...base,
    kind: 'lna-address-space-mismatch',
    confidence: {
      level: 'inferred',
      reason: `Chrome failed the call before anything was sent, and ${originOf(leg.url)} is a ${target} address${SPACE_RANK[pageSpace] <= SPACE_RANK[target] ? ' in the same (or a more public) address space as the page, where Local Network Access blocks nothing else' : ''}: that is what happens when fetch() names a targetAddressSpace the server is not in (extensions cannot see the option).`,
    },
    facts: [
      {
        step: 'network',
        name: 'target address space',
        expected: 'the targetAddressSpace the call named',
        received: target,
        ok: false,
        decisive: true,
      },
    ],
  };
}

/**
 * A failed call that no CORS header rule explains: request mode "same-origin" after a cross-origin
 * redirect (https://fetch.spec.whatwg.org/#main-fetch step 12), or a cause outside what webRequest shows.
 */
export function readUnexplainedFailure(
  ex: Exchange,
  requestOrigin: string,
  token: string | undefined,
  credentials: Reading['credentials'],
  omit: Simulation,
): Reading {
  const last = ex.legs.length - 1;
  // A same-origin request redirected to another origin and then failed without a response:
  // request mode "same-origin" (https://fetch.spec.whatwg.org/#main-fetch step 12, "same-origin"
  // mode with a cross-origin URL → network error; Chrome: DisallowedByMode after the redirect).
  const lastLeg = ex.legs[last];
  if (
    last > 0 &&
    originOf(ex.legs[0]?.url ?? '') === requestOrigin &&
    lastLeg &&
    !lastLeg.response &&
    !lastLeg.preflight
  ) {
    return {
      kind: 'disallowed-by-mode',
      netError: token,
      confidence: {
        level: 'inferred',
        reason:
          'The request started on the page\'s own origin, was redirected to another origin, and failed there before anything was sent. Chrome does this for fetch(..., { mode: "same-origin" }).',
      },
      credentials,
      legIndex: last,
      facts: [
        {
          step: 'redirect',
          name: 'request mode',
          expected: '"cors" for a request that may leave the page\'s origin',
          received: '"same-origin" (inferred)',
          ok: false,
          decisive: true,
        },
      ],
    };
  }
  return {
    kind: 'unexplained-failure',
    netError: token,
    confidence: {
      level: 'inferred',
      reason:
        'Chrome reported net::ERR_FAILED, but every header CORS Lens could see passes the CORS rules. The cause is outside what extensions can observe (for example a Local Network Access target-space mismatch, a request mode of "same-origin", or a preflight webRequest did not report).',
    },
    credentials,
    legIndex: last,
    sim: omit,
  };
}

/**
 * The two facts of a Local Network Access block: whether the page is a secure context (an insecure
 * page may not reach a more private address space at all), and the target's address space (a secure
 * page needs the permission). The decisive one depends on which applies.
 */
function localNetworkFacts(initiator: string | null, secure: boolean, target: string | null): Fact[] {
  return [
    {
      step: 'network',
      name: 'initiator',
      expected: 'a secure context (https:, or a loopback host such as localhost)',
      received: initiator,
      ok: secure,
      decisive: !secure,
    },
    {
      step: 'network',
      name: 'target address space',
      expected: 'no more private than the page, or permission granted',
      received: target,
      ok: false,
      decisive: secure,
    },
  ];
}
