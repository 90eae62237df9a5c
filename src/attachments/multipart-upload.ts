import type { MultipartFile } from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import { CommonErrorCode, DomainError, invalidField } from '../common/errors/domain-error.js';
import { AttachmentErrorCode, uploadTooLarge } from './attachment-errors.js';

/** One uploaded file, read whole: photos are small and the limit bounds the memory. */
export interface UploadedFile {
  filename?: string;
  data: Buffer;
}

const errorCode = (e: unknown): string | undefined =>
  typeof e === 'object' && e !== null ? (e as { code?: unknown }).code?.toString() : undefined;

/**
 * @fastify/multipart reports an oversized file as FST_REQ_FILE_TOO_LARGE; its other errors
 * carry a status and an FST_ code the problem filter already maps. Busboy's own parse errors
 * (no boundary, truncated part) are plain Errors and would otherwise surface as a 500.
 */
function translate(e: unknown, maxBytes: number): unknown {
  const code = errorCode(e);
  if (code === 'FST_REQ_FILE_TOO_LARGE') return uploadTooLarge(maxBytes);
  if (code?.startsWith('FST_')) return e;
  if (e instanceof Error && !(e instanceof DomainError)) {
    return new DomainError(
      'invalid',
      AttachmentErrorCode.MALFORMED_MULTIPART,
      `multipart 请求体无法解析: ${e.message}`,
    );
  }
  return e;
}

/** Reads and discards a part nobody asked for, so that the request can complete. */
async function drain(part: MultipartFile): Promise<void> {
  part.file.resume();
  await new Promise<void>((resolve) => {
    part.file.once('end', resolve);
    part.file.once('close', resolve);
    part.file.once('error', () => resolve());
  });
}

/**
 * The one file of a `multipart/form-data` request, from field `field`. The size limit is
 * @fastify/multipart's (`limits.fileSize`, registered in app.factory with `maxBytes`): past it
 * the upload is refused with 413 rather than kept truncated.
 */
export async function readSingleFile(
  req: FastifyRequest,
  field: string,
  maxBytes: number,
): Promise<UploadedFile> {
  if (!req.isMultipart()) {
    throw new DomainError(
      'unsupported_media',
      CommonErrorCode.UNSUPPORTED_MEDIA_TYPE,
      `上传需使用 multipart/form-data，照片放在 ${field} 字段`,
    );
  }
  let part: MultipartFile | undefined;
  try {
    part = await req.file();
  } catch (e) {
    throw translate(e, maxBytes);
  }
  if (!part) throw invalidField(field, `缺少文件字段 ${field}`, 'isNotEmpty');
  if (part.fieldname !== field) {
    await drain(part);
    throw invalidField(field, `文件应放在 ${field} 字段，而不是 ${part.fieldname}`, 'isNotEmpty');
  }
  let data: Buffer;
  try {
    data = await part.toBuffer();
  } catch (e) {
    throw translate(e, maxBytes);
  }
  // Only reachable if the plugin were set not to throw on the limit; never keep a cut-off photo.
  if (part.file.truncated) throw uploadTooLarge(maxBytes);
  if (data.length === 0) throw invalidField(field, '文件为空', 'isNotEmpty');
  return { filename: part.filename || undefined, data };
}
