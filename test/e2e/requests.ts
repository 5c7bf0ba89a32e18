/**
 * Making a scenario's requests inside a browser context (page, dedicated worker, iframe or service
 * worker). {@link makeRequests} is shipped as source text ({@link REQUESTS_SOURCE}), so it runs wherever
 * it is evaluated; it reads each body and returns `ok <status>` or the error's text per request.
 */
import type { Req } from './scenarios';

export async function makeRequests(reqs: Req[], sequential: boolean): Promise<string[]> {
  const out: string[] = [];
  const one = async (r: Req): Promise<string> => {
    if (r.kind === 'img') {
      const img = new Image();
      if (r.crossOrigin !== null) img.crossOrigin = 'anonymous';
      return new Promise((resolve) => {
        img.onload = () => resolve('ok');
        img.onerror = () => resolve('error');
        img.src = r.url;
      });
    }
    try {
      const init: RequestInit = {};
      if (r.method) init.method = r.method;
      if (r.headers) init.headers = r.headers;
      if (r.credentials) init.credentials = r.credentials;
      if (r.body !== undefined) init.body = r.body;
      if (r.mode) init.mode = r.mode;
      if (r.abortAfterMs !== undefined) {
        const controller = new AbortController();
        init.signal = controller.signal;
        setTimeout(() => controller.abort(), r.abortAfterMs);
      }
      const res = await fetch(r.url, init);
      await res.text();
      return `ok ${res.status}`;
    } catch (e) {
      return String(e);
    }
  };
  if (sequential) for (const r of reqs) out.push(await one(r));
  else out.push(...(await Promise.all(reqs.map(one))));
  return out;
}

/** `(a) => makeRequests(a.reqs, a.sequential)` as source text, for `eval` in any context. */
export const REQUESTS_SOURCE = `(a) => (${makeRequests.toString()})(a.reqs, a.sequential)`;

/** True when a result string from {@link makeRequests} says the page could read the response. */
export const readable = (result: string): boolean => result.startsWith('ok');
