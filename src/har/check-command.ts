/**
 * When a file does not hold the server's answer: the `cors-lens check` command that asks the server the
 * same question (the page's origin, the method and the request headers from the file). Pure.
 */
import {
  type BrowserName,
  corsUnsafeRequestHeaderNames,
  getHeader,
  type HeaderLine,
  type HeaderList,
  isForbiddenRequestHeaderName,
  lineValue,
} from '../engine';
import { shellQuote } from '../report/curl';
import { redactHeaderValue, redactText } from '../report/redact';

/** What `cors-lens check` needs to repeat a call. */
export interface CheckSpec {
  url: string;
  origin: string;
  method: string;
  headers: HeaderLine[];
  credentials: boolean;
  /** Whose rules judge the call: set for a file Firefox wrote (`--browser firefox`), else Chrome's. */
  browser?: BrowserName;
}

/** Stands for a header value the file does not hold (only its name, from a preflight). */
export const VALUE_NOT_IN_FILE = 'value-not-in-file';

/**
 * The headers the page set, as the file shows them: the CORS-unsafe ones and `Content-Type` (the only
 * safelisted header whose value can decide a preflight). Browser-added lines (forbidden names such as
 * `Referer` and `Sec-*`, and safelisted defaults such as `Accept`) change nothing and are left out.
 * Without the request's own headers, the names its preflight asked about, values unknown.
 */
export function pageHeaders(requestHeaders: HeaderList | undefined, acrh: string | null): HeaderLine[] {
  if (requestHeaders && requestHeaders.length) {
    const unsafe = new Set(corsUnsafeRequestHeaderNames(requestHeaders));
    const seen = new Set<string>();
    const out: HeaderLine[] = [];
    for (const h of requestHeaders) {
      const n = h.name.toLowerCase();
      if (isForbiddenRequestHeaderName(n) || seen.has(n)) continue;
      if (!unsafe.has(n) && n !== 'content-type') continue;
      seen.add(n);
      out.push({ name: h.name, value: lineValue(h) });
    }
    if (out.length || acrh === null) return out;
  }
  if (acrh === null) return [];
  return acrh
    .split(',')
    .map((s) => s.trim())
    .filter((n) => n && !isForbiddenRequestHeaderName(n))
    .map((name) => ({ name, value: VALUE_NOT_IN_FILE }));
}

/** Whether the file shows the call sent credentials (a `Cookie` line). */
export function sentCookie(requestHeaders: HeaderList | undefined): boolean {
  return getHeader(requestHeaders, 'cookie') !== null;
}

/** `cors-lens check <url> --origin <origin> [-X method] [-H 'name: value']… [--credentials] [--browser firefox]`. */
export function checkCommand(spec: CheckSpec, redact = true): string {
  const parts = ['cors-lens', 'check', shellQuote(redact ? redactText(spec.url) : spec.url)];
  parts.push('--origin', shellQuote(spec.origin));
  if (spec.method.toUpperCase() !== 'GET') parts.push('-X', shellQuote(spec.method));
  for (const h of spec.headers) {
    const v = lineValue(h);
    const value = redact && v !== VALUE_NOT_IN_FILE ? redactHeaderValue(h.name, v) : v;
    parts.push('-H', shellQuote(`${h.name}: ${value}`));
  }
  if (spec.credentials) parts.push('--credentials');
  if (spec.browser === 'firefox') parts.push('--browser', 'firefox');
  return parts.join(' ');
}
