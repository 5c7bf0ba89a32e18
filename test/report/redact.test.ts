import { describe, expect, test } from 'vitest';
import { REDACTED, redactEntry, redactHeaderValue, redactText } from '../../src/report/redact';
import { blockedPreflight, reflected } from './sample';

describe('redactText: token-like query parameters', () => {
  test.each([
    ['https://a.example/x?token=abc', `https://a.example/x?token=${REDACTED}`],
    [
      'https://a.example/x?page=2&access_token=abc#f',
      `https://a.example/x?page=2&access_token=${REDACTED}#f`,
    ],
    ['https://a.example/x?API_KEY=abc&q=1', `https://a.example/x?API_KEY=${REDACTED}&q=1`],
    ['https://a.example/cb?code=xyz&state=1', `https://a.example/cb?code=${REDACTED}&state=1`],
    [
      'https://a.example/x?sig=1&signature=2&password=3&secret=4&key=5',
      `https://a.example/x?sig=${REDACTED}&signature=${REDACTED}&password=${REDACTED}&secret=${REDACTED}&key=${REDACTED}`,
    ],
    [
      'https://a.example/x?csrf_token=1&client_secret=2',
      `https://a.example/x?csrf_token=${REDACTED}&client_secret=${REDACTED}`,
    ],
    [
      "Access to fetch at 'https://a.example/x?token=abc' from",
      `Access to fetch at 'https://a.example/x?token=${REDACTED}' from`,
    ],
  ])('%s', (input, expected) => {
    expect(redactText(input)).toBe(expected);
  });

  test.each([
    'https://a.example/x?page=2&q=tokens',
    'https://a.example/x?monkey=1',
    'no url here',
    'https://a.example/x?token=',
  ])('leaves %s alone', (input) => expect(redactText(input)).toBe(input));
});

describe('redactHeaderValue', () => {
  test('Cookie keeps the names', () => {
    expect(redactHeaderValue('Cookie', 'sid=abc; theme=dark')).toBe(`sid=${REDACTED}; theme=${REDACTED}`);
  });
  test('Set-Cookie keeps the attributes that explain credential bugs', () => {
    expect(redactHeaderValue('set-cookie', 'sid=abc; Path=/; SameSite=None; Secure')).toBe(
      `sid=${REDACTED}; Path=/; SameSite=None; Secure`,
    );
  });
  test('Authorization keeps the scheme', () => {
    expect(redactHeaderValue('Authorization', 'Bearer eyJ.x.y')).toBe(`Bearer ${REDACTED}`);
    expect(redactHeaderValue('authorization', 'opaque')).toBe(REDACTED);
  });
  test('API key headers lose the whole value', () => {
    expect(redactHeaderValue('X-Api-Key', 'k')).toBe(REDACTED);
  });
  test('other headers only lose URL secrets', () => {
    expect(redactHeaderValue('Location', '/login?token=1')).toBe(`/login?token=${REDACTED}`);
    expect(redactHeaderValue('Access-Control-Allow-Origin', 'http://x')).toBe('http://x');
  });
});

describe('redactEntry', () => {
  test('removes every secret from exchange and verdict, and leaves the input untouched', () => {
    const input = reflected();
    const before = JSON.stringify(input);
    const out = JSON.stringify(redactEntry(input));
    expect(JSON.stringify(input)).toBe(before);
    for (const secret of ['eyJhbGciOi', 'K-123', 'abcdef', 's3cr3t']) expect(out).not.toContain(secret);
    expect(out).toContain('SameSite=None');
  });
  test('redacts URLs quoted in the console message and explanation', () => {
    const out = JSON.stringify(redactEntry(blockedPreflight()));
    expect(out).not.toContain('abc123');
    expect(out).toContain('page=2');
  });
  test('cookie names survive', () => {
    const out = redactEntry(reflected());
    expect(out.exchange.legs[0]?.requestHeaders?.[2]?.value).toBe(`sid=${REDACTED}; theme=${REDACTED}`);
  });
});
