/**
 * Proof in Chromium of the fix recipes for Koa, NestJS, Flask, Django, FastAPI and Go (rs/cors), in
 * the style of fixes.spec.ts: for each mistake from the article, the same stack with the broken
 * configuration is refused by Chrome (CDP corsErrorStatus), the server configured by the generated
 * recipe code is allowed, and a page on a foreign loopback origin is still refused.
 *
 * The broken configurations are what developers of each stack really write; where the library
 * itself cannot produce a mistake (django-cors-headers, Flask-CORS and @koa/cors never send "*"
 * with credentials), a hand-written middleware in that stack does. The CORS error differs between
 * stacks for the same mistake (a library that only echoes listed origins omits the header instead
 * of sending the wrong one): each test pins the error Chrome reports for that stack.
 */
import { expect, test } from '@playwright/test';
import cors from '@koa/cors';
import { callFrom, chromePath, type CallInit } from './fixes/browser';
import {
  AUTHORIZATION,
  exact,
  json,
  LOCALHOST,
  NO_ACAC,
  OPTIONS_PUT,
  plan,
  prove,
  recipe,
  useStage,
  WILDCARD,
  type Scenario,
} from './fixes/prove';
import { loadRecipe, type Running } from './fixes/servers';
import {
  fastapiApp,
  flaskApp,
  missingGo,
  missingNest,
  missingPython,
  startDjango,
  startFastApi,
  startFlask,
  startGo,
  startKoa,
  startNest,
} from './fixes/stacks';

test.skip(!chromePath(), 'Chromium not found (set CHROME_PATH)');

const stage = useStage();
/** The page origin, as a literal for generated broken code in any language (JSON is valid in all). */
const PAGE = (): string => JSON.stringify(stage.page.origin);

/** Everything at once: a credentialed PUT with JSON, Authorization and a custom header, and errors. */
const FULL: Scenario = {
  name: 'credentialed PUT with JSON, Authorization and X-Request-Id; a 500 stays readable',
  plan: (o) =>
    plan(o, {
      credentials: true,
      methods: ['PUT'],
      headers: ['authorization', 'content-type', 'x-request-id'],
      handlePreflight: true,
      errorResponses: true,
      alsoAllow: ['http://localhost:3000'],
    }),
  path: '/api/data',
  init: {
    method: 'PUT',
    credentials: 'include',
    headers: { ...json, Authorization: 'Bearer t', 'X-Request-Id': '42' },
    body: '{"a":1}',
  },
  status: 200,
};

/** The server running `stack`'s recipe for {@link FULL}: all of it allowed, a foreign origin not. */
async function proveFull(stack: string, start: (code: string) => Promise<Running>): Promise<void> {
  const { browser, page, foreign } = stage;
  const server = await start(recipe(FULL.plan(page.origin), stack));
  try {
    const call = (origin: string, path: string, init: CallInit) =>
      callFrom(browser, origin, server.origin + path, init);
    expect(await call(page.origin, '/api/data', FULL.init)).toMatchObject({ allowed: true, status: 200 });
    expect(await call(page.origin, '/api/fail', { credentials: 'include' })).toMatchObject({
      allowed: true,
      status: 500,
    });
    const stranger = await call(foreign.origin, '/api/data', FULL.init);
    expect(stranger.allowed).toBe(false);
    expect(stranger.corsError).toBeTruthy();
  } finally {
    await server.close();
  }
}

test.describe('Koa (@koa/cors) recipe in Chromium', () => {
  const withRecipe = (code: string) => (app: unknown) => loadRecipe(code, { app });

  test(WILDCARD.name, async () => {
    // @koa/cors turns "*" with credentials into reflection; the mistake is the hand-set pair.
    await prove(stage, WILDCARD, exact('WildcardOriginNotAllowed'), (fixed, p) =>
      startKoa(
        fixed
          ? withRecipe(recipe(p, 'koa'))
          : (app) =>
              void app.use(async (ctx, next) => {
                ctx.set('Access-Control-Allow-Origin', '*');
                ctx.set('Access-Control-Allow-Credentials', 'true');
                await next();
              }),
      ),
    );
  });

  test(NO_ACAC.name, async () => {
    await prove(stage, NO_ACAC, exact('InvalidAllowCredentials'), (fixed, p) =>
      startKoa(
        fixed ? withRecipe(recipe(p, 'koa')) : (app) => void app.use(cors({ origin: stage.page.origin })),
      ),
    );
  });

  test(OPTIONS_PUT.name, async () => {
    // The header set by hand on every response; OPTIONS falls through to Koa's 404.
    await prove(stage, OPTIONS_PUT, exact('PreflightInvalidStatus'), (fixed, p) =>
      startKoa(
        fixed
          ? withRecipe(recipe(p, 'koa'))
          : (app) =>
              void app.use(async (ctx, next) => {
                ctx.set('Access-Control-Allow-Origin', stage.page.origin);
                await next();
              }),
      ),
    );
  });

  test(AUTHORIZATION.name, async () => {
    await prove(stage, AUTHORIZATION, exact('HeaderDisallowedByPreflightResponse'), (fixed, p) =>
      startKoa(
        fixed
          ? withRecipe(recipe(p, 'koa'))
          : (app) => void app.use(cors({ origin: stage.page.origin, allowHeaders: ['Content-Type'] })),
      ),
    );
  });

  test(LOCALHOST.name, async () => {
    await prove(stage, LOCALHOST, exact('PreflightAllowOriginMismatch'), (fixed, p) =>
      startKoa(
        fixed
          ? withRecipe(recipe(p, 'koa'))
          : (app) => void app.use(cors({ origin: 'http://localhost:3000', credentials: true })),
      ),
    );
  });

  test(FULL.name, async () => {
    await proveFull('koa', (code) => startKoa(withRecipe(code)));
  });

  test('error response: keepHeadersOnError: false drops the headers from a thrown error', async () => {
    const s: Scenario = {
      name: 'error response',
      plan: (o) => plan(o, { errorResponses: true, path: '/api/fail' }),
      path: '/api/fail',
      init: {},
      status: 500,
    };
    await prove(stage, s, exact('MissingAllowOriginHeader'), (fixed, p) =>
      startKoa(
        fixed
          ? withRecipe(recipe(p, 'koa'))
          : (app) => void app.use(cors({ origin: stage.page.origin, keepHeadersOnError: false })),
      ),
    );
  });
});

test.describe('NestJS (app.enableCors) recipe in Chromium', () => {
  test.skip(!!missingNest(), missingNest() ?? '');

  /** A main.ts of the recipe's shape with `setup` in place of its enableCors call. */
  const brokenMain = (setup: string): string =>
    [
      `import { NestFactory } from '@nestjs/core';`,
      `import { AppModule } from './app.module';`,
      '',
      'async function bootstrap() {',
      '  const app = await NestFactory.create(AppModule, { logger: false });',
      `  ${setup}`,
      '  await app.listen(3000);',
      '}',
      'void bootstrap();',
      '',
    ].join('\n');

  test(WILDCARD.name, async () => {
    await prove(stage, WILDCARD, exact('WildcardOriginNotAllowed'), (fixed, p) =>
      startNest(
        fixed ? recipe(p, 'nestjs') : brokenMain(`app.enableCors({ origin: '*', credentials: true });`),
      ),
    );
  });

  test(NO_ACAC.name, async () => {
    await prove(stage, NO_ACAC, exact('InvalidAllowCredentials'), (fixed, p) =>
      startNest(fixed ? recipe(p, 'nestjs') : brokenMain(`app.enableCors({ origin: ${PAGE()} });`)),
    );
  });

  test(OPTIONS_PUT.name, async () => {
    // The header set by hand in a middleware; nothing answers OPTIONS (Nest's 404).
    await prove(stage, OPTIONS_PUT, exact('PreflightInvalidStatus'), (fixed, p) =>
      startNest(
        fixed
          ? recipe(p, 'nestjs')
          : brokenMain(
              `app.use((_req, res, next) => { res.setHeader('Access-Control-Allow-Origin', ${PAGE()}); next(); });`,
            ),
      ),
    );
  });

  test(AUTHORIZATION.name, async () => {
    await prove(stage, AUTHORIZATION, exact('HeaderDisallowedByPreflightResponse'), (fixed, p) =>
      startNest(
        fixed
          ? recipe(p, 'nestjs')
          : brokenMain(`app.enableCors({ origin: ${PAGE()}, allowedHeaders: ['Content-Type'] });`),
      ),
    );
  });

  test(LOCALHOST.name, async () => {
    await prove(stage, LOCALHOST, exact('PreflightAllowOriginMismatch'), (fixed, p) =>
      startNest(
        fixed
          ? recipe(p, 'nestjs')
          : brokenMain(`app.enableCors({ origin: 'http://localhost:3000', credentials: true });`),
      ),
    );
  });

  test(FULL.name, async () => {
    await proveFull('nestjs', startNest);
  });
});

test.describe('Flask (Flask-CORS) recipe in Chromium', () => {
  test.skip(!!missingPython('flask'), missingPython('flask') ?? '');

  /** Headers set by hand in an after_request hook (Flask answers OPTIONS itself with 200). */
  const byHand = (headers: Record<string, string>): string =>
    [
      '@app.after_request',
      'def add_cors_headers(response):',
      ...Object.entries(headers).map(
        ([k, v]) => `    response.headers[${JSON.stringify(k)}] = ${JSON.stringify(v)}`,
      ),
      '    return response',
    ].join('\n');
  const flaskCors = (args: string): string => flaskApp(`from flask_cors import CORS\n\nCORS(app, ${args})`);

  test(WILDCARD.name, async () => {
    // Flask-CORS refuses origins="*" with supports_credentials and send_wildcard; by hand it is not.
    await prove(stage, WILDCARD, exact('WildcardOriginNotAllowed'), (fixed, p) =>
      startFlask(
        fixed
          ? recipe(p, 'flask')
          : flaskApp(
              byHand({ 'Access-Control-Allow-Origin': '*', 'Access-Control-Allow-Credentials': 'true' }),
            ),
      ),
    );
  });

  test(NO_ACAC.name, async () => {
    await prove(stage, NO_ACAC, exact('InvalidAllowCredentials'), (fixed, p) =>
      startFlask(fixed ? recipe(p, 'flask') : flaskCors(`origins=[${PAGE()}]`)),
    );
  });

  test(OPTIONS_PUT.name, async () => {
    await prove(stage, OPTIONS_PUT, exact('MethodDisallowedByPreflightResponse'), (fixed, p) =>
      startFlask(
        fixed ? recipe(p, 'flask') : flaskApp(byHand({ 'Access-Control-Allow-Origin': stage.page.origin })),
      ),
    );
  });

  test(AUTHORIZATION.name, async () => {
    await prove(stage, AUTHORIZATION, exact('HeaderDisallowedByPreflightResponse'), (fixed, p) =>
      startFlask(
        fixed ? recipe(p, 'flask') : flaskCors(`origins=[${PAGE()}], allow_headers=["Content-Type"]`),
      ),
    );
  });

  test(LOCALHOST.name, async () => {
    // Flask-CORS only echoes listed origins: the page's origin gets no header at all.
    await prove(stage, LOCALHOST, exact('PreflightMissingAllowOriginHeader'), (fixed, p) =>
      startFlask(
        fixed
          ? recipe(p, 'flask')
          : flaskCors(
              `origins=["http://localhost:3000"], supports_credentials=True, methods=["GET", "POST", "DELETE"]`,
            ),
      ),
    );
  });

  test(FULL.name, async () => {
    await proveFull('flask', startFlask);
  });
});

test.describe('Django (django-cors-headers) recipe in Chromium', () => {
  test.skip(!!missingPython('django'), missingPython('django') ?? '');

  const corsheaders = (settings: string[]): string =>
    [
      'INSTALLED_APPS = ["corsheaders"]',
      'MIDDLEWARE = [',
      '    "corsheaders.middleware.CorsMiddleware",',
      '    "django.middleware.common.CommonMiddleware",',
      ']',
      ...settings,
      '',
    ].join('\n');
  /** A hand-written middleware setting `headers` on every response (the view answers OPTIONS 405). */
  const byHand = (headers: Record<string, string>): [string, Record<string, string>] => [
    'MIDDLEWARE = ["proof_middleware.cors", "django.middleware.common.CommonMiddleware"]\n',
    {
      'proof_middleware.py': [
        'def cors(get_response):',
        '    def middleware(request):',
        '        response = get_response(request)',
        ...Object.entries(headers).map(
          ([k, v]) => `        response[${JSON.stringify(k)}] = ${JSON.stringify(v)}`,
        ),
        '        return response',
        '',
        '    return middleware',
        '',
      ].join('\n'),
    },
  ];

  test(WILDCARD.name, async () => {
    // django-cors-headers echoes the origin when CORS_ALLOW_ALL_ORIGINS meets credentials.
    await prove(stage, WILDCARD, exact('WildcardOriginNotAllowed'), (fixed, p) =>
      fixed
        ? startDjango(recipe(p, 'django'))
        : startDjango(
            ...byHand({ 'Access-Control-Allow-Origin': '*', 'Access-Control-Allow-Credentials': 'true' }),
          ),
    );
  });

  test(NO_ACAC.name, async () => {
    await prove(stage, NO_ACAC, exact('InvalidAllowCredentials'), (fixed, p) =>
      startDjango(fixed ? recipe(p, 'django') : corsheaders([`CORS_ALLOWED_ORIGINS = [${PAGE()}]`])),
    );
  });

  test(OPTIONS_PUT.name, async () => {
    await prove(stage, OPTIONS_PUT, exact('PreflightInvalidStatus'), (fixed, p) =>
      fixed
        ? startDjango(recipe(p, 'django'))
        : startDjango(...byHand({ 'Access-Control-Allow-Origin': stage.page.origin })),
    );
  });

  test(AUTHORIZATION.name, async () => {
    await prove(stage, AUTHORIZATION, exact('HeaderDisallowedByPreflightResponse'), (fixed, p) =>
      startDjango(
        fixed
          ? recipe(p, 'django')
          : corsheaders([`CORS_ALLOWED_ORIGINS = [${PAGE()}]`, 'CORS_ALLOW_HEADERS = ["content-type"]']),
      ),
    );
  });

  test(LOCALHOST.name, async () => {
    // django-cors-headers only echoes listed origins: the page's origin gets no header at all.
    await prove(stage, LOCALHOST, exact('PreflightMissingAllowOriginHeader'), (fixed, p) =>
      startDjango(
        fixed
          ? recipe(p, 'django')
          : corsheaders([
              'CORS_ALLOWED_ORIGINS = ["http://localhost:3000"]',
              'CORS_ALLOW_CREDENTIALS = True',
            ]),
      ),
    );
  });

  test(FULL.name, async () => {
    // X-Request-Id is not among django-cors-headers' default headers: the recipe extends them.
    await proveFull('django', (code) => startDjango(code));
  });
});

test.describe('FastAPI (CORSMiddleware) recipe in Chromium', () => {
  test.skip(!!missingPython('fastapi'), missingPython('fastapi') ?? '');

  const middleware = (args: string): string =>
    fastapiApp(`app.add_middleware(\n    CORSMiddleware,\n    ${args},\n)`);

  test(WILDCARD.name, async () => {
    // Without a Cookie header Starlette sends "*" next to Allow-Credentials: true.
    await prove(stage, WILDCARD, exact('WildcardOriginNotAllowed'), (fixed, p) =>
      startFastApi(fixed ? recipe(p, 'fastapi') : middleware('allow_origins=["*"], allow_credentials=True')),
    );
  });

  test(NO_ACAC.name, async () => {
    await prove(stage, NO_ACAC, exact('InvalidAllowCredentials'), (fixed, p) =>
      startFastApi(fixed ? recipe(p, 'fastapi') : middleware(`allow_origins=[${PAGE()}]`)),
    );
  });

  test(OPTIONS_PUT.name, async () => {
    // allow_methods defaults to ["GET"]: the preflight gets 400 "Disallowed CORS method".
    await prove(stage, OPTIONS_PUT, exact('PreflightInvalidStatus'), (fixed, p) =>
      startFastApi(fixed ? recipe(p, 'fastapi') : middleware(`allow_origins=[${PAGE()}]`)),
    );
  });

  test(AUTHORIZATION.name, async () => {
    await prove(stage, AUTHORIZATION, exact('PreflightInvalidStatus'), (fixed, p) =>
      startFastApi(
        fixed
          ? recipe(p, 'fastapi')
          : middleware(`allow_origins=[${PAGE()}], allow_headers=["Content-Type"]`),
      ),
    );
  });

  test(LOCALHOST.name, async () => {
    // The preflight gets 400 "Disallowed CORS origin" without Access-Control-Allow-Origin.
    await prove(stage, LOCALHOST, exact('PreflightMissingAllowOriginHeader'), (fixed, p) =>
      startFastApi(
        fixed
          ? recipe(p, 'fastapi')
          : middleware(
              'allow_origins=["http://localhost:3000"], allow_credentials=True, allow_methods=["*"]',
            ),
      ),
    );
  });

  test(FULL.name, async () => {
    await proveFull('fastapi', startFastApi);
  });
});

test.describe('Go (rs/cors) recipe in Chromium', () => {
  test.skip(!!missingGo(), missingGo() ?? '');
  // The first build compiles net/http and rs/cors into the shared cache.
  test.describe.configure({ timeout: 240_000 });

  /** A program of the recipe's shape with broken cors.Options fields. */
  const brokenGo = (fields: string[]): string =>
    [
      'package main',
      '',
      'import (',
      '\t"log"',
      '\t"net/http"',
      '',
      '\t"github.com/rs/cors"',
      ')',
      '',
      'func main() {',
      '\tmux := http.NewServeMux()',
      '\t// ... your handlers: mux.HandleFunc(...) ...',
      '',
      '\tc := cors.New(cors.Options{',
      ...fields.map((f) => `\t\t${f},`),
      '\t})',
      '\tlog.Fatal(http.ListenAndServe(":8080", c.Handler(mux)))',
      '}',
      '',
    ].join('\n');

  test(WILDCARD.name, async () => {
    await prove(stage, WILDCARD, exact('WildcardOriginNotAllowed'), (fixed, p) =>
      startGo(
        fixed ? recipe(p, 'go') : brokenGo(['AllowedOrigins: []string{"*"}', 'AllowCredentials: true']),
      ),
    );
  });

  test(NO_ACAC.name, async () => {
    await prove(stage, NO_ACAC, exact('InvalidAllowCredentials'), (fixed, p) =>
      startGo(fixed ? recipe(p, 'go') : brokenGo([`AllowedOrigins: []string{${PAGE()}}`])),
    );
  });

  test(OPTIONS_PUT.name, async () => {
    // rs/cors allows only GET, POST and HEAD by default and answers other preflights without headers.
    await prove(stage, OPTIONS_PUT, exact('PreflightMissingAllowOriginHeader'), (fixed, p) =>
      startGo(fixed ? recipe(p, 'go') : brokenGo([`AllowedOrigins: []string{${PAGE()}}`])),
    );
  });

  test(AUTHORIZATION.name, async () => {
    await prove(stage, AUTHORIZATION, exact('PreflightMissingAllowOriginHeader'), (fixed, p) =>
      startGo(
        fixed
          ? recipe(p, 'go')
          : brokenGo([`AllowedOrigins: []string{${PAGE()}}`, 'AllowedHeaders: []string{"Content-Type"}']),
      ),
    );
  });

  test(LOCALHOST.name, async () => {
    await prove(stage, LOCALHOST, exact('PreflightMissingAllowOriginHeader'), (fixed, p) =>
      startGo(
        fixed
          ? recipe(p, 'go')
          : brokenGo([
              'AllowedOrigins: []string{"http://localhost:3000"}',
              'AllowCredentials: true',
              'AllowedMethods: []string{"GET", "POST", "DELETE"}',
            ]),
      ),
    );
  });

  test(FULL.name, async () => {
    await proveFull('go', startGo);
  });
});
