/**
 * The catalogue covers Chrome's whole `Network.CorsError` enum (CDP, 2026-08): every value maps to a
 * kind, or is listed here as not observable through webRequest, with the reason.
 */
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
} from '../../src/engine/catalogue';

const CDP_CORS_ERRORS = [
  'DisallowedByMode',
  'InvalidResponse',
  'WildcardOriginNotAllowed',
  'MissingAllowOriginHeader',
  'MultipleAllowOriginValues',
  'InvalidAllowOriginValue',
  'AllowOriginMismatch',
  'InvalidAllowCredentials',
  'CorsDisabledScheme',
  'PreflightInvalidStatus',
  'PreflightDisallowedRedirect',
  'PreflightWildcardOriginNotAllowed',
  'PreflightMissingAllowOriginHeader',
  'PreflightMultipleAllowOriginValues',
  'PreflightInvalidAllowOriginValue',
  'PreflightAllowOriginMismatch',
  'PreflightInvalidAllowCredentials',
  'PreflightMissingAllowExternal',
  'PreflightInvalidAllowExternal',
  'InvalidAllowMethodsPreflightResponse',
  'InvalidAllowHeadersPreflightResponse',
  'MethodDisallowedByPreflightResponse',
  'HeaderDisallowedByPreflightResponse',
  'RedirectContainsCredentials',
  'InsecureLocalNetwork',
  'InvalidLocalNetworkAccess',
  'NoCorsRedirectModeNotFollow',
  'LocalNetworkAccessPermissionDenied',
];

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
