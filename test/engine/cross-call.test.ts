/**
 * Cross-call evidence: one API answering several unrelated origins with their own origin.
 */
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../src/engine';
import type { LogEntry } from '../../src/shared/protocol';
import { rowState } from '../../src/report/describe';
import { annotateLog, ECHO_FINDING_ID } from '../../src/engine/cross-call';
import { countEntries, filterEntries } from '../../src/panel/state';
import { API, OTHER, PAGE, exchange } from '../engine/build';

function call(origin: string, credentials = true, api = API): LogEntry {
  const ex = exchange({
    initiator: origin,
    legs: [
      {
        url: `${api}/me`,
        sent: credentials ? { Origin: origin, Cookie: 'sid=1' } : { Origin: origin },
        status: 200,
        headers: {
          'Access-Control-Allow-Origin': origin,
          ...(credentials ? { 'Access-Control-Allow-Credentials': 'true' } : {}),
          Vary: 'Origin',
        },
      },
    ],
    outcome: 'completed',
  });
  return { exchange: ex, verdict: evaluate(ex) };
}

describe('one API echoing several unrelated origins', () => {
  it('one origin, or related origins, is no evidence: the log is returned as it is', () => {
    const log = [call(PAGE), call(PAGE), call('https://admin.example.com')];
    expect(annotateLog(log)).toBe(log);
    expect(rowState(log[0]!)).toBe('allowed');
  });

  it('two unrelated sites echoed with credentials: danger on every such call, amber rows, counted', () => {
    const other = call(PAGE, true, 'https://cdn.example.net');
    const log = [call(PAGE), call('https://evil.test'), other];
    const out = annotateLog(log);
    expect(out).not.toBe(log);
    expect(out[2]).toBe(other); // another API is left alone
    for (const e of out.slice(0, 2)) {
      const f = e.verdict.findings.find((x) => x.id === ECHO_FINDING_ID);
      expect(f?.severity).toBe('danger');
      expect(f?.title).toBe(`${API} answered 2 unrelated origins, each with its own origin`);
      expect(f?.detail).toContain('https://evil.test');
      expect(f?.advice).toContain(`cors-lens probe ${API}/me --origin https://evil.example`);
      expect(e.verdict.title).toMatch(/^Allowed, but: /);
      expect(rowState(e)).toBe('finding');
    }
    // "With findings" and the amber rows count the same calls.
    const counts = countEntries(out);
    expect(counts.findings).toBe(out.filter((e) => rowState(e) === 'finding').length);
    expect(filterEntries(out, 'findings', '')).toEqual(out.filter((e) => rowState(e) === 'finding'));
    // Stable: the same input gives the same annotated objects.
    expect(annotateLog(log)[0]).toBe(out[0]);
  });

  it('the http and https twins of one host are one site, not two unrelated ones', () => {
    const log = [call('https://shop.example.co.uk'), call('http://shop.example.co.uk')];
    expect(annotateLog(log)).toBe(log);
  });

  it('two sites under one public suffix (github.io, co.uk) are unrelated', () => {
    for (const [a, b] of [
      ['https://alice.github.io', 'https://mallory.github.io'],
      ['https://shop.co.uk', 'https://evil.co.uk'],
    ] as const) {
      const out = annotateLog([call(a, false), call(b, false)]);
      expect(
        out[0]?.verdict.findings.map((x) => x.id),
        `${a} ${b}`,
      ).toContain(ECHO_FINDING_ID);
    }
  });

  it('without credentials it is a warning', () => {
    const out = annotateLog([call(PAGE, false), call('https://evil.test', false)]);
    expect(out[0]?.verdict.findings.find((x) => x.id === ECHO_FINDING_ID)?.severity).toBe('warning');
  });
});

describe('a missing Vary: Origin is amber only on evidence', () => {
  const fixed = (origin: string, api = API): LogEntry => {
    const ex = exchange({
      initiator: origin,
      legs: [
        {
          url: `${api}/items`,
          sent: { Origin: origin },
          status: 200,
          headers: { 'Access-Control-Allow-Origin': origin },
        },
      ],
      outcome: 'completed',
    });
    return { exchange: ex, verdict: evaluate(ex) };
  };
  const vary = (e: LogEntry) => e.verdict.findings.find((f) => f.id === 'missing-vary-origin');

  it('one API answering one origin (maybe hard-coded): one info line, no amber', () => {
    const log = [fixed(PAGE), fixed(PAGE)];
    expect(annotateLog(log)).toBe(log);
    expect(vary(log[0]!)?.severity).toBe('info');
    expect(rowState(log[0]!)).toBe('allowed');
  });

  it('the same API seen answering two origins: the value depends on Origin, a warning on each call', () => {
    const out = annotateLog([fixed(PAGE), fixed('https://admin.example.com'), fixed(PAGE, OTHER)]);
    for (const e of out.slice(0, 2)) {
      expect(vary(e)?.severity).toBe('warning');
      expect(vary(e)?.detail).toContain('https://admin.example.com');
      expect(e.verdict.findings.filter((f) => f.id === 'missing-vary-origin')).toHaveLength(1);
      expect(rowState(e)).toBe('finding');
    }
    // Another API, seen with one origin only, is left alone.
    expect(vary(out[2]!)?.severity).toBe('info');
  });

  it('a fixed value refused to another origin is no evidence (it does not follow Origin)', () => {
    const refusedElsewhere = exchange({
      initiator: 'https://admin.example.com',
      legs: [
        {
          url: `${API}/items`,
          sent: { Origin: 'https://admin.example.com' },
          status: 200,
          headers: { 'Access-Control-Allow-Origin': PAGE },
        },
      ],
      outcome: 'net::ERR_FAILED',
    });
    const log = [fixed(PAGE), { exchange: refusedElsewhere, verdict: evaluate(refusedElsewhere) }];
    expect(annotateLog(log)).toBe(log);
  });
});
