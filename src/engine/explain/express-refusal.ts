/**
 * The seed article's "proper" Express setup passes an `origin` function to the cors package that calls
 * back `new Error('Not allowed by CORS')` for an origin it refuses. cors hands the error to Express,
 * whose default error handler answers 500 with its HTML error page ("Error: Not allowed by CORS") and
 * none of the CORS headers: the browser reports a missing Access-Control-Allow-Origin, and the real
 * cause (the origin is not on the list) is hidden behind a server error.
 */
import { detectStacks } from '../fix';
import { hasHeader } from '../headers';
import type { ObservedResponse } from '../types';

export interface OriginRefusal {
  /** The body was read and says so (certain), or only the Express fingerprint points at it. */
  certain: boolean;
  /** What showed it, in words. */
  evidence: string;
}

const PHRASE = /Not allowed by CORS/i;

/**
 * Whether a 5xx answer without CORS headers is the cors origin function's refusal. Where the body can
 * be read (the command line, a HAR with content), "Not allowed by CORS" in it decides; otherwise an
 * Express fingerprint makes it the likely cause.
 */
export function expressOriginRefusal(r: ObservedResponse | undefined): OriginRefusal | undefined {
  if (!r || r.statusCode < 500 || r.statusCode > 599) return undefined;
  if (hasHeader(r.headers, 'access-control-allow-origin')) return undefined;
  if (r.bodyStart !== undefined) {
    return PHRASE.test(r.bodyStart)
      ? { certain: true, evidence: `its body says "Not allowed by CORS"` }
      : undefined;
  }
  const express = detectStacks([{ statusCode: r.statusCode, headers: r.headers }]).find(
    (g) => g.stack === 'express',
  );
  return express ? { certain: false, evidence: `\`${express.evidence}\`` } : undefined;
}

/** The explanation's first paragraph and the fix's first sentence for a refusal. */
export function refusalWords(
  refusal: OriginRefusal,
  page: string,
  status: number | undefined,
): { title: string; paragraph: string; summary: string; note: string } {
  const s = status ?? 500;
  return {
    title: `${refusal.certain ? 'The' : 'Probably the'} cors origin function refused ${page} (${s} without CORS headers)`,
    paragraph: `${refusal.certain ? 'The' : 'Most likely the'} Express cors package's \`origin\` function refused ${page} (${refusal.evidence}): a function that calls back \`new Error('Not allowed by CORS')\` for an origin it refuses makes Express answer ${s} with its error page, and that page carries none of the CORS headers. Either ${page} belongs on the allowed list, or the function should call back \`(null, false)\` for a refused origin: cors then answers without CORS headers and the browser reports a plain CORS refusal instead of a server error. And the error handler must not drop the CORS headers, so real errors stay readable.`,
    summary: `Add ${page} to the origins the cors \`origin\` function accepts, if it belongs there; make the function call back \`(null, false)\` (not an Error) for refused origins; keep the CORS headers on error responses.`,
    note: `The cors origin function refused ${page}: call back (null, false), not new Error('Not allowed by CORS'), for an origin that is not on the list, or pass the list itself as origin (as in the code here).`,
  };
}
