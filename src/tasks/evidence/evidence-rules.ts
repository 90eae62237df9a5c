import { officeMinute } from '../../common/time/office-zone.js';

/**
 * 照片存疑: the rules that judge a unit's after-photos (整改后照片) against its task. Pure: the
 * submission passes the photos' capture facts, the task's assignment time and position, and
 * keeps what comes back on the submission. Flags inform the office (task detail, timeline, 台账,
 * digest); they never block a submission — a unit may have good reasons, and the 复查 decides.
 */

export const EVIDENCE_FLAG_REASONS = [
  'taken_before_assignment',
  'too_far',
  'no_capture_data',
] as const;
export type EvidenceFlagReason = (typeof EVIDENCE_FLAG_REASONS)[number];

/** The reasons as the office names them. */
export const EVIDENCE_FLAG_LABELS: Readonly<Record<EvidenceFlagReason, string>> = {
  taken_before_assignment: '拍摄早于派遣',
  too_far: '拍摄地点过远',
  no_capture_data: '无拍摄信息',
};

/** Where a fact came from: the photo's own EXIF, or what the uploading client declared. */
export type CaptureSource = 'exif' | 'declared';

export const CAPTURE_SOURCE_LABELS: Readonly<Record<CaptureSource, string>> = {
  exif: '照片EXIF',
  declared: '上传时声明',
};

export interface PhotoCapture {
  attachmentId: string;
  exif: { capturedAt: Date | null; lat: number | null; lng: number | null };
  declared: { capturedAt: Date | null; lat: number | null; lng: number | null };
}

export interface EvidenceTask {
  /** When the unit's current assignment began (dispatch, or back to it after 返工 or 反弹). */
  assignedAt: Date | null;
  lat: number | null;
  lng: number | null;
}

/** One doubt about one photo, as stored in `task_submissions.evidence_flags` and shown. */
export interface EvidenceFlag {
  attachmentId: string;
  reason: EvidenceFlagReason;
  /** Which source the judged fact came from; null for no_capture_data (neither had one). */
  source: CaptureSource | null;
  /** What was found, in the office's words, e.g. 拍摄时间 … 早于派遣时间 …. */
  detail: string;
  capturedAt?: string;
  assignedAt?: string;
  distanceM?: number;
  maxDistanceM?: number;
}

const EARTH_RADIUS_M = 6_371_008.8;
const rad = (deg: number): number => (deg * Math.PI) / 180;

/** Great-circle distance in metres (haversine; well under a metre off at these distances). */
export function distanceMetres(
  a: { lat: number; lng: number },
  b: { lat: number; lng: number },
): number {
  const dLat = rad(b.lat - a.lat);
  const dLng = rad(b.lng - a.lng);
  const h =
    Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** The capture time to judge by: EXIF when the photo carries one, else the declared one. */
function captureTime(p: PhotoCapture): { at: Date; source: CaptureSource } | null {
  if (p.exif.capturedAt) return { at: p.exif.capturedAt, source: 'exif' };
  if (p.declared.capturedAt) return { at: p.declared.capturedAt, source: 'declared' };
  return null;
}

/** The position to judge by: EXIF GPS when present, else the declared one. */
function capturePosition(
  p: PhotoCapture,
): { lat: number; lng: number; source: CaptureSource } | null {
  if (p.exif.lat !== null && p.exif.lng !== null)
    return { lat: p.exif.lat, lng: p.exif.lng, source: 'exif' };
  if (p.declared.lat !== null && p.declared.lng !== null)
    return { lat: p.declared.lat, lng: p.declared.lng, source: 'declared' };
  return null;
}

/**
 * The doubts about each after-photo, in photo order:
 * - no_capture_data: neither EXIF nor the client gave a capture time — nothing shows when (a
 *   screenshot, an edited or forwarded picture, a gallery upload stripped of metadata);
 * - taken_before_assignment: taken strictly before the unit's current assignment began, so it
 *   cannot show work done on this task (an old photo; at the very instant is not before);
 * - too_far: taken strictly more than `maxDistanceM` from the task's position; not judged when
 *   the task has no position or the photo none.
 * The time and the position are each taken from EXIF when the photo carries them, else from
 * what was declared, and the flag records which.
 */
export function judgeAfterPhotos(
  photos: readonly PhotoCapture[],
  task: EvidenceTask,
  maxDistanceM: number,
): EvidenceFlag[] {
  const flags: EvidenceFlag[] = [];
  for (const photo of photos) {
    const time = captureTime(photo);
    if (!time) {
      flags.push({
        attachmentId: photo.attachmentId,
        reason: 'no_capture_data',
        source: null,
        detail: '照片无拍摄时间（照片EXIF与上传时声明均无）',
      });
    } else if (task.assignedAt && time.at.getTime() < task.assignedAt.getTime()) {
      flags.push({
        attachmentId: photo.attachmentId,
        reason: 'taken_before_assignment',
        source: time.source,
        detail: `拍摄时间 ${officeMinute(time.at)}（${CAPTURE_SOURCE_LABELS[time.source]}）早于派遣时间 ${officeMinute(task.assignedAt)}`,
        capturedAt: time.at.toISOString(),
        assignedAt: task.assignedAt.toISOString(),
      });
    }
    const position = capturePosition(photo);
    if (position && task.lat !== null && task.lng !== null) {
      const distance = distanceMetres(position, { lat: task.lat, lng: task.lng });
      if (distance > maxDistanceM) {
        const metres = Math.round(distance);
        flags.push({
          attachmentId: photo.attachmentId,
          reason: 'too_far',
          source: position.source,
          detail: `拍摄地点距任务位置约 ${metres} 米（${CAPTURE_SOURCE_LABELS[position.source]}），超过 ${maxDistanceM} 米`,
          distanceM: metres,
          maxDistanceM,
        });
      }
    }
  }
  return flags;
}
