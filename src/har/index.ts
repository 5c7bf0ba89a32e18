/**
 * HAR files in, CORS verdicts out: the command line's `har` and the panel's *Open report…* share it.
 * Pure: no browser globals, no I/O.
 *
 * Two shapes are read:
 * - Chrome DevTools' export: preflights are their own entries with `_resourceType: "preflight"` and
 *   `_initiator: {type: "preflight", url, requestId}`; a blocked or failed call has `response._error`
 *   (`net::ERR_FAILED`); a blocked response keeps its status and headers.
 * - Firefox's export: standard fields only. A preflight is a plain OPTIONS entry with
 *   `Access-Control-Request-Method`; a blocked call may show status 0, or its real status (nothing
 *   in the file then says that Firefox blocked it).
 *
 * Entries have no id linking a preflight to its request: they are paired by URL, method
 * (`Access-Control-Request-Method`), `Access-Control-Request-Headers`, `Origin` and time. Redirect hops
 * are separate entries chained by `redirectURL`.
 */
import type { Har } from 'har-format';
import { getHeader } from '../engine/headers';
import { parseReport, type ParsedReport } from '../report/json';
import { callOfChain, callOfLonePreflight, fileNotes, pageUrlOf, type HarCall } from './exchange';
import { preflightsByKey, redirectChains } from './pair';
import { httpOrigin } from '../engine/request';
import { producerOf, type HarProducer } from './producer';
import {
  flavorOf,
  isObj,
  parseHarJson,
  readEntry,
  type EntryProblem,
  type HarFlavor,
  type Hop,
} from './read';

export type { HarCall } from './exchange';
export type { HarProducer } from './producer';
export { harFlavor, parseHarJson, type EntryProblem, type HarFlavor } from './read';

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
    const har = { log: { pages: Array.isArray(log.pages) ? log.pages : [] } } as unknown as Pick<Har, 'log'>;
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

/** Every cross-origin call of a HAR with its verdict, oldest first. Never throws. */
export function explainHar(har: Har, options: ExplainOptions = {}): HarResult {
  const reader = new HarReader();
  for (const e of har.log.entries as unknown[]) reader.add(e);
  return reader.finish(har.log, options);
}

/** Text in, verdicts out (the panel's file picker and the command line). Never throws. */
export function explainHarText(text: string, options: ExplainOptions = {}): HarResult {
  const parsed = parseHarJson(text);
  if (!parsed.ok) return parsed;
  try {
    return explainHar(parsed.har, options);
  } catch (e) {
    return { ok: false, error: `could not read the HAR: ${e instanceof Error ? e.message : String(e)}` };
  }
}

/** Whether a JSON text looks like a HAR (for a file picker that accepts reports and HARs). */
export function looksLikeHar(text: string): boolean {
  return (
    /^\s*\{\s*"log"\s*:/.test(text) || /"log"\s*:\s*\{[\s\S]{0,400}"entries"\s*:/.test(text.slice(0, 2000))
  );
}

/**
 * The panel's *Open report…*: a CORS Lens JSON report, or a HAR file (judged here). Never throws.
 */
export function parseReportOrHar(text: string): ParsedReport {
  if (!looksLikeHar(text)) return parseReport(text);
  const r = explainHarText(text);
  if (!r.ok) return { ok: false, error: `HAR file: ${r.error}` };
  return {
    ok: true,
    entries: r.calls.map(({ exchange, verdict }) => ({ exchange, verdict })),
    generatedAt: null,
    // A HAR is shown as it is: nothing was redacted.
    redacted: false,
    pageUrl: r.pageUrl,
  };
}
