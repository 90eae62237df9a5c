import exifr from 'exifr';
import { OFFICE_UTC_OFFSET_MINUTES } from '../../common/time/office-zone.js';

/** When and where a photo says it was taken; null where it says nothing (or nonsense). */
export interface CaptureFacts {
  capturedAt: Date | null;
  lat: number | null;
  lng: number | null;
}

export const NO_CAPTURE_FACTS: CaptureFacts = { capturedAt: null, lat: null, lng: null };

/** EXIF `YYYY:MM:DD HH:MM:SS`, optionally with a fraction (cameras vary). */
const EXIF_DATE_TIME = /^(\d{4}):(\d{2}):(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.\d+)?$/;
/** EXIF 2.31 OffsetTimeOriginal: `±HH:MM`. */
const EXIF_OFFSET = /^([+-])(\d{2}):(\d{2})$/;

/**
 * EXIF DateTimeOriginal as an instant. The tag is wall-clock time without a zone; since EXIF 2.31
 * phones add OffsetTimeOriginal, and where it is present it says the zone. Where it is absent we
 * read the clock as Beijing time (Asia/Shanghai, UTC+8, no daylight saving): the photos are taken
 * in the district, by phones set to China time. Blank or zeroed values (`0000:00:00 00:00:00`,
 * written by cameras whose clock was never set) and impossible dates are no capture time at all.
 */
export function exifInstant(dateTime: unknown, offset: unknown): Date | null {
  if (typeof dateTime !== 'string') return null;
  const m = EXIF_DATE_TIME.exec(dateTime.trim());
  if (!m) return null;
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map(Number);
  if (y < 1990 || mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 59) return null;
  const wall = Date.UTC(y, mo - 1, d, h, mi, s);
  if (new Date(wall).getUTCDate() !== d) return null; // 02-30 rolled over: not a real day
  let offsetMinutes = OFFICE_UTC_OFFSET_MINUTES;
  const o = typeof offset === 'string' ? EXIF_OFFSET.exec(offset.trim()) : null;
  if (o && Number(o[2]) <= 14 && Number(o[3]) <= 59) {
    offsetMinutes = (o[1] === '-' ? -1 : 1) * (Number(o[2]) * 60 + Number(o[3]));
  }
  return new Date(wall - offsetMinutes * 60_000);
}

/**
 * A GPS position as stored: finite, in range, and not exactly (0, 0) — what receivers without a
 * fix write ("null island"), never a place in the district.
 */
export function validPosition(lat: unknown, lng: unknown): { lat: number; lng: number } | null {
  if (typeof lat !== 'number' || typeof lng !== 'number') return null;
  if (!Number.isFinite(lat) || !Number.isFinite(lng)) return null;
  if (Math.abs(lat) > 90 || Math.abs(lng) > 180) return null;
  if (lat === 0 && lng === 0) return null;
  return { lat, lng };
}

/**
 * What the photo itself carries: EXIF DateTimeOriginal (with OffsetTimeOriginal) and the GPS
 * position, read with exifr from the bytes already proven to be an image. Anything unreadable
 * (no EXIF segment, a PNG without eXIf, a corrupt block) is "carries nothing", never an error:
 * the photo is still evidence, only less of it.
 */
export async function readCaptureFacts(data: Buffer): Promise<CaptureFacts> {
  let tags: Record<string, unknown> | undefined;
  try {
    tags = (await exifr.parse(data, {
      // exifr computes latitude/longitude from the GPS tags, which must be picked too.
      pick: [
        'DateTimeOriginal',
        'OffsetTimeOriginal',
        'GPSLatitude',
        'GPSLatitudeRef',
        'GPSLongitude',
        'GPSLongitudeRef',
        'latitude',
        'longitude',
      ],
      // Dates as the raw strings: exifr would read a zoneless time in the server's zone.
      reviveValues: false,
    })) as Record<string, unknown> | undefined;
  } catch {
    return NO_CAPTURE_FACTS;
  }
  if (!tags) return NO_CAPTURE_FACTS;
  const position = validPosition(tags.latitude, tags.longitude);
  return {
    capturedAt: exifInstant(tags.DateTimeOriginal, tags.OffsetTimeOriginal),
    lat: position?.lat ?? null,
    lng: position?.lng ?? null,
  };
}
