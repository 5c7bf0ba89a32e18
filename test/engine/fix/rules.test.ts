/**
 * The rules every recipe keeps, for generated plans: the exact origins and nothing else, never
 * `*` or `null` as an origin, never echoing any Origin, credentials exactly when the call uses
 * them, the plan's methods and headers filled in, hostile input never reaching code, and each
 * stack's trap in the notes exactly when it is relevant to the plan.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { recipesFor } from '../../../src/engine/fix';
import { PLACEHOLDER_ORIGIN, isAllowableOrigin } from '../../../src/engine/fix/common';
import type { FixPlan, Recipe } from '../../../src/engine/types';
import { HOSTILE, NAMED, planArb } from './plans';

const METHOD = /^[A-Za-z][A-Za-z0-9_-]*$/;
const HEADER = /^[a-z0-9][a-z0-9._~+-]*$/;

function allowlist(plan: FixPlan): string[] {
  const first = isAllowableOrigin(plan.origin) ? plan.origin : PLACEHOLDER_ORIGIN;
  return [...new Set([first, ...(plan.alsoAllow ?? []).filter(isAllowableOrigin)])];
}
const validMethods = (plan: FixPlan): string[] => plan.methods.filter((m) => METHOD.test(m));
const extraMethods = (plan: FixPlan): boolean =>
  validMethods(plan).some((m) => !['GET', 'HEAD', 'POST'].includes(m));
const validHeaders = (plan: FixPlan): string[] =>
  plan.headers.map((h) => h.trim().toLowerCase()).filter((h) => HEADER.test(h));

/** How each stack says "credentials allowed" (S3 has no switch). */
const CREDENTIALS: Record<string, RegExp | undefined> = {
  express: /^\s+credentials: true,$/m,
  fastify: /^\s+credentials: true,$/m,
  koa: /^\s+credentials: true,$/m,
  nestjs: /^\s+credentials: true,$/m,
  django: /^CORS_ALLOW_CREDENTIALS = True$/m,
  flask: /^\s+supports_credentials=True,$/m,
  fastapi: /^\s+allow_credentials=True,$/m,
  spring: /\.allowCredentials\(true\)/,
  aspnet: /\.AllowCredentials\(\)/,
  go: /AllowCredentials: +true,/,
  nginx: /add_header Access-Control-Allow-Credentials true always;/,
  apache: /Header always set Access-Control-Allow-Credentials "true"/,
  caddy: /Access-Control-Allow-Credentials "true"/,
  'aws-apigateway': /"AllowCredentials": true/,
  'aws-s3': undefined,
  'cloudflare-workers': /'Access-Control-Allow-Credentials', 'true'/,
};

/** Ways to allow every origin; none may appear in any recipe. */
const ALLOW_ANY = [
  /origin: true\b/,
  /origin: ['"]\*['"]/,
  /AllowAnyOrigin/,
  /CORS_ALLOW_ALL_ORIGINS|CORS_ORIGIN_ALLOW_ALL/,
  /allow_origins=\["\*"\]/,
  /allowedOrigin(Pattern)?s\("\*"\)/,
  /cors\.Default\(\)/,
  /AllowOriginFunc/,
  /SetIsOriginAllowed\(/,
  /add_header Access-Control-Allow-Origin (\$http_origin|"?\*)/,
  /^\theader Access-Control-Allow-Origin/m,
  /send_wildcard=True/,
];

/** Origin-looking strings in the code (Apache's regex dots unescaped). */
function originsIn(code: string): string[] {
  return [
    ...code.replace(/\\\./g, '.').matchAll(/\bhttps?:\/\/(?:\[[0-9a-f:.]+\]|[a-z0-9.-]+)(?::\d+)?/g),
  ].map((m) => m[0]);
}

/** [stack, note pattern, when the trap is relevant]. */
const TRAPS: [string, RegExp, (p: FixPlan) => boolean][] = [
  ['nginx', /without it nginx adds the header only to 200/, (p) => p.errorResponses],
  ['spring', /IllegalArgumentException/, (p) => p.credentials],
  ['spring', /http\.cors\(Customizer\.withDefaults\(\)\)/, (p) => p.handlePreflight || p.errorResponses],
  ['fastapi', /allow_methods defaults to \["GET"\]/, (p) => p.handlePreflight || extraMethods(p)],
  ['fastapi', /redirect_slashes/, (p) => p.avoidRedirect !== undefined],
  [
    'django',
    /CorsMiddleware must come before CommonMiddleware/,
    (p) => p.handlePreflight || p.errorResponses || p.avoidRedirect !== undefined,
  ],
  ['django', /makes CommonMiddleware \(APPEND_SLASH\) redirect/, (p) => p.avoidRedirect !== undefined],
  [
    'aspnet',
    /UseCors must come after UseRouting and before UseAuthentication/,
    (p) => p.handlePreflight || p.errorResponses,
  ],
  ['aspnet', /UseHttpsRedirection/, (p) => p.avoidRedirect !== undefined],
  ['aws-apigateway', /ignores \(replaces\) the CORS headers your backend sends/, () => true],
  ['koa', /before 5\.0 reflected any request Origin/, (p) => p.credentials],
  ['koa', /keepHeadersOnError/, (p) => p.errorResponses],
  ['express', /Express 5 rejects the bare '\*' path/, (p) => p.handlePreflight],
  ['fastify', /default 'GET,HEAD,POST'/, extraMethods],
  ['go', /rs\/cors allows only HEAD, GET and POST/, extraMethods],
  ['flask', /defaults to origins="\*"/, (p) => p.credentials],
];

/** Notes every stack carries under the same condition, and how many times. */
const COMMON: [RegExp, (p: FixPlan) => number][] = [
  [/"\*" is fine only for public data/, (p) => Number(!p.credentials)],
  [
    /^With credentials the origin must be listed exactly: "\*" with credentials is refused/,
    (p) => Number(p.credentials),
  ],
  [/Never allow "null"/, (p) => Number(!isAllowableOrigin(p.origin))],
  [/Browsers do not follow redirects on preflights/, (p) => Number(p.avoidRedirect !== undefined)],
  [/Only one layer .* may set CORS headers/, (p) => (p.remove ?? []).length],
];

function each(plan: FixPlan, check: (r: Recipe) => void): void {
  for (const r of recipesFor(plan)) check(r);
}

describe('recipe rules (fast-check)', () => {
  it('allow exactly the plan origin (plus alsoAllow), never *, null or any origin', () => {
    fc.assert(
      fc.property(planArb, (plan) => {
        const allowed = allowlist(plan);
        each(plan, (r) => {
          const seen = originsIn(r.code);
          for (const o of allowed) {
            expect(seen, `${r.stack} lacks ${o}`).toContain(o);
            expect(r.code, `${r.stack}: ${o} with a path or trailing slash`).not.toContain(`${o}/`);
          }
          for (const o of seen)
            expect([...allowed, plan.apiOrigin], `${r.stack}: stray origin ${o}`).toContain(o);
          // "null" is a legal method or header token; as an origin it is never allowed.
          const nullToken = [...plan.methods, ...plan.headers].some((t) => t.toLowerCase() === 'null');
          if (!nullToken) expect(r.code, r.stack).not.toMatch(/(['"])null\1/i);
          for (const re of ALLOW_ANY) expect(r.code, `${r.stack} allows any origin (${re})`).not.toMatch(re);
          const stars = r.code
            .split('\n')
            .filter((l) => /(^|[\s'"])\*([\s'"]|$)/.test(l) && !l.trim().startsWith('#'));
          // Caddy matchers: "any value of Access-Control-Request-Method", "any path".
          const allowedStars =
            r.stack === 'caddy' ? ['\t\theader Access-Control-Request-Method *', '\t\tpath *'] : [];
          expect(
            stars.filter((l) => !allowedStars.includes(l)),
            r.stack,
          ).toEqual([]);
        });
      }),
      { numRuns: 200 },
    );
  });

  it('allow credentials exactly when the call carries them', () => {
    fc.assert(
      fc.property(planArb, (plan) => {
        each(plan, (r) => {
          const marker = CREDENTIALS[r.stack];
          expect(r.stack in CREDENTIALS, `no credentials rule for ${r.stack}`).toBe(true);
          // Active configuration only: a commented-out line is the marked option, not a setting.
          const active = r.code
            .split('\n')
            .filter((l) => !/^\s*(\/\/|#)/.test(l))
            .join('\n');
          if (marker) expect(marker.test(active), `${r.stack} credentials`).toBe(plan.credentials);
          else expect(r.code).not.toMatch(/credential/i);
          const optional = !plan.credentials && plan.credentialsOptional === true;
          // Unknown credentials: the line is offered, commented out and marked, with the sentence on when.
          const offered = r.code
            .split('\n')
            .filter((l) => /^\s*(\/\/|#) .* (\/\/|#) optional: /.test(l))
            .map((l) => l.replace(/^(\s*)(\/\/|#) /, '$1').replace(/ (\/\/|#) optional: .*$/, ''))
            .some((l) => marker?.test(l) ?? false);
          if (marker && r.stack !== 'aws-apigateway')
            expect(offered, `${r.stack} offers credentials`).toBe(optional);
          expect(
            r.notes.some((n) => n.startsWith('Credentials are an option here')),
            r.stack,
          ).toBe(optional);
        });
      }),
      { numRuns: 200 },
    );
  });

  it('fill in every method and request header the call needs', () => {
    fc.assert(
      fc.property(planArb, (plan) => {
        each(plan, (r) => {
          const code = r.code.toLowerCase();
          for (const h of validHeaders(plan)) {
            if (
              r.stack === 'django' &&
              ['accept', 'authorization', 'content-type', 'x-csrftoken'].includes(h)
            )
              continue;
            expect(code, `${r.stack} lacks header ${h}`).toContain(h);
          }
          for (const m of validMethods(plan)) {
            if (r.stack === 'aws-s3' && !['GET', 'PUT', 'HEAD', 'POST', 'DELETE'].includes(m)) {
              expect(r.notes.join(' ')).toContain(m);
              continue;
            }
            if (r.stack === 'django' && ['DELETE', 'GET', 'OPTIONS', 'PATCH', 'POST', 'PUT'].includes(m))
              continue;
            expect(r.code, `${r.stack} lacks method ${m}`).toContain(m);
          }
        });
      }),
      { numRuns: 200 },
    );
  });

  it('never let hostile header names, methods or origins into the code', () => {
    const risky = HOSTILE.filter((h) => /['"`\n$;{]/.test(h));
    const plan: FixPlan = {
      ...NAMED['hard-coded localhost']!,
      origin: 'https://real.example.org',
      methods: ['PUT', ...risky],
      headers: ['authorization', ...risky],
      alsoAllow: risky,
      remove: risky.map((name) => ({ name, value: 'x', why: 'y' })),
    };
    each(plan, (r) => {
      for (const h of risky) expect(r.code, `${r.stack} contains ${JSON.stringify(h)}`).not.toContain(h);
      expect(r.notes.join('\n')).toMatch(/Left out because they are not plain HTTP tokens/);
    });
  });

  it('name each trap exactly when it is relevant to the plan', () => {
    fc.assert(
      fc.property(planArb, (plan) => {
        const recipes = recipesFor(plan);
        for (const [stack, note, relevant] of TRAPS) {
          const r = recipes.find((x) => x.stack === stack)!;
          expect(
            r.notes.some((n) => note.test(n)),
            `${stack} ${note}`,
          ).toBe(relevant(plan));
        }
        for (const r of recipes) {
          for (const [note, relevant] of COMMON) {
            expect(r.notes.filter((n) => note.test(n)).length, `${r.stack} ${note}`).toBe(relevant(plan));
          }
          if (plan.note) expect(r.notes[0]).toBe(plan.note);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('the article mistakes, by name', () => {
  it('hard-coded localhost: the allowlist holds the real origin and keeps localhost:3000', () => {
    for (const r of recipesFor(NAMED['hard-coded localhost']!)) {
      expect(r.code, r.stack).toContain('https://app.example.com');
      expect(r.code, r.stack).toContain('http://localhost:3000');
    }
  });

  it('wildcard with credentials: Express lists the origin and credentials: true', () => {
    const r = recipesFor(NAMED['wildcard with credentials']!)[0]!;
    expect(r.stack).toBe('express');
    expect(r.code).toMatch(/const allowedOrigins = \[\n {2}'https:\/\/app\.example\.com',\n\];/);
    expect(r.code).toMatch(/origin: allowedOrigins,\n {4}credentials: true,/);
  });

  it('null origin: the placeholder stands in and the note says why', () => {
    for (const r of recipesFor(NAMED['null origin']!)) {
      expect(r.code).toContain(PLACEHOLDER_ORIGIN);
      expect(r.notes.join(' ')).toMatch(/Never allow "null"/);
    }
  });
});
