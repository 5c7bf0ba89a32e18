import { describe, expect, test } from 'vitest';
import { STACKS } from '../../src/engine/fix';
import { allRecipes, fixChoice } from '../../src/panel/selectors';
import { createStore, type StackMemory } from '../../src/panel/store';
import { allowed, blockedPreflight } from '../report/sample';

const API = 'http://127.0.0.1:8802';

describe('fixChoice', () => {
  test('every stack, the detected one shown when nothing is picked', () => {
    const choice = fixChoice(blockedPreflight(), {});
    expect(choice?.apiOrigin).toBe(API);
    expect(choice?.recipes.map((r) => r.stack).sort()).toEqual(STACKS.map((s) => s.id).sort());
    expect(choice?.picked).toBeUndefined();
    expect(choice?.top?.stack).toBe('nginx');
    expect(choice?.topLabel).toBe(STACKS.find((s) => s.id === 'nginx')?.label);
    expect(choice?.recipe?.stack).toBe('nginx');
  });

  test("the pick for the call's API origin wins over the evidence; another origin's does not", () => {
    expect(fixChoice(blockedPreflight(), { [API]: 'flask' })?.recipe?.stack).toBe('flask');
    expect(fixChoice(blockedPreflight(), { [API]: 'flask' })?.picked).toBe('flask');
    expect(fixChoice(blockedPreflight(), { 'https://other.example': 'flask' })?.recipe?.stack).toBe('nginx');
  });

  test('no fix, no choice; the recipes are built once per verdict', () => {
    expect(fixChoice(allowed(), {})).toBeNull();
    expect(allRecipes(allowed())).toEqual([]);
    const entry = blockedPreflight();
    expect(allRecipes(entry)).toBe(allRecipes(entry));
  });
});

describe('the store remembers picked stacks', () => {
  function memory(saved: Record<string, string>) {
    const calls: string[] = [];
    const m: StackMemory = {
      load: async (o) => {
        calls.push(`load ${o}`);
        return saved[o] ?? null;
      },
      save: async (o, s) => {
        calls.push(`save ${o} ${s}`);
        saved[o] = s;
      },
    };
    return { m, calls };
  }

  test("selecting a call recalls its API origin's stack; a pick is saved", async () => {
    const { m, calls } = memory({ [API]: 'django' });
    const store = createStore(7, m);
    const entry = blockedPreflight();
    store.dispatch({
      type: 'report-opened',
      report: { name: 'r.json', entries: [entry], generatedAt: null, redacted: true },
    });
    expect(calls).toEqual([]);
    store.selectedId.value = entry.exchange.id;
    await expect.poll(() => store.stacks.value).toEqual({ [API]: 'django' });
    store.pickStack(API, 'flask');
    expect(store.stacks.value).toEqual({ [API]: 'flask' });
    expect(calls).toEqual([`load ${API}`, `save ${API} flask`]);
  });
});
