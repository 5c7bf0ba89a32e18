/**
 * The one catalogue of verdict kinds. Every id is stable (reports and tests key on it) and maps to
 * Chrome's `Network.CorsError` name (CDP) and Firefox's reason key, so users can search either.
 * Rows follow docs/cors-failures.md §3A–3H.
 */
import { KIND_ROWS, type KindInfo, type KindRow } from './kind-rows';
import { KIND_IDS, type Kind } from './kinds';

export {
  CHROME_CORS_ERRORS,
  FIREFOX_REASONS,
  KIND_IDS,
  isChromeCorsError,
  isKind,
  type ChromeCorsError,
  type FirefoxReason,
  type Kind,
} from './kinds';

export type { KindInfo, KindRow };

/** The catalogue in {@link KIND_IDS} order. */
export const KINDS: readonly KindInfo[] = KIND_IDS.map((id) => {
  const r: KindRow = KIND_ROWS[id];
  return {
    id,
    outcome: r.outcome,
    step: r.step,
    section: r.section,
    label: r.label,
    chromeError: r.chromeError,
    firefox: r.firefox,
  };
});

const BY_ID: ReadonlyMap<Kind, KindInfo> = new Map(KINDS.map((x) => [x.id, x]));

/** The catalogue row of a kind. Throws for a string that is not a {@link Kind} (a bug upstream). */
export function kindInfo(id: Kind): KindInfo {
  const info = BY_ID.get(id);
  if (!info) throw new Error(`Unknown verdict kind: ${String(id)}`);
  return info;
}

/**
 * Old CDP / Chromium spellings mapped to the current ones (CDP r1581282, 2026-02 renamed the private
 * network names; `InvalidResponse` is only used in warnings and maps to the preflight network error).
 */
const RENAMED: Record<string, string> = {
  InsecurePrivateNetwork: 'InsecureLocalNetwork',
  InvalidPrivateNetworkAccess: 'InvalidLocalNetworkAccess',
  PrivateNetworkAccessPermissionDenied: 'LocalNetworkAccessPermissionDenied',
};

/** Accepts `kFooBar`, old and new CDP names; returns the current CDP name. */
export function normalizeChromeError(name: string): string {
  const n = name.startsWith('k') && /^k[A-Z]/.test(name) ? name.slice(1) : name;
  return RENAMED[n] ?? n;
}

/** The catalogue ids that Chrome reports under a given CorsError name (old or new spelling). */
export function kindsForChromeError(name: string): Kind[] {
  const n = normalizeChromeError(name);
  return KINDS.filter((x) => x.chromeError === n).map((x) => x.id);
}
