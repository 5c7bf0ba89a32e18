/**
 * Secret redaction for anything that leaves the panel (reports, curl commands). On by default; the user
 * turns it off explicitly. Pure.
 *
 * - `Cookie`: names kept, values replaced (`sid=[REDACTED]`), because which cookie was sent matters.
 * - `Set-Cookie`: the value replaced, the attributes kept (SameSite/Secure explain many credential bugs).
 * - `Authorization`, `Proxy-Authorization`: the scheme kept (`Bearer [REDACTED]`).
 * - Other credential-bearing headers (`X-Api-Key`, `X-Auth-Token`, …): the whole value.
 * - Token-like query parameters (`token`, `access_token`, `key`, `api_key`, `sig`, `code`, …) in every
 *   URL and in free text (explanations and console messages quote URLs).
 */
import type {
  Exchange,
  Fix,
  HeaderLine,
  HeaderList,
  Leg,
  LogEntry,
  ObservedResponse,
  Verdict,
} from '../engine';
import { lineValue } from './describe';

export const REDACTED = '[REDACTED]';

const WHOLE_VALUE_HEADERS = new Set([
  'x-api-key',
  'api-key',
  'x-auth-token',
  'x-access-token',
  'x-csrf-token',
  'x-xsrf-token',
  'x-amz-security-token',
]);

/** Query parameter names treated as secrets (compared case-insensitively). */
export const SECRET_PARAMS = [
  'token',
  'access_token',
  'refresh_token',
  'id_token',
  'auth',
  'key',
  'api_key',
  'apikey',
  'api-key',
  'sig',
  'signature',
  'password',
  'passwd',
  'pwd',
  'secret',
  'client_secret',
  'code',
  'session',
  'sessionid',
  'jwt',
  'x-amz-signature',
  'x-amz-credential',
  'x-amz-security-token',
  'x-goog-signature',
  'x-goog-credential',
];

const SECRET_MEMO_LIMIT = 256;
const secretMemo = new Map<string, boolean>();

/** {@link isSecretParamName}, remembered: a report meets the same few parameter names many times. */
function isSecretParam(name: string): boolean {
  const hit = secretMemo.get(name);
  if (hit !== undefined) return hit;
  if (secretMemo.size >= SECRET_MEMO_LIMIT) secretMemo.clear();
  const secret = isSecretParamName(name);
  secretMemo.set(name, secret);
  return secret;
}

function isSecretParamName(name: string): boolean {
  let n = name.toLowerCase();
  try {
    n = decodeURIComponent(n);
  } catch {
    // keep the raw name
  }
  return SECRET_PARAMS.includes(n) || /(?:^|[_-])(?:token|secret|password|signature)$/.test(n);
}

const PARAM_RE = /([?&;])([^=&#\s'"<>`]+)=([^&#\s'"<>`)\]]*)/g;

/** Replaces the values of token-like query parameters in any text (a URL or a sentence quoting URLs). */
export function redactText(text: string): string {
  // Every parameter has an `=`: most text has none, and nothing to redact.
  if (!text.includes('=')) return text;
  return text.replace(PARAM_RE, (all, sep: string, name: string, value: string) =>
    value && isSecretParam(name) ? `${sep}${name}=${REDACTED}` : all,
  );
}

export function isSensitiveHeader(name: string): boolean {
  const n = name.toLowerCase();
  return (
    n === 'cookie' ||
    n === 'set-cookie' ||
    n === 'authorization' ||
    n === 'proxy-authorization' ||
    WHOLE_VALUE_HEADERS.has(n)
  );
}

/** The redacted form of one header value. */
export function redactHeaderValue(name: string, value: string): string {
  const n = name.toLowerCase();
  if (n === 'cookie') {
    return value
      .split(';')
      .map((pair) => {
        const eq = pair.indexOf('=');
        return eq < 0 ? REDACTED : `${pair.slice(0, eq).trim()}=${REDACTED}`;
      })
      .join('; ');
  }
  if (n === 'set-cookie') {
    // One line may hold several cookies when webRequest joined them with newlines.
    return value
      .split('\n')
      .map((line) => {
        const [first = '', ...attrs] = line.split(';');
        const eq = first.indexOf('=');
        const head = eq < 0 ? REDACTED : `${first.slice(0, eq).trim()}=${REDACTED}`;
        return [head, ...attrs.map((a) => a.trim())].join('; ');
      })
      .join('\n');
  }
  if (n === 'authorization' || n === 'proxy-authorization') {
    const m = /^(\S+)\s+\S/.exec(value.trim());
    return m ? `${m[1]} ${REDACTED}` : REDACTED;
  }
  if (WHOLE_VALUE_HEADERS.has(n)) return REDACTED;
  // Location, Referer and the like carry URLs.
  return redactText(value);
}

export function redactHeaders(list: HeaderList | undefined): HeaderLine[] | undefined {
  if (!list) return undefined;
  return list.map((line) => {
    const value = lineValue(line);
    const redacted = redactHeaderValue(line.name, value);
    if (line.value === undefined && redacted === value) return { ...line };
    return { name: line.name, value: redacted };
  });
}

function redactResponse(r: ObservedResponse | undefined): ObservedResponse | undefined {
  if (!r) return undefined;
  const out: ObservedResponse = { ...r, headers: redactHeaders(r.headers) ?? [] };
  // A body may hold anything (tokens, personal data): a redacted report never carries it.
  delete out.bodyStart;
  if (r.statusLine !== undefined) out.statusLine = redactText(r.statusLine);
  return out;
}

function redactLeg(leg: Leg): Leg {
  const out: Leg = { ...leg, url: redactText(leg.url) };
  if (leg.redirectUrl !== undefined) out.redirectUrl = redactText(leg.redirectUrl);
  if (leg.requestHeaders) out.requestHeaders = redactHeaders(leg.requestHeaders);
  if (leg.response) out.response = redactResponse(leg.response);
  if (leg.preflight) {
    const p = leg.preflight;
    out.preflight = { ...p, url: redactText(p.url) };
    if (p.requestHeaders) out.preflight.requestHeaders = redactHeaders(p.requestHeaders);
    if (p.response) out.preflight.response = redactResponse(p.response);
  }
  return out;
}

export function redactExchange(exchange: Exchange): Exchange {
  return { ...exchange, legs: exchange.legs.map(redactLeg) };
}

/** Redacts every string of the verdict that could quote a secret (URLs in text, sensitive header facts). */
export function redactVerdict(verdict: Verdict): Verdict {
  const out: Verdict = {
    ...verdict,
    title: redactText(verdict.title),
    explanation: verdict.explanation.map(redactText),
    facts: verdict.facts.map((f) => ({
      ...f,
      expected: redactText(f.expected),
      received:
        f.received === null
          ? null
          : isSensitiveHeader(f.name)
            ? redactHeaderValue(f.name, f.received)
            : redactText(f.received),
    })),
    findings: verdict.findings.map((x) => {
      const f = { ...x, title: redactText(x.title), detail: redactText(x.detail) };
      if (x.advice !== undefined) f.advice = redactText(x.advice);
      return f;
    }),
  };
  if (verdict.consoleMessage !== undefined) out.consoleMessage = redactText(verdict.consoleMessage);
  if (verdict.failedParameter !== undefined) out.failedParameter = redactText(verdict.failedParameter);
  if (verdict.fix) out.fix = redactFix(verdict.fix);
  return out;
}

/** A fix as {@link redactVerdict} gives it: its summary and the path it is planned for redacted. */
export function redactFix(fix: Fix): Fix {
  return { ...fix, summary: redactText(fix.summary), plan: { ...fix.plan, path: redactText(fix.plan.path) } };
}

export function redactEntry(entry: LogEntry): LogEntry {
  return { exchange: redactExchange(entry.exchange), verdict: redactVerdict(entry.verdict) };
}
