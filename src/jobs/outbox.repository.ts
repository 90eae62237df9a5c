import { sql, type Expression, type Selectable } from 'kysely';
import type { Outbox } from '../database/db.generated.js';
import type { Db } from '../database/kysely.js';
import type { JobName, JobPayloads } from './job-payloads.js';

/**
 * The outbox table, typed from the migrated schema: the writer's insert, the relay's claim, and
 * what the sweeper and the stats read. Every function takes the transaction (or the standalone
 * `dbOf(ds.manager)`) it runs in; none has a default. Ids are bigints, read as text.
 */

/**
 * An outbox row as the relay claims it. Written through `writeOutbox`, so topic and payload
 * agree with the job map; a row an older version wrote may carry a topic that is now only
 * handled to be dropped (`escalation`), which is why every topic is relayed and the handler
 * decides.
 */
export type ClaimedOutboxRow = Pick<Selectable<Outbox>, 'id'> & {
  topic: JobName;
  payload: JobPayloads[JobName];
};

export interface OutboxBacklogRow {
  pending: number;
  /** Seconds since the oldest unrelayed row was written; null when there is none. */
  oldest: number | null;
}

/** `now()` less a grace period given in milliseconds. */
const graceAgo = (graceMs: number) =>
  sql<Date>`now() - make_interval(secs => ${graceMs}::float / 1000)`;

/** `= ANY($1::bigint[])`: one array parameter however many ids. */
const anyId = (ids: readonly string[]): Expression<string> => sql<string>`ANY(${ids}::bigint[])`;

export const outboxRepository = {
  /** One row; `payload` is the JSON text (a JS array would go to the driver as a Postgres array). */
  async insert(db: Db, topic: string, payload: string): Promise<void> {
    await db.insertInto('outbox').values({ topic, payload }).execute();
  },

  /** Up to `limit` unrelayed rows in order, locked; rows another relay holds are skipped. */
  claimUnrelayed(db: Db, limit: number): Promise<ClaimedOutboxRow[]> {
    return db
      .selectFrom('outbox')
      .select((eb) => [eb.cast<string>('id', 'text').as('id'), 'topic', 'payload'])
      .$narrowType<{ topic: JobName; payload: JobPayloads[JobName] }>()
      .where('relayed_at', 'is', null)
      .orderBy('id')
      .limit(limit)
      .forUpdate()
      .skipLocked()
      .execute();
  },

  async markRelayed(db: Db, ids: readonly string[], at: Date): Promise<void> {
    await db
      .updateTable('outbox')
      .set((eb) => ({ relayed_at: at, attempts: eb('attempts', '+', 1) }))
      .where('id', '=', anyId(ids))
      .execute();
  },

  async markProcessed(db: Db, id: string, at: Date): Promise<void> {
    await db
      .updateTable('outbox')
      .set({ processed_at: at })
      .where('id', '=', id)
      .where('processed_at', 'is', null)
      .execute();
  },

  /** Rows relayed longer than the grace period ago and still not processed, oldest first. */
  async relayedUnprocessed(db: Db, graceMs: number, limit: number): Promise<string[]> {
    const rows = await db
      .selectFrom('outbox')
      .select((eb) => eb.cast<string>('id', 'text').as('id'))
      .where('relayed_at', 'is not', null)
      .where('processed_at', 'is', null)
      .where('relayed_at', '<', graceAgo(graceMs))
      .orderBy('id')
      .limit(limit)
      .execute();
    return rows.map((r) => r.id);
  },

  /** Clears `relayed_at` of rows still unprocessed, so the relay queues them again. */
  async unrelay(db: Db, ids: readonly string[]): Promise<void> {
    await db
      .updateTable('outbox')
      .set({ relayed_at: null })
      .where('id', '=', anyId(ids))
      .where('processed_at', 'is', null)
      .execute();
  },

  /** How many rows wait for the relay, and for how long the oldest has. */
  async backlog(db: Db): Promise<OutboxBacklogRow> {
    const row = await db
      .selectFrom('outbox')
      .select([
        sql<number>`count(*)::int`.as('pending'),
        sql<number | null>`extract(epoch FROM now() - min(created_at))::int`.as('oldest'),
      ])
      .where('relayed_at', 'is', null)
      .executeTakeFirstOrThrow();
    return row;
  },
};
