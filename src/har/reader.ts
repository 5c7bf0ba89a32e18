/**
 * A HAR read entry by entry ({@link HarReader}): what each entry holds, then the calls with their
 * verdicts. Shared by HAR files, Playwright traces and the streaming reader. Pure; never throws.
 */
import { getHeader, httpOrigin } from '../engine';
import { callOfChain, callOfLonePreflight, fileNotes, pageUrlOf, type HarCall } from './exchange';
import { preflightsByKey, redirectChains } from './pair';
import { producerOf, type HarProducer } from './producer';
import { flavorOf, isObj, readEntry, type EntryProblem, type HarFlavor, type Hop } from './read';

export interface HarStats {
  entries: number;
  preflights: number;
  /** Preflights no request could be paired with (judged on their own). */
  unpairedPreflights: number;
  /** Same-origin calls, navigations, non-http(s) URLs and WebSockets: not CORS. */
  skipped: number;
  /** Entries that could not be read at all (left out; each named in `problems`). */
  unreadable: number;
}

export type HarResult =
  | {
      ok: true;
      flavor: HarFlavor;
      producer: HarProducer;
      calls: HarCall[];
      notes: string[];
      stats: HarStats;
      pageUrl: string | null;
      /** What could not be read, entry by entry (at most {@link MAX_PROBLEMS}; `stats` counts all). */
      problems: EntryProblem[];
    }
  | { ok: false; error: string };

/** How many entry problems are kept by name (a broken 100,000-entry file would list them all). */
export const MAX_PROBLEMS = 200;

export interface ExplainOptions {
  /** Called every few hundred calls with (done, total). */
  onProgress?: (done: number, total: number) => void;
}

/**
 * A HAR read entry by entry (the command line streams big files into it): `add` each entry as it
 * comes, then `finish`. Only what the verdicts need is kept of each entry. Never throws.
 */
export class HarReader {
  private readonly hops: Hop[] = [];
  private readonly documents = new Map<string, string>();
  private readonly problems: EntryProblem[] = [];
  private entries = 0;
  private unreadable = 0;
  private fieldProblems = 0;
  /** A bounded sample of raw entries for telling the producer by its fields. */
  private readonly sample: unknown[] = [];

  /** One entry; `unreadable` names a problem found before the entry could be had (a line not JSON). */
  add(entry: unknown, unreadable?: string): void {
    const index = this.entries++;
    if (this.sample.length < 200) this.sample.push(sampleOf(entry));
    const warn = (problem: string): void => {
      this.fieldProblems++;
      if (this.problems.length < MAX_PROBLEMS) this.problems.push({ index, problem, skipped: false });
    };
    let h: Hop | { problem: string };
    try {
      h = unreadable ? { problem: unreadable } : readEntry(entry, index, warn);
    } catch (e) {
      h = { problem: `could not be read (${e instanceof Error ? e.message : String(e)})` };
    }
    if ('problem' in h) {
      this.unreadable++;
      if (this.problems.length < MAX_PROBLEMS)
        this.problems.push({ index, problem: h.problem, skipped: true });
      return;
    }
    if (
      (h.resourceType === 'document' || h.mode === 'navigate') &&
      h.pageref &&
      !this.documents.has(h.pageref)
    )
      this.documents.set(h.pageref, h.url);
    this.hops.push(h);
  }

  finish(
    log: { creator?: unknown; pages?: unknown },
    options: ExplainOptions = {},
  ): HarResult & { ok: true } {
    const producer = producerOf(log.creator, this.sample);
    const flavor = flavorOf(producer);
    const har = { log: { pages: Array.isArray(log.pages) ? log.pages : [] } };
    const hops = this.hops;
    let skipped = 0;
    hops.sort((a, b) => a.start - b.start || a.index - b.index);

    const preflights = hops.filter((h) => h.preflight);
    const byKey = preflightsByKey(preflights);
    // Redirect hops: chain the requests by `redirectURL`.
    const chains = redirectChains(hops.filter((h) => !h.preflight));

    const calls: HarCall[] = [];
    const anyCookie = hops.some((h) => getHeader(h.reqHeaders, 'cookie') !== null);
    const context = { har, flavor, producer, byKey, anyCookie, documents: this.documents };
    const total = chains.length;
    let n = 0;
    for (const chain of chains) {
      n++;
      if (options.onProgress && n % 500 === 0) options.onProgress(n, total);
      const call = callOfChain(chain, context);
      if (call) calls.push(call);
      else skipped++;
    }

    // Preflights without a request: the request is missing from the file (or never made).
    let unpaired = 0;
    for (const p of preflights) {
      if (p.used || !httpOrigin(p.url)) continue;
      unpaired++;
      calls.push(callOfLonePreflight(p, producer));
    }
    calls.sort((a, b) => a.exchange.startTime - b.exchange.startTime);

    const notes = fileNotes(flavor, anyCookie, calls.length);
    if (this.unreadable || this.fieldProblems) {
      notes.push(
        `${this.unreadable} of ${this.entries} entries could not be read and were left out${this.fieldProblems ? `; ${this.fieldProblems} fields of other entries had the wrong type and were ignored` : ''} (each is named with its index under "problems").`,
      );
    }
    return {
      ok: true,
      flavor,
      producer,
      calls,
      notes,
      stats: {
        entries: this.entries,
        preflights: preflights.length,
        unpairedPreflights: unpaired,
        skipped,
        unreadable: this.unreadable,
      },
      pageUrl: pageUrlOf(har, undefined),
      problems: this.problems,
    };
  }
}

/** The fields {@link producerOf} looks at, without the entry's bodies. */
function sampleOf(e: unknown): unknown {
  if (!isObj(e)) return e;
  const res = isObj(e.response) ? e.response : {};
  return {
    ...('_resourceType' in e ? { _resourceType: true } : {}),
    ...('_initiator' in e ? { _initiator: true } : {}),
    ...('_frameref' in e ? { _frameref: true } : {}),
    ...('_fromCache' in e ? { _fromCache: true } : {}),
    response: {
      ...('_error' in res ? { _error: true } : {}),
      ...('_failureText' in res ? { _failureText: true } : {}),
    },
  };
}
