/**
 * A browser's own verdicts against CORS Lens' reading of a HAR of the same run: every call must be exact
 * (same outcome and the browser's reason: Chrome's error name from CDP, or the reason of Firefox's
 * console message), honestly undetermined (blocked, kind `answer-not-recorded`, with a check command),
 * undecidable for credentials (see {@link Match}), or absent from the file (the producer did not write
 * it). Nothing else.
 */
export interface BrowserCall {
  name: string;
  tag: string;
  outcome: string;
  /** Chrome's CorsError name (CDP), for Chrome's verdicts. */
  chromeError?: string;
  /** Firefox's reason name (its console message), for Firefox's verdicts. */
  firefoxReason?: string;
}

/** Chrome's verdicts (CDP). */
export type ChromeCall = BrowserCall;

export interface LensCall {
  url: string;
  method: string;
  outcome: string;
  kind: string;
  chromeError: string | null;
  firefoxReason?: string | null;
  checkCommand?: string | undefined;
  credentials?: string;
  confidence?: { level: string; reason?: string };
}

/**
 * `credentials unknown`: the browser blocked a call whose headers pass only without credentials, in a
 * file that records neither the page's credentials mode (no Cookie header) nor whether the browser
 * blocked it (Firefox's export). CORS Lens says allowed without credentials, inferred, and its reason
 * names the browser's own reason for the credentialed reading. Only a file that cannot tell gets it.
 */
export type Match = 'exact' | 'undetermined' | 'credentials unknown' | 'absent' | `wrong: ${string}`;

export type Browser = 'chrome' | 'firefox';

export const tagOf = (url: string): string | null => {
  try {
    return new URL(url).searchParams.get('t');
  } catch {
    return null;
  }
};

const reasonOf = (c: BrowserCall, browser: Browser) =>
  browser === 'chrome' ? c.chromeError : c.firefoxReason;
const lensReasonOf = (l: LensCall, browser: Browser) =>
  (browser === 'chrome' ? l.chromeError : l.firefoxReason) ?? undefined;

function credentialsUnknown(c: BrowserCall, l: LensCall, browser: Browser): boolean {
  const reason = reasonOf(c, browser);
  return (
    c.outcome === 'blocked' &&
    l.outcome === 'allowed' &&
    l.credentials === 'omit' &&
    l.confidence?.level === 'inferred' &&
    reason !== undefined &&
    (l.confidence.reason ?? '').includes(`${browser === 'chrome' ? 'Chrome' : 'Firefox'}: ${reason}`)
  );
}

/**
 * One line per call: `<name>: exact|undetermined|credentials unknown|absent|wrong: …`. `inFile`: the
 * tags the file has entries for. `browser`: whose verdicts `rows` are (which reason to compare).
 */
export function compare(
  rows: BrowserCall[],
  lens: LensCall[],
  inFile: Set<string>,
  browser: Browser = 'chrome',
): Record<string, Match> {
  const out: Record<string, Match> = {};
  for (const c of rows) {
    const mine = lens.filter((l) => tagOf(l.url) === c.tag);
    if (!mine.length) {
      out[c.name] = inFile.has(c.tag) ? 'wrong: in the file, but not judged' : 'absent';
      continue;
    }
    if (mine.length > 1) {
      out[c.name] = `wrong: ${mine.length} calls for one request`;
      continue;
    }
    const l = mine[0] as LensCall;
    const outcome = l.outcome === 'not-cors' ? 'allowed' : l.outcome;
    if (outcome === c.outcome && lensReasonOf(l, browser) === reasonOf(c, browser)) out[c.name] = 'exact';
    else if (
      c.outcome === 'blocked' &&
      l.outcome === 'blocked' &&
      l.kind === 'answer-not-recorded' &&
      l.checkCommand
    )
      out[c.name] = 'undetermined';
    else if (credentialsUnknown(c, l, browser)) out[c.name] = 'credentials unknown';
    else
      out[c.name] =
        `wrong: ${browser === 'chrome' ? 'Chrome' : 'Firefox'} ${c.outcome} ${reasonOf(c, browser) ?? ''}, CORS Lens ${l.outcome} ${lensReasonOf(l, browser) ?? ''} (${l.kind})`;
  }
  return out;
}
