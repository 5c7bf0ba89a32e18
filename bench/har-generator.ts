/**
 * The Chrome DevTools-shaped HAR the `har` benchmarks read (bench/cli.bench.ts, bench/har-stream.bench.ts):
 * allowed GETs, preflighted PUTs, blocked GETs (no Access-Control-Allow-Origin) and DELETEs whose
 * preflight does not allow the method, in turn. Written entry by entry, so that the generator never
 * holds a 1 GB file either. `bodyRepeat` repeats a ~50-byte JSON text in each answered response's
 * `content.text` (0: no body, as an export without content).
 */
import { createWriteStream } from 'node:fs';

const PAGE = 'http://127.0.0.1:8801';
const API = 'http://127.0.0.1:8802';
const T0 = Date.parse('2026-01-01T00:00:00Z');

const headers = (o: Record<string, string>) =>
  JSON.stringify(Object.entries(o).map(([name, value]) => ({ name, value })));

export async function writeDevtoolsHar(file: string, entries: number, bodyRepeat: number): Promise<void> {
  const out = createWriteStream(file);
  const write = (s: string) =>
    out.write(s) ? Promise.resolve() : new Promise<void>((r) => out.once('drain', () => r()));
  // A JSON body with escapes, so that a parser cannot skip through it.
  const body = JSON.stringify(
    `${'{"id": 1, "name": "x\\ty", "tags": ["a", "b"]} '.repeat(bodyRepeat)}${bodyRepeat ? '\n' : ''}`,
  );
  const entry = (
    i: number,
    method: string,
    url: string,
    type: string,
    req: Record<string, string>,
    status: number,
    res: Record<string, string>,
    error?: string,
  ) =>
    `{"startedDateTime":"${new Date(T0 + i * 3).toISOString()}","time":2,"request":{"method":"${method}","url":"${url}","httpVersion":"HTTP/1.1","headers":${headers(req)},"queryString":[],"cookies":[],"headersSize":-1,"bodySize":0},"response":{"status":${status},"statusText":"","httpVersion":"HTTP/1.1","headers":${headers(res)},"cookies":[],"content":{"size":${status && bodyRepeat ? body.length : 0},"mimeType":"application/json"${status && bodyRepeat ? `,"text":${body}` : ''}},"redirectURL":"","headersSize":-1,"bodySize":-1${error ? `,"_error":"${error}"` : ''}},"cache":{},"timings":{"send":0,"wait":2,"receive":0},"_resourceType":"${type}","_initiator":${type === 'preflight' ? `{"type":"preflight","url":"${url}"}` : '{"type":"script"}'},"pageref":"page_1"}`;
  const origin = { Origin: PAGE, Accept: '*/*', 'User-Agent': 'Mozilla/5.0' };
  await write(
    `{"log":{"version":"1.2","creator":{"name":"WebInspector","version":"537.36"},"pages":[{"id":"page_1","title":"${PAGE}/","startedDateTime":"${new Date(T0).toISOString()}","pageTimings":{}}],"entries":[`,
  );
  let written = 0;
  for (let i = 0; written < entries; i++) {
    const url = `${API}/items/${i}?page=${i % 7}`;
    const list: string[] = [];
    switch (i % 5) {
      case 0:
      case 1:
        list.push(
          entry(i, 'GET', url, 'fetch', origin, 200, {
            'Access-Control-Allow-Origin': PAGE,
            'Content-Type': 'application/json',
          }),
        );
        break;
      case 2:
        list.push(
          entry(
            i,
            'PUT',
            url,
            'fetch',
            { ...origin, 'X-Test': '1', 'Content-Type': 'application/json' },
            200,
            { 'Access-Control-Allow-Origin': PAGE },
          ),
          entry(
            i,
            'OPTIONS',
            url,
            'preflight',
            {
              ...origin,
              'Access-Control-Request-Method': 'PUT',
              'Access-Control-Request-Headers': 'content-type,x-test',
            },
            204,
            {
              'Access-Control-Allow-Origin': PAGE,
              'Access-Control-Allow-Methods': 'PUT',
              'Access-Control-Allow-Headers': 'content-type, x-test',
            },
          ),
        );
        break;
      case 3:
        list.push(
          entry(
            i,
            'GET',
            url,
            'fetch',
            origin,
            200,
            { 'Content-Type': 'application/json' },
            'net::ERR_FAILED',
          ),
        );
        break;
      default:
        list.push(
          entry(i, 'DELETE', url, 'fetch', origin, 0, {}, 'net::ERR_FAILED'),
          entry(
            i,
            'OPTIONS',
            url,
            'preflight',
            { ...origin, 'Access-Control-Request-Method': 'DELETE' },
            204,
            { 'Access-Control-Allow-Origin': PAGE, 'Access-Control-Allow-Methods': 'GET, PUT' },
          ),
        );
    }
    for (const e of list) {
      if (written >= entries) break;
      await write(written ? `,${e}` : e);
      written++;
    }
  }
  await write(']}}\n');
  await new Promise<void>((r) => out.end(() => r()));
}
