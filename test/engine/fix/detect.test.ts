import { describe, expect, it } from 'vitest';
import { detectStack, detectStacks } from '../../../src/engine/fix';
import type { HeaderList } from '../../../src/engine/types';

const h = (pairs: [string, string][]): HeaderList => pairs.map(([name, value]) => ({ name, value }));

describe('detectStack', () => {
  it.each([
    [[['X-Powered-By', 'Express']], 'express', 'high', 'X-Powered-By: Express'],
    [[['x-powered-by', 'express']], 'express', 'high', 'X-Powered-By: express'],
    [[['Server', 'nginx/1.22.1']], 'nginx', 'high', 'Server: nginx/1.22.1'],
    [[['Server', 'openresty']], 'nginx', 'high', 'Server: openresty'],
    [[['Server', 'Apache/2.4.57 (Debian)']], 'apache', 'high', 'Server: Apache/2.4.57 (Debian)'],
    [[['Server', 'Caddy']], 'caddy', 'high', 'Server: Caddy'],
    [[['Via', '1.1 Caddy']], 'caddy', 'high', 'Via: 1.1 Caddy'],
    [[['Set-Cookie', 'csrftoken=abc; Path=/; SameSite=Lax']], 'django', 'high', 'Set-Cookie: csrftoken=…'],
    [[['Set-Cookie', 'sessionid=abc; HttpOnly']], 'django', 'medium', 'Set-Cookie: sessionid=…'],
    [
      [['Server', 'WSGIServer/0.2 CPython/3.11.4']],
      'django',
      'medium',
      'Server: WSGIServer/0.2 CPython/3.11.4',
    ],
    [[['Server', 'Werkzeug/3.0.1 Python/3.11.4']], 'flask', 'high', 'Server: Werkzeug/3.0.1 Python/3.11.4'],
    [[['server', 'uvicorn']], 'fastapi', 'medium', 'Server: uvicorn'],
    [[['Set-Cookie', 'JSESSIONID=1A2B; Path=/; HttpOnly']], 'spring', 'medium', 'Set-Cookie: JSESSIONID=…'],
    [
      [['X-Application-Context', 'application:8080']],
      'spring',
      'high',
      'X-Application-Context: application:8080',
    ],
    [[['Set-Cookie', 'ASP.NET_SessionId=x; path=/']], 'aspnet', 'high', 'Set-Cookie: ASP.NET_SessionId=…'],
    [[['X-AspNet-Version', '4.0.30319']], 'aspnet', 'high', 'X-AspNet-Version: 4.0.30319'],
    [[['Server', 'Kestrel']], 'aspnet', 'high', 'Server: Kestrel'],
    [
      [
        ['cf-ray', '8a1b2c3d4e5f-AMS'],
        ['Server', 'cloudflare'],
      ],
      'cloudflare-workers',
      'medium',
      'CF-Ray: 8a1b2c3d4e5f-AMS',
    ],
    [[['apigw-requestid', 'Yx1abc=']], 'aws-apigateway', 'high', 'Apigw-Requestid: Yx1abc='],
    [[['x-amzn-RequestId', '7f3e...']], 'aws-apigateway', 'medium', 'x-amzn-RequestId: 7f3e...'],
    [
      [
        ['x-amz-request-id', 'ABCDEF'],
        ['Server', 'AmazonS3'],
      ],
      'aws-s3',
      'high',
      'Server: AmazonS3, x-amz-request-id: ABCDEF',
    ],
  ] as [[string, string][], string, string, string][])(
    '%j -> %s (%s)',
    (pairs, stack, confidence, evidence) => {
      expect(detectStack([h(pairs)])).toEqual({ stack, confidence, evidence });
    },
  );

  it('returns undefined when nothing gives the stack away', () => {
    expect(detectStack([])).toBeUndefined();
    expect(
      detectStack([
        h([
          ['Content-Type', 'application/json'],
          ['Vary', 'Origin'],
        ]),
      ]),
    ).toBeUndefined();
    expect(detectStack([h([['Server', 'gws']])])).toBeUndefined();
  });

  it('x-amz-request-id alone (without Server: AmazonS3) is not S3', () => {
    expect(detectStack([h([['x-amz-request-id', 'ABC']])])).toBeUndefined();
  });

  it('Apache-Coyote (Tomcat) is Java, not Apache httpd', () => {
    expect(detectStack([h([['Server', 'Apache-Coyote/1.1']])])?.stack).toBe('spring');
  });

  it('prefers the application framework over the proxy and the CDN in front of it', () => {
    const preflight = h([
      ['Server', 'cloudflare'],
      ['CF-RAY', '1-AMS'],
    ]);
    const actual = h([
      ['Server', 'nginx'],
      ['X-Powered-By', 'Express'],
    ]);
    expect(detectStacks([preflight, actual]).map((g) => g.stack)).toEqual([
      'express',
      'nginx',
      'cloudflare-workers',
    ]);
  });

  it('keeps the strongest evidence for a stack seen several times', () => {
    const lists = [h([['Set-Cookie', 'sessionid=1']]), h([['Set-Cookie', 'csrftoken=2']])];
    expect(detectStack(lists)).toEqual({
      stack: 'django',
      confidence: 'high',
      evidence: 'Set-Cookie: csrftoken=…',
    });
  });

  it('reads cookie names from a newline-joined Set-Cookie and ignores header lines without value', () => {
    const list: HeaderList = [{ name: 'Set-Cookie', value: 'a=1\nJSESSIONID=2' }, { name: 'X-Powered-By' }];
    expect(detectStack([list])?.stack).toBe('spring');
  });
});

describe('detectStacks from how the CORS layer behaves (responses measured from the real libraries)', () => {
  const r = (statusCode: number, pairs: [string, string][]) => ({ statusCode, headers: h(pairs) });
  it.each([
    [
      'cors package refusing an origin: 204 with its lists, no ACAO',
      r(204, [
        ['Vary', 'Origin'],
        ['Access-Control-Allow-Methods', 'GET,POST,PUT'],
        ['Access-Control-Allow-Headers', 'X-Test'],
      ]),
      'express',
      'medium',
    ],
    [
      '@koa/cors refusal falling through to Koa 404',
      r(404, [
        ['Vary', 'Origin'],
        ['Content-Type', 'text/plain; charset=utf-8'],
      ]),
      'koa',
      'medium',
    ],
    [
      '@fastify/cors preflight answer',
      r(204, [
        ['vary', 'Origin'],
        ['access-control-allow-origin', 'http://a.test'],
        ['access-control-allow-methods', 'GET, POST, PUT'],
        ['access-control-allow-headers', 'X-Test'],
        ['content-length', '0'],
        ['Date', 'Mon, 30 Nov 2026 08:30:39 GMT'],
        ['Connection', 'keep-alive'],
      ]),
      'fastify',
      'medium',
    ],
    [
      'Starlette refusal',
      r(400, [
        ['vary', 'Origin'],
        ['access-control-allow-methods', 'GET, POST, PUT'],
        ['access-control-max-age', '600'],
        ['content-type', 'text/plain; charset=utf-8'],
      ]),
      'fastapi',
      'medium',
    ],
    [
      'Starlette allow list',
      r(200, [
        ['access-control-allow-headers', 'Accept, Accept-Language, Content-Language, Content-Type, X-Test'],
      ]),
      'fastapi',
      'high',
    ],
    [
      'django-cors-headers default allow list',
      r(200, [
        ['Vary', 'Origin'],
        [
          'Access-Control-Allow-Headers',
          'accept, accept-encoding, authorization, content-type, dnt, origin, user-agent, x-csrftoken, x-requested-with',
        ],
      ]),
      'django',
      'high',
    ],
    [
      "Django's SecurityMiddleware defaults",
      r(404, [
        ['X-Frame-Options', 'DENY'],
        ['X-Content-Type-Options', 'nosniff'],
        ['Referrer-Policy', 'same-origin'],
        ['Cross-Origin-Opener-Policy', 'same-origin'],
      ]),
      'django',
      'medium',
    ],
    [
      "Flask's automatic OPTIONS after Flask-CORS refused",
      r(200, [
        ['Content-Type', 'text/html; charset=utf-8'],
        ['Allow', 'POST, PUT, OPTIONS, HEAD, GET, DELETE'],
      ]),
      'flask',
      'medium',
    ],
    [
      'rs/cors refusal: three Vary lines, no body',
      r(200, [
        ['Vary', 'Origin'],
        ['Vary', 'Access-Control-Request-Method'],
        ['Vary', 'Access-Control-Request-Headers'],
      ]),
      'go',
      'medium',
    ],
    [
      "Spring's 403 refusal",
      r(403, [
        ['Vary', 'Origin'],
        ['Vary', 'Access-Control-Request-Method'],
        ['Vary', 'Access-Control-Request-Headers'],
        ['Content-Type', 'text/plain'],
      ]),
      'spring',
      'medium',
    ],
  ])('%s', (_name, response, stack, confidence) => {
    const guess = detectStack([response]);
    expect(guess?.stack).toBe(stack);
    expect(guess?.confidence).toBe(confidence);
    // The evidence quotes what was seen.
    expect(guess?.evidence.length).toBeGreaterThan(10);
  });

  it('does not take any lower-case Node answer (or HTTP/2, where every name is lower case) for Fastify', () => {
    const plain = r(204, [
      ['access-control-allow-origin', 'http://a.test'],
      ['access-control-allow-methods', 'GET, PUT'],
      ['cache-control', 'no-store'],
      ['Date', 'Mon, 30 Nov 2026 08:30:39 GMT'],
    ]);
    expect(detectStack([plain])).toBeUndefined();
    const h2 = r(204, [
      ['vary', 'Origin'],
      ['access-control-allow-methods', 'GET, PUT'],
      ['content-length', '0'],
      ['date', 'Mon, 30 Nov 2026 08:30:39 GMT'],
    ]);
    expect(detectStack([h2])).toBeUndefined();
  });

  it('says nothing when nothing points at a stack', () => {
    expect(detectStack([r(204, [['access-control-allow-origin', '*']])])).toBeUndefined();
    expect(detectStack([r(200, [['Content-Type', 'application/json']])])).toBeUndefined();
    expect(detectStack([])).toBeUndefined();
  });

  it('keeps what a stack says about itself above its behaviour', () => {
    const g = detectStacks([
      r(204, [
        ['X-Powered-By', 'Express'],
        ['Access-Control-Allow-Methods', 'GET,POST'],
      ]),
    ]);
    expect(g[0]).toMatchObject({ stack: 'express', confidence: 'high', evidence: 'X-Powered-By: Express' });
  });

  it('still reads plain header lists', () => {
    expect(detectStack([h([['Server', 'nginx']])])?.stack).toBe('nginx');
  });
});
