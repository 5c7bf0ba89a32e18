/**
 * `cors-lens ci [cors-lens.json]`: a list of `check` cases with expectations. Pure parsing and
 * comparison here; main.ts runs the checks.
 *
 * ```json
 * {
 *   "origin": "https://app.example.com",
 *   "checks": [
 *     { "name": "profile", "url": "https://api.example.com/me", "credentials": true, "expect": "allowed" },
 *     { "url": "https://api.example.com/admin", "method": "DELETE", "expect": "MethodDisallowedByPreflightResponse" }
 *   ]
 * }
 * ```
 */
import {
  type HeaderLine,
  parseHeaderArg,
  parseMethod,
  parseOrigin,
  parseRequestUrl,
  type Verdict,
} from '../engine';
import { isRecord as isObj } from '../lib/validate';

export interface CiCase {
  name: string;
  url: string;
  origin: string;
  method: string;
  headers: HeaderLine[];
  credentials: boolean;
  /** `allowed`, `blocked` (any CORS error), a Chrome error name, or a `net::ERR_*` token. */
  expect: string;
  /** Optional: Chrome's failedParameter must match too. */
  failedParameter?: string;
}

export interface CiConfig {
  cases: CiCase[];
  insecure: boolean;
  timeoutMs?: number;
}

export type CiParse = { ok: true; config: CiConfig } | { ok: false; error: string };

const EXPECT = /^(allowed|blocked|not-cors|[A-Z][A-Za-z]+|net::ERR_[A-Z0-9_]+)$/;

export function parseCiConfig(text: string): CiParse {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    return { ok: false, error: `not valid JSON: ${e instanceof Error ? e.message : String(e)}` };
  }
  const root = Array.isArray(data) ? { checks: data } : data;
  if (!isObj(root) || !Array.isArray(root.checks))
    return { ok: false, error: 'expected an object with a "checks" list (or a list of checks)' };
  if (root.checks.length === 0) return { ok: false, error: '"checks" is empty' };
  const defOrigin = root.origin;
  const cases: CiCase[] = [];
  for (const [i, c] of root.checks.entries()) {
    const at = `checks[${i}]`;
    if (!isObj(c)) return { ok: false, error: `${at} is not an object` };
    if (typeof c.url !== 'string') return { ok: false, error: `${at}.url is missing` };
    const url = parseRequestUrl(c.url);
    if (!url.ok) return { ok: false, error: `${at}.url: ${url.error}` };
    const o = c.origin ?? defOrigin;
    if (typeof o !== 'string')
      return { ok: false, error: `${at}.origin is missing (and there is no top-level "origin")` };
    const origin = parseOrigin(o);
    if (!origin.ok) return { ok: false, error: `${at}.origin: ${origin.error}` };
    const method = parseMethod(typeof c.method === 'string' ? c.method : 'GET');
    if (!method.ok) return { ok: false, error: `${at}.method: ${method.error}` };
    const headers: HeaderLine[] = [];
    const rawHeaders = c.headers ?? [];
    const entries: string[] = Array.isArray(rawHeaders)
      ? rawHeaders.map(String)
      : isObj(rawHeaders)
        ? Object.entries(rawHeaders).map(([k, v]) => `${k}: ${String(v)}`)
        : [];
    if (!Array.isArray(rawHeaders) && !isObj(rawHeaders))
      return { ok: false, error: `${at}.headers must be an object or a list of "Name: value"` };
    for (const h of entries) {
      const p = parseHeaderArg(h);
      if (!p.ok) return { ok: false, error: `${at}.headers: ${p.error}` };
      headers.push(p.value);
    }
    if (typeof c.expect !== 'string' || !EXPECT.test(c.expect))
      return {
        ok: false,
        error: `${at}.expect must be "allowed", "blocked" or a Chrome error name such as "AllowOriginMismatch"`,
      };
    const name = typeof c.name === 'string' && c.name ? c.name : `${method.value} ${url.value}`;
    const kase: CiCase = {
      name,
      url: url.value,
      origin: origin.value,
      method: method.value,
      headers,
      credentials: c.credentials === true,
      expect: c.expect,
    };
    if (typeof c.failedParameter === 'string') kase.failedParameter = c.failedParameter;
    cases.push(kase);
  }
  const config: CiConfig = { cases, insecure: root.insecure === true };
  if (typeof root.timeout === 'number' && root.timeout > 0) config.timeoutMs = root.timeout;
  return { ok: true, config };
}

/**
 * The verdict in the vocabulary of `expect`: Chrome's error name, or Firefox's reason name when the
 * verdict applies Firefox's rules (`ci --browser firefox`).
 */
export function actualLabel(v: Verdict): string {
  if (v.outcome === 'allowed') return 'allowed';
  if (v.outcome === 'not-cors') return 'not-cors';
  if (v.browser === 'firefox' && v.firefoxReason) return v.firefoxReason.name;
  return v.chromeError ?? v.netError ?? v.outcome;
}

/** Does the verdict meet the expectation? A Firefox verdict also answers to Chrome's name for it. */
export function matches(c: CiCase, v: Verdict): boolean {
  const ok =
    c.expect === 'blocked'
      ? v.outcome === 'blocked'
      : c.expect === actualLabel(v) || (v.outcome === 'blocked' && c.expect === v.chromeError);
  if (!ok) return false;
  return c.failedParameter === undefined || (v.failedParameter ?? '') === c.failedParameter;
}
