import type { Exchange, Verdict } from './types';

/** Placeholder while the engine lands (replaced in the next commit). */
export function evaluate(exchange: Exchange): Verdict {
  return {
    outcome: 'pending',
    kind: 'pending',
    step: 'none',
    legIndex: 0,
    title: 'Not evaluated yet',
    explanation: [],
    facts: [],
    confidence: { level: 'certain' },
    credentials: 'unknown',
    requestOrigin: exchange.initiator ?? 'null',
    findings: [],
  };
}
