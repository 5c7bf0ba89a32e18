/** Badge text and tooltip for a tab's blocked-call count. */
export function badgeText(blocked: number): string {
  if (blocked <= 0) return '';
  return blocked > 999 ? '999+' : String(blocked);
}

export function badgeTitle(blocked: number): string {
  if (blocked <= 0) return 'CORS Lens: no calls blocked by CORS on this page';
  return `CORS Lens: ${blocked} ${blocked === 1 ? 'call' : 'calls'} blocked by CORS on this page`;
}
