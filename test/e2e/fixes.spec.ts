/**
 * Proof that the fix recipes work in the browser. For each mistake from the article: a server with
 * the broken configuration is refused by Chromium; the same server configured by the generated
 * recipe code is allowed; and a page on a third (foreign) origin is still refused.
 */
import { expect, test } from '@playwright/test';
import type { FixPlan } from '../../src/engine/types';
import { tool } from '../engine/fix/tools';
import { callFrom, chromePath, type CallInit } from './fixes/browser';
import {
  AUTHORIZATION,
  exact,
  json,
  LOCALHOST,
  NO_ACAC,
  OPTIONS_PUT,
  plan,
  prove as proveOn,
  recipe,
  useStage,
  WILDCARD,
  type Scenario,
} from './fixes/prove';
import {
  loadRecipe,
  startApache,
  startBackend,
  startCaddy,
  startExpress,
  startFastify,
  startNginx,
  type Running,
} from './fixes/servers';

test.skip(!chromePath(), 'Chromium not found (set CHROME_PATH)');

const stage = useStage();
const prove = (
  s: Scenario,
  corsError: string | RegExp,
  start: (fixed: boolean, p: FixPlan) => Promise<Running>,
): Promise<void> => proveOn(stage, s, corsError, start);

test.describe('Express (cors) recipe in Chromium', () => {
  const withRecipe = (p: FixPlan) => (app: unknown) => loadRecipe(recipe(p, 'express'), { app });

  test(WILDCARD.name, async () => {
    await prove(WILDCARD, exact('WildcardOriginNotAllowed'), async (fixed, p) => {
      const cors = (await import('cors')).default;
      return startExpress(
        fixed ? withRecipe(p) : (app) => void app.use(cors({ origin: '*', credentials: true })),
      );
    });
  });

  test(NO_ACAC.name, async () => {
    await prove(NO_ACAC, exact('InvalidAllowCredentials'), async (fixed, p) => {
      const cors = (await import('cors')).default;
      return startExpress(fixed ? withRecipe(p) : (app) => void app.use(cors({ origin: stage.page.origin })));
    });
  });

  test(OPTIONS_PUT.name, async () => {
    await prove(OPTIONS_PUT, exact('MethodDisallowedByPreflightResponse'), async (fixed, p) =>
      startExpress(
        fixed
          ? withRecipe(p)
          : (app) =>
              void app.use((_req, res, next) => {
                // The header set by hand on every response, but nothing answers the preflight.
                res.setHeader('Access-Control-Allow-Origin', stage.page.origin);
                next();
              }),
      ),
    );
  });

  test(AUTHORIZATION.name, async () => {
    await prove(AUTHORIZATION, exact('HeaderDisallowedByPreflightResponse'), async (fixed, p) => {
      const cors = (await import('cors')).default;
      return startExpress(
        fixed
          ? withRecipe(p)
          : (app) => void app.use(cors({ origin: stage.page.origin, allowedHeaders: ['Content-Type'] })),
      );
    });
  });

  test(LOCALHOST.name, async () => {
    await prove(LOCALHOST, exact('PreflightAllowOriginMismatch'), async (fixed, p) => {
      const cors = (await import('cors')).default;
      return startExpress(
        fixed
          ? withRecipe(p)
          : (app) => void app.use(cors({ origin: 'http://localhost:3000', credentials: true })),
      );
    });
  });

  test('error response behind auth (cors registered after the auth middleware)', async () => {
    const s: Scenario = {
      name: 'error response',
      plan: (o) => plan(o, { errorResponses: true }),
      path: '/api/data',
      init: {},
      status: 401,
    };
    const auth = (
      req: { headers: Record<string, unknown> },
      res: { status(n: number): { json(b: unknown): void } },
      next: () => void,
    ): void => (req.headers.authorization ? next() : res.status(401).json({ error: 'unauthorized' }));
    await prove(s, exact('MissingAllowOriginHeader'), async (fixed, p) => {
      const cors = (await import('cors')).default;
      return startExpress(async (app) => {
        if (fixed) {
          await loadRecipe(recipe(p, 'express'), { app });
          app.use(auth as never);
        } else {
          app.use(auth as never);
          app.use(cors({ origin: stage.page.origin }));
        }
      });
    });
  });
});

test.describe('Fastify (@fastify/cors) recipe in Chromium', () => {
  const withRecipe = (p: FixPlan) => (fastify: unknown) => loadRecipe(recipe(p, 'fastify'), { fastify });

  test(WILDCARD.name, async () => {
    await prove(WILDCARD, exact('WildcardOriginNotAllowed'), async (fixed, p) => {
      const cors = (await import('@fastify/cors')).default;
      return startFastify(
        fixed
          ? withRecipe(p)
          : async (f) => void (await f.register(cors, { origin: '*', credentials: true })),
      );
    });
  });

  test(NO_ACAC.name, async () => {
    await prove(NO_ACAC, exact('InvalidAllowCredentials'), async (fixed, p) => {
      const cors = (await import('@fastify/cors')).default;
      return startFastify(
        fixed ? withRecipe(p) : async (f) => void (await f.register(cors, { origin: stage.page.origin })),
      );
    });
  });

  test(OPTIONS_PUT.name, async () => {
    // Nothing answers OPTIONS: Fastify's 404 carries the hand-set header, but not a 2xx.
    await prove(OPTIONS_PUT, exact('PreflightInvalidStatus'), async (fixed, p) =>
      startFastify(
        fixed
          ? withRecipe(p)
          : (f) =>
              void f.addHook('onSend', async (_req, reply) => {
                reply.header('Access-Control-Allow-Origin', stage.page.origin);
              }),
      ),
    );
  });

  test(AUTHORIZATION.name, async () => {
    await prove(AUTHORIZATION, exact('HeaderDisallowedByPreflightResponse'), async (fixed, p) => {
      const cors = (await import('@fastify/cors')).default;
      return startFastify(
        fixed
          ? withRecipe(p)
          : async (f) =>
              void (await f.register(cors, { origin: stage.page.origin, allowedHeaders: ['Content-Type'] })),
      );
    });
  });

  test(LOCALHOST.name, async () => {
    await prove(LOCALHOST, exact('PreflightAllowOriginMismatch'), async (fixed, p) => {
      const cors = (await import('@fastify/cors')).default;
      return startFastify(
        fixed
          ? withRecipe(p)
          : async (f) =>
              void (await f.register(cors, { origin: 'http://localhost:3000', credentials: true })),
      );
    });
  });

  test('PUT with the default methods (GET,HEAD,POST)', async () => {
    await prove(OPTIONS_PUT, exact('MethodDisallowedByPreflightResponse'), async (fixed, p) => {
      const cors = (await import('@fastify/cors')).default;
      return startFastify(
        fixed ? withRecipe(p) : async (f) => void (await f.register(cors, { origin: stage.page.origin })),
      );
    });
  });
});

/** The broken nginx configurations, in the recipe's two-part shape so the same wrapper runs them. */
function brokenNginx(location: string[]): string {
  return [
    'map $http_origin $unused { default ""; }',
    '# 2. broken',
    'location /api/ {',
    ...location.map((l) => `    ${l}`),
    '    # ... your existing proxy_pass / root / try_files stays here ...',
    '}',
  ].join('\n');
}

test.describe('nginx recipe in Chromium', () => {
  test.skip(!tool('nginx'), 'nginx is not installed: nginx recipes are checked by structure only');

  async function proveNginx(
    s: Scenario,
    corsError: string | RegExp,
    broken: string[],
    opts: { backendAcao?: string } = {},
  ): Promise<void> {
    const backend = await startBackend(opts.backendAcao);
    try {
      await prove(s, corsError, (fixed, p) =>
        startNginx(
          fixed ? recipe(p, 'nginx') : brokenNginx(broken),
          `proxy_pass http://127.0.0.1:${backend.port};`,
        ),
      );
    } finally {
      await backend.close();
    }
  }

  test(WILDCARD.name, async () => {
    await proveNginx(WILDCARD, exact('WildcardOriginNotAllowed'), [
      'add_header Access-Control-Allow-Origin "*";',
      'add_header Access-Control-Allow-Credentials true;',
    ]);
  });

  test(OPTIONS_PUT.name, async () => {
    // The backend answers OPTIONS with 405, and add_header without "always" skips it.
    await proveNginx(OPTIONS_PUT, exact('PreflightMissingAllowOriginHeader'), [
      'add_header Access-Control-Allow-Origin $http_origin;',
    ]);
  });

  test(AUTHORIZATION.name, async () => {
    await proveNginx(AUTHORIZATION, exact('HeaderDisallowedByPreflightResponse'), [
      'if ($request_method = OPTIONS) {',
      '    add_header Access-Control-Allow-Origin $http_origin;',
      '    add_header Access-Control-Allow-Headers "Content-Type";',
      '    return 204;',
      '}',
      'add_header Access-Control-Allow-Origin $http_origin;',
    ]);
  });

  test(LOCALHOST.name, async () => {
    await proveNginx(LOCALHOST, exact('PreflightAllowOriginMismatch'), [
      'if ($request_method = OPTIONS) {',
      '    add_header Access-Control-Allow-Origin "http://localhost:3000" always;',
      '    add_header Access-Control-Allow-Credentials true always;',
      '    add_header Access-Control-Allow-Methods "GET, POST, DELETE" always;',
      '    return 204;',
      '}',
      'add_header Access-Control-Allow-Origin "http://localhost:3000" always;',
      'add_header Access-Control-Allow-Credentials true always;',
    ]);
  });

  test('error response: add_header without "always" drops the headers on a 500', async () => {
    const s: Scenario = {
      name: 'error response',
      plan: (o) => plan(o, { errorResponses: true, path: '/api/fail' }),
      path: '/api/fail',
      init: {},
      status: 500,
    };
    await proveNginx(s, exact('MissingAllowOriginHeader'), [
      'add_header Access-Control-Allow-Origin $http_origin;',
    ]);
  });

  test('duplicate Access-Control-Allow-Origin (the upstream sends "*" too)', async () => {
    const s: Scenario = {
      name: 'duplicate header',
      plan: (o) =>
        plan(o, {
          remove: [{ name: 'Access-Control-Allow-Origin', value: '*', why: 'The upstream app adds it too.' }],
        }),
      path: '/api/data',
      init: {},
      status: 200,
    };
    await proveNginx(
      s,
      exact('MultipleAllowOriginValues'),
      ['add_header Access-Control-Allow-Origin $http_origin always;'],
      { backendAcao: '*' },
    );
  });
});

test.describe('Apache httpd recipe in Chromium', () => {
  test.skip(!tool('apache2'), 'apache2 is not installed: Apache recipes are checked by structure only');

  test('credentialed DELETE with Authorization, and a 500 that stays readable', async () => {
    const backend = await startBackend();
    try {
      const p = plan(stage.page.origin, {
        credentials: true,
        methods: ['DELETE'],
        headers: ['authorization'],
        handlePreflight: true,
        errorResponses: true,
      });
      const server = await startApache(recipe(p, 'apache'), backend.port);
      try {
        const init: CallInit = {
          method: 'DELETE',
          credentials: 'include',
          headers: { Authorization: 'Bearer t' },
        };
        expect(
          await callFrom(stage.browser, stage.page.origin, `${server.origin}/api/data`, init),
        ).toMatchObject({
          allowed: true,
          status: 200,
        });
        expect(
          await callFrom(stage.browser, stage.page.origin, `${server.origin}/api/fail`, {}),
        ).toMatchObject({
          allowed: true,
          status: 500,
        });
        const stranger = await callFrom(
          stage.browser,
          stage.foreign.origin,
          `${server.origin}/api/data`,
          init,
        );
        expect(stranger.allowed).toBe(false);
        expect(stranger.corsError).toBeTruthy();
      } finally {
        await server.close();
      }
    } finally {
      await backend.close();
    }
  });
});

test.describe('Caddy recipe in Chromium', () => {
  test.skip(!tool('caddy'), 'caddy is not installed: Caddy recipes are checked by structure only');

  test('credentialed PUT with JSON and Authorization; upstream "*" replaced', async () => {
    const backend = await startBackend('*');
    try {
      const p = plan(stage.page.origin, {
        credentials: true,
        methods: ['PUT'],
        headers: ['authorization', 'content-type'],
        handlePreflight: true,
        remove: [{ name: 'Access-Control-Allow-Origin', value: '*', why: 'The upstream app adds it too.' }],
      });
      const server = await startCaddy(recipe(p, 'caddy'), backend.port);
      try {
        const init: CallInit = {
          method: 'PUT',
          credentials: 'include',
          headers: { ...json, Authorization: 'Bearer t' },
          body: '{}',
        };
        expect(
          await callFrom(stage.browser, stage.page.origin, `${server.origin}/api/data`, init),
        ).toMatchObject({
          allowed: true,
          status: 200,
        });
        const stranger = await callFrom(
          stage.browser,
          stage.foreign.origin,
          `${server.origin}/api/data`,
          init,
        );
        expect(stranger.allowed).toBe(false);
        expect(stranger.corsError).toBeTruthy();
      } finally {
        await server.close();
      }
    } finally {
      await backend.close();
    }
  });
});
