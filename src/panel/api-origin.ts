/**
 * The API origin a call's recipe stack is remembered under (the panel keeps one picked stack per API):
 * the fix plan's, or else the origin of the call's first URL ('' when it has none).
 */
import type { LogEntry } from '../engine';

export function apiOriginOf(entry: LogEntry): string {
  const plan = entry.verdict.fix?.plan;
  if (plan?.apiOrigin) return plan.apiOrigin;
  try {
    return new URL(entry.exchange.legs[0]?.url ?? '').origin;
  } catch {
    return '';
  }
}
