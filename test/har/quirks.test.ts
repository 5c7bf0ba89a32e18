/**
 * The producers' quirks, one by one, on small files in each producer's shape (docs/har-producers.md):
 * repeated request lines (chrome-har), the page origin without `Origin` (Playwright's provisional
 * headers), `Sec-Fetch-Mode`, and failed calls whose answer the file does not hold.
 */
import { describe, expect, it } from 'vitest';
import { explainHarText, type HarCall } from '../../src/har';
import { checkCommand } from '../../src/har/check-command';
import { shellQuote as shellWord } from '../../src/report/curl';
import { HAR_T0, harEntry, harFile } from '../builders/har';

const T0 = HAR_T0;
const APP = 'https://app.example';
const API = 'https://api.example';
const har = (creator: string, entries: unknown[], pages: unknown[] = []) =>
  harFile({ creator: { name: creator, version: '1.0' }, pages }, entries);
const entry = harEntry;

function calls(text: string): HarCall[] {
  const r = explainHarText(text);
  if (!r.ok) throw new Error(r.error);
  return r.calls;
}

describe('repeated request header lines (chrome-har)', () => {
  it('reads a preflight whose every request line is written twice as one method and one origin', () => {
    const req = {
      Origin: [APP, APP],
      'Access-Control-Request-Method': ['PUT', 'PUT'],
      'Access-Control-Request-Headers': ['x-token', 'x-token'],
    };
    const [c, ...rest] = calls(
      har('chrome-har', [
        entry({
          method: 'OPTIONS',
          url: `${API}/items`,
          req,
          status: 204,
          res: { 'Access-Control-Allow-Origin': APP, 'Access-Control-Allow-Methods': 'GET, POST' },
          extra: { _resourceType: 'preflight' },
        }),
      ]),
    );
    expect(rest).toEqual([]);
    expect(c?.exchange.method).toBe('PUT');
    expect(c?.verdict).toMatchObject({
      requestOrigin: APP,
      outcome: 'blocked',
      chromeError: 'MethodDisallowedByPreflightResponse',
      failedParameter: 'PUT',
    });
  });

  it('keeps repeated response lines: two Access-Control-Allow-Origin lines still fail', () => {
    const [c] = calls(
      har('chrome-har', [
        entry({
          url: `${API}/me`,
          req: { Origin: [APP, APP] },
          res: { 'Access-Control-Allow-Origin': [APP, APP] },
          resExtra: { _error: 'net::ERR_FAILED' },
          extra: { _resourceType: 'fetch' },
        }),
      ]),
    );
    expect(c?.verdict).toMatchObject({ outcome: 'blocked', chromeError: 'MultipleAllowOriginValues' });
  });
});

describe("the page's origin: Origin, else Referer, else the page entry", () => {
  it('takes the Referer before the page when the request has no Origin (a frame of another origin)', () => {
    const frame = 'https://frame.example';
    const [c] = calls(
      har(
        'WebInspector',
        [
          entry({
            url: `${API}/data`,
            pageref: 'page_1',
            req: { Referer: `${frame}/embed.html`, 'Sec-Fetch-Mode': 'cors' },
            res: { 'Access-Control-Allow-Origin': frame },
            extra: { _resourceType: 'fetch' },
          }),
        ],
        [{ id: 'page_1', title: `${APP}/`, startedDateTime: new Date(T0).toISOString(), pageTimings: {} }],
      ),
    );
    expect(c?.exchange.initiator).toBe(frame);
    expect(c?.verdict.outcome).toBe('allowed');
  });

  it("takes the page from its document entry when log.pages has a title, not a URL (Playwright's pages)", () => {
    const text = har(
      'Playwright',
      [
        entry({
          url: `${APP}/`,
          pageref: 'page@1',
          extra: { _resourceType: 'document' },
          res: { 'Content-Type': 'text/html' },
        }),
        entry({
          ms: 10,
          url: `${API}/data`,
          pageref: 'page@1',
          req: { 'X-Token': 'abc' },
          status: -1,
          resExtra: { _failureText: 'net::ERR_FAILED' },
          extra: { _resourceType: 'fetch' },
        }),
      ],
      [{ id: 'page@1', title: 'My app', startedDateTime: new Date(T0).toISOString(), pageTimings: {} }],
    );
    const [c, ...rest] = calls(text);
    expect(rest).toEqual([]);
    expect(c?.exchange.initiator).toBe(APP);
  });
});

describe('Sec-Fetch-Mode decides the request mode', () => {
  it('a no-cors image from a sandboxed frame (Origin: null) is not a CORS request', () => {
    const [c] = calls(
      har('Charles Proxy', [
        entry({
          url: `${API}/logo.png`,
          req: { Origin: 'null', 'Sec-Fetch-Mode': 'no-cors', 'Sec-Fetch-Dest': 'image' },
          res: { 'Content-Type': 'image/png' },
        }),
      ]),
    );
    expect(c?.verdict.outcome).toBe('not-cors');
  });

  it('a cors GET whose file lost its Origin line is judged as CORS (from Referer)', () => {
    const [c] = calls(
      har('mitmproxy', [
        entry({
          url: `${API}/me`,
          req: { Referer: `${APP}/`, 'Sec-Fetch-Mode': 'cors' },
          res: { 'Access-Control-Allow-Origin': 'https://other.example' },
        }),
      ]),
    );
    expect(c?.verdict).toMatchObject({ outcome: 'blocked', chromeError: 'AllowOriginMismatch' });
  });
});

describe('a failed call whose answer the file does not hold: blocked, never opaque, never a guessed rule', () => {
  const notRecorded = (c: HarCall | undefined) => {
    expect(c?.verdict).toMatchObject({ outcome: 'blocked', kind: 'answer-not-recorded' });
    expect(c?.verdict.chromeError).toBeUndefined();
    expect(c?.verdict.title).toBe("Blocked: the file does not hold the server's answer");
  };

  it('Playwright: status -1, _failureText, provisional headers without Origin', () => {
    const [c] = calls(
      har('Playwright', [
        entry({
          url: `${API}/items?q=1`,
          method: 'PUT',
          req: { Referer: `${APP}/`, 'Content-Type': 'application/json', 'X-Token': 'abc', Accept: '*/*' },
          status: -1,
          resExtra: { _failureText: 'net::ERR_FAILED' },
          extra: { _resourceType: 'fetch' },
        }),
      ]),
    );
    notRecorded(c);
    expect(c?.check?.command).toBe(
      `cors-lens check 'https://api.example/items?q=1' --origin https://app.example -X PUT -H 'Content-Type: application/json' -H 'X-Token: abc'`,
    );
    expect(c?.notes.join(' ')).toContain(c?.check?.command);
  });

  it('a plain GET that failed: not "no-cors: opaque" because its provisional headers lack Origin', () => {
    const [c] = calls(
      har('Playwright', [
        entry({
          url: `${API}/me`,
          req: { Referer: `${APP}/` },
          status: -1,
          resExtra: { _failureText: 'net::ERR_FAILED' },
          extra: { _resourceType: 'fetch' },
        }),
      ]),
    );
    notRecorded(c);
    expect(c?.check?.command).toBe('cors-lens check https://api.example/me --origin https://app.example');
  });

  it('Chrome DevTools: status 0 with _error and no response headers', () => {
    const [c] = calls(
      har('WebInspector', [
        entry({
          url: `${API}/me`,
          req: { Origin: APP, Cookie: 'sid=1' },
          status: 0,
          resExtra: { _error: 'net::ERR_FAILED' },
          extra: { _resourceType: 'fetch' },
        }),
      ]),
    );
    notRecorded(c);
    expect(c?.check?.command).toBe(
      'cors-lens check https://api.example/me --origin https://app.example --credentials',
    );
  });

  it('chrome-har: a preflight that passes, kept without its request', () => {
    const [c] = calls(
      har('chrome-har', [
        entry({
          method: 'OPTIONS',
          url: `${API}/items`,
          req: {
            Origin: [APP, APP],
            'Access-Control-Request-Method': ['PUT', 'PUT'],
            'Access-Control-Request-Headers': 'content-type,x-token',
          },
          status: 204,
          res: {
            'Access-Control-Allow-Origin': APP,
            'Access-Control-Allow-Methods': 'PUT',
            'Access-Control-Allow-Headers': 'content-type, x-token',
          },
        }),
      ]),
    );
    notRecorded(c);
    expect(c?.check?.command).toBe(
      `cors-lens check https://api.example/items --origin https://app.example -X PUT -H 'content-type: value-not-in-file' -H 'x-token: value-not-in-file'`,
    );
  });

  it('still names the rule when the file holds the failing preflight (DevTools keeps its answer)', () => {
    const [c] = calls(
      har('WebInspector', [
        entry({
          method: 'OPTIONS',
          url: `${API}/items`,
          req: { Origin: APP, 'Access-Control-Request-Method': 'PUT' },
          status: 404,
          extra: { _resourceType: 'preflight' },
        }),
        entry({
          ms: 2,
          method: 'PUT',
          url: `${API}/items`,
          req: { Referer: `${APP}/` },
          status: 0,
          resExtra: { _error: 'net::ERR_FAILED' },
          extra: { _resourceType: 'fetch' },
        }),
      ]),
    );
    expect(c?.verdict).toMatchObject({
      outcome: 'blocked',
      chromeError: 'PreflightMissingAllowOriginHeader',
    });
    expect(c?.check).toBeUndefined();
  });

  it('a network failure that is not CORS stays what it is', () => {
    const [c] = calls(
      har('Playwright', [
        entry({
          url: `${API}/me`,
          req: { Referer: `${APP}/` },
          status: -1,
          resExtra: { _failureText: 'net::ERR_CONNECTION_REFUSED' },
          extra: { _resourceType: 'fetch' },
        }),
      ]),
    );
    expect(c?.verdict).toMatchObject({ outcome: 'failed', netError: 'net::ERR_CONNECTION_REFUSED' });
  });
});

describe('the check command is one safe shell line', () => {
  it('quotes quotes, and writes control and bidi characters as escapes', () => {
    expect(shellWord("it's")).toBe(`'it'\\''s'`);
    expect(shellWord('a\u001b]0;pwned\u0007b')).toBe(`$'a\\x1b]0;pwned\\x07b'`);
    expect(shellWord('x\u202ey')).toBe(`$'x\\u202ey'`);
    expect(shellWord('line\nbreak')).toBe(`$'line\\x0abreak'`);
  });
  it('redacts secrets by default and never prints a line break', () => {
    const cmd = checkCommand({
      url: 'https://api.example/x?token=abc',
      origin: APP,
      method: 'POST',
      headers: [
        { name: 'Authorization', value: 'Bearer s3cret' },
        { name: 'X-Evil', value: 'a\r\nInjected: 1' },
      ],
      credentials: true,
    });
    expect(cmd).not.toContain('s3cret');
    expect(cmd).not.toContain('abc');
    expect(cmd).not.toMatch(/[\r\n]/);
    expect(cmd).toBe(
      `cors-lens check 'https://api.example/x?token=[REDACTED]' --origin https://app.example -X POST -H 'Authorization: Bearer [REDACTED]' -H $'X-Evil: a\\x0d\\x0aInjected: 1' --credentials`,
    );
  });
});
