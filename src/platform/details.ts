/**
 * Firefox's webRequest details differ from Chrome's in a few fields capture reads; this turns them into
 * Chrome's shape before capture sees them, so capture and the engine need no browser checks:
 * - no `initiator`: Firefox gives `originUrl` (the URL of the document or worker that made the request).
 *   Its origin is Chrome's `initiator`; an opaque origin (`data:`, `about:`, `blob:` without a host)
 *   becomes `"null"`, as Chrome reports it.
 * Chrome's details pass through untouched.
 */
import type { BuildTarget } from './target';

function originOfUrl(url: string): string | undefined {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return undefined;
  }
  if (u.protocol === 'blob:') return originOfUrl(u.pathname);
  if (u.protocol === 'http:' || u.protocol === 'https:') return u.origin;
  // Extension pages: keep `moz-extension://<uuid>` (URL gives an opaque origin for it), so capture can
  // tell the calls of extensions apart from a page's.
  if (u.protocol === 'moz-extension:' || u.protocol === 'chrome-extension:')
    return `${u.protocol}//${u.host}`;
  return 'null';
}

export function normalizeDetails(target: BuildTarget, details: unknown): unknown {
  if (target !== 'firefox' || !details || typeof details !== 'object') return details;
  const d = details as Record<string, unknown>;
  if (typeof d.initiator === 'string' || typeof d.originUrl !== 'string') return details;
  const initiator = originOfUrl(d.originUrl);
  return initiator === undefined ? details : { ...d, initiator };
}
