/**
 * One comparable row per call, from Firefox's side (the page's result + console reasons) and from the
 * extension's side (its stored verdict summaries), for test/e2e/firefox-verdicts.spec.ts.
 *
 * A row is whether the page could read the response and, when not, Firefox's reason name. Firefox's
 * console does not tell a CORS block from a network failure apart beyond the reason: a refused
 * connection, a redirect to a URL with credentials and a failed preflight's follow-up all read
 * "CORS request did not succeed" (CORSDidNotSucceed).
 */
import type { LogEntry } from '../../src/shared/protocol';
import type { FirefoxMessage } from './firefox-harness';
import { readable } from './requests';

export interface FxRow {
  readable: boolean;
  /** Firefox's reason name when not readable; `none logged` when Firefox logged nothing for it. */
  reason?: string;
}

export const DID_NOT_SUCCEED = 'CORSDidNotSucceed';

/** Firefox's rows for one scenario: page results plus console reasons (see the spec's header). */
export function observedRows(results: string[], messages: FirefoxMessage[], outcomeOnly: boolean): FxRow[] {
  const unreadable = results.filter((r) => !readable(r)).length;
  const rows: FxRow[] = results.filter(readable).map(() => ({ readable: true }));
  if (outcomeOnly) {
    for (let i = 0; i < unreadable; i++) rows.push({ readable: false });
    return rows;
  }
  // A redirected preflight gets two reasons for one call: CORSExternalRedirectNotAllowed, then
  // CORSPreflightDidNotSucceed with the redirect's status (observed, Firefox 153); the first is the cause.
  const blocks = messages.filter(
    (m, i) =>
      !m.warning &&
      !(
        m.reason === 'CORSPreflightDidNotSucceed' &&
        messages.slice(0, i).some((e) => e.url === m.url && e.reason === 'CORSExternalRedirectNotAllowed')
      ),
  );
  // A specific reason is often followed by "CORS request did not succeed" for the same call: that one
  // counts only for calls no specific message accounts for.
  const specific = blocks.filter((m) => m.reason !== DID_NOT_SUCCEED);
  for (const m of specific) rows.push({ readable: false, reason: m.reason });
  const generic = Math.max(0, Math.min(blocks.length - specific.length, unreadable - specific.length));
  for (let i = 0; i < generic; i++) rows.push({ readable: false, reason: DID_NOT_SUCCEED });
  for (let i = specific.length + generic; i < unreadable; i++)
    rows.push({ readable: false, reason: 'none logged' });
  return rows;
}

/** The extension's rows for one scenario (its verdicts by Firefox's rules, as a panel shows them). */
export function extensionRows(entries: LogEntry[], outcomeOnly: boolean): FxRow[] {
  return entries.map(({ verdict }) => {
    if (verdict.outcome === 'allowed' || verdict.outcome === 'not-cors') return { readable: true };
    if (verdict.outcome === 'pending') return { readable: false, reason: 'pending' };
    if (outcomeOnly) return { readable: false };
    return { readable: false, reason: verdict.firefoxReason?.name ?? 'none logged' };
  });
}
