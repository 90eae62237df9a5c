import type { Response } from 'supertest';

/**
 * A supertest body parser that keeps the body as bytes (`.buffer(true).parse(binary)`): for
 * files (docx, xlsx, images) and for comparing answers byte for byte. supertest has unpacked a
 * compressed answer before the parser sees it.
 */
export function binary(res: Response, cb: (err: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (chunk: Buffer) => chunks.push(chunk));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
}
