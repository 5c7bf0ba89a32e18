import { describe, expect, it } from 'vitest';
import { STACKS, preferredStack, recipesFor } from '../../../src/engine/fix';
import type { FixPlan } from '../../../src/engine/types';

const plan: FixPlan = {
  origin: 'https://app.example.com',
  credentials: true,
  methods: ['PUT'],
  headers: ['authorization', 'content-type'],
  handlePreflight: true,
  errorResponses: false,
  path: '/api/items/1',
  apiOrigin: 'https://api.example.com',
};

describe('recipesFor', () => {
  it('returns one recipe per supported stack, each filled with the plan', () => {
    const recipes = recipesFor(plan);
    expect(recipes.map((r) => r.stack).sort()).toEqual(STACKS.map((s) => s.id).sort());
    for (const r of recipes) {
      expect(r.code, r.stack).toContain('https://app.example.com');
      expect(r.label).toBe(STACKS.find((s) => s.id === r.stack)!.label);
    }
  });

  it('puts the picked stack first, then the detected one, then the fixed order', () => {
    const headers = [[{ name: 'Server', value: 'nginx/1.22.1' }]];
    expect(recipesFor(plan, { responseHeaders: headers })[0]!.stack).toBe('nginx');
    const picked = recipesFor(plan, { stack: 'django', responseHeaders: headers }).map((r) => r.stack);
    expect(picked.slice(0, 3)).toEqual(['django', 'nginx', 'express']);
    expect(recipesFor(plan, { stack: 'no-such-stack' })[0]!.stack).toBe('express');
  });
});

describe('recipesFor on many calls', () => {
  const nginx = (p: FixPlan) => recipesFor(p).find((r) => r.stack === 'nginx')!;

  it('shares the recipes of plans that differ only in the path, within one scope', () => {
    const a = nginx({ ...plan, path: '/api/items/1' });
    const b = nginx({ ...plan, path: '/api/items/2?page=3' });
    expect(b).toBe(a);
    expect(a.code).toContain('location /api/ {');
  });

  it('builds the recipes again for another scope or any other change to the plan', () => {
    const api = nginx({ ...plan, path: '/api/items/1' });
    const other = nginx({ ...plan, path: '/v2/items/1' });
    expect(other.code).toContain('location /v2/ {');
    expect(other.code).not.toBe(api.code);
    const anyOrigin = nginx({ ...plan, path: '/api/items/1', origin: 'https://other.example' });
    expect(anyOrigin.code).toContain('https://other.example');
    const noCredentials = nginx({ ...plan, path: '/api/items/1', credentials: false });
    expect(noCredentials.code).not.toBe(api.code);
  });

  it('gives the same recipes once the plans it kept are forgotten', () => {
    const first = recipesFor({ ...plan, path: '/api/items/1' });
    for (let i = 0; i < 100; i++) recipesFor({ ...plan, path: `/s${i}/items/1` });
    const again = recipesFor({ ...plan, path: '/api/items/1' });
    expect(again[0]).not.toBe(first[0]);
    expect(again).toEqual(first);
  });

  it('hands out frozen recipes, so that no verdict can change another one', () => {
    const [r] = recipesFor(plan);
    expect(Object.isFrozen(r)).toBe(true);
    expect(() => r!.notes.push('changed')).toThrow(TypeError);
  });
});

describe('preferredStack', () => {
  it('returns the stored pick for that API origin only when it is a known stack', () => {
    const prefs = { 'https://api.example.com': 'flask', 'https://b.example': 'cobol' };
    expect(preferredStack('https://api.example.com', prefs)).toBe('flask');
    expect(preferredStack('https://b.example', prefs)).toBeUndefined();
    expect(preferredStack('https://c.example', prefs)).toBeUndefined();
    expect(preferredStack('constructor', prefs)).toBeUndefined();
  });
});
