import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import type { Plugin } from 'vite';
import { contentSecurityPolicy } from './src/main/security/csp.js';

// The built page carries the strict CSP as a meta tag too (file:// responses have no headers to set it on).
// Dev keeps Vite's inline HMR preamble working, so the tag is added to builds only.
function cspMetaTag(): Plugin {
  return {
    name: 'p2mp-csp-meta',
    apply: 'build',
    transformIndexHtml: () => [
      {
        tag: 'meta',
        attrs: { 'http-equiv': 'Content-Security-Policy', content: contentSecurityPolicy(false, true) },
        injectTo: 'head-prepend',
      },
    ],
  };
}

export default defineConfig({
  main: {},
  // Sandboxed preloads must be CommonJS.
  preload: { build: { rollupOptions: { output: { format: 'cjs' } } } },
  renderer: {
    root: 'src/renderer',
    base: './',
    plugins: [react({}), cspMetaTag()],
    build: {
      minify: true,
      rollupOptions: { input: 'src/renderer/index.html' },
      // The Experiments screen's chunk carries ECharts (tree-shaken to line + custom series on canvas, about
      // 570 kB); it loads only when that screen opens.
      chunkSizeWarningLimit: 700,
    },
  },
});
