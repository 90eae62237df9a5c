import { sql, type Selectable } from 'kysely';
import type { TaskEscalations } from '../database/db.generated.js';
import type { Db } from '../database/kysely.js';
import type { EscalationLevel } from './escalation-level.js';

/**
 * The escalation levels tasks reached (task_escalations), typed from the migrated schema: the
 * deadline scan's insert and what announcing a scan reads. Every function takes the
 * transaction it runs in; none has a default.
 */

export type ReachedEscalation = Pick<Selectable<TaskEscalations>, 'task_id' | 'deadline'> & {
  level: EscalationLevel;
};

/** What a scan compares the open tasks with. */
export interface EscalationScan {
  now: Date;
  scanId: string;
  /** 提醒 once this share of the time between assignment and deadline has passed. */
  reminderAtFraction: number;
  /** 督办 this long after the deadline. */
  superviseAfterSeconds: number;
  /** 通报 this long after the deadline. */
  notifyAfterSeconds: number;
}

export const escalationsRepository = {
  /**
   * Records, stamped with the scan's id, each level an assigned task has reached and not yet
   * recorded for its deadline; returns the task of each row recorded. The unique key makes a
   * second scan (or one beside it on another worker) record nothing new.
   */
  recordReached(
    db: Db,
    s: EscalationScan,
  ): Promise<Pick<Selectable<TaskEscalations>, 'task_id'>[]> {
    const reminderDue = sql<boolean>`t.assigned_at + (t.deadline - t.assigned_at) * ${s.reminderAtFraction} <= ${s.now}`;
    const levels = sql<{ level: EscalationLevel; due: boolean }>`(VALUES
      ('reminder', ${reminderDue}),
      ('supervise', t.deadline + make_interval(secs => ${s.superviseAfterSeconds}) < ${s.now}),
      ('notify', t.deadline + make_interval(secs => ${s.notifyAfterSeconds}) < ${s.now}))`.as<'l'>(
      sql`l(level, due)`,
    );
    return db
      .insertInto('task_escalations')
      .columns(['task_id', 'level', 'deadline', 'scan_id'])
      .expression((eb) =>
        eb
          .selectFrom('tasks as t')
          .crossJoinLateral(levels)
          .select(['t.id', 'l.level', 't.deadline', sql<string>`${s.scanId}`.as('scan_id')])
          .where('t.status', '=', sql.lit('assigned'))
          .where((eb) => eb.ref('l.due'))
          .where(reminderDue)
          .where((eb) =>
            eb.not(
              eb.exists(
                eb
                  .selectFrom('task_escalations as e')
                  .select(sql.lit(1).as('one'))
                  .whereRef('e.task_id', '=', 't.id')
                  .whereRef('e.level', '=', 'l.level')
                  .whereRef('e.deadline', '=', 't.deadline'),
              ),
            ),
          ),
      )
      .onConflict((oc) => oc.doNothing())
      .returning('task_id')
      .execute();
  },

  /** The levels one scan recorded. */
  ofScan(db: Db, scanId: string): Promise<ReachedEscalation[]> {
    return db
      .selectFrom('task_escalations as e')
      .select(['e.task_id', 'e.level', 'e.deadline'])
      .where('e.scan_id', '=', scanId)
      .execute();
  },
};
