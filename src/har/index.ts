/**
 * HAR files in, CORS verdicts out: the command line's `har` and the panel's *Open report…* share it.
 * Pure: no browser globals, no I/O.
 *
 * Two shapes are read:
 * - Chrome DevTools' export: preflights are their own entries with `_resourceType: "preflight"` and
 *   `_initiator: {type: "preflight", url, requestId}`; a blocked or failed call has `response._error`
 *   (`net::ERR_FAILED`); a blocked response keeps its status and headers.
 * - Firefox's export: standard fields only. A preflight is a plain OPTIONS entry with
 *   `Access-Control-Request-Method`; a call its preflight stopped shows status 0 and no response
 *   headers, a call blocked on its response its real status and headers (nothing in the file then says
 *   that Firefox blocked it; recorded: test/fixtures/har/firefox-153.8.har).
 *
 * Entries have no id linking a preflight to its request: they are paired by URL, method
 * (`Access-Control-Request-Method`), `Access-Control-Request-Headers`, `Origin` and time. Redirect hops
 * are separate entries chained by `redirectURL`.
 */
import type { Har } from 'har-format';
import { HarReader, type ExplainOptions, type HarResult } from './reader';
import { parseHarJson } from './read';

export type { HarCall } from './exchange';
export { HarReader, MAX_PROBLEMS, type ExplainOptions, type HarResult, type HarStats } from './reader';
export type { HarProducer } from './producer';
export { explainTraceZip, looksLikeZip } from './trace';
export { harFlavor, parseHarJson, type EntryProblem, type HarFlavor } from './read';

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
