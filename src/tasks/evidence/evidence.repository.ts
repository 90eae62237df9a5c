import type { Db } from '../../database/kysely.js';
import type { EvidenceFlag } from './evidence-rules.js';

/** The task's position, which after-photos are judged against (null: none known). */
export function taskPosition(
  db: Db,
  taskId: string,
): Promise<{ lat: number | null; lng: number | null }> {
  return db
    .selectFrom('tasks')
    .select(['lat', 'lng'])
    .where('id', '=', taskId)
    .executeTakeFirstOrThrow();
}

/**
 * The SHA-256 of each photo, in the order given: written into the event that links them, so the
 * audit trail (留痕) names the very bytes of the originals, whatever copies are shown.
 */
export async function photoHashes(
  db: Db,
  ids: readonly string[],
): Promise<{ id: string; sha256: string }[]> {
  if (!ids.length) return [];
  const rows = await db
    .selectFrom('attachments')
    .select(['id', 'sha256'])
    .where('id', 'in', [...ids])
    .execute();
  const byId = new Map(rows.map((r) => [r.id, r.sha256]));
  return ids.flatMap((id) => {
    const sha256 = byId.get(id);
    return sha256 ? [{ id, sha256 }] : [];
  });
}

/** The 照片存疑 flags of each task's latest submission (tasks without any: absent). */
export async function latestEvidenceFlags(
  db: Db,
  taskIds: readonly string[],
): Promise<Map<string, EvidenceFlag[]>> {
  if (!taskIds.length) return new Map();
  const rows = await db
    .selectFrom('task_submissions')
    .distinctOn('task_id')
    .select(['task_id', 'evidence_flags'])
    .where('task_id', 'in', [...taskIds])
    .orderBy('task_id')
    .orderBy('round', 'desc')
    .execute();
  return new Map(rows.map((r) => [r.task_id, r.evidence_flags as unknown as EvidenceFlag[]]));
}

/** Every photo of a task with its capture facts and role, in the order they were attached. */
export function taskPhotoEvidence(db: Db, taskId: string) {
  return db
    .selectFrom('task_attachments as ta')
    .innerJoin('attachments as a', 'a.id', 'ta.attachment_id')
    .select([
      'ta.role',
      'a.id',
      'a.sha256',
      'a.mime',
      'a.size_bytes',
      'a.original_name',
      'a.created_at',
      'a.exif_captured_at',
      'a.exif_lat',
      'a.exif_lng',
      'a.declared_captured_at',
      'a.declared_lat',
      'a.declared_lng',
      'a.declared_accuracy_m',
    ])
    .where('ta.task_id', '=', taskId)
    .orderBy('ta.event_id')
    .orderBy('ta.attachment_id')
    .execute();
}
