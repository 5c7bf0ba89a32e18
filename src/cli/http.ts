/**
 * One HTTP request with node:http / node:https, sending exactly the given header lines (no fetch():
 * it adds and forbids headers) and returning the response's header lines as received (repeated lines
 * stay separate). The verdict needs only the headers; at most the first BODY_START_LIMIT characters of
 * the body are read, for at most BODY_WAIT_MS (an error page may say why: Express's "Not allowed by
 * CORS"), then the connection is closed, so an endless or stalled body costs nothing. Headers up to
 * Chrome's 256 KB limit are read; the timeout covers the whole wait for them (a server that never
 * answers or trickles its headers). Failures come back as Chrome's `net::ERR_*` names.
 */
import type { IncomingMessage } from 'node:http';
import { BODY_START_LIMIT, type HeaderLine } from '../engine';

export interface WireResponse {
  statusCode: number;
  statusLine: string;
  headers: HeaderLine[];
  ip?: string;
  /** The start of the body (see ObservedResponse.bodyStart). */
  bodyStart?: string;
}

export type WireResult =
  { ok: true; response: WireResponse } | { ok: false; netError: string; reason: string };

export interface SendOptions {
  insecure?: boolean;
  timeoutMs?: number;
  body?: string;
}

/** Node's error codes, in Chrome's words (net/base/net_error_list.h). */
const NET_ERRORS: Record<string, string> = {
  ECONNREFUSED: 'net::ERR_CONNECTION_REFUSED',
  ECONNRESET: 'net::ERR_CONNECTION_RESET',
  ENOTFOUND: 'net::ERR_NAME_NOT_RESOLVED',
  EAI_AGAIN: 'net::ERR_NAME_NOT_RESOLVED',
  ETIMEDOUT: 'net::ERR_TIMED_OUT',
  EHOSTUNREACH: 'net::ERR_ADDRESS_UNREACHABLE',
  ENETUNREACH: 'net::ERR_INTERNET_DISCONNECTED',
  EADDRNOTAVAIL: 'net::ERR_ADDRESS_INVALID',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'net::ERR_CERT_AUTHORITY_INVALID',
  SELF_SIGNED_CERT_IN_CHAIN: 'net::ERR_CERT_AUTHORITY_INVALID',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'net::ERR_CERT_AUTHORITY_INVALID',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'net::ERR_CERT_AUTHORITY_INVALID',
  CERT_HAS_EXPIRED: 'net::ERR_CERT_DATE_INVALID',
  ERR_TLS_CERT_ALTNAME_INVALID: 'net::ERR_CERT_COMMON_NAME_INVALID',
  HPE_INVALID_CONSTANT: 'net::ERR_INVALID_HTTP_RESPONSE',
  HPE_INVALID_HEADER_TOKEN: 'net::ERR_INVALID_HTTP_RESPONSE',
  EPROTO: 'net::ERR_SSL_PROTOCOL_ERROR',
};

/** Chrome's limit on the size of a response's headers (net/http/http_stream_parser.cc, 256 KB). */
export const MAX_HEADER_BYTES = 256 * 1024;

export function netErrorOf(err: unknown): { netError: string; reason: string } {
  const e = err as NodeJS.ErrnoException & { code?: string };
  const code = e?.code ?? '';
  const reason = e instanceof Error ? e.message : String(err);
  if (code === 'HPE_HEADER_OVERFLOW')
    return {
      netError: 'net::ERR_RESPONSE_HEADERS_TOO_BIG',
      reason: `the response headers are larger than ${MAX_HEADER_BYTES / 1024} KB (Chrome's limit)`,
    };
  if (NET_ERRORS[code]) return { netError: NET_ERRORS[code], reason };
  if (/socket hang up/.test(reason))
    return {
      netError: 'net::ERR_EMPTY_RESPONSE',
      reason: 'the server closed the connection without a response',
    };
  if (/certificate|self[- ]signed/i.test(reason)) return { netError: 'net::ERR_CERT_INVALID', reason };
  return { netError: 'net::ERR_FAILED', reason };
}

function headerLines(res: IncomingMessage): HeaderLine[] {
  const out: HeaderLine[] = [];
  const raw = res.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) out.push({ name: raw[i] as string, value: raw[i + 1] });
  return out;
}

/** How long the start of a body is waited for once the headers are in. */
const BODY_WAIT_MS = 500;

export async function send(
  url: string,
  method: string,
  headers: readonly HeaderLine[],
  options: SendOptions = {},
): Promise<WireResult> {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return { ok: false, netError: 'net::ERR_INVALID_URL', reason: `invalid URL ${url}` };
  }
  const isHttps = u.protocol === 'https:';
  // Loaded when first needed, synchronously: TLS alone costs start-up time a plain-http check or `har`
  // does not need (and a dynamic import() would start Node's ES module loader for nothing).
  const { request } = isHttps
    ? process.getBuiltinModule('node:https')
    : process.getBuiltinModule('node:http');
  return new Promise((resolve) => {
    const out: [string, string][] = headers.map((h) => [h.name, h.value ?? '']);
    // With raw header pairs Node adds no Host header: the browser sends it first.
    if (!headers.some((h) => h.name.toLowerCase() === 'host')) out.unshift(['Host', u.host]);
    const timeoutMs = options.timeoutMs ?? 10_000;
    let settled = false;
    const done = (r: WireResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(r);
    };
    const req = request(
      u,
      {
        method,
        // An array of pairs keeps order and case exactly as given.
        headers: out.flat(),
        agent: false,
        maxHeaderSize: MAX_HEADER_BYTES,
        ...(isHttps
          ? { rejectUnauthorized: !options.insecure, servername: u.hostname.replace(/^\[|\]$/g, '') }
          : {}),
      },
      (res) => {
        const response: WireResponse = {
          statusCode: res.statusCode ?? 0,
          statusLine: `HTTP/${res.httpVersion} ${res.statusCode ?? 0} ${res.statusMessage ?? ''}`.trimEnd(),
          headers: headerLines(res),
        };
        const ip = res.socket?.remoteAddress;
        if (ip) response.ip = ip.replace(/^::ffff:/, '');
        // The headers decide; the start of the body may say why. Read a bounded start, then close.
        let body = '';
        const finish = () => {
          clearTimeout(bodyTimer);
          if (body) response.bodyStart = body;
          done({ ok: true, response });
          res.destroy();
        };
        const bodyTimer = setTimeout(finish, Math.min(BODY_WAIT_MS, timeoutMs));
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          body += chunk.slice(0, BODY_START_LIMIT - body.length);
          if (body.length >= BODY_START_LIMIT) finish();
        });
        res.on('end', finish);
        res.on('error', finish);
        res.on('close', finish);
      },
    );
    const timer = setTimeout(() => {
      done({
        ok: false,
        netError: 'net::ERR_TIMED_OUT',
        reason: `no complete response headers within ${timeoutMs} ms`,
      });
      req.destroy();
    }, timeoutMs);
    req.on('error', (err) => done({ ok: false, ...netErrorOf(err) }));
    if (options.body !== undefined) req.end(options.body);
    else req.end();
  });
}
