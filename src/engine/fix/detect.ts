/**
 * Guess the developer's server stack from responses. Pure: it reads status codes and headers only.
 *
 * Each rule looks at one signal and names a stack with a confidence and the evidence:
 * - what a stack says about itself (Server, X-Powered-By, Via, a framework header, a session cookie);
 * - how its CORS layer behaves (measured against the real libraries): the status and body type of
 *   its refusal, its Vary lines, the exact spelling of its Access-Control-* values, its defaults.
 * Behaviour is never more than "medium" unless a default is unique to one library. When several stacks
 * show up (an Express app behind nginx behind Cloudflare), the one closest to the application code
 * wins, because that is usually where the CORS configuration lives: frameworks, then API Gateway/S3,
 * then web servers, then CDNs. Nothing found means unknown: callers must not fill in a guess.
 */
import type { StackId } from './stack-id';
import { isHeaderNamed } from '../headers';
import type { HeaderList } from '../types';

/** A response as the rules read it: the status when known, and the header lines as sent. */
export interface ResponseSignal {
  statusCode?: number;
  headers: HeaderList;
}

export type StackConfidence = 'high' | 'medium' | 'low';

export interface StackGuess {
  stack: StackId;
  confidence: StackConfidence;
  /** The header that gave it away, e.g. `X-Powered-By: Express`. */
  evidence: string;
}

interface Signals {
  /** Lower-case header name to all its values (several lists and repeated lines merged). */
  headers: Map<string, string[]>;
  /** Cookie names from Set-Cookie. */
  cookies: Set<string>;
  /** Every response on its own, for the behavioural rules. */
  responses: ResponseSignal[];
}

function collect(input: readonly (HeaderList | ResponseSignal)[]): Signals {
  const headers = new Map<string, string[]>();
  const cookies = new Set<string>();
  const responses = input.map((r) =>
    Array.isArray(r) ? { headers: r as HeaderList } : (r as ResponseSignal),
  );
  const lists = responses.map((r) => r.headers);
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
  return { headers, cookies, responses };
}

interface Rule {
  stack: StackId;
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

type Hit = { confidence: StackConfidence; evidence: string } | undefined;

const lines = (r: ResponseSignal, name: string) => r.headers.filter((l) => isHeaderNamed(l.name, name));
const value = (r: ResponseSignal, name: string): string | undefined => {
  const all = lines(r, name);
  return all.length ? all.map((l) => l.value ?? '').join(', ') : undefined;
};
const show = (r: ResponseSignal, name: string): string =>
  lines(r, name)
    .map((l) => `${l.name}: ${l.value ?? ''}`)
    .join(', ');
const status = (r: ResponseSignal) => (r.statusCode === undefined ? '' : `${r.statusCode} `);

/** The first response for which `test` returns evidence. */
function behaviour(
  confidence: StackConfidence,
  test: (r: ResponseSignal) => string | undefined,
): (s: Signals) => Hit {
  return (s) => {
    for (const r of s.responses) {
      const evidence = test(r);
      if (evidence) return { confidence, evidence };
    }
    return undefined;
  };
}

/** Methods joined by a bare comma (`GET,POST,PUT`), as the `cors` and `@koa/cors` packages write them. */
const BARE_COMMAS = /^[A-Z]+(,[A-Z]+)+$/;
/** Django-cors-headers' default Access-Control-Allow-Headers carries its CSRF header. */
const DJANGO_ACAH = /(^|,\s*)x-csrftoken(\s*,|$)/i;
/** Starlette's CORSMiddleware always adds the CORS-safelisted request headers, in this order. */
const STARLETTE_ACAH = /^Accept, Accept-Language, Content-Language, Content-Type\b/;
const TRIPLE_VARY = ['origin', 'access-control-request-method', 'access-control-request-headers'];

/** Vary given as three separate lines Origin / Access-Control-Request-Method / -Headers. */
function tripleVary(r: ResponseSignal): boolean {
  const v = lines(r, 'vary').map((l) => (l.value ?? '').trim().toLowerCase());
  return v.length === 3 && TRIPLE_VARY.every((x, i) => v[i] === x);
}

const BEHAVIOUR: Rule[] = [
  {
    // The cors package answers a preflight from an origin it refuses with 204, its method and header
    // lists, and no Access-Control-Allow-Origin.
    stack: 'express',
    tier: 0,
    test: behaviour('medium', (r) => {
      const acam = value(r, 'access-control-allow-methods');
      if (r.statusCode !== 204 || !acam || !BARE_COMMAS.test(acam) || value(r, 'access-control-allow-origin'))
        return undefined;
      return `${status(r)}refusal still listing ${show(r, 'access-control-allow-methods')} without Access-Control-Allow-Origin (the cors package)`;
    }),
  },
  {
    stack: 'express',
    tier: 0,
    test: behaviour('low', (r) => {
      const acam = value(r, 'access-control-allow-methods');
      if (
        !acam ||
        !BARE_COMMAS.test(acam) ||
        !lines(r, 'access-control-allow-methods')[0]?.name.startsWith('A')
      )
        return undefined;
      return `${show(r, 'access-control-allow-methods')}: methods joined without spaces (the cors package; @koa/cors writes the same)`;
    }),
  },
  {
    // Koa lets a refused preflight fall through to its default 404: "Not Found" as text/plain.
    stack: 'koa',
    tier: 0,
    test: behaviour('medium', (r) => {
      const vary = value(r, 'vary');
      if (
        r.statusCode !== 404 ||
        value(r, 'content-type') !== 'text/plain; charset=utf-8' ||
        !vary ||
        !/\borigin\b/i.test(vary)
      )
        return undefined;
      return `404 ${show(r, 'content-type')} with ${show(r, 'vary')}: Koa's default "Not Found" after @koa/cors refused the origin`;
    }),
  },
  {
    // @fastify/cors: a bodiless 204 whose own lines (vary, access-control-*, content-length: 0) are
    // lower case while Node's (Date, Connection) are not, so it is HTTP/1.1 and the case is the app's
    // (over HTTP/2 every name is lower case and this says nothing).
    stack: 'fastify',
    tier: 0,
    test: behaviour('medium', (r) => {
      const acam = lines(r, 'access-control-allow-methods')[0];
      if (r.statusCode !== 204 || !acam || acam.name !== 'access-control-allow-methods') return undefined;
      if (!/^[A-Z]+(, [A-Z]+)+$/.test(acam.value ?? '') || value(r, 'content-type') !== undefined)
        return undefined;
      const own = r.headers.filter((l) => /^(vary|access-control-|content-length$)/i.test(l.name));
      if (!own.every((l) => l.name === l.name.toLowerCase())) return undefined;
      if (!r.headers.some((l) => l.name === 'content-length' && l.value === '0')) return undefined;
      if (!r.headers.some((l) => /^(Date|Connection)$/.test(l.name))) return undefined;
      if (!/\borigin\b/i.test(value(r, 'vary') ?? '')) return undefined;
      return `${status(r)}preflight answer with ${show(r, 'access-control-allow-methods')}, ${show(r, 'content-length')} and ${show(r, 'vary')} in lower case next to Node's own title-case lines (@fastify/cors)`;
    }),
  },
  {
    stack: 'fastapi',
    tier: 0,
    test: behaviour('high', (r) => {
      const acah = value(r, 'access-control-allow-headers');
      if (!acah || !STARLETTE_ACAH.test(acah)) return undefined;
      return `${show(r, 'access-control-allow-headers')}: Starlette's CORSMiddleware always lists the safelisted headers first`;
    }),
  },
  {
    stack: 'fastapi',
    tier: 0,
    test: behaviour('medium', (r) => {
      if (r.statusCode !== 400 || !value(r, 'access-control-allow-methods')) return undefined;
      if (!/^text\/plain/.test(value(r, 'content-type') ?? '')) return undefined;
      return `400 ${show(r, 'content-type')} refusal of a preflight that still carries ${show(r, 'access-control-allow-methods')} (Starlette's "Disallowed CORS …")`;
    }),
  },
  {
    stack: 'django',
    tier: 0,
    test: behaviour('high', (r) => {
      const acah = value(r, 'access-control-allow-headers');
      if (!acah || !DJANGO_ACAH.test(acah)) return undefined;
      return `${show(r, 'access-control-allow-headers')}: django-cors-headers' default list (x-csrftoken)`;
    }),
  },
  {
    stack: 'django',
    tier: 0,
    test: behaviour('medium', (r) => {
      const need = [
        'x-frame-options',
        'x-content-type-options',
        'referrer-policy',
        'cross-origin-opener-policy',
      ];
      if (!need.every((n) => value(r, n) !== undefined)) return undefined;
      if (value(r, 'x-frame-options') !== 'DENY' || value(r, 'referrer-policy') !== 'same-origin')
        return undefined;
      return `${need.map((n) => show(r, n)).join(', ')}: the defaults of Django's SecurityMiddleware`;
    }),
  },
  {
    // Flask answers OPTIONS itself (with an Allow list and an empty text/html body) when Flask-CORS
    // refused the origin.
    stack: 'flask',
    tier: 0,
    test: behaviour('medium', (r) => {
      const allow = value(r, 'allow');
      if (r.statusCode !== 200 || !allow || !/\bOPTIONS\b/.test(allow)) return undefined;
      if (!/^text\/html/.test(value(r, 'content-type') ?? '')) return undefined;
      return `200 ${show(r, 'content-type')} with ${show(r, 'allow')}: Flask's automatic OPTIONS answer`;
    }),
  },
  {
    stack: 'spring',
    tier: 0,
    test: behaviour('medium', (r) => {
      if (r.statusCode !== 403 || !tripleVary(r)) return undefined;
      return `403 with ${show(r, 'vary')}: Spring's "Invalid CORS request" refusal`;
    }),
  },
  {
    stack: 'go',
    tier: 0,
    test: behaviour('medium', (r) => {
      if (r.statusCode === undefined || r.statusCode < 200 || r.statusCode > 299 || !tripleVary(r))
        return undefined;
      if (value(r, 'content-type') !== undefined) return undefined;
      return `${status(r)}bodiless answer with ${show(r, 'vary')} on three lines (rs/cors)`;
    }),
  },
];

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
  ...BEHAVIOUR,
];

const RANK: Record<StackConfidence, number> = { high: 0, medium: 1, low: 2 };

/**
 * Every stack the responses point at, most likely first, one entry per stack. Pass header lists, or
 * responses with their status for the behavioural rules.
 */
export function detectStacks(responses: readonly (HeaderList | ResponseSignal)[]): StackGuess[] {
  const signals = collect(responses);
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
export function detectStack(responses: readonly (HeaderList | ResponseSignal)[]): StackGuess | undefined {
  return detectStacks(responses)[0];
}
