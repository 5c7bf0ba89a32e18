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
import { harFlavor, parseHarJson, toHop, type HarFlavor, type Hop } from './read';

export type { HarCall } from './exchange';
export { harFlavor, parseHarJson, type HarFlavor } from './read';

export interface HarStats {
  entries: number;
  preflights: number;
  /** Preflights no request could be paired with (judged on their own). */
  unpairedPreflights: number;
  /** Same-origin calls, navigations, non-http(s) URLs and WebSockets: not CORS. */
  skipped: number;
}

export type HarResult =
  | {
      ok: true;
      flavor: HarFlavor;
      calls: HarCall[];
      notes: string[];
      stats: HarStats;
      pageUrl: string | null;
    }
  | { ok: false; error: string };

export interface ExplainOptions {
  /** Called every few hundred calls with (done, total). */
  onProgress?: (done: number, total: number) => void;
}

/** Every cross-origin call of a HAR with its verdict, oldest first. Never throws. */
export function explainHar(har: Har, options: ExplainOptions = {}): HarResult {
  const flavor = harFlavor(har);
  const raw = har.log.entries as unknown[];
  const hops: Hop[] = [];
  let skipped = 0;
  raw.forEach((e, i) => {
    const h = toHop(e, i);
    if (h) hops.push(h);
    else skipped++;
  });
  hops.sort((a, b) => a.start - b.start || a.index - b.index);

  const preflights = hops.filter((h) => h.preflight);
  const byKey = preflightsByKey(preflights);
  // Redirect hops: chain the requests by `redirectURL`.
  const chains = redirectChains(hops.filter((h) => !h.preflight));

  const calls: HarCall[] = [];
  const anyCookie = hops.some((h) => getHeader(h.reqHeaders, 'cookie') !== null);
  const context = { har, flavor, byKey, anyCookie };
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
    calls.push(callOfLonePreflight(p));
  }
  calls.sort((a, b) => a.exchange.startTime - b.exchange.startTime);

  return {
    ok: true,
    flavor,
    calls,
    notes: fileNotes(flavor, anyCookie, calls.length),
    stats: { entries: raw.length, preflights: preflights.length, unpairedPreflights: unpaired, skipped },
    pageUrl: pageUrlOf(har, undefined),
  };
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
