/**
 * Plain words for the panel: code spans for header names and `*`, and the sentence that goes next to
 * a credentials mode the browser did not show. Pure: no browser globals.
 */
import type { Verdict } from '../engine';

/** Header names worth showing as code wherever they appear in a line of text. */
const HEADER_NAME =
  /\b(?:Access-Control-(?:Allow-(?:Origin|Credentials|Methods|Headers|Private-Network)|Expose-Headers|Max-Age|Request-(?:Method|Headers|Private-Network))|Set-Cookie|Vary: Origin\b|Vary(?=:))\b/g;

/**
 * Wraps header names and a lone `*` in backticks (the engine's code-span mark), leaving text that is
 * already inside backticks alone. `Inline` then renders them as <code>.
 */
export function markCode(text: string): string {
  return text
    .split(/(`[^`]*`)/g)
    .map((part) => {
      if (part.startsWith('`') && part.endsWith('`') && part.length >= 2) return part;
      return part.replace(HEADER_NAME, (m) => `\`${m}\``).replace(/(^|[\s(:])\*(?=$|[\s),.:;])/g, '$1`*`');
    })
    .join('');
}

/** Text without the backtick marks (for title attributes and plain-text copies). */
export function plainText(text: string): string {
  return text.replace(/`/g, '');
}

/** Splits marked text into text and code parts, in order. */
export function codeParts(text: string): { code: boolean; text: string }[] {
  const out: { code: boolean; text: string }[] = [];
  for (const p of text.split(/(`[^`]+`)/g)) {
    if (!p) continue;
    if (p.length > 2 && p.startsWith('`') && p.endsWith('`')) out.push({ code: true, text: p.slice(1, -1) });
    else out.push({ code: false, text: p });
  }
  return out;
}

/** What the detail says about how sure the verdict is, and why an unseen credentials mode is fine. */
export function confidenceWords(v: Verdict): { level: string; reason: string; credentials: string } {
  const level = v.confidence.level === 'certain' ? 'Certain' : 'Inferred';
  const reason =
    v.confidence.level === 'certain' ? 'every fact the rule needs was observed.' : v.confidence.reason;
  let credentials: string;
  switch (v.credentials) {
    case 'include':
      credentials = 'Sent with credentials (cookies or HTTP authentication).';
      break;
    case 'omit':
      credentials = 'Sent without credentials.';
      break;
    default:
      credentials =
        v.confidence.level === 'certain'
          ? 'Credentials: not visible (no Cookie header was sent), and it does not matter here: the rules give the same answer with and without credentials.'
          : 'Credentials: not visible (no Cookie header was sent).';
  }
  return { level, reason, credentials };
}

/** Chrome's failed parameter as words, or nothing when Chrome gives none (never an empty `""`). */
export function failedParameterWords(v: Verdict): string | undefined {
  const p = v.failedParameter;
  return p === undefined || p === '' ? undefined : p;
}

/**
 * A URL for a narrow list cell, cut in the middle: `head` may be elided (CSS ellipsis), `tail` stays.
 * The scheme is dropped (the full URL goes in the title); the tail keeps the end of the path and query.
 */
export function urlParts(url: string, tailLength = 22): { head: string; tail: string } {
  const shown = url.replace(/^https?:\/\//i, '');
  if (shown.length <= tailLength + 4) return { head: shown, tail: '' };
  return { head: shown.slice(0, -tailLength), tail: shown.slice(-tailLength) };
}
