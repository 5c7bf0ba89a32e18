/**
 * Sites: the one definition of "the same site" that verdicts, findings, reports and the command line
 * share. A site is a host's registrable domain (https://html.spec.whatwg.org/#obtain-a-site), which needs
 * the Public Suffix List: `co.uk` and `github.io` are public suffixes, so `a.github.io` and `b.github.io`
 * are different sites. tldts (npm) ships the list, private section included.
 *
 * {@link siteOf} is schemeless: `http://x.example.com` and `https://x.example.com` are one host on two
 * schemes, not unrelated sites. Where the Fetch standard compares sites schemefully (`Sec-Fetch-Site`),
 * the caller compares the schemes as well.
 */
import { parse } from 'tldts';
import { parseUrl } from './origin';

const PSL = { allowPrivateDomains: true } as const;

/**
 * The site of a host name: its registrable domain (`api.example.co.uk` → `example.co.uk`); the host
 * itself for an IP address, a single label (`localhost`) or a public suffix (`github.io`). Lower case,
 * without a trailing dot; IPv6 in brackets.
 */
export function siteOfHost(hostname: string): string {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  if (host.startsWith('[') || host.includes(':')) return host.startsWith('[') ? host : `[${host}]`;
  const p = parse(host, PSL);
  if (p.isIp) return host;
  return p.domain ?? host;
}

/**
 * The schemeless site of an origin or URL (`https://api.example.com:8443/x` → `example.com`); the
 * input as it is when it has no host (`null`, `data:`, unparsable), so that it is its own site.
 */
export function siteOf(originOrUrl: string): string {
  const u = parseUrl(originOrUrl);
  if (!u || !u.hostname || (u.protocol !== 'http:' && u.protocol !== 'https:')) return originOrUrl;
  return siteOfHost(u.hostname);
}

/** Two origins or URLs on one site, whatever their schemes and ports. */
export function sameSite(a: string, b: string): boolean {
  return siteOf(a) === siteOf(b);
}
