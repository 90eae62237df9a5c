import { crc32 } from 'node:zlib';
import sharp from 'sharp';
import { binary } from './support/binary.js';
import { createTestApp, type TestApp } from './support/test-app.js';

/** A small real image of the given format, made here with sharp. */
const image = (format: 'jpeg' | 'png' | 'webp', width = 8, height = 6): Promise<Buffer> =>
  sharp({ create: { width, height, channels: 3, background: { r: 30, g: 120, b: 60 } } })
    .toFormat(format)
    .toBuffer();

/** A PNG whose header claims `width`×`height` (IHDR patched, CRC fixed) over a tiny real image. */
async function pngClaiming(width: number, height: number): Promise<Buffer> {
  const png = Buffer.from(await image('png', 4, 4));
  // Signature (8), IHDR length (4), type (4), then width and height; the CRC covers type + data.
  png.writeUInt32BE(width, 16);
  png.writeUInt32BE(height, 20);
  png.writeUInt32BE(crc32(png.subarray(12, 29)) >>> 0, 29);
  return png;
}

describe('security: uploads are decoded, not only sniffed', () => {
  let t: TestApp;
  let admin: string;
  beforeAll(async () => {
    t = await createTestApp();
    admin = (await t.signIn('admin')).token;
  });
  afterAll(() => t.close());

  const upload = (data: Buffer, filename: string, contentType: string) =>
    t
      .http()
      .post('/api/v1/attachments')
      .set('authorization', `Bearer ${admin}`)
      .attach('file', data, { filename, contentType });
  const rows = async (): Promise<number> =>
    ((await t.ds.query('SELECT count(*)::int AS n FROM attachments')) as { n: number }[])[0].n;

  it.each([
    [
      'a JPEG header followed by HTML',
      Buffer.concat([
        Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]),
        Buffer.from('JFIF\0<html><script>alert(document.cookie)</script></html>', 'latin1'),
        Buffer.from([0xff, 0xd9]),
      ]),
    ],
    [
      'a PNG signature followed by garbage',
      Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.from('<svg onload=alert(1)>')]),
    ],
    ['a RIFF/WEBP header and nothing else', Buffer.from('RIFF\x10\0\0\0WEBPVP8 <html>', 'latin1')],
  ])('%s is refused (415) and nothing is stored', async (_name, data) => {
    const before = await rows();
    const res = await upload(data, 'x.jpg', 'image/jpeg');
    expect(res.status).toBe(415);
    expect(res.body.code).toBe('ATTACHMENT_NOT_AN_IMAGE');
    expect(await rows()).toBe(before);
  });

  it('a 50,000×50,000 px PNG header is refused quickly (422) and nothing is stored', async () => {
    const data = await pngClaiming(50_000, 50_000);
    expect(data.length).toBeLessThan(30 * 1024);
    const before = await rows();
    const started = Date.now();
    const res = await upload(data, 'huge.png', 'image/png');
    expect(Date.now() - started).toBeLessThan(3000);
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('ATTACHMENT_IMAGE_TOO_LARGE');
    expect(await rows()).toBe(before);
  });

  it.each(['jpeg', 'png', 'webp'] as const)(
    'a real %s is stored and served inline, sandboxed, never sniffed',
    async (format) => {
      const data = await image(format);
      const res = await upload(data, `photo.${format}`, `image/${format}`);
      expect(res.status).toBe(201);
      expect(res.body.mime).toBe(`image/${format}`);
      const got = await t
        .http()
        .get(`/api/v1/attachments/${res.body.id}`)
        .set('authorization', `Bearer ${admin}`)
        .buffer(true)
        .parse(binary)
        .expect(200);
      expect(Buffer.compare(got.body as Buffer, data)).toBe(0);
      expect(got.headers['content-disposition']).toBe(
        `inline; filename="${res.body.id}.${format === 'jpeg' ? 'jpg' : format}"`,
      );
      expect(got.headers['content-security-policy']).toBe("sandbox; default-src 'none'");
      expect(got.headers['x-content-type-options']).toBe('nosniff');
    },
  );
});
