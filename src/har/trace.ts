/**
 * A Playwright trace (`trace.zip`): its network log, the `trace.network` file (one JSON line per
 * request, `{"type":"resource-snapshot","snapshot": <a HAR entry>}`), read with the HAR rules. The zip
 * is read with fflate (pure JS: it bundles into the command line and runs in a browser). Pure.
 */
import { unzipSync } from 'fflate';
import { HarReader, type ExplainOptions, type HarResult } from './reader';
import { isObj, oneLine } from './read';

/** A zip file starts with a local file header, `PK\x03\x04` (an empty zip with `PK\x05\x06`). */
export function looksLikeZip(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && (bytes[2] === 3 || bytes[2] === 5);
}

/** The trace's `playwrightVersion`, from the `context-options` line of `trace.trace`. */
function versionOf(traceText: string | undefined): string | undefined {
  const first = traceText?.slice(0, 4096).split('\n', 1)[0];
  if (!first) return undefined;
  try {
    const o = JSON.parse(first) as unknown;
    return isObj(o) && typeof o.playwrightVersion === 'string' ? o.playwrightVersion : undefined;
  } catch {
    return undefined;
  }
}

/** Every cross-origin call in a Playwright trace, with its verdict. Never throws. */
export function explainTraceZip(bytes: Uint8Array, options: ExplainOptions = {}): HarResult {
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes, { filter: (f) => /(^|\/)[^/]*\.(network|trace)$/.test(f.name) });
  } catch (e) {
    return {
      ok: false,
      error: `not a readable zip file: ${oneLine(e instanceof Error ? e.message : String(e))}`,
    };
  }
  const names = Object.keys(files).sort();
  const network = names.filter((n) => n.endsWith('.network'));
  if (!network.length)
    return {
      ok: false,
      error: 'not a Playwright trace (no trace.network file in the zip): record the trace with snapshots on',
    };
  const decoder = new TextDecoder();
  const traceFile = names.find((n) => n.endsWith('.trace'));
  const version = versionOf(traceFile ? decoder.decode(files[traceFile]) : undefined);
  const reader = new HarReader();
  let lines = 0;
  for (const name of network) {
    const text = decoder.decode(files[name]);
    let from = 0;
    while (from < text.length) {
      let to = text.indexOf('\n', from);
      if (to < 0) to = text.length;
      const line = text.slice(from, to).trim();
      from = to + 1;
      lines++;
      if (!line) continue;
      let o: unknown;
      try {
        o = JSON.parse(line);
      } catch (e) {
        reader.add(
          undefined,
          `${name} line ${lines}: not valid JSON (${oneLine(e instanceof Error ? e.message : String(e))})`,
        );
        continue;
      }
      if (isObj(o) && o.type === 'resource-snapshot') reader.add(o.snapshot);
    }
  }
  return reader.finish({ creator: { name: 'Playwright trace', version: version ?? '' }, pages: [] }, options);
}
