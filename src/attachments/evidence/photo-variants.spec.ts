import { randomBytes } from 'node:crypto';
import sharp from 'sharp';
import { renderThumbnail, renderWatermarked, THUMB_MAX_BYTES } from './photo-variants.js';

/** Random noise: what compresses worst, so the size budget holds for any real photo. */
const noise = (width: number, height: number) =>
  sharp(randomBytes(width * height * 3), { raw: { width, height, channels: 3 } })
    .jpeg()
    .toBuffer();

describe('renderThumbnail', () => {
  it('fits noise from a 12 MP photo into a 320 px JPEG under the 30 KB budget', async () => {
    const thumb = await renderThumbnail(await noise(4000, 3000));
    const meta = await sharp(thumb).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['jpeg', 320, 240]);
    expect(thumb.length).toBeLessThanOrEqual(THUMB_MAX_BYTES);
  });

  it('never enlarges a small photo, and turns a transparent PNG into a JPEG on white', async () => {
    const png = await sharp({
      create: { width: 100, height: 50, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } },
    })
      .png()
      .toBuffer();
    const thumb = await renderThumbnail(png);
    const meta = await sharp(thumb).metadata();
    expect([meta.format, meta.width, meta.height, meta.hasAlpha]).toEqual(['jpeg', 100, 50, false]);
    const { channels } = await sharp(thumb).stats();
    expect(channels[0].mean).toBeGreaterThan(250);
  });

  it('applies the EXIF orientation: a portrait photo stays upright', async () => {
    const sideways = await sharp(await noise(400, 300))
      .withMetadata({ orientation: 6 })
      .jpeg()
      .toBuffer();
    const meta = await sharp(await renderThumbnail(sideways)).metadata();
    expect([meta.width, meta.height]).toEqual([240, 320]);
  });
});

describe('renderWatermarked', () => {
  it('keeps the size, darkens a band along the bottom, and leaves the top alone', async () => {
    const flat = await sharp({
      create: { width: 720, height: 480, channels: 3, background: '#c0c0c0' },
    })
      .jpeg({ quality: 95 })
      .toBuffer();
    const marked = await renderWatermarked(flat, '2026-12-01 10:32 · 石门营文化公园 · 张三');
    const meta = await sharp(marked).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['jpeg', 720, 480]);
    const mean = async (top: number, height: number) =>
      (
        await sharp(
          await sharp(marked).extract({ left: 0, top, width: 720, height }).png().toBuffer(),
        ).stats()
      ).channels[0].mean;
    expect(await mean(0, 40)).toBeGreaterThan(185);
    // The last rows, below the text: the translucent band only.
    expect(await mean(476, 4)).toBeLessThan(130);
  });
});
