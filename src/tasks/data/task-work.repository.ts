import type { Selectable } from 'kysely';
import type { TaskChecks, TaskSubmissions } from '../../database/db.generated.js';
import type { Db } from '../../database/kysely.js';
import { prepared } from '../../database/prepared.js';
import type { EvidenceFlag } from '../evidence/evidence-rules.js';

/** The unit's 整改反馈 rounds (task_submissions) and the follow-up checks on them (task_checks). */

/** The round the next submission of a task will be. */
export async function nextSubmissionRound(db: Db, taskId: string): Promise<number> {
  const [{ round }] = await nextRound(db, { taskId });
  return Number(round);
}

const nextRound = prepared((db, p: { taskId: string }) =>
  db
    .selectFrom('task_submissions')
    .select((eb) => eb(eb.fn.coalesce(eb.fn.max('round'), eb.lit(0)), '+', 1).as('round'))
    .where('task_id', '=', p.taskId),
);

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
  // jsonb: sent as JSON text, so that pg does not take the array for a Postgres array.
  await submissionInsert(db, { ...s, evidenceFlags: JSON.stringify(s.evidenceFlags) });
}

const submissionInsert = prepared(
  (
    db,
    p: {
      taskId: string;
      round: number;
      description: string;
      eventId: string;
      at: Date;
      evidenceFlags: string;
    },
  ) =>
    db.insertInto('task_submissions').values({
      task_id: p.taskId,
      round: p.round,
      description: p.description,
      event_id: p.eventId,
      created_at: p.at,
      evidence_flags: p.evidenceFlags,
    }),
);

/** The latest submission: the one a check judges. */
export function latestSubmission(
  db: Db,
  taskId: string,
): Promise<Pick<Selectable<TaskSubmissions>, 'id' | 'created_at'> | undefined> {
  return latest.first(db, { taskId });
}

const latest = prepared((db, p: { taskId: string }) =>
  db
    .selectFrom('task_submissions')
    .select(['id', 'created_at'])
    .where('task_id', '=', p.taskId)
    .orderBy('round', 'desc')
    .limit(1),
);

/**
 * A 复查 of a submission, written after its event (the event's id links them). A type, not an
 * interface: `prepared` takes its parameters as a `Record<string, unknown>`.
 */
export type NewCheck = {
  taskId: string;
  submissionId: string;
  result: Selectable<TaskChecks>['result'];
  note: string | null;
  eventId: string;
  at: Date;
};

export async function insertCheck(db: Db, c: NewCheck): Promise<void> {
  await checkInsert(db, c);
}

const checkInsert = prepared((db, p: NewCheck) =>
  db.insertInto('task_checks').values({
    task_id: p.taskId,
    submission_id: p.submissionId,
    result: p.result,
    note: p.note,
    event_id: p.eventId,
    created_at: p.at,
  }),
);
