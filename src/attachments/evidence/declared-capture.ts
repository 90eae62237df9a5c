import { invalidField } from '../../common/errors/domain-error.js';
import { INSTANT_FORMAT, parseInstantOrNull } from '../../common/time/iso-time.js';

/** What a client declares about a photo beside the file (multipart fields, all optional). */
export interface DeclaredCapture {
  capturedAt: Date | null;
  lat: number | null;
  lng: number | null;
  accuracyM: number | null;
}

/** The multipart fields `POST /attachments` takes beside `file`. */
export const DECLARED_CAPTURE_FIELDS = ['capturedAt', 'lat', 'lng', 'accuracyM'] as const;
export type DeclaredCaptureField = (typeof DECLARED_CAPTURE_FIELDS)[number];

/** A capture time may run ahead of the server's clock by this much (phones' clocks drift). */
export const CAPTURE_CLOCK_SKEW_MS = 60 * 60_000;
/** The largest accuracy radius worth keeping: beyond it a position says nothing about a place. */
export const MAX_ACCURACY_M = 100_000;

/**
 * A plain decimal, as a form field carries a number: `39.9`, `-0.5`, `116`, or JavaScript's
 * `String(n)` of a coordinate away from 0° (up to 17 significant digits); no `1e3`, no `0x1`, no `NaN`.
 */
const DECIMAL = /^-?\d{1,10}(?:\.\d{1,20})?$/;

function decimal(field: DeclaredCaptureField, raw: string, min: number, max: number): number {
  const value = raw.trim();
  if (!DECIMAL.test(value))
    throw invalidField(field, `应为数字，收到 ${JSON.stringify(raw)}`, 'isNumber');
  const n = Number(value);
  if (n < min || n > max) throw invalidField(field, `应在 ${min} 到 ${max} 之间`, 'isInRange');
  return n;
}

/**
 * The client's claims, validated; every bad value is a 400 naming its field. A claim is kept as
 * the client's, never merged with what the photo carries (see photo-capture.ts). `capturedAt`
 * must be a date-time (a day alone says nothing about when the shutter fired), with an offset or
 * Beijing time, not after `now` by more than CAPTURE_CLOCK_SKEW_MS; a position needs both `lat`
 * and `lng`; `accuracyM` (metres, the Geolocation API's `accuracy`) only with a position.
 */
export function parseDeclaredCapture(
  fields: Partial<Record<DeclaredCaptureField, string>>,
  now: Date,
): DeclaredCapture {
  let capturedAt: Date | null = null;
  if (fields.capturedAt !== undefined) {
    const raw = fields.capturedAt.trim();
    capturedAt = raw.includes('T') ? parseInstantOrNull(raw) : null;
    if (!capturedAt) {
      throw invalidField('capturedAt', `应为时间 ${INSTANT_FORMAT}（须含时刻）`, 'isInstant');
    }
    if (capturedAt.getTime() > now.getTime() + CAPTURE_CLOCK_SKEW_MS) {
      throw invalidField('capturedAt', '拍摄时间不能晚于当前时间', 'isNotFuture');
    }
  }
  const lat = fields.lat === undefined ? null : decimal('lat', fields.lat, -90, 90);
  const lng = fields.lng === undefined ? null : decimal('lng', fields.lng, -180, 180);
  if (lat !== null && lng === null)
    throw invalidField('lng', '提供纬度时须同时提供经度', 'isNotEmpty');
  if (lng !== null && lat === null)
    throw invalidField('lat', '提供经度时须同时提供纬度', 'isNotEmpty');
  let accuracyM: number | null = null;
  if (fields.accuracyM !== undefined) {
    accuracyM = decimal('accuracyM', fields.accuracyM, 0, MAX_ACCURACY_M);
    if (lat === null) throw invalidField('accuracyM', '精度须与经纬度一同提供', 'isNotEmpty');
  }
  return { capturedAt, lat, lng, accuracyM };
}
