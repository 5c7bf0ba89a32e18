/** Origins: potentially trustworthy (secure contexts) and Local Network Access address spaces. */
import { describe, expect, it } from 'vitest';
import { addressSpaceOf, isPotentiallyTrustworthyOrigin, originOf } from '../../src/engine/origin';

describe('isPotentiallyTrustworthyOrigin (Secure Contexts §3.1)', () => {
  it.each([
    ['https://example.com', true],
    ['wss://example.com', true],
    ['http://127.0.0.1:8080', true],
    ['http://127.9.9.9', true],
    ['http://[::1]:3000', true],
    ['http://localhost:3000', true],
    ['http://app.localhost', true],
    ['http://example.com', false],
    ['http://lna-public.test:8080', false],
    ['http://192.168.1.10', false],
    ['null', false],
    ['', false],
  ])('%s → %s', (origin, expected) => {
    expect(isPotentiallyTrustworthyOrigin(origin)).toBe(expected);
  });
});

describe('addressSpaceOf (LNA §2.1)', () => {
  it.each([
    ['http://127.0.0.1/', 'loopback'],
    ['http://localhost/', 'loopback'],
    ['http://[::1]/', 'loopback'],
    ['http://192.168.0.5/', 'local'],
    ['http://10.1.2.3/', 'local'],
    ['http://printer.local/', 'local'],
    ['http://8.8.8.8/', 'public'],
    ['http://example.com/', 'unknown'],
  ])('%s → %s', (url, space) => {
    expect(addressSpaceOf(url)).toBe(space);
  });
});

describe('originOf: the unparsed fast path serializes as the URL parser does', () => {
  const hosts = ['example.com', 'api.example.com', 'a-b.c0', '1a.example', 'localhost', 'x', 'Example.com'];
  const odd = [
    '127.0.0.1',
    '127.1',
    '0x7f.1',
    'a.0x1',
    'a.12',
    'xn--nxasmq6b.com',
    'a..b',
    'a.com.',
    '[::1]',
    'a_b.com',
  ];
  const ports = ['', ':', ':80', ':443', ':8080', ':08080', ':65535', ':65536', ':0', ':1'];
  const tails = ['', '/', '/p?q#f', '?x', '#x', '\\x', '@h/', ' ', '/a\tb', ':x', '.'];
  const urls: string[] = [
    '',
    'null',
    'about:blank',
    'data:text/plain,x',
    'ftp://a.com/',
    ' http://a.com/',
    'HTTP://a.com/',
  ];
  for (const scheme of ['http://', 'https://', 'ws://'])
    for (const host of [...hosts, ...odd])
      for (const port of ports) for (const tail of tails) urls.push(`${scheme}${host}${port}${tail}`);
  it(`agrees with new URL().origin on ${urls.length} URLs`, () => {
    const parsed = (u: string): string => {
      try {
        const url = new URL(u);
        return url.protocol === 'http:' || url.protocol === 'https:' ? url.origin : 'null';
      } catch {
        return 'null';
      }
    };
    const wrong = urls.filter((u) => originOf(u) !== parsed(u));
    expect(wrong).toEqual([]);
  });
});
