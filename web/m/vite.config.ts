import { VantResolver } from '@vant/auto-import-resolver';
import vue from '@vitejs/plugin-vue';
import { fileURLToPath } from 'node:url';
import Components from 'unplugin-vue-components/vite';
import { defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';
import { precompressAssets } from '../precompress';

/**
 * The inspectors' phone app, built on its own after the console (`npm run build:web`) into
 * `dist/web/m` and served by the Nest app at `/m/`. A separate build keeps its service worker's
 * precache to the phone app's own files and its scope to `/m/`.
 */
const here = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root: here,
  base: '/m/',
  publicDir: fileURLToPath(new URL('./public', import.meta.url)),
  plugins: [
    vue(),
    precompressAssets(),
    // Only the Vant components a template uses are bundled, each with its own stylesheet.
    Components({ dts: false, dirs: [], resolvers: [VantResolver()] }),
    VitePWA({
      strategies: 'generateSW',
      // A new release waits until the app is next started: never a reload in the middle of a form.
      registerType: 'prompt',
      // Registered from main.ts (no inline script: the CSP allows only 'self').
      injectRegister: false,
      scope: '/m/',
      base: '/m/',
      filename: 'sw.js',
      manifestFilename: 'manifest.webmanifest',
      includeAssets: ['icons/*.png'],
      manifest: {
        id: '/m/',
        name: '创城督导',
        short_name: '创城督导',
        description: '创城督导员：现场督导检查、问题登记与复查，离线可用',
        lang: 'zh-CN',
        dir: 'ltr',
        start_url: '/m/',
        scope: '/m/',
        display: 'standalone',
        orientation: 'portrait',
        theme_color: '#b71c1c',
        background_color: '#ffffff',
        icons: [
          { src: '/m/icons/icon-192.png', sizes: '192x192', type: 'image/png' },
          { src: '/m/icons/icon-512.png', sizes: '512x512', type: 'image/png' },
          {
            src: '/m/icons/icon-512.png',
            sizes: '512x512',
            type: 'image/png',
            purpose: 'maskable',
          },
        ],
      },
      workbox: {
        globPatterns: ['**/*.{js,css,html,png,webmanifest}'],
        // Every address of the app opens its shell, offline too; the API is never cached here
        // (the catalog lives in IndexedDB, see catalog.ts).
        navigateFallback: '/m/index.html',
        navigateFallbackAllowlist: [/^\/m\//],
        navigateFallbackDenylist: [/^\/api\//, /^\/open311\//],
        cleanupOutdatedCaches: true,
        // The first install controls the open page at once (the shell is then cached for offline).
        clientsClaim: true,
      },
    }),
  ],
  resolve: { alias: { '@': fileURLToPath(new URL('../src', import.meta.url)) } },
  build: {
    outDir: fileURLToPath(new URL('../../dist/web/m', import.meta.url)),
    emptyOutDir: true,
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
  },
  server: { proxy: { '/api': 'http://localhost:3000' } },
});
