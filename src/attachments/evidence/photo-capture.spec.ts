import sharp from 'sharp';
import { exifInstant, readCaptureFacts, validPosition } from './photo-capture.js';

describe('exifInstant', () => {
  it.each([
    ['with its offset', '2026:11:30 10:32:05', '+08:00', '2026-11-30T02:32:05.000Z'],
    ['with a negative offset', '2026:11:30 10:32:05', '-05:30', '2026-11-30T16:02:05.000Z'],
    ['UTC', '2026:11:30 10:32:05', '+00:00', '2026-11-30T10:32:05.000Z'],
    [
      'without an offset: Beijing time',
      '2026:11:30 10:32:05',
      undefined,
      '2026-11-30T02:32:05.000Z',
    ],
    ['a garbled offset: Beijing time', '2026:11:30 10:32:05', '8h', '2026-11-30T02:32:05.000Z'],
    ['with a fraction', '2026:11:30 10:32:05.123', '+08:00', '2026-11-30T02:32:05.000Z'],
    [
      'Beijing midnight is the day before in UTC',
      '2026:12:01 00:00:00',
      undefined,
      '2026-11-30T16:00:00.000Z',
    ],
  ])('%s', (_name, dateTime, offset, expected) => {
    expect(exifInstant(dateTime, offset)?.toISOString()).toBe(expected);
  });

  it.each([
    ['zeroed (a camera whose clock was never set)', '0000:00:00 00:00:00'],
    ['blank', '                   '],
    ['an impossible day', '2026:02:30 10:00:00'],
    ['an impossible hour', '2026:11:30 24:00:00'],
    ['ISO dashes', '2026-11-30 10:00:00'],
    ['a number', 1764469925],
    ['absent', undefined],
  ])('%s → null', (_name, dateTime) => {
    expect(exifInstant(dateTime, '+08:00')).toBeNull();
  });
});

describe('validPosition', () => {
  it('keeps a position in range', () => {
    expect(validPosition(39.9, 116.1)).toEqual({ lat: 39.9, lng: 116.1 });
    expect(validPosition(-90, 180)).toEqual({ lat: -90, lng: 180 });
  });
  it.each([
    ['null island (no fix)', 0, 0],
    ['latitude out of range', 90.1, 116],
    ['longitude out of range', 39.9, -180.1],
    ['not finite', Number.NaN, 116],
    ['not numbers', '39.9', '116.1'],
    ['one half missing', 39.9, undefined],
  ])('%s → null', (_name, lat, lng) => {
    expect(validPosition(lat, lng)).toBeNull();
  });
});

describe('readCaptureFacts', () => {
  const base = () => sharp({ create: { width: 8, height: 8, channels: 3, background: '#888' } });

  it('reads DateTimeOriginal with OffsetTimeOriginal and the GPS position', async () => {
    const jpeg = await base()
      .jpeg()
      .withExif({
        IFD2: { DateTimeOriginal: '2026:11:30 10:32:05', OffsetTimeOriginal: '+08:00' },
        IFD3: {
          GPSLatitudeRef: 'N',
          GPSLatitude: '39/1 54/1 3600/100',
          GPSLongitudeRef: 'W',
          GPSLongitude: '116/1 10/1 0/1',
        },
      })
      .toBuffer();
    const facts = await readCaptureFacts(jpeg);
    expect(facts.capturedAt?.toISOString()).toBe('2026-11-30T02:32:05.000Z');
    expect(facts.lat).toBeCloseTo(39.91, 6);
    expect(facts.lng).toBeCloseTo(-116.166667, 5);
  });

  it('a photo without EXIF, a PNG, or bytes it cannot read carry nothing', async () => {
    const none = { capturedAt: null, lat: null, lng: null };
    expect(await readCaptureFacts(await base().jpeg().toBuffer())).toEqual(none);
    expect(await readCaptureFacts(await base().png().toBuffer())).toEqual(none);
    expect(await readCaptureFacts(Buffer.from('not an image'))).toEqual(none);
  });
});
