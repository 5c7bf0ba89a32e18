/**
 * Plain words for a verdict: a title, an explanation built from the concrete values, Chrome's console
 * message (so users can search it) and the fix (stack-independent header changes plus recipes).
 *
 * One explainer per kind, in a table keyed by every {@link Kind}: a kind without an explanation does
 * not compile.
 */
import type { Kind } from '../catalogue';
import { contextOf, type ExplainInput, type Explained, type Explainer } from './context';
import { CORS_RULES } from './cors';
import { NOT_CORS } from './not-cors';

export { consoleMessage } from './console';
export type { ExplainInput, Explained } from './context';

const EXPLAINERS: Record<Kind, Explainer> = { ...NOT_CORS, ...CORS_RULES };

export function explain(input: ExplainInput): Explained {
  return EXPLAINERS[input.kind](contextOf(input));
}
