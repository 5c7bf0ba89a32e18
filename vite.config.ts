import { defineConfig } from 'vitest/config';
import { crx } from '@crxjs/vite-plugin';
import preact from '@preact/preset-vite';
import manifest from './manifest.json' with { type: 'json' };

export default defineConfig({
  plugins: [preact(), crx({ manifest })],
  build: {
    outDir: 'dist/chrome',
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
});
