/**
 * Origins as the Fetch and HTML standards serialize them.
 * https://html.spec.whatwg.org/multipage/browsers.html#ascii-serialisation-of-an-origin
 */
import ipaddr from 'ipaddr.js';

const CACHE_LIMIT = 512;
const urlCache = new Map<string, URL | null>();
const originCache = new Map<string, string>();

function remember<V>(cache: Map<string, V>, key: string, value: V): V {
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(key, value);
  return value;
}

/**
 * Parse a URL without throwing. Results are memoized (the same few URLs are parsed many times per
 * verdict); callers must not mutate the returned object.
 */
export function parseUrl(url: string): URL | null {
  const hit = urlCache.get(url);
  if (hit !== undefined || urlCache.has(url)) return hit ?? null;
  let u: URL | null;
  try {
    u = new URL(url);
  } catch {
    u = null;
  }
  return remember(urlCache, url, u);
}

/**
 * The origin of the usual URL without parsing it: `http://` or `https://`, a host of lower-case
 * letters, digits, `-` and `.` whose last label starts with a letter (so no IPv4 address, which the
 * URL parser rewrites: https://url.spec.whatwg.org/#concept-ipv4-parser, and no punycode `xn--`
 * label, which it checks), an optional port without leading zeros, then `/`, `?`, `#` or the end.
 * The URL parser leaves such an origin as written, minus the scheme's default port
 * (https://url.spec.whatwg.org/#default-port). Undefined for anything else: parse it.
 */
function plainOrigin(url: string): string | undefined {
  let i: number;
  let defaultPort: string;
  if (url.startsWith('https://')) {
    i = 8;
    defaultPort = '443';
  } else if (url.startsWith('http://')) {
    i = 7;
    defaultPort = '80';
  } else return undefined;
  const hostStart = i;
  let labelStart = i;
  let letterLed = false;
  for (; i < url.length; i++) {
    const c = url.charCodeAt(i);
    if (c === 0x2e) {
      if (i === labelStart) return undefined; // an empty label
      labelStart = i + 1;
    } else if ((c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c === 0x2d) {
      if (i === labelStart) letterLed = c >= 0x61 && c <= 0x7a;
    } else break;
  }
  const hostEnd = i;
  if (hostEnd === hostStart || hostEnd === labelStart || !letterLed) return undefined;
  const punycode = url.indexOf('xn--', hostStart);
  if (punycode >= 0 && punycode < hostEnd) return undefined;
  let port = '';
  if (url.charCodeAt(i) === 0x3a) {
    const portStart = ++i;
    while (i < url.length && url.charCodeAt(i) >= 0x30 && url.charCodeAt(i) <= 0x39) i++;
    port = url.slice(portStart, i);
    if (port.length === 0 || port.length > 5 || port.charCodeAt(0) === 0x30 || Number(port) > 65535)
      return undefined;
  }
  if (i < url.length) {
    const c = url.charCodeAt(i);
    if (c !== 0x2f && c !== 0x3f && c !== 0x23) return undefined;
    // Tabs and newlines anywhere are removed before parsing; leave those URLs to the parser.
    for (let k = i; k < url.length; k++) {
      const d = url.charCodeAt(k);
      if (d === 0x09 || d === 0x0a || d === 0x0d) return undefined;
    }
  }
  const host = url.slice(0, hostEnd);
  return port === '' || port === defaultPort ? host : `${host}:${port}`;
}

/** The ASCII serialization of a URL's origin: `scheme://host[:port]`, or `null` for opaque origins. */
export function originOf(url: string): string {
  const hit = originCache.get(url);
  if (hit !== undefined) return hit;
  const plain = plainOrigin(url);
  if (plain !== undefined) return remember(originCache, url, plain);
  const u = parseUrl(url);
  const o = u && (u.protocol === 'http:' || u.protocol === 'https:') ? u.origin : 'null';
  return remember(originCache, url, o);
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

/**
 * https://w3c.github.io/webappsec-secure-contexts/#is-origin-trustworthy for a serialized origin: https
 * and wss, and loopback hosts (127.0.0.0/8, ::1, `localhost` and `*.localhost`) whatever the scheme.
 * A page on such an origin is a secure context even over http.
 */
export function isPotentiallyTrustworthyOrigin(origin: string): boolean {
  const u = parseUrl(origin);
  if (!u) return false;
  if (u.protocol === 'https:' || u.protocol === 'wss:') return true;
  return (u.protocol === 'http:' || u.protocol === 'ws:') && isLoopbackOrigin(origin);
}

export type AddressSpace = 'loopback' | 'local' | 'public' | 'unknown';

const LOCAL_RANGES = new Set(['private', 'carrierGradeNat', 'linkLocal', 'uniqueLocal']);

/**
 * Local Network Access address space of a URL's host when it is an IP literal (or `localhost`).
 * https://wicg.github.io/local-network-access/#ip-address-space — ranges from ipaddr.js; `0.0.0.0`,
 * `::` and 198.18.0.0/15 count as loopback, IPv4-mapped IPv6 uses the embedded IPv4 address.
 */
export function addressSpaceOf(url: string): AddressSpace {
  const u = parseUrl(url);
  if (!u) return 'unknown';
  const host = u.hostname.replace(/^\[|\]$/g, '');
  if (host === 'localhost' || host.endsWith('.localhost')) return 'loopback';
  if (!ipaddr.isValid(host)) return host.endsWith('.local') ? 'local' : 'unknown';
  let addr = ipaddr.parse(host);
  if (addr.kind() === 'ipv6' && (addr as ipaddr.IPv6).isIPv4MappedAddress())
    addr = (addr as ipaddr.IPv6).toIPv4Address();
  const range = addr.range();
  if (range === 'loopback' || range === 'unspecified') return 'loopback';
  if (addr.kind() === 'ipv4' && addr.match(ipaddr.parseCIDR('198.18.0.0/15'))) return 'loopback';
  if (LOCAL_RANGES.has(range)) return 'local';
  if (addr.kind() === 'ipv4' && addr.match(ipaddr.parseCIDR('0.0.0.0/8'))) return 'local';
  if (
    addr.kind() === 'ipv6' &&
    (addr.match(ipaddr.parseCIDR('fec0::/10')) ||
      addr.match(ipaddr.parseCIDR('2001:db8::/32')) ||
      addr.match(ipaddr.parseCIDR('3fff::/20')))
  )
    return 'local';
  return 'public';
}
