import type { Selectable } from 'kysely';
import type { TaskChecks, TaskSubmissions } from '../../database/db.generated.js';
import type { Db } from '../../database/kysely.js';
import type { EvidenceFlag } from '../evidence/evidence-rules.js';

/** The unit's 整改反馈 rounds (task_submissions) and the follow-up checks on them (task_checks). */

/** The round the next submission of a task will be. */
export async function nextSubmissionRound(db: Db, taskId: string): Promise<number> {
  const { round } = await db
    .selectFrom('task_submissions')
    .select((eb) => eb(eb.fn.coalesce(eb.fn.max('round'), eb.lit(0)), '+', 1).as('round'))
    .where('task_id', '=', taskId)
    .executeTakeFirstOrThrow();
  return Number(round);
}

export async function insertSubmission(
  db: Db,
  s: {
    taskId: string;
    round: number;
    description: string;
    eventId: string;
    at: Date;
    evidenceFlags: EvidenceFlag[];
  },
): Promise<void> {
  await db
    .insertInto('task_submissions')
    .values({
      task_id: s.taskId,
      round: s.round,
      description: s.description,
      event_id: s.eventId,
      created_at: s.at,
      // jsonb: sent as JSON text, so that pg does not take the array for a Postgres array.
      evidence_flags: JSON.stringify(s.evidenceFlags),
    })
    .execute();
}

/** The latest submission: the one a check judges. */
export function latestSubmission(
  db: Db,
  taskId: string,
): Promise<Pick<Selectable<TaskSubmissions>, 'id' | 'created_at'> | undefined> {
  return db
    .selectFrom('task_submissions')
    .select(['id', 'created_at'])
    .where('task_id', '=', taskId)
    .orderBy('round', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export async function insertCheck(
  db: Db,
  c: {
    taskId: string;
    submissionId: string;
    result: Selectable<TaskChecks>['result'];
    note: string | null;
    eventId: string;
    at: Date;
  },
): Promise<void> {
  await db
    .insertInto('task_checks')
    .values({
      task_id: c.taskId,
      submission_id: c.submissionId,
      result: c.result,
      note: c.note,
      event_id: c.eventId,
      created_at: c.at,
    })
    .execute();
}
