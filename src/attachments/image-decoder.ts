import type { Metadata } from 'sharp';
import { loadSharp } from '../common/heavy-modules.js';
import { DomainError } from '../common/errors/domain-error.js';
import { AttachmentErrorCode, notAnImage } from './attachment-errors.js';
import type { ImageMime } from './image-sniffer.js';

/**
 * The largest photo accepted, in pixels: 40 MP is above any phone camera's output, and a header
 * may claim far more (a 29 KB PNG declaring 50,000×50,000) to make the decoder allocate gigabytes.
 */
export const MAX_IMAGE_PIXELS = 40_000_000;

const FORMAT_OF_MIME: Record<ImageMime, string> = {
  'image/jpeg': 'jpeg',
  'image/png': 'png',
  'image/webp': 'webp',
};

const tooManyPixels = (width: number, height: number): DomainError =>
  new DomainError(
    'unprocessable',
    AttachmentErrorCode.ATTACHMENT_IMAGE_TOO_LARGE,
    `照片尺寸过大（${width}×${height} 像素），不能超过 ${MAX_IMAGE_PIXELS / 1_000_000} 百万像素`,
    { maxPixels: MAX_IMAGE_PIXELS, width, height },
  );

/**
 * Proves that the bytes are the image their magic number says: the header is read (format and
 * dimensions, refused when absurd) and then every pixel is decoded, so a JPEG header in front of
 * HTML, or a truncated or corrupt file, is refused rather than stored and served as a photo.
 */
export async function assertDecodableImage(data: Buffer, mime: ImageMime): Promise<void> {
  const options = { failOn: 'error', limitInputPixels: MAX_IMAGE_PIXELS } as const;
  const sharp = await loadSharp();
  let meta: Metadata;
  try {
    // The header alone (no pixel limit here, so that an absurd size is told apart from garbage).
    meta = await sharp(data, { failOn: 'error', limitInputPixels: false }).metadata();
  } catch {
    throw notAnImage();
  }
  if (meta.format !== FORMAT_OF_MIME[mime] || !meta.width || !meta.height) throw notAnImage();
  // An animation's frames are stacked: every page counts.
  const pages = meta.pages ?? 1;
  if (meta.width * meta.height * pages > MAX_IMAGE_PIXELS)
    throw tooManyPixels(meta.width, meta.height);
  try {
    await sharp(data, { ...options, animated: pages > 1 }).stats();
  } catch {
    throw notAnImage();
  }
}
