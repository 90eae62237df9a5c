import compress from '@fastify/compress';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';

/** Answers smaller than this go as they are: compressing them saves nothing a phone would feel. */
export const COMPRESSION_THRESHOLD_BYTES = 1024;

/**
 * Answers compressed for clients that ask for it (`Accept-Encoding`), with `Vary: Accept-Encoding`
 * for caches. A page of 50 tasks is 54 KB of JSON and a tenth or less of it gzipped (3 KB on the
 * bench's data): what an inspector's phone on a weak signal waits for. gzip and deflate only:
 * brotli made on the fly costs several times gzip's CPU for a few percent less. Types already
 * compressed (xlsx, docx, photos, zip) go as they are (mime-db says which); the csv 台账 is
 * compressed as it streams. Request bodies are not
 * decompressed (`globalDecompression: false`): no client of ours sends them, and the body-size
 * limits are meant for what arrives. A client that wants the bytes as they are sends no
 * `Accept-Encoding` (autocannon, curl without `--compressed`) or `x-no-compression`.
 */
export async function registerCompression(app: NestFastifyApplication): Promise<void> {
  await app.register(compress, {
    encodings: ['gzip', 'deflate'],
    threshold: COMPRESSION_THRESHOLD_BYTES,
    globalDecompression: false,
  });
}
