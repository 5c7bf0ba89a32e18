/**
 * The verdict for a cross-origin call the file says failed but whose answer it does not hold
 * (Playwright's `status: -1`, a DevTools entry with only provisional headers, chrome-har's lone
 * preflight): blocked, and no rule named, because none can be read from the file. Pure.
 */
import { type BrowserName, type Exchange, explain, type Verdict } from '../engine';

export function notRecordedVerdict(ex: Exchange, requestOrigin: string, browser: BrowserName): Verdict {
  const kind = 'answer-not-recorded' as const;
  const label = browser === 'firefox' ? 'Firefox' : 'Chrome';
  const text = explain({ ex, requestOrigin, kind, browser: label });
  return {
    browser,
    outcome: 'blocked',
    kind,
    // Firefox's file records status 0 and no error name; Chrome's producers write net::ERR_FAILED.
    netError: browser === 'firefox' ? undefined : 'net::ERR_FAILED',
    step: 'none',
    legIndex: Math.max(0, ex.legs.length - 1),
    title: text.title,
    explanation: text.explanation,
    facts: [],
    confidence: {
      level: 'inferred',
      reason:
        'The file records that the call failed, without the response headers that would say why: run the cors-lens check command given with it to ask the server.',
    },
    credentials: ex.legs.some((l) => l.requestHeaders?.some((h) => h.name.toLowerCase() === 'cookie'))
      ? 'include'
      : 'unknown',
    requestOrigin,
    findings: [],
  };
}
