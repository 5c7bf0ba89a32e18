/**
 * Selectors: the panel's derived data, as pure functions of what the store holds (an entry, the
 * picked stacks). Components call them and render the result; they hold no engine calls of their own.
 */
import {
  detectStacks,
  type Fix,
  type Recipe,
  recipesFor,
  responseHeadersOf,
  type StackEvidence,
} from '../engine';
import type { LogEntry } from '../shared/protocol';
import { apiOriginOf } from './api-origin';

/** What the Fix section shows about the server stack and its code. */
export interface FixChoice {
  fix: Fix;
  /** The API origin the picked stack is remembered under. */
  apiOrigin: string;
  /** Every supported stack's recipe: the verdict's own first, then the others from the plan. */
  recipes: Recipe[];
  /** The stack the user picked for this API origin, if any. */
  picked: string | undefined;
  /** The most likely stack from evidence in the responses, if any. */
  top: StackEvidence | undefined;
  /** The most likely stack's label (its id when no recipe names it). */
  topLabel: string | undefined;
  /** The recipe shown: the picked stack's, else the most likely one's; none when the stack is unknown. */
  recipe: Recipe | undefined;
}

const recipesByFix = new WeakMap<Fix, Recipe[]>();

/**
 * The verdict may carry only the likely stacks (a report only the one it showed): every other
 * supported stack is added from the plan, with the same engine code. Computed once per verdict.
 */
export function allRecipes(entry: LogEntry): Recipe[] {
  const fix = entry.verdict.fix;
  if (!fix) return [];
  let recipes = recipesByFix.get(fix);
  if (!recipes) {
    const responseHeaders = responseHeadersOf(entry.exchange);
    const have = new Set(fix.recipes.map((r) => r.stack));
    recipes = [
      ...fix.recipes,
      ...recipesFor(fix.plan, { responseHeaders }).filter((r) => !have.has(r.stack)),
    ];
    recipesByFix.set(fix, recipes);
  }
  return recipes;
}

/**
 * The stack comes from the user's pick or from evidence in the responses; with neither it is unknown,
 * and the panel asks instead of showing one stack's code as if it were theirs.
 */
export function fixChoice(entry: LogEntry, stacks: Readonly<Record<string, string>>): FixChoice | null {
  const fix = entry.verdict.fix;
  if (!fix) return null;
  const apiOrigin = apiOriginOf(entry);
  const recipes = allRecipes(entry);
  const picked = stacks[apiOrigin];
  const top = (fix.detected ?? detectStacks(responseHeadersOf(entry.exchange)))[0];
  const shown = picked ?? top?.stack;
  return {
    fix,
    apiOrigin,
    recipes,
    picked,
    top,
    topLabel: recipes.find((r) => r.stack === top?.stack)?.label ?? top?.stack,
    recipe: shown === undefined ? undefined : recipes.find((r) => r.stack === shown),
  };
}
