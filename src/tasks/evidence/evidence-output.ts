import type { ImageMime } from '../../attachments/image-sniffer.js';
import type { TaskPhotoDto } from '../dto/task-output.dto.js';
import type { taskPhotoEvidence } from './evidence.repository.js';

type PhotoRow = Awaited<ReturnType<typeof taskPhotoEvidence>>[number];

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

/** A task's photo as the detail shows it: the attachment's facts, capture sources apart. */
export function toTaskPhotoDto(r: PhotoRow): TaskPhotoDto {
  return {
    role: r.role,
    id: r.id,
    sha256: r.sha256,
    mime: r.mime as ImageMime,
    sizeBytes: r.size_bytes,
    originalName: r.original_name,
    createdAt: r.created_at,
    capture: {
      exif: { capturedAt: iso(r.exif_captured_at), lat: r.exif_lat, lng: r.exif_lng },
      declared: {
        capturedAt: iso(r.declared_captured_at),
        lat: r.declared_lat,
        lng: r.declared_lng,
        accuracyM: r.declared_accuracy_m,
      },
    },
  };
}
