import vue from '@vitejs/plugin-vue';
import { fileURLToPath } from 'node:url';
import { VitePWA } from 'vite-plugin-pwa';
import { precompressAssets } from './precompress';
import { defineConfig } from 'vitest/config';

const here = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root: here,
  base: '/',
  plugins: [
    vue(),
    precompressAssets(),
    // A service worker that keeps the console's files, `index.html` included, so a clerk's daily
    // visit starts without a round trip for the page (the dashboard budget on slow 4G, README).
    // The API is never cached; the phone app (`/m/`) has its own worker and scope.
    VitePWA({
      strategies: 'generateSW',
      // A new release waits for the clerk (a notice with 刷新), never a reload in the middle of a form.
      registerType: 'prompt',
      // Registered from main.ts (no inline script: the CSP allows only 'self').
      injectRegister: false,
      manifest: false,
      scope: '/',
      base: '/',
      filename: 'sw.js',
      // Unit tests of the console do not build a worker.
      disable: !!process.env.VITEST,
      workbox: {
        // The page itself is not precached: it is kept below, fresh from the server on every
        // visit, so headers the server decides at run time (the CSP with the map's tile hosts)
        // reach the clerk one visit later, not one release later.
        globPatterns: ['**/*.{js,css,woff,woff2,ttf,png,svg}'],
        navigateFallback: null,
        // ECharts' chunk is larger than Workbox's default 2 MiB limit.
        maximumFileSizeToCacheInBytes: 4 * 1024 * 1024,
        // Every console address is the one console page (as the server's fallback answers):
        // served from the cache at once and refreshed in the background; the API, the docs,
        // the health checks, Open311 and the phone app are left to the network.
        runtimeCaching: [
          {
            urlPattern: ({ request, url }) =>
              request.mode === 'navigate' &&
              !/^\/(api|docs|health|open311|m)(\/|$|-json)/.test(url.pathname),
            handler: 'StaleWhileRevalidate',
            options: {
              cacheName: 'console-page',
              cacheableResponse: { statuses: [200] },
              plugins: [{ cacheKeyWillBeUsed: async () => '/index.html' }],
            },
          },
        ],
        cleanupOutdatedCaches: true,
        clientsClaim: true,
      },
    }),
  ],
  resolve: { alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) } },
  build: {
    outDir: fileURLToPath(new URL('../dist/web', import.meta.url)),
    emptyOutDir: true,
    // No inline scripts: the console's CSP allows only 'self'.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 1200,
  },
  server: { proxy: { '/api': 'http://localhost:3000' } },
  test: {
    root: here,
    environment: 'happy-dom',
    include: ['tests/**/*.spec.ts'],
  },
});
