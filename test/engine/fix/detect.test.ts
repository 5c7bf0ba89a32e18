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
