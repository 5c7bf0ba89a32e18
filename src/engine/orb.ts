/**
 * Opaque Response Blocking (ORB) on what webRequest shows: the response's MIME type, its
 * `X-Content-Type-Options`, its status and its range. ORB applies to cross-origin `no-cors` responses
 * (an `<img>` or `<script>` without `crossorigin`, `fetch(…, { mode: "no-cors" })`): it hands the page
 * nothing when the response looks like data (HTML, JSON, XML, PDF…) rather than an image, a script, a
 * style sheet or media.
 *
 * The algorithm is the one being upstreamed into Fetch (annevk/orb, "determine whether to allow
 * response"), with the deviations measured in Chromium 156 noted where they apply. Several of its steps
 * read the body (image/audio/video sniffing, then JavaScript-or-JSON), which extensions cannot see: the
 * result then says `body` and which way the headers lean.
 */
import { MIMEType } from 'whatwg-mimetype';
import { getHeader } from './headers';
import type { HeaderList } from './types';

export type OrbDecision = 'allowed' | 'blocked' | 'body';

/** Stable ids for the step that decided (or left it to the body). */
export type OrbReason =
  | 'safelisted-type'
  | 'javascript-type'
  | 'never-sniffed-type'
  | 'partial-data-type'
  | 'nosniff-data-type'
  | 'partial-not-from-start'
  | 'nosniff'
  | 'error-status'
  | 'no-mime-type'
  | 'media-type'
  | 'sniff-javascript-or-json';

export interface OrbResult {
  decision: OrbDecision;
  /** For `body`: the outcome when the body is what its headers suggest. */
  likely?: 'allowed' | 'blocked';
  reason: OrbReason;
  /** One sentence for the developer, naming the values. */
  text: string;
  /** The extracted MIME type's essence, `null` when there is none (or it does not parse). */
  mimeType: string | null;
  nosniff: boolean;
  status: number;
}

/**
 * https://fetch.spec.whatwg.org (ORB) "opaque-blocklisted-never-sniffed MIME type", with the types
 * Chromium lists as never sniffed (services/network/orb/orb_mimetypes.cc).
 */
const NEVER_SNIFFED = new Set([
  'application/gzip',
  'application/msexcel',
  'application/mspowerpoint',
  'application/msword',
  'application/msword-template',
  'application/pdf',
  'application/vnd.ces-quickpoint',
  'application/vnd.ces-quicksheet',
  'application/vnd.ces-quickword',
  'application/vnd.ms-excel',
  'application/vnd.ms-excel.sheet.macroenabled.12',
  'application/vnd.ms-powerpoint',
  'application/vnd.ms-powerpoint.presentation.macroenabled.12',
  'application/vnd.ms-word',
  'application/vnd.ms-word.document.12',
  'application/vnd.ms-word.document.macroenabled.12',
  'application/vnd.msword',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  'application/vnd.openxmlformats-officedocument.presentationml.template',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.template',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.template',
  'application/vnd.presentation-openxml',
  'application/vnd.presentation-openxmlm',
  'application/vnd.spreadsheet-openxml',
  'application/vnd.wordprocessing-openxml',
  'application/x-gzip',
  'application/x-protobuf',
  'application/x-protobuffer',
  'application/zip',
  'audio/mpegurl',
  'multipart/byteranges',
  'multipart/signed',
  'text/csv',
  'text/event-stream',
  'text/vtt',
]);

/** https://mimesniff.spec.whatwg.org/#json-mime-type */
function isJson(m: MIMEType): boolean {
  return m.essence === 'application/json' || m.essence === 'text/json' || m.subtype.endsWith('+json');
}

/** ORB's "opaque-blocklisted MIME type": HTML, JSON or XML. */
function isBlocklisted(m: MIMEType): boolean {
  return m.isHTML() || isJson(m) || m.isXML();
}

/**
 * https://fetch.spec.whatwg.org/#header-value-get-decode-and-split: split on commas outside quoted
 * strings, trimming HTTP tab or space.
 */
export function getDecodeSplit(value: string | null): string[] | null {
  if (value === null) return null;
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < value.length; i++) {
    const c = value[i] as string;
    if (quoted) {
      cur += c;
      if (c === '\\' && i + 1 < value.length) cur += value[++i] as string;
      else if (c === '"') quoted = false;
    } else if (c === '"') {
      quoted = true;
      cur += c;
    } else if (c === ',') {
      out.push(cur.replace(/^[\t ]+|[\t ]+$/g, ''));
      cur = '';
    } else cur += c;
  }
  out.push(cur.replace(/^[\t ]+|[\t ]+$/g, ''));
  return out;
}

/** https://fetch.spec.whatwg.org/#concept-header-extract-mime-type — `null` for failure. */
export function extractMimeType(headers: HeaderList | undefined): MIMEType | null {
  const values = getDecodeSplit(getHeader(headers, 'content-type'));
  if (!values) return null;
  let charset: string | null = null;
  let essence: string | null = null;
  let mimeType: MIMEType | null = null;
  for (const value of values) {
    const temp = MIMEType.parse(value);
    if (!temp || temp.essence === '*/*') continue;
    mimeType = temp;
    if (mimeType.essence !== essence) {
      charset = mimeType.parameters.get('charset') ?? null;
      essence = mimeType.essence;
    } else if (!mimeType.parameters.has('charset') && charset !== null) {
      mimeType.parameters.set('charset', charset);
    }
  }
  return mimeType;
}

/** https://fetch.spec.whatwg.org/#determine-nosniff */
export function determineNosniff(headers: HeaderList | undefined): boolean {
  const values = getDecodeSplit(getHeader(headers, 'x-content-type-options'));
  return !!values && values[0]?.toLowerCase() === 'nosniff';
}

/** A 206 is a valid first partial response only if its Content-Range starts at byte 0. */
function partialFromStart(headers: HeaderList | undefined): boolean {
  const range = getHeader(headers, 'content-range');
  return range !== null && /^bytes[\t ]+0-\d+\/(\d+|\*)$/i.test(range.trim());
}

/**
 * ORB's decision for a cross-origin `no-cors` response, from its status and headers only. `body` means
 * the algorithm reaches a step that reads the body; `likely` then says which way it usually goes.
 */
export function orbCheck(response: { statusCode: number; headers: HeaderList }): OrbResult {
  const status = response.statusCode;
  const headers = response.headers;
  const mime = extractMimeType(headers);
  const nosniff = determineNosniff(headers);
  const base = { mimeType: mime?.essence ?? null, nosniff, status };
  const type = mime ? `\`${mime.essence}\`` : 'no usable Content-Type';
  const r = (
    decision: OrbDecision,
    reason: OrbReason,
    text: string,
    likely?: 'allowed' | 'blocked',
  ): OrbResult =>
    likely ? { decision, likely, reason, text, ...base } : { decision, reason, text, ...base };

  if (mime) {
    // Step 3.1: opaque-safelisted MIME types.
    if (mime.isJavaScript())
      return r(
        'body',
        'javascript-type',
        `A JavaScript type (${type}) passes ORB; Chrome still blocks it when the body starts with a JSON security prefix such as )]}'.`,
        'allowed',
      );
    if (
      mime.essence === 'text/css' ||
      mime.essence === 'image/svg+xml' ||
      mime.essence === 'application/dash+xml'
    )
      return r('allowed', 'safelisted-type', `${type} is a type ORB always lets through.`);
    // Step 3.2: never sniffed.
    if (NEVER_SNIFFED.has(mime.essence))
      return r(
        'blocked',
        'never-sniffed-type',
        `${type} is a data type ORB never hands to a no-cors request.`,
      );
    // Step 3.3: a range of HTML, JSON or XML.
    if (status === 206 && isBlocklisted(mime))
      return r(
        'blocked',
        'partial-data-type',
        `A 206 partial response of ${type} (HTML, JSON or XML) is blocked.`,
      );
    // Step 3.4: nosniff and a data type.
    if (nosniff && (isBlocklisted(mime) || mime.essence === 'text/plain'))
      return r(
        'blocked',
        'nosniff-data-type',
        `${type} with X-Content-Type-Options: nosniff is data, and ORB blocks it without looking at the body.`,
      );
  }
  // Step 5: a 206 must be the first part (Content-Range from byte 0) unless it continues a media load.
  if (status === 206 && !partialFromStart(headers))
    return r(
      'body',
      'partial-not-from-start',
      'A 206 that does not start at byte 0 is blocked unless it continues an audio or video load ORB already allowed.',
      'blocked',
    );
  // Steps 6–7 sniff the body for an image, audio or video signature: a match allows it. Every later step
  // therefore holds only when the body is not such a file.
  const unlessMedia = 'unless the body turns out to be an image, audio or video file';
  if (nosniff)
    return r(
      'body',
      'nosniff',
      `X-Content-Type-Options: nosniff with ${type}: blocked ${unlessMedia}.`,
      'blocked',
    );
  if (status < 200 || status > 299)
    return r(
      'body',
      'error-status',
      `Status ${status} is not ok: blocked ${unlessMedia}.`,
      mime && ['image', 'audio', 'video'].includes(mime.type) ? 'allowed' : 'blocked',
    );
  if (!mime)
    return r('allowed', 'no-mime-type', 'Without a usable Content-Type, ORB lets an ok response through.');
  if (mime.type === 'image' || mime.type === 'audio' || mime.type === 'video')
    return r(
      'body',
      'media-type',
      `${type}: allowed when the body is such a file (sniffed), blocked otherwise.`,
      'allowed',
    );
  // Step 12: the body decides. The standard parses it as JavaScript; Chromium 156 sniffs it for HTML,
  // XML and JSON (and JSON security prefixes) and blocks what looks like them.
  return r(
    'body',
    'sniff-javascript-or-json',
    `${type}: the body decides. ORB blocks it when it looks like HTML, XML or JSON and lets it through when it is JavaScript.`,
    isBlocklisted(mime) ? 'blocked' : 'allowed',
  );
}
