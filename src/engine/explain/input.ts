/**
 * What an explanation is built from and what it gives: the exchange and its verdict in, a title,
 * paragraphs, the console message and the fix out. Shared by the explainers and the fix plan.
 */
import type { Kind } from '../catalogue';
import type { Simulation } from '../simulate';
import type { Exchange, Fix, Verdict } from '../types';

export interface ExplainInput {
  ex: Exchange;
  requestOrigin: string;
  kind: Kind;
  verdict?: Verdict;
  sim?: Simulation;
  /** Whose verdict this is, for the wording ("Chrome blocked …", "Firefox blocked …"); default Chrome. */
  browser?: string;
}

export interface Explained {
  title: string;
  explanation: string[];
  consoleMessage?: string;
  fix?: Fix;
}
