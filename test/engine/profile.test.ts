/**
 * The browser profiles (src/engine/profile.ts): every difference between Chrome's and Firefox's
 * verdicts, one table row each, citing its source. Firefox rows marked "observed" were measured on
 * loopback in Firefox 153 ESR and Chromium 156 (test/e2e/firefox-verdicts.spec.ts and the
 * calls run in both browsers in test/e2e/browsers-disagree.spec.ts).
 */
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../src/engine';
import { CHROME, FIREFOX, firefoxReason, FIREFOX_REASON_NAMES, profileOf } from '../../src/engine/profile';
import { API, exchange, PAGE } from './build';

const both = (spec: Parameters<typeof exchange>[0]) => ({
  chrome: evaluate(exchange(spec), { browser: 'chrome' }),
  firefox: evaluate(exchange(spec), { browser: 'firefox' }),
});

describe('profile table', () => {
  it.each<[string, number | boolean, number | boolean, string]>([
    // [difference, chrome value, firefox value, source]
    [
      'Access-Control-Max-Age cap (s)',
      CHROME.maxAgeCap,
      FIREFOX.maxAgeCap,
      'C-pfr kMaxTimeout; MDN Access-Control-Max-Age',
    ],
    [
      'script may not set User-Agent',
      true,
      false,
      'C-http kForbiddenHeaderFields; Fetch forbidden list; observed',
    ],
    ['client hints (dpr, width, …) safelisted', true, false, 'C-cors IsCorsSafelistedHeader; observed'],
    [
      'onCompleted proves the page could read it',
      true,
      false,
      'observed: Firefox completes blocked responses',
    ],
  ])('%s: Chrome %s, Firefox %s (%s)', (what, chrome, firefox) => {
    const get = (p: typeof CHROME): unknown =>
      what.startsWith('Access-Control-Max-Age')
        ? p.maxAgeCap
        : what.startsWith('script')
          ? p.extraForbiddenHeaders.includes('user-agent')
          : what.startsWith('client')
            ? [
                'dpr',
                'width',
                'viewport-width',
                'device-memory',
                'save-data',
                'ect',
                'rtt',
                'downlink',
              ].every((h) => p.extraSafelistedHeaders.includes(h))
            : p.completionProvesReadable;
    expect(get(CHROME)).toBe(chrome);
    expect(get(FIREFOX)).toBe(firefox);
  });

  it('Max-Age values: 7,200 s (Chrome) and 86,400 s (Firefox)', () => {
    expect(CHROME.maxAgeCap).toBe(7200);
    expect(FIREFOX.maxAgeCap).toBe(86400);
  });

  it('Firefox reason names link their MDN pages (MDN-err)', () => {
    expect(FIREFOX_REASON_NAMES).toHaveLength(15);
    expect(firefoxReason('CORSMissingAllowOrigin')).toEqual({
      name: 'CORSMissingAllowOrigin',
      url: 'https://developer.mozilla.org/en-US/docs/Web/HTTP/Guides/CORS/Errors/CORSMissingAllowOrigin',
    });
    expect(firefoxReason('MissingAllowOriginHeader')).toBeUndefined();
    expect(profileOf('safari')).toBe(CHROME);
    expect(profileOf('firefox')).toBe(FIREFOX);
  });

  it('each profile carries its own reason table and console words (a third browser is one more profile)', () => {
    // Chrome names the CorsError; Firefox its security.properties key, with the MDN page.
    expect(CHROME.reasonOf('missing-allow-origin')).toEqual({ name: 'MissingAllowOriginHeader' });
    expect(FIREFOX.reasonOf('missing-allow-origin')).toEqual(firefoxReason('CORSMissingAllowOrigin'));
    // Where Firefox 153 logs another reason than the catalogue's column (observed).
    expect(FIREFOX.reasonOf('multiple-allow-origin-values')?.name).toBe('CORSAllowOriginNotMatchingOrigin');
    expect(CHROME.reasonOf('multiple-allow-origin-values')?.name).toBe('MultipleAllowOriginValues');
    expect(CHROME.reasonOf('allowed')).toBeUndefined();
    expect(FIREFOX.reasonOf('allowed')).toBeUndefined();
    // Chrome's console message is built for every verdict (explain/console.ts); Firefox has its own.
    expect(CHROME.consoleMessage).toBeUndefined();
    const blocked = exchange({
      legs: [{ url: `${API}/x`, sent: { Origin: PAGE }, status: 200, headers: {} }],
      outcome: 'completed',
    });
    const v = evaluate(blocked, { browser: 'firefox' });
    expect(v.consoleMessage).toBe(FIREFOX.consoleMessage?.(blocked, v, 'CORSMissingAllowOrigin'));
    expect(v.consoleMessage).toContain('(Reason: CORS header ‘Access-Control-Allow-Origin’ missing)');
  });
});

const acao = { 'Access-Control-Allow-Origin': PAGE };

type Spec = Parameters<typeof exchange>[0];
type Row = [
  name: string,
  spec: Spec,
  chrome: [string, string | undefined],
  firefox: [string, string | undefined],
  source: string,
];

describe('the same exchange judged by each browser', () => {
  it.each<Row>([
    // [case, spec, chrome (outcome, CDP name), firefox (outcome, reason), source]
    [
      'response without ACAO, request completed (Firefox completes it, then blocks)',
      { legs: [{ url: `${API}/a`, status: 200 }], outcome: 'completed' },
      ['allowed', undefined],
      ['blocked', 'CORSMissingAllowOrigin'],
      'observed: Firefox onCompleted 200 + console CORSMissingAllowOrigin',
    ],
    [
      'response without ACAO, request failed with an error name that says nothing',
      { legs: [{ url: `${API}/a`, status: 200 }], outcome: 'NS_ERROR_NET_ON_RECEIVING_FROM' },
      ['failed', undefined],
      ['blocked', 'CORSMissingAllowOrigin'],
      "observed: Firefox's onErrorOccurred names vary for one rejection, so its headers decide; Chrome's net error names decide",
    ],
    [
      'preflight without ACAO, call failed NS_ERROR_DOM_BAD_URI',
      {
        method: 'PUT',
        legs: [{ url: `${API}/p`, sent: false, preflight: { acrh: 'x-test', status: 404 } }],
        outcome: 'NS_ERROR_DOM_BAD_URI',
      },
      ['failed', undefined],
      ['blocked', 'CORSMissingAllowOrigin'],
      'observed: Firefox ends the call with NS_ERROR_DOM_BAD_URI; Gecko checks ACAO before the status (FF-cors)',
    ],
    [
      'preflight 404 with CORS headers',
      {
        method: 'PUT',
        legs: [
          {
            url: `${API}/p`,
            sent: false,
            preflight: {
              acrh: 'x-test',
              status: 404,
              headers: { ...acao, 'Access-Control-Allow-Headers': 'x-test' },
            },
          },
        ],
        outcome: 'NS_ERROR_DOM_BAD_URI',
      },
      ['failed', undefined],
      ['blocked', 'CORSPreflightDidNotSucceed'],
      'FF-props CORSPreflightDidNotSucceed3; observed',
    ],
    [
      'two ACAO lines',
      {
        legs: [
          {
            url: `${API}/m`,
            status: 200,
            headers: { 'Access-Control-Allow-Origin': [PAGE, 'https://x.test'] },
          },
        ],
        outcome: 'completed',
      },
      ['allowed', undefined],
      ['blocked', 'CORSAllowOriginNotMatchingOrigin'],
      'observed: Firefox 153 joins the lines and logs "does not match", not CORSMultipleAllowOriginNotAllowed',
    ],
    [
      'connection refused',
      { legs: [{ url: `${API}/r`, sent: false }], outcome: 'NS_ERROR_CONNECTION_REFUSED' },
      ['failed', undefined],
      ['failed', 'CORSDidNotSucceed'],
      'FF-props CORSDidNotSucceed2: Firefox labels network failures as CORS; observed',
    ],
  ])('%s', (_name, spec, [cOutcome, cName], [fOutcome, fName]) => {
    const v = both(spec);
    expect(v.firefox.browser).toBe('firefox');
    expect(v.chrome.browser).toBe('chrome');
    expect(v.firefox.outcome).toBe(fOutcome);
    expect(v.firefox.firefoxReason?.name).toBe(fName);
    if (fName) expect(v.firefox.firefoxReason?.url).toMatch(new RegExp(`/CORS/Errors/${fName}$`));
    expect(v.chrome.outcome).toBe(cOutcome);
    if (cName) expect(v.chrome.chromeError).toBe(cName);
  });

  it("Firefox verdicts carry Firefox's console message; Chrome's carry Chrome's", () => {
    const spec = { legs: [{ url: `${API}/a?run=1`, status: 502 }], outcome: 'completed' } satisfies Spec;
    const ff = evaluate(exchange(spec), { browser: 'firefox' });
    expect(ff.consoleMessage).toBe(
      `Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at ${API}/a?run=1. (Reason: CORS header ‘Access-Control-Allow-Origin’ missing). Status code: 502.`,
    );
    const ch = evaluate(exchange({ ...spec, outcome: 'net::ERR_FAILED' }), { browser: 'chrome' });
    expect(ch.consoleMessage).toMatch(/has been blocked by CORS policy/);
  });

  it('Authorization under Allow-Headers *: allowed in both, each with its own deprecation message', () => {
    const spec: Spec = {
      method: 'PUT',
      legs: [
        {
          url: `${API}/auth`,
          sent: { Origin: PAGE, Authorization: 'Bearer t' },
          status: 200,
          headers: acao,
          preflight: {
            acrh: 'authorization',
            headers: { ...acao, 'Access-Control-Allow-Methods': 'PUT', 'Access-Control-Allow-Headers': '*' },
          },
        },
      ],
      outcome: 'completed',
    };
    const { chrome, firefox } = both(spec);
    for (const v of [chrome, firefox]) expect(v.outcome).toBe('allowed');
    const msg = (v: typeof chrome) =>
      v.findings.find((f) => f.id === 'authorization-wildcard-deprecated')?.detail;
    expect(msg(chrome)).toMatch(/Chrome lets it through .*deprecation issue/);
    expect(msg(firefox)).toMatch(/CORSAllowHeaderFromPreflightDeprecation/);
    expect(chrome.otherBrowser?.text).toMatch(/^Firefox would also allow this, with its own warning/);
    expect(firefox.otherBrowser?.text).toMatch(/^Chrome would also allow this, with its own warning/);
  });

  it('Max-Age 10000: cut down in Chrome (7,200 s), honoured by Firefox (86,400 s cap)', () => {
    const spec: Spec = {
      method: 'PUT',
      legs: [
        {
          url: `${API}/ma`,
          status: 200,
          headers: acao,
          preflight: {
            headers: { ...acao, 'Access-Control-Allow-Methods': 'PUT', 'Access-Control-Max-Age': '10000' },
          },
        },
      ],
      outcome: 'completed',
    };
    const { chrome, firefox } = both(spec);
    const f = (v: typeof chrome) => v.findings.find((x) => x.id === 'max-age-above-cap');
    expect(f(chrome)?.title).toBe('Access-Control-Max-Age 10000 is above what Chrome honours');
    expect(f(chrome)?.detail).toMatch(/cut down to 7200 s in Chrome and 10000 s in Firefox/);
    expect(f(firefox)?.title).toBe('Access-Control-Max-Age 10000 is above what Chrome honours');
    expect(f(firefox)?.detail).toMatch(/Firefox caches a preflight for at most 86400 s/);
  });

  it('User-Agent set by a script: Firefox asks the preflight, Chrome drops it (observed)', () => {
    const firefox = evaluate(
      exchange({
        legs: [
          {
            url: `${API}/ua`,
            sent: false,
            preflight: {
              acrm: 'GET',
              acrh: 'user-agent',
              headers: { ...acao, 'Access-Control-Allow-Headers': 'x-test' },
            },
          },
        ],
        outcome: 'NS_ERROR_DOM_BAD_URI',
      }),
      { browser: 'firefox' },
    );
    expect(firefox.outcome).toBe('blocked');
    expect(firefox.firefoxReason?.name).toBe('CORSMissingAllowHeaderFromPreflight');
    expect(firefox.otherBrowser).toMatchObject({ browser: 'chrome', agrees: false });
    expect(firefox.otherBrowser?.text).toMatch(
      /^Fails in Firefox, may pass in Chrome: Chrome does not let a script set `user-agent`.*would send no preflight at all/,
    );
  });

  it('DPR (a Chrome-safelisted client hint): no preflight in Chrome, a preflight in Firefox (observed)', () => {
    const chrome = evaluate(
      exchange({
        legs: [{ url: `${API}/dpr`, sent: { Origin: PAGE, DPR: '2' }, status: 200, headers: acao }],
        outcome: 'completed',
      }),
      { browser: 'chrome' },
    );
    expect(chrome.outcome).toBe('allowed');
    expect(chrome.otherBrowser).toMatchObject({ browser: 'firefox', agrees: 'unknown' });
    expect(chrome.otherBrowser?.text).toMatch(
      /^Passes in Chrome, may fail in Firefox: Chrome counts `dpr` as safelisted/,
    );
    const firefox = evaluate(
      exchange({
        legs: [
          {
            url: `${API}/dpr`,
            sent: false,
            preflight: { acrm: 'GET', acrh: 'dpr', status: 405, headers: {} },
          },
        ],
        outcome: 'NS_ERROR_DOM_BAD_URI',
      }),
      { browser: 'firefox' },
    );
    expect(firefox.firefoxReason?.name).toBe('CORSMissingAllowOrigin');
    expect(firefox.otherBrowser?.text).toMatch(/Chrome counts `dpr` as a safelisted header/);
  });

  it("a blocked call names the other browser's reason", () => {
    const { chrome, firefox } = both({
      legs: [
        { url: `${API}/x`, status: 200, headers: { 'Access-Control-Allow-Origin': 'http://localhost:3000' } },
      ],
      outcome: 'net::ERR_FAILED',
    });
    expect(chrome.otherBrowser?.text).toBe(
      'Firefox would also block this: CORSAllowOriginNotMatchingOrigin.',
    );
    expect(chrome.firefoxReason?.name).toBe('CORSAllowOriginNotMatchingOrigin');
    expect(firefox.outcome).toBe('blocked');
    expect(firefox.kind).toBe('allow-origin-mismatch');
    expect(firefox.firefoxReason?.name).toBe('CORSAllowOriginNotMatchingOrigin');
    expect(firefox.otherBrowser).toEqual({
      browser: 'chrome',
      agrees: true,
      text: 'Chrome would also block this: AllowOriginMismatch.',
      reason: 'AllowOriginMismatch',
    });
    expect(firefox.consoleMessage).toBe(
      `Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at ${API}/x. (Reason: CORS header ‘Access-Control-Allow-Origin’ does not match ‘http://localhost:3000’).`,
    );
  });

  it('Firefox: a response that fails only with credentials is allowed, inferred (no signal from Firefox)', () => {
    const firefox = evaluate(
      exchange({
        legs: [{ url: `${API}/star`, status: 200, headers: { 'Access-Control-Allow-Origin': '*' } }],
        outcome: 'completed',
      }),
      { browser: 'firefox' },
    );
    expect(firefox.outcome).toBe('allowed');
    expect(firefox.confidence).toMatchObject({ level: 'inferred' });
    expect(firefox.confidence.level === 'inferred' && firefox.confidence.reason).toMatch(
      /credentials: "include"/,
    );
  });
});
