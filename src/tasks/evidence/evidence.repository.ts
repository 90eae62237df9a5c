import type { Db } from '../../database/kysely.js';
import { prepared } from '../../database/prepared.js';

/**
 * Every photo of a task with its capture facts and role, in the order they were attached, and on
 * each row the 照片存疑 flags of the task's latest submission. The flags ride along to keep the
 * detail at its statement budget (test/tasks-statements): a submission's flags name its photos,
 * so a task with flags always has rows here.
 */
export function taskPhotoEvidence(db: Db, taskId: string) {
  return photoEvidence(db, { taskId });
}

const photoEvidence = prepared((db, p: { taskId: string }) =>
  db
    .selectFrom('task_attachments as ta')
    .innerJoin('attachments as a', 'a.id', 'ta.attachment_id')
    .select((eb) => [
      eb
        .selectFrom('task_submissions as ts')
        .select('ts.evidence_flags')
        .whereRef('ts.task_id', '=', 'ta.task_id')
        .orderBy('ts.round', 'desc')
        .limit(1)
        .as('latest_evidence_flags'),
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
    .where('ta.task_id', '=', p.taskId)
    .orderBy('ta.event_id')
    .orderBy('ta.attachment_id'),
);
