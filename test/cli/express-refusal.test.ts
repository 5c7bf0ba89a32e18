/**
 * The seed article's "proper" Express setup, exactly as it is written there, against `check`: an
 * origin on the list is allowed; any other gets Express's 500 error page without CORS headers, and the
 * fix names the origin function's refusal first (the body, "Not allowed by CORS", decides).
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import cors from 'cors';
import express from 'express';
import { runCheck } from '../../src/cli/check';
import { renderCall } from '../../src/cli/render';
import { createColors } from 'picocolors';
import { expressOriginRefusal } from '../../src/engine/explain/express-refusal';

const ALLOWED = 'https://app.example.com';
let server: Server;
let base = '';

beforeAll(async () => {
  const app = express();
  // The article's code, verbatim.
  const allowedOrigins = ['https://app.example.com', 'https://admin.example.com'];
  app.use(
    cors({
      origin: function (origin, callback) {
        if (!origin || allowedOrigins.indexOf(origin) !== -1) {
          callback(null, true);
        } else {
          callback(new Error('Not allowed by CORS'));
        }
      },
      credentials: true,
    }),
  );
  app.get('/api/data', (_req, res) => {
    res.json({ ok: true });
  });
  app.put('/api/data', (_req, res) => {
    res.json({ ok: true });
  });
  server = await new Promise<Server>((done) => {
    const s = app.listen(0, '127.0.0.1', () => done(s));
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server?.closeAllConnections();
  await new Promise<void>((r) => server?.close(() => r()));
});

const colors = createColors(false);

const check = (origin: string, method = 'GET', credentials = true) =>
  runCheck(
    {
      url: `${base}/api/data`,
      origin,
      method,
      headers: method === 'PUT' ? [{ name: 'Content-Type', value: 'application/json' }] : [],
      credentials,
    },
    { defaults: { userAgent: 'test' } },
  );

describe("the article's Express origin function", () => {
  it('an origin on the list is allowed', async () => {
    const r = await check(ALLOWED);
    expect(r.verdict.outcome).toBe('allowed');
  });

  it('another origin: 500 without CORS headers, and the fix names the refusal first', async () => {
    const page = 'https://shop.example.org';
    const r = await check(page);
    expect(r.verdict.outcome).toBe('blocked');
    expect(r.exchange.legs[0]?.response?.statusCode).toBe(500);
    expect(r.exchange.legs[0]?.response?.bodyStart).toContain('Not allowed by CORS');
    expect(r.verdict.title).toBe(`The cors origin function refused ${page} (500 without CORS headers)`);
    expect(r.verdict.explanation[0]).toContain("calls back `new Error('Not allowed by CORS')`");
    expect(r.verdict.explanation[0]).toContain('`(null, false)`');
    expect(r.verdict.fix?.summary).toMatch(
      /^Add https:\/\/shop\.example\.org to the origins the cors `origin` function accepts/,
    );
    const text = renderCall(colors, r.exchange, r.verdict);
    // The note is printed with the recipe (the responses say Express: its recipe is shown).
    expect(text.replace(/\s+/g, ' ')).toContain('call back (null, false), not new Error');
    expect(text).toContain('Express (cors package)');
  });

  it('a preflighted PUT from another origin: the preflight gets the 500, and the same cause is named', async () => {
    const r = await check('https://shop.example.org', 'PUT');
    expect(r.verdict.kind).toBe('preflight-missing-allow-origin');
    expect(r.verdict.title).toMatch(/^The cors origin function refused/);
  });
});

describe('the refusal reading', () => {
  const express500 = [
    { name: 'X-Powered-By', value: 'Express' },
    { name: 'Content-Type', value: 'text/html; charset=utf-8' },
  ];
  it('a readable body decides: without the phrase it is not the origin function', () => {
    expect(
      expressOriginRefusal({ statusCode: 500, headers: express500, bodyStart: 'TypeError: x is undefined' }),
    ).toBe(undefined);
    expect(
      expressOriginRefusal({ statusCode: 500, headers: [], bodyStart: 'Error: Not allowed by CORS<br>' }),
    ).toEqual({
      certain: true,
      evidence: 'its body says "Not allowed by CORS"',
    });
  });
  it('without a body, the Express fingerprint makes it the likely cause; not for a 4xx or with CORS headers', () => {
    expect(expressOriginRefusal({ statusCode: 500, headers: express500 })?.certain).toBe(false);
    expect(expressOriginRefusal({ statusCode: 404, headers: express500 })).toBe(undefined);
    expect(
      expressOriginRefusal({
        statusCode: 500,
        headers: [...express500, { name: 'Access-Control-Allow-Origin', value: ALLOWED }],
      }),
    ).toBe(undefined);
    expect(expressOriginRefusal({ statusCode: 500, headers: [{ name: 'Server', value: 'nginx' }] })).toBe(
      undefined,
    );
  });
});

describe('in a HAR with content', () => {
  it('the error page kept in content.text decides, base64 or not', async () => {
    const { explainHarText } = await import('../../src/har');
    const entry = (text: string, encoding?: string) => ({
      startedDateTime: '2026-11-30T07:41:48.665Z',
      time: 3,
      request: {
        method: 'GET',
        url: 'https://api.example.net/api/data',
        httpVersion: 'HTTP/1.1',
        headers: [{ name: 'Origin', value: 'https://shop.example.org' }],
        queryString: [],
        cookies: [],
        headersSize: -1,
        bodySize: 0,
      },
      response: {
        status: 500,
        statusText: 'Internal Server Error',
        httpVersion: 'http/1.1',
        headers: [{ name: 'Content-Type', value: 'text/html; charset=utf-8' }],
        cookies: [],
        content: { size: text.length, mimeType: 'text/html', text, ...(encoding ? { encoding } : {}) },
        redirectURL: '',
        headersSize: -1,
        bodySize: -1,
        _error: 'net::ERR_FAILED',
      },
      cache: {},
      timings: { send: 0, wait: 1, receive: 0 },
      _resourceType: 'fetch',
    });
    const page = '<pre>Error: Not allowed by CORS<br> &nbsp; &nbsp;at origin (/app/server.js:9:18)</pre>';
    for (const e of [entry(page), entry(btoa(page), 'base64')]) {
      const r = explainHarText(
        JSON.stringify({
          log: { version: '1.2', creator: { name: 'WebInspector', version: '1' }, pages: [], entries: [e] },
        }),
      );
      expect(r.ok).toBe(true);
      if (!r.ok) continue;
      expect(r.calls[0]?.verdict.title).toBe(
        'The cors origin function refused https://shop.example.org (500 without CORS headers)',
      );
    }
    // Another error page: not the origin function (no Express fingerprint either).
    const other = explainHarText(
      JSON.stringify({
        log: {
          version: '1.2',
          creator: { name: 'WebInspector', version: '1' },
          pages: [],
          entries: [entry('<h1>Bad gateway</h1>')],
        },
      }),
    );
    expect(other.ok && other.calls[0]?.verdict.title).not.toMatch(/origin function/);
  });
});
