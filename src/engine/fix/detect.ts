/**
 * Guess the developer's server stack from response headers. Pure: it reads header values only.
 *
 * Each rule looks at one signal (Server, X-Powered-By, Via, a framework header, a session cookie
 * name) and names a stack with a confidence. When several stacks show up (an Express app behind
 * nginx behind Cloudflare), the one closest to the application code wins, because that is usually
 * where the CORS configuration lives: frameworks, then API Gateway/S3, then web servers, then CDNs.
 */
import type { HeaderList } from '../types';

export type StackConfidence = 'high' | 'medium' | 'low';

export interface StackGuess {
  stack: string;
  confidence: StackConfidence;
  /** The header that gave it away, e.g. `X-Powered-By: Express`. */
  evidence: string;
}

interface Signals {
  /** Lower-case header name to all its values (several lists and repeated lines merged). */
  headers: Map<string, string[]>;
  /** Cookie names from Set-Cookie. */
  cookies: Set<string>;
}

function collect(lists: readonly HeaderList[]): Signals {
  const headers = new Map<string, string[]>();
  const cookies = new Set<string>();
  for (const list of lists) {
    for (const line of list) {
      const name = line.name.toLowerCase();
      const value = line.value ?? '';
      const values = headers.get(name) ?? [];
      values.push(value);
      headers.set(name, values);
      if (name === 'set-cookie') {
        // webRequest can join several cookies with newlines.
        for (const cookie of value.split('\n')) {
          const eq = cookie.indexOf('=');
          if (eq > 0) cookies.add(cookie.slice(0, eq).trim());
        }
      }
    }
  }
  return { headers, cookies };
}

interface Rule {
  stack: string;
  /** Lower is closer to the application code. */
  tier: number;
  test: (s: Signals) => { confidence: StackConfidence; evidence: string } | undefined;
}

function header(
  name: string,
  re: RegExp,
  confidence: StackConfidence,
): (s: Signals) => { confidence: StackConfidence; evidence: string } | undefined {
  return (s) => {
    const value = s.headers.get(name)?.find((v) => re.test(v));
    if (value === undefined) return undefined;
    return { confidence, evidence: `${displayName(name)}: ${value}` };
  };
}

function present(
  name: string,
  confidence: StackConfidence,
): (s: Signals) => { confidence: StackConfidence; evidence: string } | undefined {
  return header(name, /(?:)/, confidence);
}

function cookie(
  names: RegExp,
  confidence: StackConfidence,
): (s: Signals) => { confidence: StackConfidence; evidence: string } | undefined {
  return (s) => {
    const hit = [...s.cookies].find((c) => names.test(c));
    return hit === undefined ? undefined : { confidence, evidence: `Set-Cookie: ${hit}=…` };
  };
}

function displayName(name: string): string {
  const special: Record<string, string> = {
    'x-aspnet-version': 'X-AspNet-Version',
    'x-aspnetmvc-version': 'X-AspNetMvc-Version',
    'cf-ray': 'CF-Ray',
    'x-amzn-requestid': 'x-amzn-RequestId',
    'apigw-requestid': 'Apigw-Requestid',
    'x-amz-apigw-id': 'x-amz-apigw-id',
    'x-amz-request-id': 'x-amz-request-id',
  };
  return special[name] ?? name.replace(/(^|-)([a-z])/g, (_, d: string, c: string) => d + c.toUpperCase());
}

function all(
  ...tests: ((s: Signals) => { confidence: StackConfidence; evidence: string } | undefined)[]
): (s: Signals) => { confidence: StackConfidence; evidence: string } | undefined {
  return (s) => {
    const hits = tests.map((t) => t(s));
    if (hits.some((h) => h === undefined)) return undefined;
    const first = hits[0]!;
    return { confidence: first.confidence, evidence: hits.map((h) => h!.evidence).join(', ') };
  };
}

const RULES: Rule[] = [
  // Application frameworks.
  { stack: 'express', tier: 0, test: header('x-powered-by', /^express$/i, 'high') },
  { stack: 'nestjs', tier: 0, test: header('x-powered-by', /nestjs/i, 'high') },
  { stack: 'aspnet', tier: 0, test: header('server', /kestrel/i, 'high') },
  { stack: 'aspnet', tier: 0, test: present('x-aspnet-version', 'high') },
  { stack: 'aspnet', tier: 0, test: present('x-aspnetmvc-version', 'high') },
  { stack: 'aspnet', tier: 0, test: cookie(/^(ASP\.NET_SessionId|\.AspNetCore\.)/, 'high') },
  { stack: 'aspnet', tier: 0, test: header('x-powered-by', /asp\.net/i, 'medium') },
  { stack: 'flask', tier: 0, test: header('server', /werkzeug/i, 'high') },
  { stack: 'fastapi', tier: 0, test: header('server', /^uvicorn|hypercorn/i, 'medium') },
  { stack: 'django', tier: 0, test: cookie(/^csrftoken$/, 'high') },
  { stack: 'django', tier: 0, test: header('server', /^WSGIServer\/.*CPython/i, 'medium') },
  { stack: 'django', tier: 0, test: cookie(/^sessionid$/, 'medium') },
  { stack: 'spring', tier: 0, test: present('x-application-context', 'high') },
  { stack: 'spring', tier: 0, test: cookie(/^JSESSIONID$/, 'medium') },
  { stack: 'spring', tier: 0, test: header('server', /tomcat|jetty|undertow|apache-coyote/i, 'medium') },
  { stack: 'go', tier: 0, test: header('x-powered-by', /^go\b/i, 'low') },
  // Managed gateways and storage: they are the server the browser talks to.
  {
    stack: 'aws-s3',
    tier: 1,
    test: all(header('server', /^AmazonS3$/i, 'high'), present('x-amz-request-id', 'high')),
  },
  { stack: 'aws-s3', tier: 1, test: header('server', /^AmazonS3$/i, 'medium') },
  { stack: 'aws-apigateway', tier: 1, test: present('apigw-requestid', 'high') },
  { stack: 'aws-apigateway', tier: 1, test: present('x-amz-apigw-id', 'high') },
  { stack: 'aws-apigateway', tier: 1, test: present('x-amzn-requestid', 'medium') },
  // Web servers and reverse proxies.
  { stack: 'nginx', tier: 2, test: header('server', /^(nginx|openresty)\b/i, 'high') },
  { stack: 'apache', tier: 2, test: header('server', /^apache\b(?!-coyote)/i, 'high') },
  { stack: 'caddy', tier: 2, test: header('server', /^caddy\b/i, 'high') },
  { stack: 'caddy', tier: 2, test: header('via', /\bcaddy\b/i, 'high') },
  { stack: 'nginx', tier: 2, test: header('via', /\bnginx\b/i, 'medium') },
  // CDN in front: Workers are one option among several, so never more than medium.
  { stack: 'cloudflare-workers', tier: 3, test: present('cf-ray', 'medium') },
  { stack: 'cloudflare-workers', tier: 3, test: header('server', /^cloudflare$/i, 'medium') },
];

const RANK: Record<StackConfidence, number> = { high: 0, medium: 1, low: 2 };

/** Every stack the headers point at, most likely first, one entry per stack. */
export function detectStacks(responseHeaders: readonly HeaderList[]): StackGuess[] {
  const signals = collect(responseHeaders);
  const found = new Map<string, StackGuess & { tier: number }>();
  for (const rule of RULES) {
    const hit = rule.test(signals);
    if (!hit) continue;
    const prev = found.get(rule.stack);
    if (prev && RANK[prev.confidence] <= RANK[hit.confidence]) continue;
    found.set(rule.stack, { stack: rule.stack, tier: rule.tier, ...hit });
  }
  return [...found.values()]
    .sort((a, b) => a.tier - b.tier || RANK[a.confidence] - RANK[b.confidence])
    .map(({ stack, confidence, evidence }) => ({ stack, confidence, evidence }));
}

/** The most likely stack behind these responses, or `undefined` when nothing gives it away. */
export function detectStack(responseHeaders: readonly HeaderList[]): StackGuess | undefined {
  return detectStacks(responseHeaders)[0];
}
