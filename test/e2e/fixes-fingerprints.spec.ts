/**
 * The behavioural stack fingerprints (src/engine/fix/detect.ts) against the real libraries: each stack
 * that runs here is configured by its own generated recipe to allow one origin, then asked the
 * questions a browser asks (a preflight from a refused origin, a preflight with a header it does not
 * allow, a preflight it allows). With every self-naming header removed (Server, X-Powered-By), the
 * responses alone must point at that stack, and the evidence must quote what it answered.
 *
 * The requests go over plain HTTP/1.1 from Node: the status and header lines (names as sent) are what
 * webRequest reports for the same exchange.
 */
import { expect, test } from '@playwright/test';
import http from 'node:http';
import { detectStacks, recipesFor, type ResponseSignal } from '../../src/engine/fix';
import type { FixPlan } from '../../src/engine/types';
import { loadRecipe, startExpress, startFastify, type Running } from './fixes/servers';
import {
  missingGo,
  missingPython,
  startDjango,
  startFastApi,
  startFlask,
  startGo,
  startKoa,
} from './fixes/stacks';

const ALLOWED = 'http://127.0.0.1:5999';
const REFUSED = 'http://127.0.0.1:5998';

const plan: FixPlan = {
  origin: ALLOWED,
  credentials: false,
  methods: ['PUT'],
  headers: ['x-test'],
  handlePreflight: true,
  errorResponses: false,
  path: '/api/data',
  apiOrigin: 'http://127.0.0.1:1',
};
const code = (stack: string): string => recipesFor(plan, { stack })[0]!.code;

/** What a stack says about itself: removed, so that only behaviour is left. */
const SELF_NAMING = new Set(['server', 'x-powered-by']);

function preflight(origin: string, server: string, headers: Record<string, string>): Promise<ResponseSignal> {
  return new Promise((resolve, reject) => {
    const u = new URL(`${server}/api/data`);
    const req = http.request(
      {
        host: u.hostname,
        port: u.port,
        path: u.pathname,
        method: 'OPTIONS',
        headers: { Origin: origin, ...headers },
      },
      (res) => {
        res.resume();
        res.on('end', () => {
          const lines: { name: string; value: string }[] = [];
          for (let i = 0; i < res.rawHeaders.length; i += 2) {
            const name = res.rawHeaders[i] as string;
            if (!SELF_NAMING.has(name.toLowerCase()))
              lines.push({ name, value: res.rawHeaders[i + 1] as string });
          }
          resolve({ statusCode: res.statusCode ?? 0, headers: lines });
        });
      },
    );
    req.on('error', reject);
    req.end();
  });
}

const stacks: { stack: string; missing?: () => string | undefined; start: () => Promise<Running> }[] = [
  { stack: 'express', start: () => startExpress((app) => loadRecipe(code('express'), { app })) },
  { stack: 'fastify', start: () => startFastify((fastify) => loadRecipe(code('fastify'), { fastify })) },
  { stack: 'koa', start: () => startKoa((app) => loadRecipe(code('koa'), { app })) },
  { stack: 'flask', missing: () => missingPython('flask'), start: () => startFlask(code('flask')) },
  { stack: 'django', missing: () => missingPython('django'), start: () => startDjango(code('django')) },
  { stack: 'fastapi', missing: () => missingPython('fastapi'), start: () => startFastApi(code('fastapi')) },
  { stack: 'go', missing: missingGo, start: () => startGo(code('go')) },
];

for (const { stack, missing, start } of stacks) {
  test(`${stack}: its CORS layer's answers point at it without Server or X-Powered-By`, async () => {
    const why = missing?.();
    test.skip(why !== undefined, why);
    test.setTimeout(120_000);
    const server = await start();
    try {
      const answers = [
        await preflight(REFUSED, server.origin, { 'Access-Control-Request-Method': 'PUT' }),
        await preflight(ALLOWED, server.origin, {
          'Access-Control-Request-Method': 'PUT',
          'Access-Control-Request-Headers': 'x-nope',
        }),
        await preflight(ALLOWED, server.origin, {
          'Access-Control-Request-Method': 'PUT',
          'Access-Control-Request-Headers': 'x-test',
        }),
      ];
      const guesses = detectStacks(answers);
      expect(guesses[0]?.stack, JSON.stringify({ guesses, answers })).toBe(stack);
      // The evidence quotes a header line or the status it answered with.
      const quoted = answers.some(
        (a) =>
          a.headers.some((l) => guesses[0]!.evidence.includes(`${l.name}: ${l.value}`)) ||
          guesses[0]!.evidence.startsWith(`${a.statusCode} `),
      );
      expect(quoted, guesses[0]!.evidence).toBe(true);
    } finally {
      await server.close();
    }
  });
}
