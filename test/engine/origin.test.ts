/** Origins: potentially trustworthy (secure contexts) and Local Network Access address spaces. */
import { describe, expect, it } from 'vitest';
import { addressSpaceOf, isPotentiallyTrustworthyOrigin } from '../../src/engine/origin';

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
