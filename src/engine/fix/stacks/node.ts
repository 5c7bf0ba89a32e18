/** Recipes for JavaScript servers: Express, Fastify, Koa, NestJS and Cloudflare Workers. */
import type { Ctx } from '../common';
import { optionalCredentials, sq } from '../common';

const CORS_HEADER_NAMES = [
  'access-control-allow-origin',
  'access-control-allow-credentials',
  'access-control-allow-methods',
  'access-control-allow-headers',
  'vary',
];

/** `const allowedOrigins = [ ... ];` with a line inviting the developer to extend it. */
export function jsOriginList(ctx: Ctx, name = 'allowedOrigins', indent = ''): string {
  return [
    `${indent}// Every origin your frontend is served from: extend this list (production, staging, local dev).`,
    `${indent}const ${name} = [`,
    ...ctx.origins.map((o) => `${indent}  ${sq(o)},`),
    `${indent}];`,
  ].join('\n');
}

function jsList(items: string[]): string {
  return `[${items.map(sq).join(', ')}]`;
}

/** The option object shared by `cors` (Express, NestJS) and `@fastify/cors`. */
function corsOptionLines(ctx: Ctx, originExpr: string, indent: string): string[] {
  const lines = [`${indent}origin: ${originExpr},`];
  if (ctx.credentials) lines.push(`${indent}credentials: true,`);
  lines.push(...optionalCredentials(ctx, '//', indent, 'credentials: true,'));
  lines.push(`${indent}methods: ${jsList(ctx.methods)},`);
  if (ctx.headers.length > 0) lines.push(`${indent}allowedHeaders: ${jsList(ctx.headers)},`);
  return lines;
}

export function express(ctx: Ctx): { code: string; notes: string[] } {
  const code = [
    `import cors from 'cors';`,
    '',
    jsOriginList(ctx),
    '',
    '// Register it before your routes and any auth middleware: it answers preflight (OPTIONS)',
    '// requests itself and adds the headers to every response, errors included. A listed origin',
    '// is echoed back exactly; any other origin gets no CORS headers (and no 500 error).',
    'app.use(',
    '  cors({',
    ...corsOptionLines(ctx, 'allowedOrigins', '    '),
    '  }),',
    ');',
    '',
  ].join('\n');
  const notes: string[] = [];
  if (ctx.plan.handlePreflight) {
    notes.push(
      "app.use(cors(...)) already answers preflights (preflightContinue is false by default). Drop app.options('*', cors()) from older guides: Express 5 rejects the bare '*' path, and a second cors() with other options answers OPTIONS differently.",
    );
  }
  if (ctx.plan.errorResponses) {
    notes.push(
      'Error responses only carry the headers if cors runs before the code that fails: move app.use(cors(...)) above auth middleware, routers and anything that can throw.',
    );
  }
  return { code, notes };
}

export function fastify(ctx: Ctx): { code: string; notes: string[] } {
  const code = [
    `import cors from '@fastify/cors';`,
    '',
    jsOriginList(ctx),
    '',
    '// Register before your routes. It answers preflight (OPTIONS) requests itself; a listed',
    '// origin is echoed back exactly, any other origin gets no CORS headers.',
    'await fastify.register(cors, {',
    ...corsOptionLines(ctx, 'allowedOrigins', '  '),
    '});',
    '',
  ].join('\n');
  const notes: string[] = [];
  if (ctx.extraMethods.length > 0) {
    notes.push(
      `@fastify/cors allows only GET, HEAD and POST unless you pass methods (default 'GET,HEAD,POST'), so ${ctx.extraMethods.join(', ')} must be listed.`,
    );
  }
  if (ctx.plan.errorResponses) {
    notes.push(
      'The plugin sets the headers in an onRequest hook, so errors from your handlers keep them; hooks registered before it (auth, rate limits) that reply early do not. Register cors first.',
    );
  }
  return { code, notes };
}

export function koa(ctx: Ctx): { code: string; notes: string[] } {
  const lines = [
    `import cors from '@koa/cors';`,
    '',
    jsOriginList(ctx),
    '',
    "// Register before your routes. The function returns the caller's origin only when it is",
    '// listed; an empty string makes @koa/cors send no CORS headers at all.',
    'app.use(',
    '  cors({',
    "    origin: (ctx) => (allowedOrigins.includes(ctx.get('Origin')) ? ctx.get('Origin') : ''),",
  ];
  if (ctx.credentials) lines.push('    credentials: true,');
  lines.push(...optionalCredentials(ctx, '//', '    ', 'credentials: true,'));
  lines.push(`    allowMethods: ${jsList(ctx.methods)},`);
  if (ctx.headers.length > 0) lines.push(`    allowHeaders: ${jsList(ctx.headers)},`);
  if (ctx.plan.errorResponses) lines.push('    keepHeadersOnError: true,');
  lines.push('  }),', ');', '');
  const notes: string[] = [];
  if (ctx.credentials) {
    notes.push(
      "Always pass origin explicitly: @koa/cors before 5.0 reflected any request Origin by default (CVE-2023-49803), and 5.x turns origin '*' with credentials: true into reflection of any Origin.",
    );
  }
  if (ctx.plan.errorResponses) {
    notes.push(
      'keepHeadersOnError: true copies the CORS headers onto thrown errors (ctx.throw, uncaught exceptions), so the browser lets the page read the error status.',
    );
  }
  return { code: lines.join('\n'), notes };
}

export function nestjs(ctx: Ctx): { code: string; notes: string[] } {
  const code = [
    `import { NestFactory } from '@nestjs/core';`,
    `import { AppModule } from './app.module';`,
    '',
    jsOriginList(ctx),
    '',
    'async function bootstrap() {',
    '  const app = await NestFactory.create(AppModule);',
    '  // Before app.listen; the options are those of the cors (Express) or @fastify/cors package.',
    '  app.enableCors({',
    ...corsOptionLines(ctx, 'allowedOrigins', '    '),
    '  });',
    '  await app.listen(3000);',
    '}',
    'void bootstrap();',
    '',
  ].join('\n');
  const notes: string[] = [];
  if (ctx.plan.handlePreflight || ctx.plan.errorResponses) {
    notes.push(
      'Guards do not run for the preflight when enableCors answers it, but a global middleware registered before enableCors (auth, helmet setups that end the response) can still reject OPTIONS without the headers. Call enableCors first.',
    );
  }
  return { code, notes };
}

export function cloudflareWorkers(ctx: Ctx): { code: string; notes: string[] } {
  const preflight = [
    "    headers.set('Access-Control-Allow-Methods', ALLOW_METHODS);",
    ...(ctx.headers.length > 0 ? ["    headers.set('Access-Control-Allow-Headers', ALLOW_HEADERS);"] : []),
  ];
  const removals = ctx.remove
    .filter((r) => !CORS_HEADER_NAMES.includes(r.name.toLowerCase()))
    .map((r) => `  response.headers.delete(${sq(r.name)});`);
  const code = [
    jsOriginList(ctx, 'ALLOWED_ORIGINS'),
    `const ALLOW_METHODS = ${sq(ctx.methods.join(', '))};`,
    ...(ctx.headers.length > 0 ? [`const ALLOW_HEADERS = ${sq(ctx.headers.join(', '))};`] : []),
    '',
    '// CORS headers for one caller: only a listed origin is echoed back.',
    'function corsHeaders(origin) {',
    "  const headers = new Headers({ Vary: 'Origin' });",
    '  if (origin && ALLOWED_ORIGINS.includes(origin)) {',
    "    headers.set('Access-Control-Allow-Origin', origin);",
    ...(ctx.credentials ? ["    headers.set('Access-Control-Allow-Credentials', 'true');"] : []),
    ...optionalCredentials(ctx, '//', '    ', "headers.set('Access-Control-Allow-Credentials', 'true');"),
    '  }',
    '  return headers;',
    '}',
    '',
    'function withCors(response, origin) {',
    '  // Copy, because responses returned by fetch() have immutable headers.',
    '  response = new Response(response.body, response);',
    ...removals,
    '  for (const [name, value] of corsHeaders(origin)) {',
    "    if (name === 'vary') response.headers.append(name, value);",
    '    else response.headers.set(name, value);',
    '  }',
    '  return response;',
    '}',
    '',
    'export default {',
    '  async fetch(request) {',
    "    const origin = request.headers.get('Origin');",
    "    if (request.method === 'OPTIONS' && origin && request.headers.has('Access-Control-Request-Method')) {",
    '      // The preflight: answer it here, before any auth, with a 2xx.',
    '      const headers = corsHeaders(origin);',
    ...preflight.map((l) => `  ${l}`),
    '      return new Response(null, { status: 204, headers });',
    '    }',
    '    // Your existing handler (or fetch(request) to pass the call on to your origin server).',
    '    const response = await fetch(request);',
    '    return withCors(response, origin);',
    '  },',
    '};',
    '',
  ].join('\n');
  const notes: string[] = [];
  if (ctx.plan.errorResponses) {
    notes.push(
      'Wrap every response in withCors, including the ones your code builds for errors (401, 404, 500) and the catch block of a try/catch, so the page can read the error.',
    );
  }
  return { code, notes };
}
