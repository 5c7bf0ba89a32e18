/**
 * Chrome's verdicts (CDP) against CORS Lens' reading of a HAR of the same run: every call must be exact
 * (same outcome and Chrome error name), honestly undetermined (blocked, kind `answer-not-recorded`,
 * with a check command), or absent from the file (the producer did not write it). Nothing else.
 */
export interface ChromeCall {
  name: string;
  tag: string;
  outcome: string;
  chromeError?: string;
}

export interface LensCall {
  url: string;
  method: string;
  outcome: string;
  kind: string;
  chromeError: string | null;
  checkCommand?: string | undefined;
}

export type Match = 'exact' | 'undetermined' | 'absent' | `wrong: ${string}`;

export const tagOf = (url: string): string | null => {
  try {
    return new URL(url).searchParams.get('t');
  } catch {
    return null;
  }
};

/** One line per call: `<name>: exact|undetermined|absent|wrong: …`. `inFile`: the tags the file has entries for. */
export function compare(chrome: ChromeCall[], lens: LensCall[], inFile: Set<string>): Record<string, Match> {
  const out: Record<string, Match> = {};
  for (const c of chrome) {
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
    if (outcome === c.outcome && (l.chromeError ?? undefined) === c.chromeError) out[c.name] = 'exact';
    else if (
      c.outcome === 'blocked' &&
      l.outcome === 'blocked' &&
      l.kind === 'answer-not-recorded' &&
      l.checkCommand
    )
      out[c.name] = 'undetermined';
    else
      out[c.name] =
        `wrong: Chrome ${c.outcome} ${c.chromeError ?? ''}, CORS Lens ${l.outcome} ${l.chromeError ?? ''} (${l.kind})`;
  }
  return out;
}
