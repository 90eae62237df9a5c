import { db, type PhoneDb } from './db';

/** Photos leave the phone resized: longest side at most 1,600 px, JPEG. */
export const MAX_SIDE = 1600;
const QUALITY = 0.82;

export interface ResizedPhoto {
  blob: Blob;
  width: number;
  height: number;
}

/** The size that fits `max` on the longest side, never enlarged. */
export function fitWithin(
  width: number,
  height: number,
  max = MAX_SIDE,
): { width: number; height: number } {
  const scale = Math.min(1, max / Math.max(width, height));
  return {
    width: Math.max(1, Math.round(width * scale)),
    height: Math.max(1, Math.round(height * scale)),
  };
}

/**
 * Decodes the camera's file (EXIF orientation applied by the browser), scales it and encodes
 * JPEG. The decoder scales while decoding (`resizeWidth`), which is what keeps a 12-megapixel
 * photo fast on a mid-range phone.
 */
export async function resizePhoto(file: Blob): Promise<ResizedPhoto> {
  const natural = await naturalSize(file);
  const size = fitWithin(natural.width, natural.height);
  const bitmap = await createImageBitmap(file, {
    imageOrientation: 'from-image',
    resizeWidth: size.width,
    resizeHeight: size.height,
    resizeQuality: 'medium',
  });
  const canvas = document.createElement('canvas');
  canvas.width = size.width;
  canvas.height = size.height;
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('no 2d canvas');
  ctx.drawImage(bitmap, 0, 0);
  bitmap.close();
  const blob = await new Promise<Blob>((resolve, reject) =>
    canvas.toBlob(
      (b) => (b ? resolve(b) : reject(new Error('encode failed'))),
      'image/jpeg',
      QUALITY,
    ),
  );
  return { blob, ...size };
}

/** The photo's size as shown (orientation applied), read without decoding its pixels. */
function naturalSize(file: Blob): Promise<{ width: number; height: number }> {
  const url = URL.createObjectURL(file);
  const img = new Image();
  return new Promise<{ width: number; height: number }>((resolve, reject) => {
    img.onload = () => resolve({ width: img.naturalWidth, height: img.naturalHeight });
    img.onerror = () => reject(new Error('not an image'));
    img.src = url;
  }).finally(() => URL.revokeObjectURL(url));
}

const inFlight = new Map<string, Promise<void>>();

/** Replaces a stored original by its resized copy (once, however many callers ask). */
export function resizeStored(
  id: string,
  store: PhoneDb = db,
  resize: (b: Blob) => Promise<ResizedPhoto> = resizePhoto,
): Promise<void> {
  let running = inFlight.get(id);
  if (!running) {
    running = (async () => {
      const photo = await store.photos.get(id);
      if (!photo || photo.resized !== false) return;
      const r = await resize(photo.blob);
      await store.photos.update(id, {
        blob: r.blob,
        width: r.width,
        height: r.height,
        resized: true,
      });
    })().finally(() => inFlight.delete(id));
    inFlight.set(id, running);
  }
  return running;
}

/** Resizes every original still waiting (after a save, and on start after a crash). */
export async function resizeWaiting(store: PhoneDb = db): Promise<void> {
  const waiting = await store.photos.filter((p) => p.resized === false).primaryKeys();
  for (const id of waiting) {
    try {
      await resizeStored(id, store);
    } catch (e) {
      console.error(e);
    }
  }
}
