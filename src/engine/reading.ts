/**
 * The reading of a CORS exchange: which checks the browser ran and which failed, with the credentials
 * mode it must have used. Chrome's checks (simulate.ts) are replayed with and without credentials — the
 * credentials mode is never visible — and the reading kept is the one consistent with what happened: a
 * `Cookie` header proves credentials; a failure needs a failing reading; a completed call needs a
 * passing one.
 */
import { kindOf } from './kind-of';
import { getHeader, hasHeader } from './headers';
import { isCorsFamilyError, type BrowserProfile } from './profile';
import {
  netErrorToken,
  readLocalNetworkFailure,
  readNetError,
  readUnexplainedFailure,
  type Reading,
} from './read-network';
import { chainOf, simulate, type Chain, type Simulation } from './simulate';
import type { Confidence, Exchange } from './types';

/** A `Cookie` header on any leg proves credentials mode "include" (its absence proves nothing). */
function cookieSent(ex: Exchange): boolean {
  return ex.legs.some((l) => hasHeader(l.requestHeaders, 'cookie'));
}

/**
 * The credentials mode when it is known: given by whoever built the exchange (the command line), or
 * proven by a `Cookie` header. `undefined`: unknown, and both readings are tried.
 */
function knownCredentialsMode(ex: Exchange): 'include' | 'omit' | undefined {
  return ex.credentialsMode ?? (cookieSent(ex) ? 'include' : undefined);
}

function inferredCredentials(outcome: 'failed' | 'completed', p: BrowserProfile): Confidence {
  if (outcome === 'completed' && !p.completionProvesReadable) {
    return {
      level: 'inferred',
      reason: `The headers pass only for a request without credentials. ${p.label} does not tell extensions whether it blocked a response, nor whether the page asked for credentials (cookies, HTTP authentication): this call is allowed if it was sent without them (the fetch default for cross-origin calls), and blocked if the page used credentials: "include" or withCredentials.`,
    };
  }
  if (outcome === 'failed') {
    return {
      level: 'inferred',
      reason: `${p.label} blocked this call, and the headers fail only for a request that carries credentials (cookies or HTTP authentication), so the page must have sent it with credentials: fetch(..., { credentials: "include" }) or XMLHttpRequest.withCredentials = true. No Cookie header was visible to prove it.`,
    };
  }
  return {
    level: 'inferred',
    reason: `The headers pass only for a request without credentials; ${p.label} allowed the call, so it was sent without them (the fetch default for cross-origin calls).`,
  };
}

type Mode = 'include' | 'omit' | undefined;

/** A fresh object each time: verdicts never share mutable parts. */
const certain = (): Confidence => ({ level: 'certain' });

/**
 * The two readings of one exchange, without and with credentials; the credentialed one is simulated
 * only when asked for (it changes the answer only sometimes).
 */
export class Readings {
  readonly omit: Simulation;
  private inc: Simulation | undefined;
  private readonly chain: Chain;

  constructor(
    private readonly ex: Exchange,
    private readonly requestOrigin: string,
    private readonly untaintedPreflights: boolean,
  ) {
    this.chain = chainOf(ex, requestOrigin);
    this.omit = simulate(ex, requestOrigin, false, untaintedPreflights, this.chain);
  }

  include(): Simulation {
    return (this.inc ??= simulate(this.ex, this.requestOrigin, true, this.untaintedPreflights, this.chain));
  }

  /**
   * Whether the reading with credentials fails, simulated only when the reading without them does not
   * already tell. When the reading without credentials passes, every response it checked has an
   * `Access-Control-Allow-Origin` of `*` or the leg's origin (the CORS check, steps 2–4); the reading
   * with credentials checks the same responses against the same origins (the chain does not depend on
   * the mode), in the same order, and stops early only on a failure (an unanswered preflight stops both
   * at the same leg). So if one of those responses lacks `Access-Control-Allow-Credentials: true`, the
   * reading with credentials fails there or before: `*` fails step 4 (WildcardOriginNotAllowed), the
   * origin fails steps 6–8 (InvalidAllowCredentials).
   */
  includeFails(): boolean {
    if (this.inc) return !!this.inc.failure;
    if (!this.omit.failure) {
      for (const c of this.omit.checked)
        if (getHeader(c.headers, 'access-control-allow-credentials') !== 'true') return true;
    }
    return !!this.include().failure;
  }

  /** The reading for a known mode (without credentials when unknown). */
  of(mode: Mode): Simulation {
    return mode === 'include' ? this.include() : this.omit;
  }
}

/**
 * A completed call in a browser that completes responses it then blocks (Firefox): the headers alone
 * decide. Without a Cookie header the credentials mode is unknown; the reading without credentials is
 * the fetch default.
 */
function readCompletedByHeaders(
  ex: Exchange,
  requestOrigin: string,
  p: BrowserProfile,
  mode: Mode,
  sims: Readings,
): Reading {
  const last = ex.legs.length - 1;
  const chosen = sims.of(mode);
  const f = chosen.failure;
  if (f) {
    return {
      kind: kindOf(ex, f, chosen, requestOrigin),
      sim: chosen,
      failure: f,
      netError: f.netError,
      confidence: certain(),
      credentials: mode ?? 'unknown',
      legIndex: f.legIndex,
    };
  }
  if (mode) return { kind: 'allowed', sim: chosen, confidence: certain(), credentials: mode, legIndex: last };
  const both = !sims.includeFails();
  return {
    kind: 'allowed',
    sim: chosen,
    confidence: both ? certain() : inferredCredentials('completed', p),
    credentials: both ? 'unknown' : 'omit',
    legIndex: last,
  };
}

/** A failure fits a reading that fails where nothing was sent after the failing check. */
function fits(s: Simulation | undefined): s is Simulation {
  return !!s && !!s.failure && s.consistent;
}

/** A call that failed with `net::ERR_FAILED` (or a CORS-family error): the reading that fails as observed. */
function readFailed(
  ex: Exchange,
  requestOrigin: string,
  p: BrowserProfile,
  mode: Mode,
  token: string | undefined,
  sims: Readings,
): Reading {
  const lna = readLocalNetworkFailure(ex, requestOrigin, token);
  if (lna) return mode ? { ...lna, credentials: mode } : lna;
  // A known mode has one reading; an unknown one tries without credentials (the default), then with.
  let chosen: Simulation | undefined = sims.of(mode);
  if (!fits(chosen)) chosen = mode === undefined && fits(sims.include()) ? sims.include() : undefined;
  if (!chosen || !chosen.failure)
    return readUnexplainedFailure(ex, requestOrigin, token, mode ?? 'unknown', sims.omit);
  const f = chosen.failure;
  const inferred = !mode && chosen !== sims.omit;
  return {
    kind: kindOf(ex, f, chosen, requestOrigin),
    sim: chosen,
    failure: f,
    netError: f.netError ?? token,
    confidence: inferred ? inferredCredentials('failed', p) : certain(),
    credentials: inferred ? 'include' : (mode ?? 'unknown'),
    legIndex: f.legIndex,
  };
}

/** A completed call where completion proves the page could read it (Chrome): a reading must pass. */
function readCompleted(ex: Exchange, p: BrowserProfile, mode: Mode, sims: Readings): Reading {
  const last = ex.legs.length - 1;
  if (mode) {
    const sim = sims.of(mode);
    if (!sim.failure)
      return { kind: 'allowed', sim, confidence: certain(), credentials: mode, legIndex: last };
  } else if (!sims.omit.failure) {
    const both = !sims.includeFails();
    const confidence = both ? certain() : inferredCredentials('completed', p);
    return {
      kind: 'allowed',
      sim: sims.omit,
      confidence,
      credentials: both ? 'unknown' : 'omit',
      legIndex: last,
    };
  } else if (!sims.include().failure) {
    return {
      kind: 'allowed',
      sim: sims.include(),
      confidence: certain(),
      credentials: 'include',
      legIndex: last,
    };
  }
  return {
    kind: 'allowed-contrary',
    sim: sims.of(mode),
    confidence: certain(),
    credentials: mode ?? 'unknown',
    legIndex: last,
  };
}

/** The reading of a CORS exchange under profile `p`. */
export function read(ex: Exchange, requestOrigin: string, p: BrowserProfile): Reading {
  const untainted = !p.taintsPreflightedRedirects;
  const state = ex.outcome;
  const token = state.state === 'failed' ? netErrorToken(state.error) : undefined;
  const mode = knownCredentialsMode(ex);
  if (token && !isCorsFamilyError(p, token)) {
    // Where error names are unreliable (Firefox), a header that fails a CORS rule decides first.
    const headersFail =
      !p.errorNamesDecide && !!simulate(ex, requestOrigin, mode === 'include', untainted).failure;
    if (!headersFail) return readNetError(ex, token);
  }
  const sims = new Readings(ex, requestOrigin, untainted);
  if (state.state === 'pending') {
    const last = ex.legs.length - 1;
    return {
      kind: 'pending',
      confidence: certain(),
      credentials: mode ?? 'unknown',
      legIndex: last,
      sim: sims.omit,
    };
  }
  if (state.state === 'failed') return readFailed(ex, requestOrigin, p, mode, token, sims);
  if (!p.completionProvesReadable) return readCompletedByHeaders(ex, requestOrigin, p, mode, sims);
  return readCompleted(ex, p, mode, sims);
}
