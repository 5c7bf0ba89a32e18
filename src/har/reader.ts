/**
 * A HAR read entry by entry ({@link HarReader}): what each entry holds, then the calls with their
 * verdicts. Shared by HAR files, Playwright traces and the streaming reader. Pure; never throws.
 */
import { getHeader, httpOrigin } from '../engine';
import {
  callOfChain,
  callOfLonePreflight,
  fileNotes,
  pageUrlOf,
  type FileContext,
  type HarPages,
  type HarCall,
} from './exchange';
import { preflightsByKey, redirectChains } from './pair';
import { producerOf, type HarProducer } from './producer';
import { Interner, packHop } from './compact';
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
  private anyCookie = false;
  /** Shared copies of the texts entries repeat (hops are held until the calls are judged). */
  private readonly pool = new Interner();
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
    if (!this.anyCookie && getHeader(h.reqHeaders, 'cookie') !== null) this.anyCookie = true;
    this.hops.push(packHop(h, this.pool));
  }

  /** Every call with its verdict at once (small files, the panel, traces): {@link prepare} walked once. */
  finish(
    log: { creator?: unknown; pages?: unknown },
    options: ExplainOptions = {},
  ): HarResult & { ok: true } {
    return this.prepare(log).all(options);
  }

  /**
   * The entries sorted and chained, not yet judged: {@link HarWalk.calls} judges them one by one, so a
   * big file's verdicts can be written out as they are made instead of held.
   */
  prepare(log: { creator?: unknown; pages?: unknown }): HarWalk {
    const producer = producerOf(log.creator, this.sample);
    const har: HarPages = { log: { pages: Array.isArray(log.pages) ? log.pages : [] } };
    return new HarWalk(this.hops, this.documents, har, producer, {
      entries: this.entries,
      unreadable: this.unreadable,
      fieldProblems: this.fieldProblems,
      anyCookie: this.anyCookie,
      problems: this.problems,
    });
  }
}

/** What a walk's summary needs of the reading. */
interface ReadCounts {
  entries: number;
  unreadable: number;
  fieldProblems: number;
  problems: EntryProblem[];
  /** Whether any request carries a Cookie header (a sanitized export has none). */
  anyCookie: boolean;
}

/** The file's verdicts without the calls: known once a walk has gone through every call. */
export type HarSummary = Omit<HarResult & { ok: true }, 'calls'> & { calls: number };

/**
 * A HAR's calls, judged on demand and in start order. Each walk judges every call again (the verdicts
 * are the same each time: pairing is reset), so nothing needs to hold them all.
 */
export class HarWalk {
  readonly flavor: HarFlavor;
  private readonly chains: Hop[][];
  private readonly preflights: Hop[];
  private readonly context: FileContext;
  private done: { skipped: number; lone: Hop[]; calls: number } | null = null;

  constructor(
    hops: Hop[],
    private readonly documents: Map<string, string>,
    private readonly har: HarPages,
    readonly producer: HarProducer,
    private readonly read: ReadCounts,
  ) {
    this.flavor = flavorOf(producer);
    hops.sort((a, b) => a.start - b.start || a.index - b.index);
    this.preflights = hops.filter((h) => h.preflight);
    // Redirect hops: chain the requests by `redirectURL`.
    this.chains = redirectChains(hops.filter((h) => !h.preflight));
    const byKey = preflightsByKey(this.preflights);
    this.context = { har, flavor: this.flavor, producer, byKey, anyCookie: read.anyCookie, documents };
  }

  /**
   * Every cross-origin call with its verdict, oldest first (a preflight without its request where it
   * started, after the calls that started at the same time).
   */
  *calls(options: ExplainOptions = {}): Generator<HarCall> {
    for (const p of this.preflights) p.used = false;
    const total = this.chains.length;
    let skipped = 0;
    let calls = 0;
    let n = 0;
    // Preflights without a request are only known once every chain has been paired: the first walk
    // finds them and holds them (few), later walks merge them in by start time.
    const lone = this.done?.lone ?? [];
    let next = 0;
    for (const chain of this.chains) {
      n++;
      if (options.onProgress && n % 500 === 0) options.onProgress(n, total);
      const start = (chain[0] as Hop).start;
      for (; next < lone.length && (lone[next] as Hop).start < start; next++, calls++)
        yield callOfLonePreflight(lone[next] as Hop, this.producer);
      const call = callOfChain(chain, this.context);
      if (!call) {
        skipped++;
        continue;
      }
      calls++;
      yield call;
    }
    if (!this.done) {
      // First walk: the preflights without a request, in start order after the calls.
      const first = this.preflights.filter((p) => !p.used && httpOrigin(p.url) !== null);
      for (const p of first) yield callOfLonePreflight(p, this.producer);
      calls += first.length;
      this.done = { skipped, lone: first, calls };
      return;
    }
    for (; next < lone.length; next++) yield callOfLonePreflight(lone[next] as Hop, this.producer);
  }

  /** Every call with its verdict at once, oldest first, and the summary. */
  all(options: ExplainOptions = {}): HarResult & { ok: true } {
    const calls = [...this.calls(options)];
    // The first walk yields the preflights without a request last: in start order as later walks do.
    calls.sort((a, b) => a.exchange.startTime - b.exchange.startTime);
    return { ...this.summary(), calls };
  }

  /** The counts and the file's notes: after one walk has gone through every call. */
  summary(): HarSummary {
    const done = this.done;
    if (!done) throw new Error('HarWalk.summary() before a walk went through every call');
    const { entries, unreadable, fieldProblems, problems } = this.read;
    const notes = fileNotes(this.flavor, this.context.anyCookie, done.calls);
    if (unreadable || fieldProblems) {
      notes.push(
        `${unreadable} of ${entries} entries could not be read and were left out${fieldProblems ? `; ${fieldProblems} fields of other entries had the wrong type and were ignored` : ''} (each is named with its index under "problems").`,
      );
    }
    return {
      ok: true,
      flavor: this.flavor,
      producer: this.producer,
      calls: done.calls,
      notes,
      stats: {
        entries,
        preflights: this.preflights.length,
        unpairedPreflights: done.lone.length,
        skipped: done.skipped,
        unreadable,
      },
      pageUrl: pageUrlOf(this.har, undefined),
      problems,
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
