import { CommonErrorCode, DomainError } from '../common/errors/domain-error.js';

export enum AttachmentErrorCode {
  /** Absent, or not visible to the caller (another unit must not learn that the id exists). */
  ATTACHMENT_NOT_FOUND = 'ATTACHMENT_NOT_FOUND',
  /** The bytes are not a JPEG, PNG or WEBP that decodes, whatever the name or declared type said. */
  ATTACHMENT_NOT_AN_IMAGE = 'ATTACHMENT_NOT_AN_IMAGE',
  /** The image declares more pixels than MAX_IMAGE_PIXELS. */
  ATTACHMENT_IMAGE_TOO_LARGE = 'ATTACHMENT_IMAGE_TOO_LARGE',
  /** The multipart body could not be parsed (no boundary, cut short …). */
  MALFORMED_MULTIPART = 'MALFORMED_MULTIPART',
}

export const attachmentNotFound = (): DomainError =>
  new DomainError('not_found', AttachmentErrorCode.ATTACHMENT_NOT_FOUND, '附件不存在');

export const notAnImage = (): DomainError =>
  new DomainError(
    'unsupported_media',
    AttachmentErrorCode.ATTACHMENT_NOT_AN_IMAGE,
    '只能上传 JPEG、PNG 或 WEBP 格式的照片',
  );

export const uploadTooLarge = (maxBytes: number): DomainError =>
  new DomainError(
    'too_large',
    CommonErrorCode.PAYLOAD_TOO_LARGE,
    `照片不能超过 ${formatBytes(maxBytes)}`,
    { maxBytes },
  );

const formatBytes = (n: number): string =>
  n >= 1024 * 1024 && n % (1024 * 1024) === 0
    ? `${n / (1024 * 1024)} MB`
    : n >= 1024 && n % 1024 === 0
      ? `${n / 1024} KB`
      : `${n} 字节`;
