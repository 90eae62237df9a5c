import type { FastifyReply } from 'fastify';

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
export const DOCX_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

/**
 * Marks the reply as a download. The Chinese name goes in `filename*` (RFC 6266/5987); the plain
 * `filename` is an ASCII fallback for clients that do not read it.
 */
export function asDownload(
  reply: FastifyReply,
  contentType: string,
  asciiName: string,
  name: string,
): void {
  reply
    .header('content-type', contentType)
    .header(
      'content-disposition',
      `attachment; filename="${asciiName}"; filename*=UTF-8''${encodeURIComponent(name)}`,
    )
    .header('cache-control', 'no-store');
}
