/**
 * After the e2e run: the recipe proofs that were skipped because an optional server is missing, one
 * line each with the command that enables it (only when the run included those specs).
 */
import { skippedLines } from './fixes/optional';

export default function globalTeardown(): void {
  const files = process.argv.slice(2).filter((a) => !a.startsWith('-') && a !== 'test');
  const ranFixes = files.length === 0 || files.some((f) => f.includes('fixes'));
  if (!ranFixes) return;
  const lines = skippedLines();
  if (!lines.length) return;
  console.log(`\n${lines.length} group(s) of recipe proofs skipped (optional servers not installed):`);
  for (const l of lines) console.log(`  ${l}`);
}
