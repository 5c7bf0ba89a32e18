/**
 * Preflight pairing. webRequest gives no link between a preflight and its actual request, so capture
 * infers it:
 * - a preflight is an OPTIONS request whose `onSendHeaders` carries `Access-Control-Request-Method`;
 * - it starts 1–3 ms after its actual request's `onBeforeRequest`, and the actual's next event comes
 *   only after the preflight completed. So when the preflight's headers arrive, it is linked
 *   tentatively (FIFO) to the oldest actual request of the same group (tab, frame, document, initiator,
 *   URL) that is still waiting after its `onBeforeRequest` and whose method equals ACRM;
 * - when that actual's next event arrives the link is settled: the preflight must have finished, its
 *   ACRH must fit the headers the actual was sent with (`onSendHeaders`), and if the actual failed
 *   before being sent, the preflight must explain the failure (asked of the engine). Otherwise it is
 *   swapped with a better candidate of the same group.
 * - A preflight after a redirect goes to the new URL and belongs to that leg.
 * - A preflight answered from Chrome's preflight cache produces no events: the leg simply has none.
 */
import { type Exchange, getHeader, type HeaderLine, type Leg, type Verdict } from '../engine';
import type { WebRequestEvent } from './events';
import { acrhFit, mergeResponse, parseNameList, responseOf, trimRequestHeaders } from './headers';
import type { ExchangeRecord, PreflightRecord } from './records';

// Scores of a candidate preflight when its actual request's next event settles the link. The order
// matters, not the values: explains the failure > finished > fits the sent headers.

/**
 * The request failed before it was sent, and the engine says this preflight certainly made it fail: a
 * request stopped before sending was stopped by its preflight, so this outweighs everything else.
 */
export const SCORE_EXPLAINS_FAILURE = 16;
/** As {@link SCORE_EXPLAINS_FAILURE}, but the engine only infers it (e.g. "had the call carried credentials"). */
export const SCORE_EXPLAINS_FAILURE_INFERRED = 10;
/** The preflight has finished (the actual's next event comes only after its preflight completed). */
export const SCORE_FINISHED = 8;
/**
 * Per point of {@link acrhFit} (1: every requested visible header was sent, 2: and every custom header
 * sent was requested): 2 or 4, below {@link SCORE_FINISHED}.
 */
export const SCORE_PER_HEADER_FIT = 2;
/** At most this many verdicts are computed to settle one request (each is a full evaluation). */
export const MAX_VERDICT_CHECKS = 16;
/** At most this many OPTIONS requests are tracked at once (the oldest unlinked one is forgotten first). */
export const MAX_PREFLIGHTS = 4000;

/** What the actual request's next event after `onBeforeRequest` says about its preflight. */
export interface NextStep {
  /** The headers it was sent with (its `onSendHeaders`). */
  sentHeaders?: readonly HeaderLine[];
  /** Set when it failed before it was sent: its error. */
  failedUnsent?: string;
}

export function nextStepOf(ev: WebRequestEvent): NextStep {
  if (ev.event === 'sendHeaders' || ev.event === 'beforeSendHeaders')
    return ev.requestHeaders ? { sentHeaders: ev.requestHeaders } : {};
  if (ev.event === 'errorOccurred') return { failedUnsent: ev.error ?? 'net::ERR_FAILED' };
  return {};
}

interface Group {
  /** Actual requests waiting for their next event after `onBeforeRequest`, oldest first. */
  actuals: ExchangeRecord[];
  /** Preflights not settled yet. */
  preflights: PreflightRecord[];
}

/** How an event of an OPTIONS request was taken. */
export type PreflightEventResult = 'folded' | 'not-a-preflight';

export class PreflightPairing {
  /** Preflights (and unclassified OPTIONS) by requestId. */
  private readonly byId = new Map<string, PreflightRecord>();
  private readonly groups = new Map<string, Group>();

  /**
   * @param evaluate the verdict engine (asked whether a preflight explains a failure)
   * @param recordChanged called when a link changes a record's exchange
   */
  constructor(
    private readonly evaluate: (exchange: Exchange) => Verdict,
    private readonly recordChanged: (record: ExchangeRecord) => void,
  ) {}

  get size(): number {
    return this.byId.size;
  }

  get groupCount(): number {
    return this.groups.size;
  }

  get(requestId: string): PreflightRecord | undefined {
    return this.byId.get(requestId);
  }

  /** An OPTIONS request started; `onSendHeaders` will tell whether it is a preflight. */
  addOptions(preflight: PreflightRecord): void {
    if (this.byId.size >= MAX_PREFLIGHTS) this.evictOldestUnowned();
    this.byId.set(preflight.requestId, preflight);
    this.group(preflight.group).preflights.push(preflight);
  }

  /** The actual request's current leg waits for its next event (its preflight, if any, may come). */
  waitForPreflight(record: ExchangeRecord, key: string): void {
    record.waitGroup = key;
    this.group(key).actuals.push(record);
  }

  /** A preflight read back from storage; in flight ones take part in pairing again. */
  restore(preflight: PreflightRecord, inFlight: boolean): void {
    if (inFlight) this.byId.set(preflight.requestId, preflight);
  }

  /**
   * A restored request still waiting for its next event, with the preflight its current leg had (it may
   * still be swapped for a better one).
   */
  resumeWaiting(record: ExchangeRecord, key: string, preflight: PreflightRecord | null | undefined): void {
    this.waitForPreflight(record, key);
    if (preflight) {
      preflight.group = key;
      preflight.start = record.legStart;
      preflight.settled = false;
      this.group(key).preflights.push(preflight);
    }
  }

  /** Folds one event of an OPTIONS request. */
  onEvent(preflight: PreflightRecord, ev: WebRequestEvent): PreflightEventResult {
    const observed = preflight.preflight;
    switch (ev.event) {
      case 'beforeSendHeaders':
      case 'sendHeaders': {
        observed.requestHeaders = trimRequestHeaders(ev.requestHeaders);
        if (preflight.requestedMethod === undefined) {
          const method = getHeader(ev.requestHeaders, 'access-control-request-method');
          // Not a preflight: the page's own OPTIONS request.
          if (method === null) return 'not-a-preflight';
          preflight.requestedMethod = method;
          preflight.requestedHeaders = parseNameList(
            getHeader(ev.requestHeaders, 'access-control-request-headers'),
          );
          this.link(preflight);
        }
        break;
      }
      case 'headersReceived':
        observed.response = responseOf(ev);
        break;
      case 'beforeRedirect':
      case 'completed': {
        if (!observed.response) observed.response = responseOf(ev);
        else mergeResponse(observed.response, ev);
        preflight.finished = true;
        break;
      }
      case 'errorOccurred': {
        // An OPTIONS that failed before sending headers is an actual request blocked by its preflight.
        if (preflight.requestedMethod === undefined) return 'not-a-preflight';
        // After its response arrived, an error is the browser rejecting that response (Firefox fails the
        // OPTIONS request itself with NS_ERROR_DOM_BAD_URI): the headers tell why. Before it, the
        // preflight failed below HTTP.
        if (!observed.response) observed.error = ev.error ?? 'net::ERR_FAILED';
        preflight.finished = true;
        break;
      }
      default:
        return 'folded';
    }
    if (preflight.owner) this.recordChanged(preflight.owner);
    // Unowned finished preflights stay in their group until their actual's next event claims them
    // (or until evicted: see evictOldestUnowned).
    if (preflight.finished && preflight.settled) this.forget(preflight);
    return 'folded';
  }

  /** Tentative FIFO link: the oldest waiting request of the group with the requested method. */
  private link(preflight: PreflightRecord): void {
    const group = this.groups.get(preflight.group);
    if (!group) return;
    for (const actual of group.actuals) {
      if (actual.legMethod !== preflight.requestedMethod || actual.legStart > preflight.start) continue;
      if (actual.preflights[actual.exchange.legs.length - 1]) continue;
      this.attach(preflight, actual);
      return;
    }
  }

  private attach(preflight: PreflightRecord, record: ExchangeRecord): void {
    const i = record.exchange.legs.length - 1;
    preflight.owner = record;
    preflight.leg = i;
    record.preflights[i] = preflight;
    (record.exchange.legs[i] as Leg).preflight = preflight.preflight;
    this.recordChanged(record);
  }

  private detach(preflight: PreflightRecord): void {
    const record = preflight.owner;
    if (!record) return;
    const leg = record.exchange.legs[preflight.leg];
    if (leg && leg.preflight === preflight.preflight) delete leg.preflight;
    if (record.preflights[preflight.leg] === preflight) record.preflights[preflight.leg] = null;
    preflight.owner = undefined;
    this.recordChanged(record);
  }

  /**
   * The actual's next event after onBeforeRequest: its preflight (if any) has finished by now. Pick
   * the right one among the group's candidates and take the actual out of the waiting list.
   */
  settle(record: ExchangeRecord, next: NextStep): void {
    const key = record.waitGroup;
    if (key === undefined) return;
    record.waitGroup = undefined;
    const group = this.groups.get(key);
    if (!group) return;
    const at = group.actuals.indexOf(record);
    if (at >= 0) group.actuals.splice(at, 1);
    const current = record.preflights[record.exchange.legs.length - 1] ?? undefined;
    const best = this.bestCandidate(record, group, current, next);
    if (best !== current) {
      const otherOwner = best?.owner;
      if (best) this.detach(best);
      if (current) {
        this.detach(current);
        // Hand our old preflight to the request we took one from, if it fits it.
        if (otherOwner && otherOwner !== record && current.requestedMethod === otherOwner.legMethod)
          this.attach(current, otherOwner);
      }
      if (best) this.attach(best, record);
    }
    if (best) {
      best.settled = true;
      const i = group.preflights.indexOf(best);
      if (i >= 0) group.preflights.splice(i, 1);
      if (best.finished) this.forget(best);
    }
    if (group.actuals.length === 0 && group.preflights.length === 0) this.groups.delete(key);
  }

  /**
   * The best preflight of the group for the request (see the SCORE_ constants). Ties go to the preflight
   * that started soonest after this request (Chrome starts a preflight 1-3 ms after its request's
   * onBeforeRequest), then to the tentative link.
   */
  private bestCandidate(
    record: ExchangeRecord,
    group: Group,
    current: PreflightRecord | undefined,
    next: NextStep,
  ): PreflightRecord | undefined {
    const candidates = group.preflights.filter(
      (p) =>
        p.requestedMethod !== undefined &&
        p.requestedMethod === record.legMethod &&
        p.start >= record.legStart &&
        !p.settled &&
        (p.owner === undefined || p.owner === record || p.owner.waitGroup !== undefined),
    );
    let best: PreflightRecord | undefined;
    let bestScore = -1;
    let verdictChecks = 0;
    for (const candidate of candidates) {
      let score = 0;
      if (candidate.finished) score += SCORE_FINISHED;
      if (next.sentHeaders) {
        const fit = acrhFit(candidate.requestedHeaders, next.sentHeaders);
        if (fit === 0) continue; // it asked for a header this request did not send
        score += fit * SCORE_PER_HEADER_FIT;
      } else if (
        next.failedUnsent !== undefined &&
        candidates.length > 1 &&
        verdictChecks < MAX_VERDICT_CHECKS
      ) {
        verdictChecks++;
        score += this.explainsFailure(record, candidate, next.failedUnsent);
      }
      const closer =
        best !== undefined &&
        (candidate.start < best.start || (candidate.start === best.start && candidate === current));
      if (score > bestScore || (score === bestScore && closer)) {
        bestScore = score;
        best = candidate;
      }
    }
    return best;
  }

  /** Would this preflight make the request fail before it was sent, with this error? (asks the engine) */
  private explainsFailure(record: ExchangeRecord, candidate: PreflightRecord, error: string): number {
    try {
      const exchange = record.exchange;
      const last = exchange.legs.length - 1;
      const legs = exchange.legs.map((l, i) => (i === last ? { ...l, preflight: candidate.preflight } : l));
      const verdict = this.evaluate({ ...exchange, legs, outcome: { state: 'failed', error } });
      if (verdict.outcome !== 'blocked' || verdict.step !== 'preflight') return 0;
      return verdict.confidence.level === 'certain'
        ? SCORE_EXPLAINS_FAILURE
        : SCORE_EXPLAINS_FAILURE_INFERRED;
    } catch {
      return 0;
    }
  }

  /** The request left the log: it no longer waits for a preflight. */
  stopWaiting(record: ExchangeRecord): void {
    if (record.waitGroup === undefined) return;
    const group = this.groups.get(record.waitGroup);
    if (group) {
      const i = group.actuals.indexOf(record);
      if (i >= 0) group.actuals.splice(i, 1);
      if (group.actuals.length === 0 && group.preflights.length === 0) this.groups.delete(record.waitGroup);
    }
    record.waitGroup = undefined;
  }

  /** Stops tracking an OPTIONS request (its record, if any, keeps the observed preflight). */
  forget(preflight: PreflightRecord): void {
    this.byId.delete(preflight.requestId);
    const group = this.groups.get(preflight.group);
    if (group) {
      const i = group.preflights.indexOf(preflight);
      if (i >= 0) group.preflights.splice(i, 1);
      if (group.actuals.length === 0 && group.preflights.length === 0) this.groups.delete(preflight.group);
    }
  }

  private evictOldestUnowned(): void {
    for (const preflight of this.byId.values()) {
      if (!preflight.owner) {
        this.forget(preflight);
        return;
      }
    }
  }

  private group(key: string): Group {
    let group = this.groups.get(key);
    if (!group) {
      group = { actuals: [], preflights: [] };
      this.groups.set(key, group);
    }
    return group;
  }
}
