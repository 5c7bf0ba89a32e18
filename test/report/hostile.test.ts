/**
 * The report writers with hostile values (test/fixtures/hostile): printable() itself, the Markdown
 * writer (rendered as GitHub would) and copy-as-curl, whose ANSI-C quoting gives the shell the exact
 * bytes back.
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { explainHarText } from '../../src/har';
import { curlCommands } from '../../src/report/curl';
import { cell, code, prose, reportMarkdown } from '../../src/report/markdown';
import { hasUnsafe, printable, printableEntry, safeHttpUrl } from '../../src/report/printable';
import { expectPrintable, expectSafeMarkdown } from '../fixtures/hostile/check';
import { ALL, HOSTILE, hostileHar } from '../fixtures/hostile/corpus';
import { allowed } from './sample';

const calls = () => {
  const r = explainHarText(hostileHar());
  if (!r.ok) throw new Error(r.error);
  return r.calls.map(({ exchange, verdict }) => ({ exchange, verdict }));
};

describe('printable', () => {
  it('escapes C0, DEL, C1 and the bidi controls; keeps the rest', () => {
    expect(printable(HOSTILE.title)).toBe('\\x1b]0;pwned\\x07');
    expect(printable(HOSTILE.nul)).toBe('a\\x00b\\x7fc');
    expect(printable(HOSTILE.csi8)).toBe('\\x9b31mred');
    expect(printable(HOSTILE.bidi)).toBe('admin\\u202e\\u2066txt.exe\\u2069\\u202c');
    expect(printable(HOSTILE.isolates)).toBe('\\u2067\\u200f\\u061c\\u200e');
    expect(printable('a\nb\tc')).toBe('a\\x0ab\\x09c');
    expect(printable('a\nb\tc', { lines: true })).toBe('a\nb\\x09c');
    expect(printable('a\nb\tc', { lines: 'code' })).toBe('a\nb\tc');
    expect(printable('café ✓ 日本 `|[]<>')).toBe('café ✓ 日本 `|[]<>');
    expect(hasUnsafe(printable(ALL))).toBe(false);
  });

  it('printableEntry leaves an entry without such characters as it is', () => {
    const fine = allowed();
    expect(printableEntry(fine)).toBe(fine);
  });

  it('safeHttpUrl lets only http(s) become a link', () => {
    expect(safeHttpUrl('https://developer.mozilla.org/x')).toBe('https://developer.mozilla.org/x');
    for (const u of [
      'javascript:alert(1)',
      'JavaScript:alert(1)',
      'data:text/html,x',
      ' javascript:x',
      'vbscript:x',
      '',
    ])
      expect(safeHttpUrl(u), u).toBeNull();
  });
});

describe('Markdown writer', { timeout: 30_000 }, () => {
  it('the hostile calls, redacted or not, one by one and together', () => {
    const entries = calls();
    for (const redact of [true, false]) {
      expectSafeMarkdown(reportMarkdown(entries, { redact }), `report redact=${redact}`);
      for (const e of entries)
        expectSafeMarkdown(reportMarkdown([e], { redact }), e.exchange.legs[0]?.url ?? '');
    }
  });

  it('code spans and prose cannot be closed or escaped from', () => {
    expect(code(HOSTILE.backticks)).toBe('````` a`b``c```d```` `````');
    expectSafeMarkdown(`| a | b |\n|---|---|\n| ${prose(ALL, true)} | ${code(cell(ALL))} |\n`, 'cells');
    expectSafeMarkdown(
      prose(`\`${HOSTILE.link}\` ${HOSTILE.image} ${HOSTILE.html} ${HOSTILE.autolink}`),
      'prose',
    );
  });
});

describe('copy as curl', () => {
  it('is printable and gives bash the exact value back', () => {
    const [first] = calls();
    const { actual } = curlCommands(first!.exchange, { redact: false });
    expectPrintable(actual, 'curl');
    expect(actual).toContain("$'https://api.example/a?q=\\x1b]0;pwned\\x07\\x1b[2J\\x1b[H'");
    // The shell turns the quoted URL back into the exact bytes.
    const quoted = actual.split(' ').find((p) => p.startsWith("$'https"))!;
    const back = execFileSync('bash', ['-c', `printf %s ${quoted}`]).toString('utf8');
    expect(back).toBe(first!.exchange.legs[0]?.url);
  });
});
