import { defineConfig } from 'vitest/config';
import { crx } from '@crxjs/vite-plugin';
import preact from '@preact/preset-vite';
import { manifestFor, targetOfMode } from './scripts/manifest.ts';
import { preactWithoutInnerHtml } from './scripts/no-inner-html.ts';

/**
 * One source, one build per browser: `vite build` writes dist/chrome, `vite build --mode firefox`
 * writes dist/firefox (`npm run build` runs both). The manifest is generated per browser from
 * manifest.json (scripts/manifest.ts); `__CORS_LENS_TARGET__` tells the glue which browser it runs in
 * (src/platform/target.ts).
 */
export default defineConfig(({ mode }) => {
  const target = targetOfMode(mode);
  return {
    plugins: [
      preactWithoutInnerHtml(),
      preact(),
      crx({
        manifest: manifestFor(target) as unknown as Parameters<typeof crx>[0]['manifest'],
        browser: target,
      }),
    ],
    define: { __CORS_LENS_TARGET__: JSON.stringify(target) },
    build: {
      outDir: `dist/${target}`,
      emptyOutDir: true,
      // The panel page is named only at run time (devtools.panels.create), so crxjs cannot find it
      // in the manifest: it must be an explicit build input.
      rollupOptions: { input: { panel: 'src/panel/panel.html' } },
    },
    test: {
      include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
      exclude: ['test/e2e/**', 'node_modules/**'],
      environment: 'node',
    },
  };
});
