/**
 * HAR reading: Chrome DevTools' shape (recorded from Chromium over CDP by test/e2e/cli.spec.ts, with
 * Chrome's own verdicts next to it) and hand-written Firefox-shaped files (plain OPTIONS entries,
 * no `_resourceType`, blocked calls with status 0 or their real status).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { explainHarText, parseHarJson, type HarCall } from '../../src/har';
import { parseReportOrHar } from '../../src/panel/open-report';
import { PRODUCERS, harEntry, harFile, type HarHeaders } from '../builders/har';

const DIR = join(import.meta.dirname, '..', 'fixtures', 'har');

interface Row {
  request: string;
  outcome: string;
  chromeError?: string;
  failedParameter?: string;
}

const custom = (names: string[]) =>
  names
    .map((n) => n.toLowerCase())
    .filter((n) => n.startsWith('x-'))
    .sort()
    .join(',');

function row(c: HarCall): Row {
  const leg = c.exchange.legs[0];
  const sent = custom(leg?.requestHeaders?.map((h) => h.name) ?? []);
  const acrh = custom(
    leg?.preflight?.requestHeaders
      ?.find((h) => h.name.toLowerCase() === 'access-control-request-headers')
      ?.value?.split(',')
      .map((s) => s.trim()) ?? [],
  );
  const r: Row = {
    request: `${c.exchange.method} ${sent || acrh}`,
    outcome: c.verdict.outcome === 'not-cors' ? 'allowed' : c.verdict.outcome,
  };
  if (c.verdict.chromeError) r.chromeError = c.verdict.chromeError;
  if (c.verdict.failedParameter) r.failedParameter = c.verdict.failedParameter;
  return r;
}
const byRequest = (a: Row, b: Row) => (a.request < b.request ? -1 : a.request > b.request ? 1 : 0);

describe('a Chrome DevTools HAR recorded from Chromium', () => {
  const text = readFileSync(join(DIR, 'chromium-scenarios.har'), 'utf8');
  const expected = JSON.parse(readFileSync(join(DIR, 'chromium-scenarios.expected.json'), 'utf8')) as {
    tag: string;
    scenario: string;
    chrome: Row[];
  }[];
  const result = explainHarText(text);

  it('is read as Chrome’s, with its preflights paired', () => {
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.flavor).toBe('chrome');
    expect(result.stats.preflights).toBeGreaterThan(20);
    expect(result.stats.unpairedPreflights).toBe(0);
  });

  it(`gives Chrome's verdict for every scenario (${expected.length} scenarios)`, () => {
    expect(expected.length).toBeGreaterThanOrEqual(15);
    if (!result.ok) throw new Error(result.error);
    const actual: Record<string, Row[]> = {};
    const want: Record<string, Row[]> = {};
    for (const e of expected) {
      want[e.scenario] = e.chrome;
      actual[e.scenario] = result.calls
        .filter((c) => c.exchange.legs[0]?.url.includes(e.tag))
        .map(row)
        .sort(byRequest);
    }
    expect(actual).toEqual(want);
  });

  it('says that the file has no cookies (credentials inferred)', () => {
    if (!result.ok) throw new Error(result.error);
    expect(result.notes.join(' ')).toMatch(/Cookie/);
    const inferred = result.calls.filter((c) => c.verdict.confidence.level === 'inferred');
    expect(inferred.length).toBeGreaterThan(0);
    for (const c of inferred) expect(c.notes.join(' ')).toMatch(/sanitized|credentials/);
  });

  it('still pairs when the entries are shuffled (pairing is by URL, method, headers and time, not order)', () => {
    const har = JSON.parse(text) as { log: { entries: unknown[] } };
    har.log.entries.reverse();
    const again = explainHarText(JSON.stringify(har));
    if (!again.ok || !result.ok) throw new Error('unreadable');
    const key = (cs: HarCall[]) => cs.map((c) => `${c.exchange.legs[0]?.url} ${c.verdict.kind}`).sort();
    expect(key(again.calls)).toEqual(key(result.calls));
  });
});

// ------------------------------------------------------------------------------------------ Firefox

function entry(
  ms: number,
  method: string,
  url: string,
  req: HarHeaders,
  status: number,
  res: HarHeaders,
  redirectURL = '',
) {
  return harEntry({ ms, method, url, req, status, res, redirectURL });
}

const firefoxHar = (entries: unknown[]) => harFile(PRODUCERS.firefox, entries);

const APP = 'https://app.example';
const API = 'https://api.example';

describe('a Firefox-shaped HAR', () => {
  it('pairs plain OPTIONS entries with their requests by URL, method and Access-Control-Request-Headers', () => {
    const url = `${API}/items`;
    const text = firefoxHar([
      // Firefox logs the actual requests first, then the preflights, and answers in any order.
      entry(0, 'PUT', url, { Origin: APP, 'X-Good': '1' }, 200, { 'Access-Control-Allow-Origin': APP }),
      entry(1, 'PUT', url, { Origin: APP, 'X-Bad': '1' }, 0, {}),
      entry(
        2,
        'OPTIONS',
        url,
        { Origin: APP, 'Access-Control-Request-Method': 'PUT', 'Access-Control-Request-Headers': 'x-bad' },
        204,
        {
          'Access-Control-Allow-Origin': APP,
          'Access-Control-Allow-Methods': 'PUT',
          'Access-Control-Allow-Headers': 'x-good',
        },
      ),
      entry(
        3,
        'OPTIONS',
        url,
        { Origin: APP, 'Access-Control-Request-Method': 'PUT', 'Access-Control-Request-Headers': 'x-good' },
        204,
        {
          'Access-Control-Allow-Origin': APP,
          'Access-Control-Allow-Methods': 'PUT',
          'Access-Control-Allow-Headers': 'x-good',
        },
      ),
    ]);
    const r = explainHarText(text);
    if (!r.ok) throw new Error(r.error);
    expect(r.flavor).toBe('firefox');
    expect(r.stats).toMatchObject({ entries: 4, preflights: 2, unpairedPreflights: 0 });
    expect(r.calls.map(row).sort(byRequest)).toEqual([
      {
        request: 'PUT x-bad',
        outcome: 'blocked',
        chromeError: 'HeaderDisallowedByPreflightResponse',
        failedParameter: 'x-bad',
      },
      { request: 'PUT x-good', outcome: 'allowed' },
    ]);
    expect(r.notes.join(' ')).toMatch(/Firefox HAR/);
  });

  it('judges a call Firefox blocked although its entry shows status 200 (the file cannot say), and says so', () => {
    const text = firefoxHar([
      entry(0, 'GET', `${API}/me`, { Origin: APP }, 200, {
        'Access-Control-Allow-Origin': 'https://other.example',
      }),
    ]);
    const r = explainHarText(text);
    if (!r.ok) throw new Error(r.error);
    expect(r.calls).toHaveLength(1);
    expect(r.calls[0]?.verdict).toMatchObject({ outcome: 'blocked', chromeError: 'AllowOriginMismatch' });
    expect(r.calls[0]?.notes.join(' ')).toMatch(/Firefox's HAR does not record/);
  });

  it("is judged by Firefox's rules: Firefox's verdict, reason and console message, and no Chrome net error", () => {
    const url = `${API}/put`;
    const text = firefoxHar([
      entry(0, 'GET', `${API}/me`, { Origin: APP }, 200, {}),
      // Stopped by its preflight: status 0, no error field (Firefox writes none).
      entry(1, 'PUT', url, { Origin: APP }, 0, {}),
      entry(2, 'OPTIONS', url, { Origin: APP, 'Access-Control-Request-Method': 'PUT' }, 204, {
        'Access-Control-Allow-Origin': APP,
        'Access-Control-Allow-Methods': 'GET',
      }),
    ]);
    const r = explainHarText(text);
    if (!r.ok) throw new Error(r.error);
    const [get, put] = r.calls;
    expect(get?.verdict).toMatchObject({
      browser: 'firefox',
      outcome: 'blocked',
      firefoxReason: { name: 'CORSMissingAllowOrigin' },
    });
    expect(get?.verdict.consoleMessage).toMatch(
      /^Cross-Origin Request Blocked: .*\(Reason: CORS header ‘Access-Control-Allow-Origin’ missing\)/,
    );
    expect(get?.verdict.explanation.join(' ')).toMatch(/Firefox does not let the page/);
    expect(put?.verdict).toMatchObject({
      browser: 'firefox',
      outcome: 'blocked',
      step: 'preflight',
      firefoxReason: { name: 'CORSMethodNotFound' },
    });
    // Status 0 is read as a failure, but Firefox never names Chrome's net::ERR_FAILED.
    expect(put?.verdict.netError).toBeUndefined();
    expect(put?.verdict.consoleMessage).toMatch(/^Cross-Origin Request Blocked: /);
    expect(r.notes.join(' ')).toMatch(/under Firefox's rules/);
    expect(r.notes.join(' ')).not.toMatch(/follow Chrome's rules/);
  });

  it("says a status-0 call whose file answer passes is undetermined, not a network error, and asks with Firefox's rules", () => {
    // Under Firefox's rules an error that is not Firefox's own reads as a network failure when no header
    // fails; Firefox's status 0 names no cause, so the answer is missing from the file.
    const url = `${API}/p`;
    const text = firefoxHar([
      entry(0, 'PUT', url, { Origin: APP }, 0, {}),
      entry(1, 'OPTIONS', url, { Origin: APP, 'Access-Control-Request-Method': 'PUT' }, 204, {
        'Access-Control-Allow-Origin': APP,
        'Access-Control-Allow-Methods': 'PUT',
      }),
      entry(2, 'GET', `${API}/g`, { Origin: APP }, 0, {}),
    ]);
    const r = explainHarText(text);
    if (!r.ok) throw new Error(r.error);
    expect(r.calls).toHaveLength(2);
    for (const c of r.calls) {
      expect(c.verdict).toMatchObject({
        browser: 'firefox',
        outcome: 'blocked',
        kind: 'answer-not-recorded',
      });
      expect(c.verdict.netError).toBeUndefined();
      expect(c.verdict.explanation.join(' ')).not.toMatch(/net::ERR_FAILED/);
      expect(c.check?.command).toMatch(/ --browser firefox$/);
    }
    expect(r.calls[0]?.check?.command).toBe(
      'cors-lens check https://api.example/p --origin https://app.example -X PUT --browser firefox',
    );
  });

  it("applies Firefox's rule where Chrome's differs: a preflight after a tainting redirect checks the page's origin", () => {
    // Firefox sends the page's origin on the preflight after a cross-origin redirect and `null` on the
    // request (engine/profile.ts, taintsPreflightedRedirects; measured in test/e2e/browsers-disagree.spec.ts):
    // it allows this call, which Chrome's rules block (its preflight would carry Origin: null).
    const THIRD = 'https://third.example';
    const allow = { 'Access-Control-Allow-Origin': APP, 'Access-Control-Allow-Methods': 'PUT' };
    const target = `${THIRD}/put-307-target`;
    const text = firefoxHar([
      entry(0, 'PUT', `${API}/put-307`, { Origin: APP }, 307, { ...allow, Location: target }, target),
      entry(1, 'PUT', target, { Origin: 'null' }, 200, { 'Access-Control-Allow-Origin': 'null' }),
      entry(
        2,
        'OPTIONS',
        `${API}/put-307`,
        { Origin: APP, 'Access-Control-Request-Method': 'PUT' },
        204,
        allow,
      ),
      entry(3, 'OPTIONS', target, { Origin: APP, 'Access-Control-Request-Method': 'PUT' }, 204, allow),
    ]);
    const r = explainHarText(text);
    if (!r.ok) throw new Error(r.error);
    expect(r.calls).toHaveLength(1);
    expect(r.calls[0]?.exchange.legs).toHaveLength(2);
    expect(r.calls[0]?.verdict).toMatchObject({ browser: 'firefox', outcome: 'allowed' });
    // The call says that Chrome's rules differ here.
    expect(r.calls[0]?.verdict.otherBrowser).toMatchObject({ browser: 'chrome', agrees: false });
  });

  it('ends a chain whose last hop redirects to a URL that is not http(s): the call did not complete', () => {
    const hop = (location: string) =>
      entry(
        0,
        'GET',
        `${API}/to-${location.split(':')[0]}`,
        { Origin: APP },
        302,
        {
          'Access-Control-Allow-Origin': '*',
          Location: location,
        },
        location,
      );
    const r = explainHarText(firefoxHar([hop('ftp://files.example/a'), hop('https://api.example/next')]));
    if (!r.ok) throw new Error(r.error);
    const byUrl = new Map(r.calls.map((c) => [c.exchange.legs[0]?.url, c]));
    expect(byUrl.get(`${API}/to-ftp`)?.exchange.outcome).toEqual({
      state: 'failed',
      error: 'net::ERR_FAILED',
    });
    expect(byUrl.get(`${API}/to-ftp`)?.verdict).toMatchObject({
      outcome: 'blocked',
      kind: 'redirect-to-non-http-scheme.cors-disabled',
      chromeError: 'CorsDisabledScheme',
    });
    // A redirect to an http(s) URL the file does not have is still what the file says.
    expect(byUrl.get(`${API}/to-https`)?.exchange.outcome).toEqual({ state: 'completed', statusCode: 302 });
  });

  it('chains redirect hops by redirectURL and sees the tainted origin', () => {
    const text = firefoxHar([
      entry(
        0,
        'GET',
        `${API}/start`,
        { Origin: APP },
        302,
        { 'Access-Control-Allow-Origin': APP, Location: 'https://third.example/end' },
        'https://third.example/end',
      ),
      entry(10, 'GET', 'https://third.example/end', { Origin: 'null' }, 200, {
        'Access-Control-Allow-Origin': APP,
      }),
    ]);
    const r = explainHarText(text);
    if (!r.ok) throw new Error(r.error);
    expect(r.calls).toHaveLength(1);
    expect(r.calls[0]?.exchange.legs.map((l) => l.url)).toEqual([
      `${API}/start`,
      'https://third.example/end',
    ]);
    expect(r.calls[0]?.exchange.initiator).toBe(APP);
    expect(r.calls[0]?.verdict).toMatchObject({
      outcome: 'blocked',
      kind: 'redirect-tainted-origin',
      chromeError: 'AllowOriginMismatch',
    });
  });

  it('judges a preflight whose request is missing from the file on its own, and skips same-origin calls', () => {
    const text = firefoxHar([
      entry(0, 'OPTIONS', `${API}/gone`, { Origin: APP, 'Access-Control-Request-Method': 'DELETE' }, 204, {
        'Access-Control-Allow-Origin': APP,
        'Access-Control-Allow-Methods': 'GET',
      }),
      entry(5, 'GET', `${APP}/index.js`, {}, 200, {}),
      entry(6, 'OPTIONS', `${API}/plain-options`, { Origin: APP }, 200, {
        'Access-Control-Allow-Origin': APP,
      }),
    ]);
    const r = explainHarText(text);
    if (!r.ok) throw new Error(r.error);
    expect(r.stats.unpairedPreflights).toBe(1);
    const gone = r.calls.find((c) => c.exchange.legs[0]?.url.endsWith('/gone'));
    expect(gone?.verdict).toMatchObject({
      outcome: 'blocked',
      chromeError: 'MethodDisallowedByPreflightResponse',
      failedParameter: 'DELETE',
    });
    expect(gone?.notes.join(' ')).toMatch(/Only the preflight/);
    // A plain OPTIONS without Access-Control-Request-Method is a request of its own, not a preflight.
    expect(
      r.calls.some(
        (c) => c.exchange.method === 'OPTIONS' && c.exchange.legs[0]?.url.endsWith('/plain-options'),
      ),
    ).toBe(true);
    expect(r.calls.some((c) => c.exchange.legs[0]?.url.endsWith('/index.js'))).toBe(false);
  });

  it('does not claim the browser allowed a call it may have blocked for credentials the file does not show', () => {
    // Firefox DevTools 153 wrote a credentialed fetch answered with `*` (which Firefox blocked,
    // CORSNotSupportingCredentials) like this, and an uncredentialed one (allowed) the same way.
    const text = firefoxHar([
      entry(0, 'GET', `${API}/me`, { Origin: APP, 'Sec-Fetch-Mode': 'cors' }, 200, {
        'Access-Control-Allow-Origin': '*',
      }),
    ]);
    const r = explainHarText(text);
    if (!r.ok) throw new Error(r.error);
    const v = r.calls[0]?.verdict;
    expect(v).toMatchObject({ outcome: 'allowed', credentials: 'omit', confidence: { level: 'inferred' } });
    const reason = v?.confidence.level === 'inferred' ? v.confidence.reason : '';
    expect(reason).not.toMatch(/allowed the call/);
    expect(reason).toMatch(/records neither whether the page sent this call with credentials/);
    // Firefox's file is judged by Firefox's rules: its reason is named first.
    expect(reason).toMatch(/\(Firefox: CORSNotSupportingCredentials; Chrome: WildcardOriginNotAllowed\)\.$/);
    expect(v?.explanation).toContain(reason);
    expect(v?.explanation.join(' ')).not.toMatch(/allowed the call, so it was sent without them/);
    // The title (a list's row) says it too, not a plain "Allowed".
    expect(v?.title).toMatch(/^Allowed without credentials; with them: `\*` with credentials/);
  });

  it('uses a Cookie header as proof of credentials (no sanitized-file note)', () => {
    const text = firefoxHar([
      entry(0, 'GET', `${API}/me`, { Origin: APP, Cookie: 'sid=1' }, 200, {
        'Access-Control-Allow-Origin': '*',
      }),
    ]);
    const r = explainHarText(text);
    if (!r.ok) throw new Error(r.error);
    expect(r.calls[0]?.verdict).toMatchObject({
      outcome: 'blocked',
      chromeError: 'WildcardOriginNotAllowed',
      confidence: { level: 'certain' },
    });
    expect(r.notes.join(' ')).not.toMatch(/sanitized/);
  });
});

describe('bad files', () => {
  it('says when a file is not JSON, is truncated, is empty or is not a HAR', () => {
    expect(parseHarJson('hello')).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^not valid JSON/),
    });
    const full = firefoxHar([entry(0, 'GET', `${API}/me`, { Origin: APP }, 200, {})]);
    expect(parseHarJson(full.slice(0, full.length / 2))).toMatchObject({
      ok: false,
      error: expect.stringMatching(/ends early \(truncated\?\)/),
    });
    expect(parseHarJson('')).toMatchObject({ ok: false, error: 'the file is empty' });
    expect(parseHarJson('{"log": {}}')).toMatchObject({
      ok: false,
      error: expect.stringMatching(/log.entries/),
    });
    expect(parseHarJson('[1,2]')).toMatchObject({ ok: false, error: expect.stringMatching(/not a HAR/) });
  });
  it('skips malformed entries instead of failing', () => {
    const r = explainHarText(
      JSON.stringify({
        log: {
          entries: [
            null,
            3,
            { request: {} },
            entry(0, 'GET', `${API}/me`, { Origin: APP }, 200, { 'Access-Control-Allow-Origin': APP }),
          ],
        },
      }),
    );
    if (!r.ok) throw new Error(r.error);
    expect(r.calls).toHaveLength(1);
    expect(r.stats.unreadable).toBe(3);
    expect(r.problems).toEqual([
      { index: 0, problem: 'the entry is null, not an object', skipped: true },
      { index: 1, problem: 'the entry is a number, not an object', skipped: true },
      { index: 2, problem: '"request.url" is missing, not text', skipped: true },
    ]);
  });
});

describe("the panel's Open report…", () => {
  it('opens a HAR as report entries, and still opens a CORS Lens report', () => {
    const har = firefoxHar([entry(0, 'GET', `${API}/me`, { Origin: APP }, 0, {})]);
    const opened = parseReportOrHar(har);
    expect(opened).toMatchObject({ ok: true, redacted: false });
    if (opened.ok) expect(opened.entries).toHaveLength(1);
    expect(parseReportOrHar('{"format": "cors-lens-report", "version": 99}')).toMatchObject({
      ok: false,
      error: expect.stringMatching(/version 99/),
    });
    expect(parseReportOrHar('{"log": {"entries": 1}}')).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^HAR file:/),
    });
  });
});
