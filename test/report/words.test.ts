import { describe, expect, it } from 'vitest';
import { evaluate } from '../../src/engine';
import {
  codeParts,
  confidenceWords,
  failedParameterWords,
  markCode,
  plainText,
  urlParts,
} from '../../src/report/words';
import { API, PAGE, exchange } from '../engine/build';

describe('words', () => {
  it('marks header names and a lone * as code, leaving code spans alone', () => {
    expect(markCode('No Access-Control-Allow-Origin from x')).toBe('No `Access-Control-Allow-Origin` from x');
    expect(markCode('`*` with credentials')).toBe('`*` with credentials');
    expect(markCode('allows * and Vary: Origin')).toBe('allows `*` and `Vary: Origin`');
    expect(markCode('Request header `authorization` not allowed')).toBe(
      'Request header `authorization` not allowed',
    );
    expect(markCode('5 * 3')).toBe('5 `*` 3');
    expect(markCode('a*b')).toBe('a*b');
  });

  it('splits code parts and plain text', () => {
    expect(codeParts('a `b` c')).toEqual([
      { code: false, text: 'a ' },
      { code: true, text: 'b' },
      { code: false, text: ' c' },
    ]);
    expect(plainText('a `b`')).toBe('a b');
  });

  it('cuts URLs in the middle, keeping the end', () => {
    expect(urlParts('http://127.0.0.1:1/a')).toEqual({ head: '127.0.0.1:1/a', tail: '' });
    const long = urlParts('http://127.0.0.1:35319/api/authorization?token=demo-secret-token');
    expect(long.head + long.tail).toBe('127.0.0.1:35319/api/authorization?token=demo-secret-token');
    expect(long.tail).toBe('?token=demo-secret-token'.slice(-22));
  });

  it('never puts "Certain" next to an unknown credentials mode without saying why', () => {
    const ex = exchange({
      legs: [{ url: `${API}/x`, status: 200, headers: {} }],
      outcome: 'net::ERR_FAILED',
    });
    const v = evaluate(ex);
    expect(v.confidence.level).toBe('certain');
    expect(v.credentials).toBe('unknown');
    const w = confidenceWords(v);
    expect(w.level).toBe('Certain');
    expect(w.credentials).toMatch(/does not matter here/);
  });

  it('has no words for an empty failed parameter', () => {
    const ex = exchange({
      legs: [{ url: `${API}/x`, status: 200, headers: {} }],
      outcome: 'net::ERR_FAILED',
    });
    const v = evaluate(ex);
    expect(v.failedParameter).toBe('');
    expect(failedParameterWords(v)).toBeUndefined();
    expect(failedParameterWords({ ...v, failedParameter: 'authorization' })).toBe('authorization');
    void PAGE;
  });
});
