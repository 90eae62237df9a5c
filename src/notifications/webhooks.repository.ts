import { sql, type Selectable } from 'kysely';
import type {
  Units,
  WebhookDeliveries,
  WebhookDeliveryAttempts,
} from '../database/db.generated.js';
import type { Db } from '../database/kysely.js';
import { microsUtcOf, timestamptz, uuid } from '../database/typed-cursor.js';
import type { AttemptErrorCategory, AttemptOutcome } from './webhook-attempts.js';

/**
 * Webhook deliveries, their attempt history and the units' webhook settings, typed from the
 * migrated schema. Every function takes the transaction (or the standalone `dbOf(ds.manager)`)
 * it runs in; none has a default.
 */

export type DeliveryStatus = 'pending' | 'delivered' | 'dead';

export type DeliveryRow = Pick<
  Selectable<WebhookDeliveries>,
  | 'id'
  | 'unit_id'
  | 'delivery_key'
  | 'event_type'
  | 'attempts'
  | 'last_status'
  | 'last_error'
  | 'created_at'
  | 'delivered_at'
> & {
  unit_name: string;
  status: DeliveryStatus;
  last_attempt_at: Date | null;
  last_error_category: string | null;
};

/** What one send needs: the delivery and where, and with what secret, it goes. */
export type SendableDelivery = Pick<
  Selectable<WebhookDeliveries>,
  'id' | 'status' | 'event_type' | 'payload'
> &
  Pick<Selectable<Units>, 'webhook_url' | 'webhook_secret' | 'active'>;

export type UnitWebhookRow = Pick<
  Selectable<Units>,
  'id' | 'webhook_url' | 'webhook_created_at' | 'webhook_updated_at'
> & { has_secret: boolean };

export type AttemptHistoryRow = Pick<
  Selectable<WebhookDeliveryAttempts>,
  'attempted_at' | 'status_code' | 'error' | 'duration_ms'
> & { error_category: AttemptErrorCategory | null };

export const webhooksRepository = {
  /**
   * A delivery for the unit and key if the unit has a webhook and is active; a second recording
   * of the key returns the row already there (the no-op update makes RETURNING give it).
   */
  record(
    db: Db,
    d: { unitId: string; key: string; type: string; payload: Record<string, unknown> },
  ): Promise<{ id: string; status: string } | undefined> {
    return db
      .insertInto('webhook_deliveries')
      .columns(['unit_id', 'delivery_key', 'event_type', 'payload'])
      .expression((eb) =>
        eb
          .selectFrom('units as u')
          .select([
            'u.id',
            eb.val(d.key).as('delivery_key'),
            eb.val(d.type).as('event_type'),
            eb.val(JSON.stringify(d.payload)).as('payload'),
          ])
          .where('u.id', '=', d.unitId)
          .where('u.webhook_url', 'is not', null)
          .where('u.active', '=', true),
      )
      .onConflict((oc) =>
        oc
          .columns(['unit_id', 'delivery_key'])
          .doUpdateSet((eb) => ({ delivery_key: eb.ref('excluded.delivery_key') })),
      )
      .returning(['id', 'status'])
      .executeTakeFirst();
  },

  sendable(db: Db, id: string): Promise<SendableDelivery | undefined> {
    return db
      .selectFrom('webhook_deliveries as d')
      .innerJoin('units as u', 'u.id', 'd.unit_id')
      .select([
        'd.id',
        'd.status',
        'd.event_type',
        'd.payload',
        'u.webhook_url',
        'u.webhook_secret',
        'u.active',
      ])
      .where('d.id', '=', id)
      .executeTakeFirst();
  },

  /** Counts an attempt of a pending delivery: delivered (2xx) or failed with a status or error. */
  async countAttempt(
    db: Db,
    id: string,
    outcome: { delivered: Date | null; status: number | null; error: string | null },
  ): Promise<void> {
    await db
      .updateTable('webhook_deliveries')
      .set((eb) => ({
        ...(outcome.delivered && {
          status: 'delivered' satisfies DeliveryStatus,
          delivered_at: outcome.delivered,
        }),
        attempts: eb('attempts', '+', 1),
        last_status: outcome.status,
        last_error: outcome.error,
      }))
      .where('id', '=', id)
      .where('status', '=', 'pending' satisfies DeliveryStatus)
      .execute();
  },

  /** Appends one attempt to a delivery's history; the history is never rewritten. */
  async appendAttempt(db: Db, deliveryId: string, at: Date, o: AttemptOutcome): Promise<void> {
    await db
      .insertInto('webhook_delivery_attempts')
      .values({
        delivery_id: deliveryId,
        attempted_at: at,
        status_code: o.statusCode,
        error_category: o.errorCategory,
        error: o.error,
        duration_ms: Math.max(0, Math.round(o.durationMs)),
      })
      .execute();
  },

  attempts(db: Db, deliveryId: string): Promise<AttemptHistoryRow[]> {
    return db
      .selectFrom('webhook_delivery_attempts')
      .select(['attempted_at', 'status_code', 'error_category', 'error', 'duration_ms'])
      .$narrowType<{ error_category: AttemptErrorCategory | null }>()
      .where('delivery_id', '=', deliveryId)
      .orderBy('id')
      .execute();
  },

  async exists(db: Db, id: string): Promise<boolean> {
    return !!(await db
      .selectFrom('webhook_deliveries')
      .select('id')
      .where('id', '=', id)
      .executeTakeFirst());
  },

  /** The unit of a pending delivery. */
  async pendingUnit(db: Db, id: string): Promise<string | null> {
    const row = await db
      .selectFrom('webhook_deliveries')
      .select('unit_id')
      .where('id', '=', id)
      .where('status', '=', 'pending' satisfies DeliveryStatus)
      .executeTakeFirst();
    return row?.unit_id ?? null;
  },

  /**
   * Pending deliveries created longer than the grace period ago, oldest first: the sweeper
   * compares them with the jobs Redis still holds.
   */
  pendingOlderThan(
    db: Db,
    graceMs: number,
    limit: number,
  ): Promise<Pick<Selectable<WebhookDeliveries>, 'id' | 'attempts'>[]> {
    return db
      .selectFrom('webhook_deliveries')
      .select(['id', 'attempts'])
      .where('status', '=', sql.lit<DeliveryStatus>('pending'))
      .where('created_at', '<', sql<Date>`now() - make_interval(secs => ${graceMs}::float / 1000)`)
      .orderBy('created_at')
      .limit(limit)
      .execute();
  },

  /** How many deliveries gave up (`dead`). */
  async countDead(db: Db): Promise<number> {
    const row = await db
      .selectFrom('webhook_deliveries')
      .select(sql<number>`count(*)::int`.as('n'))
      .where('status', '=', sql.lit<DeliveryStatus>('dead'))
      .executeTakeFirstOrThrow();
    return row.n;
  },

  async markDead(db: Db, id: string): Promise<void> {
    await db
      .updateTable('webhook_deliveries')
      .set({ status: 'dead' satisfies DeliveryStatus })
      .where('id', '=', id)
      .where('status', '=', 'pending' satisfies DeliveryStatus)
      .execute();
  },

  /** A dead delivery back to pending (attempts and history stay); its id, if it was dead. */
  async revive(db: Db, id: string): Promise<string | undefined> {
    const row = await db
      .updateTable('webhook_deliveries')
      .set({ status: 'pending' satisfies DeliveryStatus })
      .where('id', '=', id)
      .where('status', '=', 'dead' satisfies DeliveryStatus)
      .returning('id')
      .executeTakeFirst();
    return row?.id;
  },

  /** Newest first, keyset-paginated on (created_at to the microsecond, id). */
  list(
    db: Db,
    q: {
      status?: DeliveryStatus;
      /** The unit by id or by its code. */
      unit?: { id: string } | { code: string };
      before?: [string, string];
      limit: number;
    },
  ): Promise<(DeliveryRow & { cursor_at: string })[]> {
    return db
      .selectFrom('webhook_deliveries as d')
      .innerJoin('units as u', 'u.id', 'd.unit_id')
      .leftJoinLateral(
        (eb) =>
          eb
            .selectFrom('webhook_delivery_attempts as x')
            .select(['x.attempted_at', 'x.error_category'])
            .whereRef('x.delivery_id', '=', 'd.id')
            .orderBy('x.id', 'desc')
            .limit(1)
            .as('a'),
        (join) => join.onTrue(),
      )
      .select((eb) => [
        'd.id',
        'd.unit_id',
        'u.name as unit_name',
        'd.delivery_key',
        'd.event_type',
        'd.status',
        'd.attempts',
        'd.last_status',
        'd.last_error',
        'd.created_at',
        'd.delivered_at',
        'a.attempted_at as last_attempt_at',
        'a.error_category as last_error_category',
        microsUtcOf(eb.ref('d.created_at')).as('cursor_at'),
      ])
      .$narrowType<{ status: DeliveryStatus }>()
      .$if(q.status !== undefined, (qb) => qb.where('d.status', '=', q.status!))
      .$if(q.unit !== undefined && 'id' in q.unit, (qb) =>
        qb.where('d.unit_id', '=', (q.unit as { id: string }).id),
      )
      .$if(q.unit !== undefined && 'code' in q.unit, (qb) =>
        qb.where('u.code', '=', (q.unit as { code: string }).code),
      )
      .$if(q.before !== undefined, (qb) =>
        qb.where((eb) =>
          eb(
            eb.refTuple('d.created_at', 'd.id'),
            '<',
            eb.tuple(timestamptz(q.before![0]), uuid(q.before![1])),
          ),
        ),
      )
      .orderBy('d.created_at', 'desc')
      .orderBy('d.id', 'desc')
      .limit(q.limit)
      .execute();
  },

  unitWebhook(db: Db, unitId: string): Promise<UnitWebhookRow | undefined> {
    return db
      .selectFrom('units')
      .select((eb) => [
        'id',
        'webhook_url',
        eb('webhook_secret', 'is not', null).as('has_secret'),
        'webhook_created_at',
        'webhook_updated_at',
      ])
      .$narrowType<{ has_secret: boolean }>()
      .where('id', '=', unitId)
      .executeTakeFirst();
  },

  /** Sets (or with `url` null, removes) a unit's webhook; false when there is no such unit. */
  async configure(
    db: Db,
    unitId: string,
    w: { url: string | null; secret: string | null; now: Date },
  ): Promise<boolean> {
    const row = await db
      .updateTable('units')
      .set((eb) => ({
        webhook_url: w.url,
        webhook_secret: w.url ? w.secret : null,
        updated_at: sql<Date>`now()`,
        webhook_created_at: w.url ? eb.fn.coalesce('webhook_created_at', eb.val(w.now)) : null,
        webhook_updated_at: w.url ? w.now : null,
      }))
      .where('id', '=', unitId)
      .returning('id')
      .executeTakeFirst();
    return !!row;
  },
};
