/**
 * `check` on a redirect chain: a redirect to another origin removes Authorization from the request
 * (https://fetch.spec.whatwg.org/#http-redirect-fetch step 13), so the next hop's preflight does not
 * ask for it, and a third origin that allows only Content-Type lets the call through, as in Chromium.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runCheck } from '../../src/cli/check';
import { getHeader } from '../../src/engine/headers';

const PAGE = 'https://app.example.com';
let api: Server;
let third: Server;
let apiBase = '';
let thirdBase = '';
const asked: string[] = [];

const listen = (s: Server) =>
  new Promise<string>((r) =>
    s.listen(0, '127.0.0.1', () => r(`http://127.0.0.1:${(s.address() as AddressInfo).port}`)),
  );

beforeAll(async () => {
  // The API allows the page, Authorization included, and sends the PUT on with a 307.
  api = createServer((req, res) => {
    req.resume();
    const cors = {
      'access-control-allow-origin': PAGE,
      'access-control-allow-methods': 'PUT',
      'access-control-allow-headers': 'authorization, content-type',
    };
    if (req.method === 'OPTIONS') return void res.writeHead(204, cors).end();
    res.writeHead(307, { ...cors, location: `${thirdBase}/items/1` }).end();
  });
  // The third origin: the origin is now null (tainted); it allows any origin, PUT and Content-Type only.
  third = createServer((req, res) => {
    req.resume();
    if (req.method === 'OPTIONS') {
      asked.push(String(req.headers['access-control-request-headers'] ?? ''));
      return void res
        .writeHead(204, {
          'access-control-allow-origin': '*',
          'access-control-allow-methods': 'PUT',
          'access-control-allow-headers': 'content-type',
        })
        .end();
    }
    res.writeHead(200, { 'access-control-allow-origin': '*', 'content-type': 'application/json' }).end('{}');
  });
  apiBase = await listen(api);
  thirdBase = await listen(third);
});

afterAll(async () => {
  for (const s of [api, third]) {
    s.closeAllConnections();
    await new Promise<void>((r) => s.close(() => r()));
  }
});

it('a PUT with Authorization, 307 to a third origin whose preflight allows only Content-Type: allowed', async () => {
  const r = await runCheck(
    {
      url: `${apiBase}/items/1`,
      origin: PAGE,
      method: 'PUT',
      headers: [
        { name: 'Authorization', value: 'Bearer secret' },
        { name: 'Content-Type', value: 'application/json' },
      ],
      credentials: false,
    },
    { defaults: { userAgent: 'test' } },
  );
  expect(r.exchange.legs.map((l) => l.url)).toEqual([`${apiBase}/items/1`, `${thirdBase}/items/1`]);
  // The second hop's preflight asked for content-type only, and its request carried no Authorization.
  expect(asked).toEqual(['content-type']);
  expect(getHeader(r.exchange.legs[1]?.requestHeaders, 'authorization')).toBe(null);
  expect(getHeader(r.exchange.legs[1]?.requestHeaders, 'origin')).toBe('null');
  expect(r.verdict.outcome).toBe('allowed');
});
