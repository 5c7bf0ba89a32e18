/**
 * Origins as the Fetch and HTML standards serialize them.
 * https://html.spec.whatwg.org/multipage/browsers.html#ascii-serialisation-of-an-origin
 */

/** Parse a URL without throwing. */
export function parseUrl(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/** The ASCII serialization of a URL's origin: `scheme://host[:port]`, or `null` for opaque origins. */
export function originOf(url: string): string {
  const u = parseUrl(url);
  if (!u) return 'null';
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return 'null';
  return u.origin;
}

/** https://fetch.spec.whatwg.org/#http-scheme */
export function isHttpScheme(url: string): boolean {
  const u = parseUrl(url);
  return !!u && (u.protocol === 'http:' || u.protocol === 'https:');
}

/** A URL's username or password is non-empty (https://url.spec.whatwg.org/#include-credentials). */
export function includesCredentials(url: string): boolean {
  const u = parseUrl(url);
  return !!u && (u.username !== '' || u.password !== '');
}

/**
 * The request origins a chain of legs sends, per the redirect-taint rule.
 * https://fetch.spec.whatwg.org/#concept-request-tainted-origin — a request is tainted once, for some
 * URL in its URL list after the first, that URL's origin is not same origin with the previous URL's
 * origin and the request's origin is not same origin with the previous URL's origin. From then on
 * `Origin` serializes as `null` (https://fetch.spec.whatwg.org/#serializing-a-request-origin).
 * Chrome implements the same rule (`CorsURLLoader` `tainted_`).
 */
export function originsAlongChain(requestOrigin: string, urls: readonly string[]): string[] {
  const out: string[] = [];
  let tainted = requestOrigin === 'null';
  for (let i = 0; i < urls.length; i++) {
    if (i > 0) {
      const prev = originOf(urls[i - 1] ?? '');
      const cur = originOf(urls[i] ?? '');
      if (cur !== prev && requestOrigin !== prev) tainted = true;
    }
    out.push(tainted ? 'null' : requestOrigin);
  }
  return out;
}

/** True for `http://localhost`, `127.0.0.0/8` and `[::1]` (potentially trustworthy loopback). */
export function isLoopbackOrigin(origin: string): boolean {
  const u = parseUrl(origin);
  if (!u) return false;
  const h = u.hostname;
  return h === 'localhost' || h.endsWith('.localhost') || /^127\./.test(h) || h === '[::1]';
}
