import { sql } from 'kysely';
import type { Db } from '../../database/kysely.js';
import type { Digest } from './digest-model.js';

/** A week's day, YYYY-MM-DD, as the `date` column compares it. */
const day = (value: string) => sql<Date>`${value}::date`;

/**
 * Stored weekly digests (weekly_digests), typed from the migrated schema. Every function takes
 * the transaction it runs in; none has a default.
 */
export const weeklyDigestsRepository = {
  /** Waits for, then holds until the transaction ends, the lock of one week's storing. */
  async lockWeek(db: Db, lockClass: number, lockObject: number): Promise<void> {
    await sql`SELECT pg_advisory_xact_lock(${lockClass}, ${lockObject})`.execute(db);
  },

  async find(db: Db, weekStart: string): Promise<Digest | undefined> {
    const row = await db
      .selectFrom('weekly_digests')
      .select('data')
      .where('week_start', '=', day(weekStart))
      .executeTakeFirst();
    // Written only by `insert` below, from a Digest.
    return row && (row.data as unknown as Digest);
  },

  /** Stores the week unless it is stored already; true when this call stored it. */
  async insert(db: Db, weekStart: string, digest: Digest): Promise<boolean> {
    const rows = await db
      .insertInto('weekly_digests')
      .values({
        week_start: weekStart,
        data: JSON.stringify(digest),
        generated_at: new Date(digest.generatedAt),
      })
      .onConflict((oc) => oc.column('week_start').doNothing())
      .returning('week_start')
      .execute();
    return rows.length > 0;
  },
};
