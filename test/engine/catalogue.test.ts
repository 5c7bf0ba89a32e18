/**
 * The catalogue covers Chrome's whole `Network.CorsError` enum (read from the devtools-protocol package): every value maps to a
 * kind, or is listed here as not observable through webRequest, with the reason.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import {
  CHROME_CORS_ERRORS,
  FIREFOX_REASONS,
  KIND_IDS,
  KINDS,
  isChromeCorsError,
  isKind,
  kindInfo,
  kindsForChromeError,
  normalizeChromeError,
  type Kind,
} from '../../src/engine/catalogue';

/** CDP's `Network.CorsError` enum, as the devtools-protocol package ships it. */
function cdpCorsErrors(): string[] {
  const file = createRequire(import.meta.url).resolve('devtools-protocol/json/browser_protocol.json');
  const protocol = JSON.parse(readFileSync(file, 'utf8')) as {
    domains: { domain: string; types?: { id: string; enum?: string[] }[] }[];
  };
  const network = protocol.domains.find((d) => d.domain === 'Network');
  const values = network?.types?.find((t) => t.id === 'CorsError')?.enum;
  if (!values) throw new Error(`${file} has no Network.CorsError enum`);
  return values;
}

const CDP_CORS_ERRORS = cdpCorsErrors();

/** Not observable through webRequest (docs/cors-failures.md §1.4, §3D, §7). */
const NOT_OBSERVABLE: Record<string, string> = {
  InvalidResponse:
    'only used in warnings; the preflight network error is reported as preflight-network-error',
  NoCorsRedirectModeNotFollow: 'rejected in the renderer before any request is made',
  PreflightMissingAllowExternal: 'dead 2020 draft, never emitted by current Chrome',
  PreflightInvalidAllowExternal: 'dead 2020 draft, never emitted by current Chrome',
};

describe('catalogue', () => {
  it("names exactly CDP's CorsError values, each mapped to a kind or explained", () => {
    expect([...CHROME_CORS_ERRORS].sort()).toEqual([...CDP_CORS_ERRORS].sort());
    for (const name of CDP_CORS_ERRORS) {
      const kinds = kindsForChromeError(name);
      if (NOT_OBSERVABLE[name]) expect(kinds, name).toEqual([]);
      else expect(kinds.length, name).toBeGreaterThan(0);
    }
  });

  it('accepts old names and the mojom k-prefix', () => {
    expect(normalizeChromeError('InsecurePrivateNetwork')).toBe('InsecureLocalNetwork');
    expect(normalizeChromeError('InvalidPrivateNetworkAccess')).toBe('InvalidLocalNetworkAccess');
    expect(normalizeChromeError('kPreflightInvalidStatus')).toBe('PreflightInvalidStatus');
    expect(kindsForChromeError('kInsecurePrivateNetwork')).toEqual(['lna-insecure-initiator']);
  });

  it('has one row per kind id, in the order of the id list', () => {
    expect(KINDS.map((k) => k.id)).toEqual([...KIND_IDS]);
    for (const id of KIND_IDS) expect(kindInfo(id).id).toBe(id);
  });

  it('has no fallback row: an unknown kind is an error, not a made-up row', () => {
    expect(() => kindInfo('no-such-kind' as Kind)).toThrow(/Unknown verdict kind: no-such-kind/);
  });

  it('lists only the Firefox reasons some kind maps to', () => {
    const used = new Set(KINDS.map((k) => k.firefox).filter((f) => f !== undefined));
    expect([...FIREFOX_REASONS].sort()).toEqual([...used].sort());
  });

  it('type guards accept the closed sets only', () => {
    expect(isKind('header-not-allowed')).toBe(true);
    expect(isKind('preflight-header-not-allowed')).toBe(false);
    expect(isKind(undefined)).toBe(false);
    expect(isChromeCorsError('HeaderDisallowedByPreflightResponse')).toBe(true);
    expect(isChromeCorsError('InsecurePrivateNetwork')).toBe(false);
  });

  it('ids are unique, stable kebab-case', () => {
    const ids = KINDS.map((k) => k.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*(\.[a-z0-9]+(-[a-z0-9]+)*)?$/);
  });
});
