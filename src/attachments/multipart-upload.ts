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
function translate(
  e: unknown,
  maxBytes: number,
  tooLarge: (maxBytes: number) => DomainError,
): unknown {
  const code = errorCode(e);
  if (code === 'FST_REQ_FILE_TOO_LARGE') return tooLarge(maxBytes);
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
 * The one file of a `multipart/form-data` request, from field `field`, and the text fields named
 * in `allowedFields` (sent before or after the file, in any order). The size limit is
 * `maxBytes`, given to @fastify/multipart for this request (its other limits are app.factory's):
 * past it the upload is refused with 413 (`tooLarge`'s problem) rather than kept truncated. A missing file is reported first,
 * then any field nobody asked for (unknown fields are refused, as in JSON bodies).
 */
export async function readSingleFile<F extends string = never>(
  req: FastifyRequest,
  field: string,
  maxBytes: number,
  allowedFields: readonly F[] = [],
  tooLarge: (maxBytes: number) => DomainError = uploadTooLarge,
): Promise<UploadedFile & { fields: Partial<Record<F, string>> }> {
  if (!req.isMultipart()) {
    throw new DomainError(
      'unsupported_media',
      CommonErrorCode.UNSUPPORTED_MEDIA_TYPE,
      `上传需使用 multipart/form-data，照片放在 ${field} 字段`,
    );
  }
  const fields: Partial<Record<F, string>> = {};
  const unknownFields: string[] = [];
  let file: UploadedFile | undefined;
  let wrongFileField: string | undefined;
  try {
    // Deep-merged over the plugin's limits: only the file size is the caller's.
    for await (const part of req.parts({ limits: { fileSize: maxBytes } })) {
      if (part.type === 'field') {
        if ((allowedFields as readonly string[]).includes(part.fieldname)) {
          fields[part.fieldname as F] = String(part.value);
        } else {
          unknownFields.push(part.fieldname);
        }
        continue;
      }
      if (part.fieldname !== field || file) {
        wrongFileField ??= part.fieldname;
        await drain(part);
        continue;
      }
      const data = await part.toBuffer();
      // Only reachable if the plugin were set not to throw on the limit; never keep a cut-off photo.
      if (part.file.truncated) throw tooLarge(maxBytes);
      file = { filename: part.filename || undefined, data };
    }
  } catch (e) {
    throw translate(e, maxBytes, tooLarge);
  }
  if (!file) {
    throw wrongFileField === undefined
      ? invalidField(field, `缺少文件字段 ${field}`, 'isNotEmpty')
      : invalidField(field, `文件应放在 ${field} 字段，而不是 ${wrongFileField}`, 'isNotEmpty');
  }
  if (file.data.length === 0) throw invalidField(field, '文件为空', 'isNotEmpty');
  if (unknownFields.length) {
    throw invalidField(unknownFields[0], `不认识的字段 ${unknownFields[0]}`, 'whitelistValidation');
  }
  return { ...file, fields };
}
