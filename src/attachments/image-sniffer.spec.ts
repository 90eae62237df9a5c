import { sniffImageType } from './image-sniffer.js';

const bytes = (...parts: (number[] | string)[]): Buffer =>
  Buffer.concat(
    parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p))),
  );

const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

describe('sniffImageType', () => {
  it.each([
    ['JPEG (JFIF)', bytes([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10], 'JFIF'), 'image/jpeg'],
    ['JPEG (Exif)', bytes([0xff, 0xd8, 0xff, 0xe1, 0x12, 0x34], 'Exif'), 'image/jpeg'],
    ['JPEG, bare signature', bytes([0xff, 0xd8, 0xff]), 'image/jpeg'],
    ['PNG', bytes(PNG, [0, 0, 0, 13], 'IHDR'), 'image/png'],
    ['PNG, bare signature', bytes(PNG), 'image/png'],
    ['WEBP (VP8)', bytes('RIFF', [0x24, 0, 0, 0], 'WEBPVP8 '), 'image/webp'],
    ['WEBP (VP8L)', bytes('RIFF', [0x1a, 0, 0, 0], 'WEBPVP8L'), 'image/webp'],
    ['WEBP, shortest', bytes('RIFF', [0, 0, 0, 0], 'WEBP'), 'image/webp'],
  ])('%s → %s', (_name, buf, expected) => {
    expect(sniffImageType(buf)).toBe(expected);
  });

  it.each([
    ['empty', bytes()],
    ['text', bytes('hello, this is not a photo')],
    ['FF D8 then text', bytes([0xff, 0xd8], ' not a JPEG')],
    ['JPEG cut short', bytes([0xff, 0xd8])],
    ['JPEG with a wrong third byte', bytes([0xff, 0xd8, 0x00, 0xe0])],
    ['PNG cut short', bytes(PNG.slice(0, 7))],
    ['PNG with a wrong last signature byte', bytes(PNG.slice(0, 7), [0x0b])],
    ['RIFF but WAVE audio', bytes('RIFF', [0x24, 0, 0, 0], 'WAVEfmt ')],
    ['RIFF but AVI video', bytes('RIFF', [0x24, 0, 0, 0], 'AVI LIST')],
    ['RIFF cut before the form type', bytes('RIFF', [0x24, 0, 0, 0], 'WEB')],
    ['WEBP without RIFF', bytes('RIFX', [0x24, 0, 0, 0], 'WEBP')],
    ['WEBP at the wrong offset', bytes('RIFF', [0x24, 0, 0], 'WEBP')],
    ['GIF', bytes('GIF89a', [1, 0, 1, 0])],
    ['PDF', bytes('%PDF-1.7\n')],
    ['SVG', bytes('<svg xmlns="http://www.w3.org/2000/svg"/>')],
    ['HTML', bytes('<!doctype html><script>alert(1)</script>')],
    ['ZIP', bytes([0x50, 0x4b, 0x03, 0x04])],
    ['signature not at the start', bytes([0x00], [0xff, 0xd8, 0xff])],
  ])('%s → null', (_name, buf) => {
    expect(sniffImageType(buf)).toBeNull();
  });

  it('reads a Uint8Array as well as a Buffer', () => {
    expect(sniffImageType(new Uint8Array([0xff, 0xd8, 0xff, 0xdb]))).toBe('image/jpeg');
  });
});
