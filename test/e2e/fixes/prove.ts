/**
 * The shared shape of every browser proof of a fix recipe: the article's mistakes as scenarios, and
 * {@link prove}: the broken server is refused by Chromium with the expected CORS error, the server
 * configured by the generated recipe is allowed, and a page on a foreign origin is still refused.
 * Used by test/e2e/fixes.spec.ts and test/e2e/fixes-stacks.spec.ts.
 */
import { expect, test } from '@playwright/test';
import type { Browser } from 'playwright-core';
import { recipesFor } from '../../../src/engine/fix';
import type { FixPlan } from '../../../src/engine/types';
import { callFrom, launch, type CallInit, type Outcome } from './browser';
import { startPage, type Running } from './servers';

/** The browser, the page origin that calls the API, and a foreign origin that must stay refused. */
export interface Stage {
  browser: Browser;
  page: Running;
  foreign: Running;
}

/** Registers beforeAll/afterAll for one spec file; the fields are set once beforeAll has run. */
export function useStage(): Stage {
  const stage = {} as Stage;
  test.beforeAll(async () => {
    stage.browser = await launch();
    stage.page = await startPage();
    stage.foreign = await startPage();
  });
  test.afterAll(async () => {
    await stage.browser?.close();
    await stage.page?.close();
    await stage.foreign?.close();
  });
  return stage;
}

/** The generated code of `stack`'s recipe for `plan` (the picked stack comes first). */
export function recipe(plan: FixPlan, stack: string): string {
  const r = recipesFor(plan, { stack })[0]!;
  expect(r.stack).toBe(stack);
  return r.code;
}

export interface Scenario {
  name: string;
  /** The plan the engine would make for this failure, for the given page origin. */
  plan: (origin: string) => FixPlan;
  path: string;
  init: CallInit;
  /** What the page reads once fixed (an error status stays an error, but readable). */
  status: number;
}

export const plan = (origin: string, p: Partial<FixPlan>): FixPlan => ({
  origin,
  credentials: false,
  methods: [],
  headers: [],
  handlePreflight: false,
  errorResponses: false,
  path: '/api/data',
  apiOrigin: 'http://127.0.0.1:1',
  ...p,
});

export const json = { 'Content-Type': 'application/json' };

export const WILDCARD: Scenario = {
  name: 'wildcard with credentials',
  plan: (o) => plan(o, { credentials: true }),
  path: '/api/data',
  init: { credentials: 'include' },
  status: 200,
};
export const NO_ACAC: Scenario = { ...WILDCARD, name: 'missing Access-Control-Allow-Credentials' };
export const OPTIONS_PUT: Scenario = {
  name: 'unhandled OPTIONS (PUT with a JSON body)',
  plan: (o) => plan(o, { methods: ['PUT'], headers: ['content-type'], handlePreflight: true }),
  path: '/api/data',
  init: { method: 'PUT', headers: json, body: '{"a":1}' },
  status: 200,
};
export const AUTHORIZATION: Scenario = {
  name: 'Authorization header not allowed',
  plan: (o) => plan(o, { headers: ['authorization'], handlePreflight: true }),
  path: '/api/data',
  init: { headers: { Authorization: 'Bearer token' } },
  status: 200,
};
export const LOCALHOST: Scenario = {
  name: 'origin hard-coded to http://localhost:3000',
  plan: (o) => plan(o, { credentials: true, methods: ['DELETE'], alsoAllow: ['http://localhost:3000'] }),
  path: '/api/data',
  init: { method: 'DELETE', credentials: 'include' },
  status: 200,
};

/** Broken is refused with `corsError`; fixed is allowed; a foreign origin is still refused. */
export async function prove(
  stage: Stage,
  s: Scenario,
  corsError: string | RegExp,
  start: (fixed: boolean, p: FixPlan) => Promise<Running>,
): Promise<void> {
  const { browser, page, foreign } = stage;
  const p = s.plan(page.origin);
  const broken = await start(false, p);
  let before: Outcome;
  try {
    before = await callFrom(browser, page.origin, broken.origin + s.path, s.init);
  } finally {
    await broken.close();
  }
  expect(before.allowed, `${s.name}: the broken server must be refused`).toBe(false);
  test.info().annotations.push({ type: 'broken', description: `${s.name}: ${before.corsError}` });
  expect(before.corsError).toMatch(corsError);

  const fixed = await start(true, p);
  try {
    const after = await callFrom(browser, page.origin, fixed.origin + s.path, s.init);
    expect(after, `${s.name}: Chrome must allow the call once the recipe is applied`).toMatchObject({
      allowed: true,
      status: s.status,
    });
    const stranger = await callFrom(browser, foreign.origin, fixed.origin + s.path, s.init);
    expect(stranger.allowed, `${s.name}: a foreign origin must still be refused`).toBe(false);
    expect(stranger.corsError).toBeTruthy();
  } finally {
    await fixed.close();
  }
}

export const exact = (s: string): RegExp => new RegExp(`^${s}$`);
