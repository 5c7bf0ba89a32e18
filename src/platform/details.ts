/**
 * Firefox's webRequest details differ from Chrome's in a few fields capture reads; this turns them into
 * Chrome's shape before capture sees them, so capture and the engine need no browser checks:
 * - no `initiator`: Firefox gives `originUrl` (the URL of the document or worker that made the request).
 *   Its origin is Chrome's `initiator`; an opaque origin (`data:`, `about:`, `blob:` without a host)
 *   becomes `"null"`, as Chrome reports it.
 * - a document with an opaque origin (a sandboxed iframe: `sandbox="allow-scripts"`) gets neither
 *   `originUrl` nor `documentUrl`, only its `documentId` (observed in Firefox 153 ESR: its `<img>`,
 *   `<script>` and `fetch()` calls). Such a request was made by a document whose origin has no URL:
 *   its initiator is `"null"`, as Chrome reports it. Without this, capture took them for
 *   browser-initiated loads and dropped them.
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
  if (typeof d.initiator === 'string') return details;
  if (typeof d.originUrl !== 'string') {
    const opaqueDocument =
      typeof d.documentId === 'string' && d.documentUrl === undefined && d.type !== 'main_frame';
    return opaqueDocument ? { ...d, initiator: 'null' } : details;
  }
  const initiator = originOfUrl(d.originUrl);
  return initiator === undefined ? details : { ...d, initiator };
}
