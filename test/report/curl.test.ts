import { describe, expect, test } from 'vitest';
import { curlCommands, shellQuote } from '../../src/report/curl';
import { REDACTED } from '../../src/report/redact';
import { API, PAGE, allowed, blockedPreflight, reflected } from './sample';

describe('shellQuote', () => {
  test.each([
    ['plain', 'plain'],
    ['a b', "'a b'"],
    ["it's", "'it'\\''s'"],
    ['http://x/y?a=1&b=2', "'http://x/y?a=1&b=2'"],
  ])('%s', (s, q) => expect(shellQuote(s)).toBe(q));
});

describe('curlCommands', () => {
  test('a failed preflight: the OPTIONS the browser sent, and the actual request rebuilt from it', () => {
    const c = curlCommands(blockedPreflight('1', `${API}/e`).exchange);
    expect(c.preflight).toBe(
      `curl -i -X OPTIONS ${API}/e -H 'Origin: ${PAGE}' -H 'Access-Control-Request-Method: PUT' -H 'Access-Control-Request-Headers: authorization,content-type'`,
    );
    expect(c.actual).toBe(
      `curl -i -X PUT ${API}/e -H 'Origin: ${PAGE}' -H 'authorization: <value>' -H 'content-type: application/json'`,
    );
  });

  test('a simple request: no preflight, the headers as sent', () => {
    const c = curlCommands(allowed().exchange, { redact: false });
    expect(c.preflight).toBeNull();
    expect(c.actual).toBe(`curl -i ${API}/b -H 'Origin: ${PAGE}'`);
  });

  test('redacts by default: cookies, authorization, token-like parameters', () => {
    const c = curlCommands(reflected().exchange);
    expect(c.actual).toContain(`api_key=${REDACTED}`);
    expect(c.actual).toContain(`'Authorization: Bearer ${REDACTED}'`);
    expect(c.actual).not.toContain('eyJ');
    expect(c.actual).toContain(`sid=${REDACTED}`);
    expect(c.actual).not.toContain('s3cr3t');
  });

  test('redaction can be turned off', () => {
    expect(curlCommands(reflected().exchange, { redact: false }).actual).toContain(
      'Bearer eyJhbGciOi.payload.sig',
    );
  });

  test('an exchange with no legs still yields a command', () => {
    const e = allowed().exchange;
    expect(curlCommands({ ...e, legs: [] }).actual).toMatch(/^curl -i ''/);
  });
});
