/**
 * Text from the outside (a server's headers, a HAR, a URL, an opened report) made printable: the one
 * escaping function every text output uses (terminal, Markdown, curl, panel). C0 and C1 control
 * characters, DEL, and the bidirectional marks, embeddings, overrides and isolates ("Trojan Source",
 * CVE-2021-42574) are shown escaped, `\x1b` and `\u202e`, never raw: a value cannot move the cursor,
 * set a terminal's title, clear the screen or reorder the text around it. JSON keeps the exact value.
 * Pure: no browser globals.
 */
import type { Fix, LogEntry } from '../engine';

/** C0, DEL, C1, ALM (U+061C), LRM/RLM (U+200E/F), LRE…RLO (U+202A-202E), LRI…PDI (U+2066-2069). */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
const UNSAFE_ALL = new RegExp(UNSAFE.source, 'g');
/** The same without line feed: for multi-line text (an explanation, a console message). */
const UNSAFE_BUT_LINES =
  // eslint-disable-next-line no-control-regex -- as above
  /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

function escapeOne(ch: string): string {
  const n = ch.charCodeAt(0);
  return n <= 0xff ? `\\x${n.toString(16).padStart(2, '0')}` : `\\u${n.toString(16).padStart(4, '0')}`;
}

/** Whether the text holds a character {@link printable} escapes. */
export function hasUnsafe(text: string): boolean {
  return UNSAFE.test(text);
}

/** The same without line feed and tab: for code the program wrote (a recipe; Go's is tab-indented). */
const UNSAFE_BUT_CODE =
  // eslint-disable-next-line no-control-regex -- as above
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

export interface PrintableOptions {
  /** Keep line feeds (multi-line text); `code` keeps tabs too. Otherwise they are escaped (`\x0a`). */
  lines?: boolean | 'code';
}

/** The text with every control and bidi character escaped (but the line breaks `lines` keeps). */
export function printable(text: string, options: PrintableOptions = {}): string {
  if (!UNSAFE.test(text)) return text;
  const re = options.lines === 'code' ? UNSAFE_BUT_CODE : options.lines ? UNSAFE_BUT_LINES : UNSAFE_ALL;
  return text.replace(re, escapeOne);
}

/** A deep copy with every string made {@link printable}; objects without such a string are kept as they are. */
export function printableDeep<T>(value: T, options: PrintableOptions = {}): T {
  return deep(value, options) as T;
}

function deep(value: unknown, options: PrintableOptions): unknown {
  if (typeof value === 'string') return printable(value, options);
  if (Array.isArray(value)) {
    let changed = false;
    const out = value.map((v: unknown) => {
      const p = deep(v, options);
      if (p !== v) changed = true;
      return p;
    });
    return changed ? out : value;
  }
  if (typeof value === 'object' && value !== null) {
    let changed = false;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const p = deep(v, options);
      if (p !== v) changed = true;
      out[k] = p;
    }
    return changed ? out : value;
  }
  return value;
}

const cache = new WeakMap<LogEntry, LogEntry>();

/**
 * A call as it may be printed: the exchange's strings (URLs, methods, header names and values) fully
 * escaped; the verdict's text keeps its line breaks (explanations, recipes) and escapes the rest. The
 * same entry comes back when nothing needed escaping.
 */
export function printableEntry(entry: LogEntry): LogEntry {
  const hit = cache.get(entry);
  if (hit) return hit;
  const exchange = printableDeep(entry.exchange);
  let verdict = printableDeep(entry.verdict, { lines: true });
  const fix = entry.verdict.fix;
  if (fix && verdict.fix && verdict.fix !== fix) verdict = { ...verdict, fix: printableFix(fix) };
  const out = exchange === entry.exchange && verdict === entry.verdict ? entry : { exchange, verdict };
  cache.set(entry, out);
  return out;
}

/**
 * A verdict's fix as {@link printableEntry} gives it (its words keep their line breaks, recipes their
 * tabs), without the rest of the verdict: for the command line's per-API fixes.
 */
export function printableFix<F extends Fix | undefined>(fix: F): F {
  if (!fix) return fix;
  const out = printableDeep(fix, { lines: true });
  if (out === fix || !fix.recipes.some((r) => hasUnsafe(r.code))) return out;
  // Recipes are code: their tabs stay.
  const recipes = out.recipes.map((r, i) => ({
    ...r,
    code: printable(fix.recipes[i]?.code ?? r.code, { lines: 'code' }),
  }));
  return { ...out, recipes };
}

/**
 * A URL that may become a live link: http: and https: only. A `javascript:`, `data:` or any other
 * scheme from a HAR or a report is never a link (null: show it as text).
 */
export function safeHttpUrl(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : null;
  } catch {
    return null;
  }
}
