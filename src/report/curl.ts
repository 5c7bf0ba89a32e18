/**
 * Copy as curl: the preflight and the actual request as curl commands that send what the browser sent
 * (Origin, Access-Control-Request-Method/-Headers), so the server's answer can be reproduced outside
 * the browser. Pure. Secrets are redacted unless `redact: false`.
 */
import type { Exchange, HeaderList } from '../engine';
import { headerValue, lineValue } from './describe';
import { hasUnsafe, printable } from './printable';
import { redactHeaderValue, redactText } from './redact';

export interface CurlOptions {
  /** Redact Cookie/Authorization values and token-like query parameters (default true). */
  redact?: boolean;
  /** Which leg of the redirect chain (default: the first, the URL the page asked for). */
  legIndex?: number;
}

export interface CurlCommands {
  /** The OPTIONS preflight, when the call was preflighted (observed on that leg, or implied by it). */
  preflight: string | null;
  actual: string;
}

/**
 * POSIX shell single-quoting; a value with a control or bidi character is ANSI-C quoted instead
 * (`$'…\x1b…'`, bash, zsh, ksh and busybox sh): the command stays printable and still sends the exact
 * bytes.
 */
export function shellQuote(s: string): string {
  if (hasUnsafe(s)) return `$'${printable(s.replace(/\\/g, '\\\\').replace(/'/g, "\\'"))}'`;
  return /^[A-Za-z0-9_\-./:=@,+%]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** Headers curl sets by itself or that describe the connection, not the request. */
const SKIP = new Set([
  'host',
  'connection',
  'content-length',
  'accept-encoding',
  'keep-alive',
  'transfer-encoding',
  'upgrade',
  'te',
]);

/** Stands for a header value the browser never sent (the actual request was never made). */
const PLACEHOLDER = '<value>';

function build(method: string, url: string, headers: [string, string][], redact: boolean): string {
  const parts = ['curl', '-i'];
  if (method !== 'GET') parts.push('-X', method);
  parts.push(shellQuote(redact ? redactText(url) : url));
  for (const [name, value] of headers) {
    const v = redact && value !== PLACEHOLDER ? redactHeaderValue(name, value) : value;
    parts.push('-H', shellQuote(`${name}: ${v}`));
  }
  return parts.join(' ');
}

function pairs(list: HeaderList | undefined): [string, string][] {
  if (!list) return [];
  return list.filter((l) => !SKIP.has(l.name.toLowerCase())).map((l) => [l.name, lineValue(l)]);
}

const CORS_REQUEST = ['origin', 'access-control-request-method', 'access-control-request-headers'];

export function curlCommands(exchange: Exchange, options: CurlOptions = {}): CurlCommands {
  const redact = options.redact ?? true;
  const legs = exchange.legs;
  const i = Math.min(Math.max(0, options.legIndex ?? 0), Math.max(0, legs.length - 1));
  const leg = legs[i];
  const url = leg?.url ?? '';
  const origin =
    headerValue(leg?.requestHeaders, 'origin') ??
    headerValue(leg?.preflight?.requestHeaders, 'origin') ??
    exchange.initiator ??
    'null';

  let preflight: string | null = null;
  if (leg?.preflight) {
    const sent = leg.preflight.requestHeaders;
    const headers: [string, string][] = [];
    if (sent && headerValue(sent, 'origin') !== null) {
      // Keep Chrome's order for the three CORS headers; other preflight headers add nothing.
      for (const name of CORS_REQUEST) {
        const line = sent.find((l) => l.name.toLowerCase() === name);
        if (line) headers.push([line.name, lineValue(line)]);
      }
    } else {
      headers.push(['Origin', origin], ['Access-Control-Request-Method', exchange.method]);
    }
    preflight = build('OPTIONS', leg.preflight.url, headers, redact);
  }

  let headers = pairs(leg?.requestHeaders);
  if (!leg?.requestHeaders) {
    // Never sent (its preflight failed): rebuild it from what the preflight announced.
    headers = [['Origin', origin]];
    const acrh = headerValue(leg?.preflight?.requestHeaders, 'access-control-request-headers');
    for (const name of (acrh ?? '').split(',').map((s) => s.trim())) {
      if (name)
        headers.push([name, name.toLowerCase() === 'content-type' ? 'application/json' : PLACEHOLDER]);
    }
  } else if (!headers.some(([n]) => n.toLowerCase() === 'origin')) {
    headers.unshift(['Origin', origin]);
  }
  return { preflight, actual: build(exchange.method, url, headers, redact) };
}
