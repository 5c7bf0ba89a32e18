/**
 * `npm run package:reproducible`: proves that two clean builds give byte-identical store zips.
 * Builds twice from scratch (dist/ removed each time, `npm run build && npm run package`), and compares
 * the SHA-256 of each zip. Exit code 1 on any difference. Slow (two full builds), so not a unit test;
 * test/scripts/zip.test.ts covers the zip writer's half of it in milliseconds.
 */
import { execSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';

const DIST = resolve('dist');

function cleanBuild(): Map<string, string> {
  rmSync(DIST, { recursive: true, force: true });
  execSync('npm run build && npm run package', { stdio: ['ignore', 'ignore', 'inherit'] });
  const sums = new Map<string, string>();
  for (const f of readdirSync(DIST)
    .filter((n) => n.endsWith('.zip'))
    .sort())
    sums.set(
      f,
      createHash('sha256')
        .update(readFileSync(join(DIST, f)))
        .digest('hex'),
    );
  return sums;
}

const first = cleanBuild();
const second = cleanBuild();
let same = first.size === 2 && first.size === second.size;
for (const [name, sum] of first) {
  const again = second.get(name);
  console.log(
    `${sum === again ? 'same' : 'DIFFERENT'}  ${name}  ${sum}${sum === again ? '' : ` vs ${again ?? 'missing'}`}`,
  );
  if (sum !== again) same = false;
}
console.log(same ? 'Two clean builds gave byte-identical zips.' : 'The two clean builds differ.');
process.exit(same ? 0 : 1);
