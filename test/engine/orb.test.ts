/**
 * ORB from the headers (src/engine/orb.ts). The `chrome` column is what Chromium 156 did with the same
 * response to an `<img>`, a `<script>` and a `no-cors` fetch (all three agreed; the e2e spec
 * test/e2e/orb.spec.ts checks the rows it can against CDP at run time). A decision from the headers
 * must equal Chrome's; `body` rows are the ones whose outcome the body decides.
 */
import { describe, expect, it } from 'vitest';
import { determineNosniff, extractMimeType, getDecodeSplit, orbCheck } from '../../src/engine/orb';
import type { HeaderList } from '../../src/engine/types';

const h = (o: Record<string, string>): HeaderList =>
  Object.entries(o).map(([name, value]) => ({ name, value }));
const NOSNIFF = { 'x-content-type-options': 'nosniff' };

describe('orbCheck against what Chromium 156 did', () => {
  const rows: [string, number, Record<string, string>, 'allowed' | 'blocked', string, string][] = [
    // name, status, headers, Chrome's result, our decision, our reason
    [
      'json + nosniff',
      200,
      { 'content-type': 'application/json', ...NOSNIFF },
      'blocked',
      'blocked',
      'nosniff-data-type',
    ],
    [
      'html + nosniff',
      200,
      { 'content-type': 'text/html', ...NOSNIFF },
      'blocked',
      'blocked',
      'nosniff-data-type',
    ],
    [
      'text/plain + nosniff',
      200,
      { 'content-type': 'text/plain', ...NOSNIFF },
      'blocked',
      'blocked',
      'nosniff-data-type',
    ],
    ['pdf', 200, { 'content-type': 'application/pdf' }, 'blocked', 'blocked', 'never-sniffed-type'],
    ['csv', 200, { 'content-type': 'text/csv' }, 'blocked', 'blocked', 'never-sniffed-type'],
    [
      'json 206 from byte 0',
      206,
      { 'content-type': 'application/json', 'content-range': 'bytes 0-6/7' },
      'blocked',
      'blocked',
      'partial-data-type',
    ],
    ['no content type, JSON body', 200, {}, 'allowed', 'allowed', 'no-mime-type'],
    ['unparsable content type', 200, { 'content-type': 'text' }, 'allowed', 'allowed', 'no-mime-type'],
    [
      'javascript + nosniff',
      200,
      { 'content-type': 'text/javascript', ...NOSNIFF },
      'allowed',
      'body',
      'javascript-type',
    ],
    [
      'json, JSON body',
      200,
      { 'content-type': 'application/json' },
      'blocked',
      'body',
      'sniff-javascript-or-json',
    ],
    [
      'json, JavaScript body',
      200,
      { 'content-type': 'application/json' },
      'allowed',
      'body',
      'sniff-javascript-or-json',
    ],
    ['html 404', 404, { 'content-type': 'text/html' }, 'blocked', 'body', 'error-status'],
    ['gif 404 with a GIF body', 404, { 'content-type': 'image/gif' }, 'allowed', 'body', 'error-status'],
    ['png with an HTML body', 200, { 'content-type': 'image/png' }, 'blocked', 'body', 'media-type'],
    [
      'gif + nosniff with a JSON body',
      200,
      { 'content-type': 'image/gif', ...NOSNIFF },
      'blocked',
      'body',
      'nosniff',
    ],
  ];
  it.each(rows)('%s', (_name, status, headers, chrome, decision, reason) => {
    const r = orbCheck({ statusCode: status, headers: h(headers) });
    expect(r.decision).toBe(decision);
    expect(r.reason).toBe(reason);
    if (r.decision !== 'body') expect(r.decision).toBe(chrome);
    expect(r.text.length).toBeGreaterThan(20);
  });

  it('lets CSS and SVG through whatever the rest says', () => {
    for (const t of ['text/css', 'image/svg+xml'])
      expect(orbCheck({ statusCode: 404, headers: h({ 'content-type': t, ...NOSNIFF }) }).decision).toBe(
        'allowed',
      );
  });

  it('leaves a 206 that does not start at byte 0 to the media state, leaning to blocked', () => {
    const r = orbCheck({
      statusCode: 206,
      headers: h({ 'content-type': 'video/mp4', 'content-range': 'bytes 100-199/1000' }),
    });
    expect(r).toMatchObject({ decision: 'body', reason: 'partial-not-from-start', likely: 'blocked' });
  });

  it('leans the body cases the way the type suggests', () => {
    const lean = (t: string) => orbCheck({ statusCode: 200, headers: h({ 'content-type': t }) }).likely;
    expect(lean('application/json')).toBe('blocked');
    expect(lean('application/ld+json')).toBe('blocked');
    expect(lean('text/xml')).toBe('blocked');
    expect(lean('text/plain')).toBe('allowed');
    expect(lean('image/png')).toBe('allowed');
  });
});

describe('Fetch helpers', () => {
  it('splits header values outside quoted strings', () => {
    expect(getDecodeSplit('a, "b,c" ,d')).toEqual(['a', '"b,c"', 'd']);
    expect(getDecodeSplit(null)).toBeNull();
    expect(getDecodeSplit('')).toEqual(['']);
  });

  it('extracts the MIME type as Fetch does (last parsable value, */* skipped, charset carried)', () => {
    const m = (v: string) => extractMimeType(h({ 'content-type': v }));
    expect(m('text/html')?.essence).toBe('text/html');
    expect(m('text/plain, */*')?.essence).toBe('text/plain');
    expect(m('text/html;charset=gbk, text/html')?.parameters.get('charset')).toBe('gbk');
    expect(m('text/html, text/plain;charset=utf-8')?.essence).toBe('text/plain');
    expect(m('nonsense')).toBeNull();
    expect(extractMimeType(h({}))).toBeNull();
    // Two header lines are combined, as webRequest may show them.
    expect(
      extractMimeType([
        { name: 'Content-Type', value: 'text/html' },
        { name: 'content-type', value: 'application/json' },
      ])?.essence,
    ).toBe('application/json');
  });

  it('reads nosniff from the first value only, case-insensitively', () => {
    expect(determineNosniff(h({ 'x-content-type-options': 'NoSniff' }))).toBe(true);
    expect(determineNosniff(h({ 'x-content-type-options': 'nosniff, other' }))).toBe(true);
    expect(determineNosniff(h({ 'x-content-type-options': 'other, nosniff' }))).toBe(false);
    expect(determineNosniff(h({}))).toBe(false);
  });
});
