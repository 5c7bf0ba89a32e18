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
      if (r.crossOrigin !== null) img.crossOrigin = r.crossOrigin ?? 'anonymous';
      return new Promise((resolve) => {
        img.onload = () => resolve('ok');
        img.onerror = () => resolve('error');
        img.src = r.url;
      });
    }
    if (r.kind === 'font') {
      const family = `f${Math.random().toString(36).slice(2)}`;
      const style = document.createElement('style');
      style.textContent = `@font-face { font-family: ${family}; src: url("${r.url}"); }`;
      document.head.append(style);
      try {
        const faces = await document.fonts.load(`16px ${family}`);
        return faces.length ? 'ok' : 'error';
      } catch (e) {
        return String(e);
      }
    }
    if (r.kind === 'module') {
      const el = document.createElement('script');
      el.type = 'module';
      if (r.crossOrigin) el.crossOrigin = r.crossOrigin;
      return new Promise((resolve) => {
        el.onload = () => resolve('ok');
        el.onerror = () => resolve('error');
        el.src = r.url;
        document.head.append(el);
      });
    }
    if (r.kind === 'import') {
      try {
        // Through eval, so that no transpiler rewrites the dynamic import.
        await ((0, eval)('(u) => import(u)') as (u: string) => Promise<unknown>)(r.url);
        return 'ok';
      } catch (e) {
        return String(e);
      }
    }
    if (r.kind === 'eventsource') {
      const es = new EventSource(r.url, { withCredentials: r.crossOrigin === 'use-credentials' });
      return new Promise((resolve) => {
        let got = false;
        es.onmessage = () => {
          got = true;
        };
        // After the one event the server ends the stream (error, reconnect in an hour): close it then.
        es.onerror = () => {
          es.close();
          resolve(got ? 'ok' : 'error');
        };
      });
    }
    try {
      const init: RequestInit = {};
      if (r.keepalive) init.keepalive = true;
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
