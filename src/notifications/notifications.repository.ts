import { sql, type ExpressionBuilder, type Selectable } from 'kysely';
import type { Notifications, TaskEvents, Tasks } from '../database/db.generated.js';
import type { Db } from '../database/kysely.js';
import { microsUtcOf, timestamptz, uuid } from '../database/typed-cursor.js';
import type { TaskStatus } from '../tasks/task-lifecycle.js';
import type { NotificationKind } from './notification-text.js';

/**
 * The inbox (notifications) and what its text is written from (task_events, tasks), typed from
 * the migrated schema. Every function takes the transaction it runs in; none has a default.
 */

/** A task event as the notification consumer reads it. */
export type EventRow = Pick<
  Selectable<TaskEvents>,
  'id' | 'task_id' | 'action' | 'note' | 'created_at'
> & {
  to_status: TaskStatus;
  data: Record<string, unknown>;
};

/** What a notification or webhook says of a task. */
export type TaskFactsRow = Pick<
  Selectable<Tasks>,
  'id' | 'number' | 'status' | 'unit_id' | 'description' | 'deadline' | 'created_by'
> & {
  unit_name: string | null;
  category_name: string;
  /** The site's name, else the address, else ''. */
  place: string;
};

export type InboxRow = Pick<
  Selectable<Notifications>,
  'id' | 'kind' | 'title' | 'body' | 'task_id' | 'created_at' | 'read_at'
> & {
  audience: 'user' | 'office';
  read_by_name: string | null;
  /** created_at to the microsecond, for the keyset cursor. */
  cursor_at: string;
};

/** Whose inbox: a user, and whether they also read the office's shared rows. */
export interface Reader {
  userId: string;
  office: boolean;
}

export interface NotificationValues {
  kind: NotificationKind;
  title: string;
  body: string;
  taskId: string | null;
  dedupeKey: string;
}

/** The rows a reader sees: their own, and for the office's clerks the shared office rows. */
const mine = (r: Reader) => (eb: ExpressionBuilder<{ n: Notifications }, 'n'>) =>
  r.office
    ? eb.or([eb('n.user_id', '=', r.userId), eb('n.audience', '=', 'office')])
    : eb('n.user_id', '=', r.userId);

export const notificationsRepository = {
  async event(db: Db, id: string): Promise<EventRow | undefined> {
    const row = await db
      .selectFrom('task_events')
      .select(['id', 'task_id', 'action', 'to_status', 'note', 'data', 'created_at'])
      .$narrowType<{ to_status: TaskStatus }>()
      .where('id', '=', id)
      .executeTakeFirst();
    // The event writer stores an object (task-event.writer.ts).
    return row && { ...row, data: row.data as Record<string, unknown> };
  },

  taskFacts(db: Db, taskIds: string[]): Promise<TaskFactsRow[]> {
    return db
      .selectFrom('tasks as t')
      .innerJoin('categories as c', 'c.id', 't.category_id')
      .leftJoin('sites as s', 's.id', 't.site_id')
      .leftJoin('units as u', 'u.id', 't.unit_id')
      .select((eb) => [
        't.id',
        't.number',
        't.status',
        't.unit_id',
        'u.name as unit_name',
        eb.fn.coalesce('c.bulletin_name', 'c.name').as('category_name'),
        't.description',
        eb.fn.coalesce('s.name', 't.address', sql.lit('')).as('place'),
        't.deadline',
        't.created_by',
      ])
      .where('t.id', '=', anyUuid(taskIds))
      .execute();
  },

  unitNames(db: Db, unitIds: string[]): Promise<{ id: string; name: string }[]> {
    return db
      .selectFrom('units')
      .select(['id', 'name'])
      .where('id', '=', anyUuid(unitIds))
      .execute();
  },

  /** Open assigned tasks past their deadline, per unit, most first. */
  overdueByUnit(db: Db, now: Date): Promise<{ name: string; n: number }[]> {
    return db
      .selectFrom('tasks as t')
      .innerJoin('units as u', 'u.id', 't.unit_id')
      .select(['u.name', sql<number>`count(*)::int`.as('n')])
      .where('t.status', '=', 'assigned' satisfies TaskStatus)
      .where('t.deadline', '<', now)
      .groupBy('u.name')
      .orderBy('n', 'desc')
      .orderBy('u.name')
      .execute();
  },

  /** One shared office row per dedupe key; returns how many were written (0 or 1). */
  async insertForOffice(db: Db, n: NotificationValues): Promise<number> {
    const rows = await db
      .insertInto('notifications')
      .values({
        user_id: null,
        audience: 'office',
        kind: n.kind,
        title: n.title,
        body: n.body,
        task_id: n.taskId,
        dedupe_key: n.dedupeKey,
      })
      // The partial unique index of office rows (its predicate a literal, so Postgres infers it).
      .onConflict((oc) =>
        oc.column('dedupe_key').where('audience', '=', sql.lit('office')).doNothing(),
      )
      .returning('id')
      .execute();
    return rows.length;
  },

  /**
   * One row per recipient and dedupe key: the active users of a unit, or the inspector who
   * raised a task. Returns how many were written.
   */
  async insertForUsers(
    db: Db,
    to: { unitId: string } | { inspectorOf: string },
    n: NotificationValues,
  ): Promise<number> {
    const recipients =
      'unitId' in to
        ? db
            .selectFrom('users')
            .select('id')
            .where('unit_id', '=', to.unitId)
            .where('active', '=', true)
        : db
            .selectFrom('tasks as t')
            .innerJoin('users as u', 'u.id', 't.created_by')
            .select('u.id')
            .where('t.id', '=', to.inspectorOf)
            .where('u.role', '=', 'inspector')
            .where('u.active', '=', true);
    const rows = await db
      .insertInto('notifications')
      .columns(['user_id', 'kind', 'title', 'body', 'task_id', 'dedupe_key'])
      .expression((eb) =>
        eb
          .selectFrom(recipients.as('r'))
          .select([
            'r.id',
            eb.val(n.kind).as('kind'),
            eb.val(n.title).as('title'),
            eb.val(n.body).as('body'),
            eb.val(n.taskId).as('task_id'),
            eb.val(n.dedupeKey).as('dedupe_key'),
          ]),
      )
      .onConflict((oc) => oc.columns(['user_id', 'dedupe_key']).doNothing())
      .returning('id')
      .execute();
    return rows.length;
  },

  /** Newest first, from before the cursor (created_at to the microsecond, id). */
  inbox(
    db: Db,
    r: Reader,
    q: { unread?: boolean; before?: [string, string]; limit: number },
  ): Promise<InboxRow[]> {
    return db
      .selectFrom('notifications as n')
      .leftJoin('users as r', 'r.id', 'n.read_by')
      .select((eb) => [
        'n.id',
        'n.audience',
        'n.kind',
        'n.title',
        'n.body',
        'n.task_id',
        'n.created_at',
        'n.read_at',
        'r.display_name as read_by_name',
        microsUtcOf(eb.ref('n.created_at')).as('cursor_at'),
      ])
      .$narrowType<{ audience: 'user' | 'office' }>()
      .where(mine(r))
      .$if(!!q.unread, (qb) => qb.where('n.read_at', 'is', null))
      .$if(q.before !== undefined, (qb) =>
        qb.where((eb) =>
          eb(
            eb.refTuple('n.created_at', 'n.id'),
            '<',
            eb.tuple(timestamptz(q.before![0]), uuid(q.before![1])),
          ),
        ),
      )
      .orderBy('n.created_at', 'desc')
      .orderBy('n.id', 'desc')
      .limit(q.limit)
      .execute();
  },

  async unreadCount(db: Db, r: Reader): Promise<number> {
    const { unread } = await db
      .selectFrom('notifications as n')
      .select(sql<number>`count(*)::int`.as('unread'))
      .where(mine(r))
      .where('n.read_at', 'is', null)
      .executeTakeFirstOrThrow();
    return unread;
  },

  /** Marks one of the reader's rows read (an office row for the whole office); false if none. */
  async markRead(db: Db, r: Reader, id: string, now: Date): Promise<boolean> {
    const rows = await db
      .updateTable('notifications as n')
      .set((eb) => ({
        read_at: eb.fn.coalesce('n.read_at', eb.val(now)),
        read_by: eb
          .case()
          .when('n.audience', '=', 'office')
          .then(eb.fn.coalesce('n.read_by', eb.val(r.userId)))
          .end(),
      }))
      .where('n.id', '=', id)
      .where(mine(r))
      .returning('n.id')
      .execute();
    return rows.length > 0;
  },

  async markAllRead(db: Db, r: Reader, now: Date): Promise<number> {
    const result = await db
      .updateTable('notifications as n')
      .set((eb) => ({
        read_at: now,
        read_by: eb.case().when('n.audience', '=', 'office').then(uuid(r.userId)).end(),
      }))
      .where(mine(r))
      .where('n.read_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  },
};

/** `= ANY($1::uuid[])`: one parameter for the whole list, as the statements had before. */
function anyUuid(ids: string[]) {
  return sql<string>`ANY(${ids}::uuid[])`;
}
