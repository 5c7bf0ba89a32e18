/**
 * The panel's *Open report…* file: a CORS Lens JSON report (src/report/json.ts), or a HAR file or a
 * Playwright trace judged by the HAR reader (src/har/). It lives in the panel, which may import both;
 * the HAR reader does not need to know the report format.
 */
import { explainHarText, explainTraceZip, looksLikeHar, looksLikeZip, type HarResult } from '../har';
import { parseReport, type ParsedReport } from '../report/json';

/** A report, a HAR file or a Playwright trace (given as bytes), ready to show. Never throws. */
export function parseReportOrHar(input: string | Uint8Array): ParsedReport {
  if (typeof input !== 'string') {
    if (looksLikeZip(input)) {
      const t = explainTraceZip(input);
      return t.ok ? openedHar(t) : { ok: false, error: `Playwright trace: ${t.error}` };
    }
    input = new TextDecoder().decode(input);
  }
  const text = input;
  if (!looksLikeHar(text)) return parseReport(text);
  const r = explainHarText(text);
  if (!r.ok) return { ok: false, error: `HAR file: ${r.error}` };
  return openedHar(r);
}

function openedHar(r: HarResult & { ok: true }): ParsedReport {
  return {
    ok: true,
    entries: r.calls.map(({ exchange, verdict }) => ({ exchange, verdict })),
    generatedAt: null,
    // A HAR is shown as it is: nothing was redacted.
    redacted: false,
    pageUrl: r.pageUrl,
  };
}
