/**
 * One definition of "site" (src/engine/site.ts): the registrable domain from the Public Suffix List,
 * schemeless; Sec-Fetch-Site compares schemes as well (schemeful same site).
 */
import { describe, expect, it } from 'vitest';
import { fetchSite } from '../../src/engine/request';
import { sameSite, siteOf, siteOfHost } from '../../src/engine/site';

describe('siteOf', () => {
  it.each([
    ['https://app.example.com', 'example.com'],
    ['https://www.example.com:8443/path?q', 'example.com'],
    ['https://api.shop.example.co.uk', 'example.co.uk'],
    ['https://alice.github.io', 'alice.github.io'],
    ['https://github.io', 'github.io'],
    ['https://co.uk', 'co.uk'],
    ['http://127.0.0.1:3000', '127.0.0.1'],
    ['http://[::1]:8080', '[::1]'],
    ['http://localhost:5173', 'localhost'],
    ['https://APP.Example.COM.', 'example.com'],
    ['null', 'null'],
    ['not an origin', 'not an origin'],
  ])('%s → %s', (input, site) => expect(siteOf(input)).toBe(site));

  it('hosts', () => {
    expect(siteOfHost('a.b.example.co.uk')).toBe('example.co.uk');
    expect(siteOfHost('::1')).toBe('[::1]');
  });

  it('related and unrelated origins', () => {
    // Public suffixes (ICANN and private): two sites under one suffix are unrelated.
    expect(sameSite('https://shop.co.uk', 'https://evil.co.uk')).toBe(false);
    expect(sameSite('https://alice.github.io', 'https://mallory.github.io')).toBe(false);
    expect(sameSite('https://a.shop.co.uk', 'https://b.shop.co.uk')).toBe(true);
    // Schemeless: the http and https twins of one host are the same site.
    expect(sameSite('http://app.example.com', 'https://app.example.com')).toBe(true);
    // IP addresses are their own site whatever the port; different addresses are unrelated.
    expect(sameSite('http://127.0.0.1:3000', 'http://127.0.0.1:4000')).toBe(true);
    expect(sameSite('http://127.0.0.1:3000', 'http://127.0.0.2:3000')).toBe(false);
    expect(sameSite('http://10.0.0.1', 'http://10.0.0.1.nip.io')).toBe(false);
    expect(sameSite('http://localhost:3000', 'http://localhost:4000')).toBe(true);
  });
});

describe('fetchSite (Sec-Fetch-Site: schemeful)', () => {
  it.each([
    ['https://app.example.com', 'https://api.example.com/x', 'same-site'],
    ['https://shop.example.co.uk', 'https://api.example.co.uk/x', 'same-site'],
    ['https://shop.co.uk', 'https://api.co.uk/x', 'cross-site'],
    ['https://alice.github.io', 'https://bob.github.io/x', 'cross-site'],
    ['http://app.example.com', 'https://app.example.com/x', 'cross-site'],
    ['https://app.example.com', 'https://app.example.com/x', 'same-origin'],
    ['http://127.0.0.1:1', 'http://127.0.0.1:2/x', 'same-site'],
  ])('%s → %s: %s', (origin, url, site) => expect(fetchSite(origin, url)).toBe(site));
});
