import type Sharp from 'sharp';
import { loadSharp } from '../../common/heavy-modules.js';
import { MAX_IMAGE_PIXELS } from '../image-decoder.js';

type SharpFactory = typeof Sharp;

/** The derived copies served beside the untouched original (`GET /attachments/:id?variant=`). */
export const PHOTO_VARIANTS = ['original', 'thumb', 'watermarked'] as const;
export type PhotoVariant = (typeof PHOTO_VARIANTS)[number];

/** Longest side of a thumbnail, in pixels: a list cell or a card, sharp on a 2× screen. */
export const THUMB_MAX_SIDE = 320;
/** A thumbnail never exceeds this (issue 13's budget): lists of 50 photos stay light. */
export const THUMB_MAX_BYTES = 30 * 1024;
/** The watermarked copy is for viewing and printing, not forensics: capped at this side. */
export const WATERMARKED_MAX_SIDE = 2560;
/** The CJK font the 水印 is set in (Debian's fonts-wqy-microhei; scripts/ensure-fonts.sh). */
export const WATERMARK_FONT = 'WenQuanYi Micro Hei';

const input = (sharp: SharpFactory, data: Buffer) =>
  // Already proven decodable at upload; .rotate() applies the EXIF orientation, so a phone's
  // portrait photo is not shown on its side once the metadata is dropped from the copy.
  sharp(data, { failOn: 'error', limitInputPixels: MAX_IMAGE_PIXELS }).rotate();

/**
 * A JPEG for lists: longest side THUMB_MAX_SIDE (never enlarged), transparency on white, no
 * metadata (no GPS leaks into lists). Quality steps down until it fits THUMB_MAX_BYTES.
 */
export async function renderThumbnail(data: Buffer): Promise<Buffer> {
  const sharp = await loadSharp();
  let out = Buffer.alloc(0);
  for (const quality of [75, 60, 45, 30]) {
    out = await input(sharp, data)
      .resize(THUMB_MAX_SIDE, THUMB_MAX_SIDE, { fit: 'inside', withoutEnlargement: true })
      .flatten({ background: '#ffffff' })
      .jpeg({ quality, mozjpeg: true })
      .toBuffer();
    if (out.length <= THUMB_MAX_BYTES) return out;
  }
  return out;
}

const escapeXml = (s: string): string =>
  s.replace(
    /[<>&"']/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c] ?? c,
  );

/**
 * The photo with a burned-in 水印: a translucent band along the bottom with `text` (time · place ·
 * who) in white, in a size that follows the photo's width. JPEG, metadata dropped; the original
 * stays as it was, byte for byte (this is a copy, stored under its own key).
 */
export async function renderWatermarked(data: Buffer, text: string): Promise<Buffer> {
  const sharp = await loadSharp();
  const base = await input(sharp, data)
    .resize(WATERMARKED_MAX_SIDE, WATERMARKED_MAX_SIDE, { fit: 'inside', withoutEnlargement: true })
    .flatten({ background: '#ffffff' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  const { width, height, channels } = base.info;
  // About 36 characters across the width, smaller when the text would not fit (a CJK character
  // is about 1 em wide, Latin about half), never unreadably small.
  const ems = Array.from(text).reduce((n, c) => n + (c.charCodeAt(0) < 0x2e80 ? 0.56 : 1), 0);
  const fontSize = Math.max(10, Math.round(Math.min(width / 36, width / (ems + 1.5))));
  const band = Math.min(height, Math.round(fontSize * 2.2));
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${band}">` +
    `<rect width="100%" height="100%" fill="#000" fill-opacity="0.45"/>` +
    `<text x="${Math.round(fontSize * 0.6)}" y="${Math.round(band / 2)}" dominant-baseline="central"` +
    ` font-family="${WATERMARK_FONT}" font-size="${fontSize}" fill="#fff">${escapeXml(text)}</text></svg>`;
  return sharp(base.data, { raw: { width, height, channels } })
    .composite([{ input: Buffer.from(svg), gravity: 'south' }])
    .jpeg({ quality: 85, mozjpeg: true })
    .toBuffer();
}
