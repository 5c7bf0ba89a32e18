/**
 * A HAR read as a stream of byte chunks (the command line's big files), with memory flat as the file
 * grows: a byte scanner cuts each element of `log.entries` out of the stream, the platform's
 * `JSON.parse` parses that one entry, {@link HarReader} keeps only what the verdicts need (a few header
 * lines; the bodies, `content.text` and `postData`, are dropped with the entry), and the bytes go.
 * Everything outside `log.entries` (version, creator, pages) is kept and parsed at the end.
 *
 * Why not a streaming JSON library: measured on a 130 MB export whose bodies are JSON (escaped quotes
 * and tabs), @streamparser/json 0.0.26 reads about 21 MB/s and stream-json 3.9 about 8 MB/s, so a 1 GB
 * file takes 50 s or more; the scanner only tracks strings, escapes and nesting depth, and leaves the
 * parsing to `JSON.parse` (about 1 GB in a few seconds). See bench/har-stream.bench.ts. Pure: no I/O.
 */
import { HarReader, type ExplainOptions, type HarResult, type HarWalk } from './reader';
import { checkHarShape, isObj, oneLine } from './read';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJ = 0x7b;
const CLOSE_OBJ = 0x7d;
const OPEN_ARR = 0x5b;
const CLOSE_ARR = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;

const isSpace = (b: number): boolean => b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;

/** The depth of an entry's own bytes: the top object (1), `log` (2), `entries` (3). */
const ENTRY_DEPTH = 3;

export class HarStream {
  private readonly reader = new HarReader();
  private readonly decoder = new TextDecoder();
  private depth = 0;
  private inString = false;
  private escaped = false;
  /** The last short string closed at depth 1 or 2, and the key it became on `:`. */
  private lastString: number[] | null = null;
  private stringBytes: number[] | null = null;
  private readonly keys: string[] = ['', '', ''];
  /** Inside `log.entries` (its elements are at {@link ENTRY_DEPTH}). */
  private inEntries = false;
  private entriesSeen = false;
  /** The current entry's bytes (pieces of chunks), while one is open. */
  private entry: Uint8Array[] | null = null;
  private entryStart = 0;
  /** The bytes of the current entry in the pieces already pushed to {@link entry}. */
  private entryBefore = 0;
  /** Where (in the entry's bytes) the value of a `"text"` key being skipped starts, or -1. */
  private textFrom = -1;
  /** The current entry's long `"text"` values (bodies), as [from, to) in its bytes: cut before parsing. */
  private cuts: number[] = [];
  /** The bytes outside `log.entries`' elements. */
  private readonly skeleton: Uint8Array[] = [];
  private skeletonBytes = 0;
  private bytes = 0;
  private error: string | null = null;
  private entryCount = 0;

  write(chunk: Uint8Array): void {
    if (this.error !== null) return;
    let i = 0;
    // A byte order mark is not JSON.
    if (this.bytes === 0 && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) i = 3;
    this.bytes += chunk.length;
    let skelFrom = i;
    this.entryStart = i;
    const n = chunk.length;
    for (; i < n; i++) {
      if (this.inString && this.stringBytes === null) {
        // Long strings (the bodies) are skipped with the platform's byte search, not byte by byte.
        const close = this.skipString(chunk, i);
        if (close < 0) break;
        if (this.textFrom >= 0) this.endText(close);
        i = close;
        continue;
      }
      const b = chunk[i] as number;
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (b === BACKSLASH) this.escaped = true;
        else if (b === QUOTE) {
          this.inString = false;
          if (this.stringBytes) {
            this.lastString = this.stringBytes;
            this.stringBytes = null;
          }
        } else if (this.stringBytes) {
          if (this.stringBytes.length < 64) this.stringBytes.push(b);
          else this.stringBytes = null;
        }
        continue;
      }
      if (isSpace(b)) continue;
      const d = this.depth;
      if (this.inEntries && d === ENTRY_DEPTH && this.entry === null) {
        // Between entries: a comma or the end of the list; anything else opens an entry.
        if (b === COMMA) {
          this.cutSkeleton(chunk, skelFrom, i);
          skelFrom = i + 1;
          continue;
        }
        if (b !== CLOSE_ARR) {
          this.cutSkeleton(chunk, skelFrom, i);
          skelFrom = i;
          this.entry = [];
          this.entryStart = i;
          this.entryBefore = 0;
          this.cuts = [];
        }
      }
      if (b === QUOTE) {
        this.inString = true;
        this.stringBytes = d === 1 || d === 2 ? [] : null;
        if (this.entry !== null && afterTextKey(chunk, i))
          this.textFrom = this.entryBefore + i + 1 - this.entryStart;
        continue;
      }
      if (b === COLON) {
        if ((d === 1 || d === 2) && this.lastString) this.keys[d] = String.fromCharCode(...this.lastString);
        continue;
      }
      if (b === OPEN_OBJ || b === OPEN_ARR) {
        if (b === OPEN_ARR && d === 2 && this.keys[2] === 'entries' && this.keys[1] === 'log') {
          this.inEntries = true;
          this.entriesSeen = true;
        }
        this.depth++;
        this.lastString = null;
        continue;
      }
      if (b === CLOSE_OBJ || b === CLOSE_ARR) {
        if (this.entry !== null && d === ENTRY_DEPTH) {
          // A list ends right after an entry that is not an object.
          this.endEntry(chunk, i);
          skelFrom = i;
        }
        this.depth--;
        if (this.inEntries && this.depth === 2) this.inEntries = false;
        if (this.entry !== null && this.depth === ENTRY_DEPTH) {
          this.endEntry(chunk, i + 1);
          skelFrom = i + 1;
        } else if (this.depth < 0) {
          this.error = 'a closing bracket without its opening one';
          return;
        }
        continue;
      }
      if (b === COMMA && this.entry !== null && d === ENTRY_DEPTH) {
        // The end of an entry that is not an object (a number, true, null: unreadable, but named).
        this.endEntry(chunk, i);
        skelFrom = i + 1;
      }
    }
    if (this.entry !== null) {
      this.entry.push(chunk.slice(this.entryStart));
      this.entryBefore += n - this.entryStart;
    } else this.cutSkeleton(chunk, skelFrom, n);
  }

  /**
   * In a string from `from`: the index of its closing quote (the string is then closed), or -1 when
   * the chunk ends inside it (`escaped` then says whether the next chunk's first byte is escaped).
   * The bodies are most of a big file's bytes. A JSON body has a quote every few bytes, where a loop on
   * locals is fastest; base64 or HTML has few, where the platform's byte search jumps from one quote to
   * the next (only the backslashes right before it are counted): a short loop, then a jump, in turn.
   */
  private skipString(chunk: Uint8Array, from: number): number {
    const n = chunk.length;
    let esc = this.escaped;
    let i = from;
    for (;;) {
      const stop = Math.min(n, i + 64);
      for (; i < stop; i++) {
        const b = chunk[i] as number;
        if (esc) esc = false;
        else if (b === BACKSLASH) esc = true;
        else if (b === QUOTE) return this.closeString(i);
      }
      if (i >= n) break;
      if (esc) {
        esc = false;
        i++;
      }
      const q = chunk.indexOf(QUOTE, i);
      if (q < 0) {
        esc = backslashesFrom(chunk, n, i) % 2 === 1;
        break;
      }
      if (backslashesFrom(chunk, q, i) % 2 === 0) return this.closeString(q);
      i = q + 1;
    }
    this.escaped = esc;
    return -1;
  }

  private closeString(at: number): number {
    this.escaped = false;
    this.inString = false;
    return at;
  }

  /** A `"text"` value closed at `close` in this chunk: cut it from the entry when it is long. */
  private endText(close: number): void {
    const to = this.entryBefore + close - this.entryStart;
    if (to - this.textFrom > CUT_FROM_BYTES) this.cuts.push(this.textFrom, to);
    this.textFrom = -1;
  }

  private cutSkeleton(chunk: Uint8Array, from: number, to: number): void {
    if (to <= from) return;
    this.skeleton.push(chunk.slice(from, to));
    this.skeletonBytes += to - from;
  }

  private endEntry(chunk: Uint8Array, to: number): void {
    const parts = this.entry as Uint8Array[];
    this.entry = null;
    if (to > this.entryStart) parts.push(chunk.subarray(this.entryStart, to));
    const bytes = parts.length === 1 ? (parts[0] as Uint8Array) : concat(parts);
    const index = this.entryCount++;
    let value: unknown;
    try {
      value = JSON.parse(this.decoder.decode(this.cuts.length ? cut(bytes, this.cuts) : bytes));
      // The verdict reads a body only for a server error (an error page's words): then the entry is read
      // again with its bodies.
      if (this.cuts.length && !answeredBelow500(value)) value = JSON.parse(this.decoder.decode(bytes));
    } catch (e) {
      this.error ??= `entry ${index} is not valid JSON: ${e instanceof Error ? e.message : String(e)}`;
      return;
    }
    this.reader.add(value);
  }

  /** The calls, or why the file is not a HAR. Never throws. */
  end(options: ExplainOptions = {}): HarResult {
    const r = this.endWalk();
    return r.ok ? r.walk.all(options) : r;
  }

  /**
   * The file's calls not yet judged ({@link HarWalk}: judged one by one as they are walked), or why the
   * file is not a HAR. Never throws.
   */
  endWalk(): { ok: true; walk: HarWalk } | { ok: false; error: string } {
    if (this.error !== null) return { ok: false, error: `not valid JSON: ${oneLine(this.error)}` };
    if (this.bytes === 0) return { ok: false, error: 'the file is empty' };
    if (this.inString || this.depth > 0 || this.entry !== null)
      return { ok: false, error: 'not valid JSON: the file ends early (truncated?)' };
    const text = this.decoder.decode(concat(this.skeleton, this.skeletonBytes));
    if (text.trim() === '') return { ok: false, error: 'the file is empty' };
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (e) {
      return { ok: false, error: `not valid JSON: ${oneLine(e instanceof Error ? e.message : String(e))}` };
    }
    const shape = checkHarShape(data);
    if (!shape.ok) return shape;
    if (!this.entriesSeen) return { ok: false, error: 'not a HAR file ("log.entries" is not a list)' };
    const log: unknown = shape.har.log;
    return { ok: true, walk: this.reader.prepare(isObj(log) ? log : {}) };
  }
}

/** Long strings of a `"text"` key (`content.text`, `postData.text`) are cut from an entry before parsing. */
const CUT_FROM_BYTES = 256;
const TEXT_KEY = [QUOTE, 0x74, 0x65, 0x78, 0x74, QUOTE]; // "text"

/**
 * Whether the string opening at `at` is the value of a `"text"` key (`"text"`, then a colon, spaces
 * allowed), looking back in this chunk only. A miss (the key in the chunk before) only leaves a body in.
 */
function afterTextKey(chunk: Uint8Array, at: number): boolean {
  let i = at - 1;
  while (i >= 0 && isSpace(chunk[i] as number)) i--;
  if (i < 0 || chunk[i] !== COLON) return false;
  i--;
  while (i >= 0 && isSpace(chunk[i] as number)) i--;
  if (i < TEXT_KEY.length - 1) return false;
  for (let k = 0; k < TEXT_KEY.length; k++)
    if (chunk[i - TEXT_KEY.length + 1 + k] !== TEXT_KEY[k]) return false;
  return true;
}

/** How many backslashes come right before `at`, looking back no further than `from`. */
function backslashesFrom(chunk: Uint8Array, at: number, from: number): number {
  let k = at;
  while (k > from && chunk[k - 1] === BACKSLASH) k--;
  return at - k;
}

/** The bytes without the [from, to) ranges in `cuts` (ascending): each cut string becomes empty. */
function cut(bytes: Uint8Array, cuts: number[]): Uint8Array {
  let removed = 0;
  for (let k = 0; k < cuts.length; k += 2) removed += (cuts[k + 1] as number) - (cuts[k] as number);
  const out = new Uint8Array(bytes.length - removed);
  let at = 0;
  let from = 0;
  for (let k = 0; k < cuts.length; k += 2) {
    out.set(bytes.subarray(from, cuts[k]), at);
    at += (cuts[k] as number) - from;
    from = cuts[k + 1] as number;
  }
  out.set(bytes.subarray(from), at);
  return out;
}

/** Whether a parsed entry's response has a status below 500 (its bodies are then never read). */
function answeredBelow500(entry: unknown): boolean {
  if (!isObj(entry) || !isObj(entry.response)) return false;
  const s = entry.response.status;
  return typeof s === 'number' && s < 500;
}

function concat(parts: Uint8Array[], total = parts.reduce((n, p) => n + p.length, 0)): Uint8Array {
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
