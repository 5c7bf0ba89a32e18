/**
 * Request construction: what Chrome puts on the wire for a fetch() in mode "cors" (Fetch standard
 * main fetch, CORS-preflight fetch, HTTP-redirect fetch; Chromium's CorsURLLoader).
 */
import { describe, expect, it } from 'vitest';
import {
  actualHeaders,
  fetchSite,
  followRedirect,
  MAX_REDIRECTS,
  needsPreflight,
  parseHeaderArg,
  parseMethod,
  parseOrigin,
  parseRequestUrl,
  planCall,
  preflightHeaders,
  type HopState,
} from '../../src/engine/request';
import type { HeaderLine } from '../../src/engine/types';

const UA = { userAgent: 'test' };
const h = (name: string, value: string): HeaderLine => ({ name, value });
const get = (list: HeaderLine[], name: string) =>
  list.filter((x) => x.name.toLowerCase() === name).map((x) => x.value);

describe('parsing the command line', () => {
  it('accepts serialized origins and null, refuses paths, queries, user info and other schemes', () => {
    expect(parseOrigin('https://app.example.com')).toEqual({ ok: true, value: 'https://app.example.com' });
    expect(parseOrigin('https://app.example.com/')).toEqual({ ok: true, value: 'https://app.example.com' });
    expect(parseOrigin('http://localhost:3000')).toEqual({ ok: true, value: 'http://localhost:3000' });
    expect(parseOrigin('HTTPS://App.Example.com:443')).toEqual({
      ok: true,
      value: 'https://app.example.com',
    });
    expect(parseOrigin('null')).toEqual({ ok: true, value: 'null' });
    for (const bad of [
      'app.example.com',
      'https://app.example.com/x',
      'https://a.example?x=1',
      'https://u:p@a.example',
      'ftp://a.example',
      'https://a.example#f',
      '',
    ])
      expect(parseOrigin(bad).ok, bad).toBe(false);
  });
  it('accepts http(s) URLs only', () => {
    expect(parseRequestUrl('http://127.0.0.1:1/x').ok).toBe(true);
    expect(parseRequestUrl('file:///etc/passwd').ok).toBe(false);
    expect(parseRequestUrl('not a url').ok).toBe(false);
  });
  it('normalizes methods like fetch(): only the six are upper-cased; forbidden methods refused', () => {
    expect(parseMethod('put')).toEqual({ ok: true, value: 'PUT' });
    expect(parseMethod('patch')).toEqual({ ok: true, value: 'patch' });
    expect(parseMethod('TRACE').ok).toBe(false);
    expect(parseMethod('GE T').ok).toBe(false);
  });
  it("reads 'Name: value' headers", () => {
    expect(parseHeaderArg('X-Test:  1 ')).toEqual({ ok: true, value: { name: 'X-Test', value: '1' } });
    expect(parseHeaderArg('Content-Type: application/json; charset=utf-8')).toEqual({
      ok: true,
      value: { name: 'Content-Type', value: 'application/json; charset=utf-8' },
    });
    expect(parseHeaderArg('no colon').ok).toBe(false);
    expect(parseHeaderArg('Bad Name: 1').ok).toBe(false);
  });
});

describe('what the script may set', () => {
  it('drops forbidden headers; keeps Cookie only with credentials', () => {
    const headers = [
      h('Origin', 'https://evil'),
      h('Sec-Fetch-Site', 'x'),
      h('Cookie', 'a=1'),
      h('X-Test', '1'),
    ];
    expect(
      planCall({
        url: 'https://api.example/',
        origin: 'https://app.example',
        method: 'GET',
        headers,
        credentials: false,
      }),
    ).toEqual({
      headers: [h('X-Test', '1')],
      dropped: ['Origin', 'Sec-Fetch-Site', 'Cookie'],
    });
    expect(
      planCall({
        url: 'https://api.example/',
        origin: 'https://app.example',
        method: 'GET',
        headers,
        credentials: true,
      }).headers,
    ).toEqual([h('Cookie', 'a=1'), h('X-Test', '1')]);
  });
});

describe('the preflight decision and its headers', () => {
  it('needs a preflight for a non-safelisted method or a CORS-unsafe header', () => {
    expect(needsPreflight('GET', [])).toBe(false);
    expect(needsPreflight('POST', [h('Content-Type', 'text/plain')])).toBe(false);
    expect(needsPreflight('POST', [h('Content-Type', 'application/json')])).toBe(true);
    expect(needsPreflight('PUT', [])).toBe(true);
    expect(needsPreflight('GET', [h('Accept-Language', 'en'.repeat(70))])).toBe(true);
    expect(needsPreflight('GET', [h('Authorization', 'Bearer x')])).toBe(true);
    // A Cookie header is the cookie jar's, never a reason for a preflight.
    expect(needsPreflight('GET', [h('Cookie', 'a=1')])).toBe(false);
  });
  it('sends Access-Control-Request-Headers lower-cased, sorted, comma-joined without spaces', () => {
    const pf = preflightHeaders(
      'https://api.example/x',
      'https://app.example',
      'PUT',
      [
        h('X-Zeta', '1'),
        h('Content-Type', 'application/json'),
        h('Authorization', 'a'),
        h('Accept', 'text/plain'),
      ],
      'cross-site',
      UA,
    );
    expect(get(pf, 'access-control-request-headers')).toEqual(['authorization,content-type,x-zeta']);
    expect(get(pf, 'access-control-request-method')).toEqual(['PUT']);
    expect(get(pf, 'origin')).toEqual(['https://app.example']);
    expect(get(pf, 'cookie')).toEqual([]);
    expect(get(pf, 'sec-fetch-mode')).toEqual(['cors']);
  });
  it('leaves out an empty Access-Control-Request-Headers', () => {
    const pf = preflightHeaders(
      'https://api.example/x',
      'https://app.example',
      'DELETE',
      [],
      'cross-site',
      UA,
    );
    expect(get(pf, 'access-control-request-headers')).toEqual([]);
  });
});

describe('the actual request', () => {
  it('carries Origin on a cross-origin request, and on a same-origin one only for non-GET/HEAD', () => {
    expect(
      get(
        actualHeaders('https://api.example/', 'https://app.example', 'GET', [], 'cross-site', UA, null),
        'origin',
      ),
    ).toEqual(['https://app.example']);
    expect(
      get(
        actualHeaders('https://app.example/', 'https://app.example', 'GET', [], 'same-origin', UA, null),
        'origin',
      ),
    ).toEqual([]);
    expect(
      get(
        actualHeaders('https://app.example/', 'https://app.example', 'POST', [], 'same-origin', UA, 0),
        'origin',
      ),
    ).toEqual(['https://app.example']);
  });
  it('adds Accept: */* unless the script set Accept', () => {
    expect(
      get(
        actualHeaders('https://api.example/', 'https://app.example', 'GET', [], 'cross-site', UA, null),
        'accept',
      ),
    ).toEqual(['*/*']);
    expect(
      get(
        actualHeaders(
          'https://api.example/',
          'https://app.example',
          'GET',
          [h('Accept', 'application/json')],
          'cross-site',
          UA,
          null,
        ),
        'accept',
      ),
    ).toEqual(['application/json']);
  });
  it('computes Sec-Fetch-Site', () => {
    expect(fetchSite('https://app.example.com', 'https://app.example.com/x')).toBe('same-origin');
    expect(fetchSite('https://app.example.com', 'https://api.example.com/x')).toBe('same-site');
    expect(fetchSite('http://127.0.0.1:1', 'http://127.0.0.1:2/x')).toBe('same-site');
    expect(fetchSite('https://app.example.com', 'https://api.other.com/x')).toBe('cross-site');
    expect(fetchSite('null', 'https://api.other.com/x')).toBe('cross-site');
  });
});

describe('redirects, the way the browser follows them', () => {
  const hop = (over: Partial<HopState> = {}): HopState => ({
    url: 'https://api.example/a',
    method: 'POST',
    headers: [h('Content-Type', 'text/plain'), h('X-Test', '1')],
    hasBody: true,
    origin: 'https://app.example',
    corsFlag: true,
    ...over,
  });
  const follow = (status: number, location: string | null, over: Partial<HopState> = {}, n = 0) =>
    followRedirect(hop(over), status, location, 'https://app.example', n);

  it('turns POST into GET on 301 and 302, and drops the body headers', () => {
    for (const s of [301, 302]) {
      const r = follow(s, '/b');
      expect(r.kind).toBe('follow');
      if (r.kind !== 'follow') return;
      expect(r.next.method).toBe('GET');
      expect(r.next.hasBody).toBe(false);
      expect(r.next.headers).toEqual([h('X-Test', '1')]);
      expect(r.next.url).toBe('https://api.example/b');
    }
  });
  it('turns anything but GET/HEAD into GET on 303; keeps PUT on 302 and everything on 307/308', () => {
    const r303 = follow(303, '/b', { method: 'PUT' });
    expect(r303.kind === 'follow' && r303.next.method).toBe('GET');
    const head303 = follow(303, '/b', { method: 'HEAD' });
    expect(head303.kind === 'follow' && head303.next.method).toBe('HEAD');
    const put302 = follow(302, '/b', { method: 'PUT' });
    expect(put302.kind === 'follow' && put302.next.method).toBe('PUT');
    for (const s of [307, 308]) {
      const r = follow(s, '/b');
      expect(r.kind === 'follow' && r.next.method).toBe('POST');
      expect(r.kind === 'follow' && r.next.hasBody).toBe(true);
    }
  });
  it('drops Authorization on a redirect to another origin, keeps it on the same origin (HTTP-redirect fetch step 13)', () => {
    const withAuth = { headers: [h('Authorization', 'Bearer t'), h('Content-Type', 'application/json')] };
    const cross = follow(307, 'https://third.example/c', { method: 'PUT', ...withAuth });
    expect(cross.kind === 'follow' && cross.next.headers).toEqual([h('Content-Type', 'application/json')]);
    const same = follow(307, '/b', { method: 'PUT', ...withAuth });
    expect(same.kind === 'follow' && same.next.headers).toEqual(withAuth.headers);
  });
  it('taints the origin (null) after a cross-origin redirect from a cross-origin URL, and keeps it tainted', () => {
    const r = follow(302, 'https://third.example/c');
    expect(r.kind === 'follow' && r.next.origin).toBe('null');
    // A -> B -> A: still null.
    if (r.kind !== 'follow') return;
    const back = followRedirect(r.next, 302, 'https://api.example/a', 'https://app.example', 1);
    expect(back.kind === 'follow' && back.next.origin).toBe('null');
    // Same-origin redirect on the API: not tainted.
    const same = follow(302, '/other');
    expect(same.kind === 'follow' && same.next.origin).toBe('https://app.example');
    // From the page's own origin to the API: not tainted, and the CORS flag is set.
    const fromPage = follow(302, 'https://api.example/x', { url: 'https://app.example/a', corsFlag: false });
    expect(fromPage.kind === 'follow' && fromPage.next.origin).toBe('https://app.example');
    expect(fromPage.kind === 'follow' && fromPage.next.corsFlag).toBe(true);
  });
  it('keeps a Location with user:password for the CORS rules to refuse', () => {
    const r = follow(302, 'https://user:pw@third.example/c');
    expect(r.kind === 'follow' && r.next.url).toBe('https://user:pw@third.example/c');
  });
  it('fails after 20 redirects, on non-http(s) targets, and treats 3xx without Location as final', () => {
    expect(follow(302, '/b', {}, MAX_REDIRECTS - 1).kind).toBe('follow');
    expect(follow(302, '/b', {}, MAX_REDIRECTS)).toMatchObject({
      kind: 'error',
      netError: 'net::ERR_TOO_MANY_REDIRECTS',
    });
    expect(follow(302, 'data:text/plain,hi')).toMatchObject({
      kind: 'error',
      netError: 'net::ERR_UNSAFE_REDIRECT',
    });
    // A WebSocket URL is an unknown scheme to Chrome's URL loader (measured in Chromium 156).
    expect(follow(302, 'wss://live.example/socket')).toMatchObject({
      kind: 'error',
      netError: 'net::ERR_UNKNOWN_URL_SCHEME',
    });
    expect(follow(302, null).kind).toBe('final');
    expect(follow(304, '/b').kind).toBe('final');
    expect(follow(200, '/b').kind).toBe('final');
  });
});
