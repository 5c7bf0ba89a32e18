/**
 * The build's removal of Preact's dangerouslySetInnerHTML sink, on Preact's real dist files: the one
 * dynamic innerHTML assignment goes, the rest of the file stays, and a file without exactly one such
 * assignment stops the build.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { preactWithoutInnerHtml } from '../../scripts/no-inner-html';

const dist = join(dirname(createRequire(import.meta.url).resolve('preact/package.json')), 'dist');

type Transform = (code: string, id: string) => { code: string } | null;
const transform = preactWithoutInnerHtml().transform as unknown as Transform;

describe('preactWithoutInnerHtml', () => {
  for (const file of ['preact.module.js', 'preact.mjs']) {
    it(`${file}: the dynamic innerHTML assignment is gone, nothing else changes`, () => {
      const id = join(dist, file);
      const code = readFileSync(id, 'utf8');
      expect(code).toMatch(/\.innerHTML=\w+\.__html/);
      const out = transform(code, id)!.code;
      expect(out).not.toMatch(/\.innerHTML=(?!"")[^"]/);
      expect(out).toContain('dangerouslySetInnerHTML is not supported');
      // Only that expression changed: same text before and after it.
      const at = code.search(/\w+\.innerHTML=\w+\.__html/);
      expect(out.slice(0, at)).toBe(code.slice(0, at));
    });
  }

  it('leaves other modules alone and refuses a Preact it does not recognise', () => {
    expect(transform('x.innerHTML=y.__html', '/app/src/panel/main.tsx')).toBeNull();
    const id = join(dist, 'preact.mjs');
    expect(() => transform('function f(){}', id)).toThrow(/expected one dangerouslySetInnerHTML assignment/);
  });
});
