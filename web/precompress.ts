import { compression, defineAlgorithm } from 'vite-plugin-compression2';
import { constants } from 'node:zlib';

/**
 * The built JS and CSS under `assets/` also as `.br` and `.gz` beside each file, compressed once
 * at the highest levels, so the server sends them (`@fastify/static`'s `preCompressed`,
 * src/web/console-static.ts) instead of gzipping a 550 KB chunk on every first visit: brotli at
 * quality 11 is 12–15 % smaller than the on-the-fly gzip, and costs the server nothing per request.
 * Only hashed files: they never change under their name, so a compressed copy can never be stale
 * (`index.html`, the service workers and the manifest are small and compressed as they are sent).
 */
export function precompressAssets() {
  return compression({
    include: /^assets\/.+\.(?:js|css)$/,
    algorithms: [
      defineAlgorithm('brotliCompress', { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }),
      defineAlgorithm('gzip', { level: 9 }),
    ],
    // A file that does not shrink is sent as it is.
    skipIfLargerOrEqual: true,
    logLevel: 'silent',
  });
}
