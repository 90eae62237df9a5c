import { toTaskPhotoDto } from './evidence-output.js';

type PhotoRow = Parameters<typeof toTaskPhotoDto>[0];

const ROW: PhotoRow = {
  latest_evidence_flags: null,
  role: 'after',
  id: 'att-1',
  sha256: 'ab'.repeat(32),
  mime: 'image/jpeg',
  size_bytes: 123_456,
  original_name: 'IMG_0001.jpg',
  created_at: new Date('2026-12-01T03:04:05Z'),
  exif_captured_at: new Date('2026-12-01T02:30:00Z'),
  exif_lat: 39.9,
  exif_lng: 116.1,
  declared_captured_at: new Date('2026-12-01T02:31:00Z'),
  declared_lat: 39.91,
  declared_lng: 116.11,
  declared_accuracy_m: 12,
} as PhotoRow;

describe('toTaskPhotoDto', () => {
  it('gives the attachment facts and both capture sources apart, times as ISO strings', () => {
    expect(toTaskPhotoDto(ROW)).toEqual({
      role: 'after',
      id: 'att-1',
      sha256: 'ab'.repeat(32),
      mime: 'image/jpeg',
      sizeBytes: 123_456,
      originalName: 'IMG_0001.jpg',
      createdAt: ROW.created_at,
      capture: {
        exif: { capturedAt: '2026-12-01T02:30:00.000Z', lat: 39.9, lng: 116.1 },
        declared: {
          capturedAt: '2026-12-01T02:31:00.000Z',
          lat: 39.91,
          lng: 116.11,
          accuracyM: 12,
        },
      },
    });
  });

  it('keeps missing capture facts as null (no EXIF, nothing declared)', () => {
    const bare = {
      ...ROW,
      exif_captured_at: null,
      exif_lat: null,
      exif_lng: null,
      declared_captured_at: null,
      declared_lat: null,
      declared_lng: null,
      declared_accuracy_m: null,
    } as PhotoRow;
    expect(toTaskPhotoDto(bare).capture).toEqual({
      exif: { capturedAt: null, lat: null, lng: null },
      declared: { capturedAt: null, lat: null, lng: null, accuracyM: null },
    });
  });
});
