/** The photo formats accepted as evidence; the database allows exactly these. */
export const IMAGE_MIMES = ['image/jpeg', 'image/png', 'image/webp'] as const;
export type ImageMime = (typeof IMAGE_MIMES)[number];

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const JPEG_SIGNATURE = [0xff, 0xd8, 0xff];

const startsWith = (buf: Uint8Array, bytes: number[], offset = 0): boolean =>
  buf.length >= offset + bytes.length && bytes.every((b, i) => buf[offset + i] === b);

const ascii = (s: string): number[] => Array.from(s, (c) => c.charCodeAt(0));

/**
 * The image type the bytes themselves declare (magic numbers), or null when they are none of
 * the accepted formats. The file name and the client's content type are never consulted: a
 * phone or a unit's system may label anything `x.jpg`, and what we store is what we later
 * serve under our own content type.
 */
export function sniffImageType(buf: Uint8Array): ImageMime | null {
  if (startsWith(buf, JPEG_SIGNATURE)) return 'image/jpeg';
  if (startsWith(buf, PNG_SIGNATURE)) return 'image/png';
  // RIFF container: 'RIFF', 4-byte little-endian size, then the form type 'WEBP'.
  if (startsWith(buf, ascii('RIFF')) && startsWith(buf, ascii('WEBP'), 8)) return 'image/webp';
  return null;
}
