import { describe, expect, test } from 'vitest';
import { evaluate } from '../../src/engine';
import { callMarkdown, cell, code, reportMarkdown } from '../../src/report/markdown';
import { REDACTED } from '../../src/report/redact';
import { allowed, blockedPreflight, reflected, refused } from './sample';

const at = '2026-01-02T03:04:05.000Z';

describe('Markdown helpers', () => {
  test('cell escapes pipes and newlines', () => expect(cell('a|b\nc')).toBe('a\\|b c'));
  test('code survives backticks', () => {
    expect(code('x')).toBe('`x`');
    expect(code('a`b')).toBe('``a`b``');
  });
});

describe('Markdown report for one call', () => {
  const md = reportMarkdown([blockedPreflight()], { generatedAt: at });

  test('summary, verdict and Chrome error come first', () => {
    expect(md.startsWith(`## Blocked: PUT \`http://127.0.0.1:8802/e?token=${REDACTED}&page=2\``)).toBe(true);
    expect(md).toContain('**Request header `authorization` not allowed by `http://127.0.0.1:8802`**');
    expect(md).toContain("| Chrome's error | `HeaderDisallowedByPreflightResponse` |");
    expect(md).toContain('| Failed parameter | `authorization` |');
    expect(md).toContain('Request header field authorization is not allowed');
  });

  test('header tables mark the decisive header of the decisive step', () => {
    expect(md).toContain('#### 1. Preflight: OPTIONS');
    expect(md).toContain('(decisive step)');
    expect(md).toContain('| **Access-Control-Allow-Headers** ⟵ decisive | `content-type` |');
    expect(md).toContain('| The browser asked | Value |');
    expect(md).toContain('| The server answered | Value |');
    expect(md).toContain('never sent');
  });

  test('fix with header table and the first recipe; curl commands with the why', () => {
    expect(md).toContain('### Fix');
    expect(md).toContain('| preflight | Access-Control-Allow-Headers | `Content-Type, Authorization` |');
    expect(md).toContain('```nginx');
    expect(md).toContain('The same fix for other stacks (Express (cors package)) is in the CORS Lens panel.');
    expect(md).toContain('```sh\ncurl -i -X OPTIONS');
    expect(md).toContain('curl and Postman are not browsers');
  });

  test('the preferred stack goes first', () => {
    const m = callMarkdown(blockedPreflight(), { preferredStack: 'express' });
    expect(m.indexOf('```js')).toBeGreaterThan(0);
    expect(m).toContain('The same fix for other stacks (nginx) is in the CORS Lens panel.');
  });

  test('tables are well formed: every table row has as many cells as its header', () => {
    const lines = reportMarkdown([blockedPreflight(), allowed(), reflected(), refused()], {
      generatedAt: at,
    }).split('\n');
    let cols = 0;
    for (const line of lines) {
      if (!line.startsWith('|')) {
        cols = 0;
        continue;
      }
      const n = line.replace(/\\\|/g, '').split('|').length - 2;
      if (cols === 0) cols = n;
      else expect(n, line).toBe(cols);
    }
  });
});

describe('Markdown report for many calls', () => {
  test('a summary table, then each call', () => {
    const md = reportMarkdown([blockedPreflight(), reflected()], { generatedAt: at, title: 'Blocked calls' });
    expect(md).toMatch(/^# Blocked calls\n/);
    expect(md).toContain('| 1 | Blocked | PUT |');
    expect(md).toContain('| 2 | Allowed | GET |');
    expect(md).toContain('without Vary: Origin (fine if the value is fixed)** (info');
    expect(md).toContain('secrets redacted');
    expect(md).not.toContain('eyJhbGciOi');
  });

  test('no secrets unless redaction is off', () => {
    expect(reportMarkdown([reflected()], { redact: false })).toContain('Bearer eyJhbGciOi.payload.sig');
    expect(reportMarkdown([reflected()], { redact: false })).toContain('secrets NOT redacted');
  });
});

describe('Markdown report: the stack the recipe is for', () => {
  test('quotes the evidence when the responses point at a stack', () => {
    const md = reportMarkdown([blockedPreflight()], { generatedAt: at });
    expect(md).toContain('Server stack: looks like nginx (high confidence, from `Server: nginx`).');
  });

  test('says unknown, and that the code is an example, when nothing points at one', () => {
    const e = blockedPreflight();
    const pf = e.exchange.legs[0]!.preflight!.response!;
    pf.headers = pf.headers.filter((x) => x.name !== 'Server');
    const md = reportMarkdown([{ exchange: e.exchange, verdict: evaluate(e.exchange) }], { generatedAt: at });
    expect(md).toContain('Server stack: unknown — nothing in the responses points at one.');
    expect(md).not.toContain('looks like');
  });

  test('shows no stack line when the user picked the stack', () => {
    const md = reportMarkdown([blockedPreflight()], { generatedAt: at, preferredStack: 'express' });
    expect(md).not.toContain('Server stack:');
  });
});

describe('the other browser', () => {
  test("a Firefox verdict's summary says what Chrome would decide", () => {
    const e = blockedPreflight();
    const verdict = evaluate(e.exchange, { browser: 'firefox' });
    expect(verdict.otherBrowser).toBeDefined();
    const md = callMarkdown({ ...e, verdict }, { redact: false });
    expect(md).toContain('| Verdict by | Firefox');
    expect(md).toMatch(new RegExp(`\\| In Chrome \\| .+ \\|`));
  });
});
