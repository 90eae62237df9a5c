import { sql } from 'kysely';
import type { Db } from '../../database/kysely.js';
import type { ChannelEvent, ChannelMessage } from './channel-messages.js';
import type { ChannelKind } from './channel-senders.js';

/**
 * 企业微信/钉钉/SMS channels of units and of the office (`unit_id` NULL), and their deliveries.
 * Every function takes the transaction (or `dbOf(ds.manager)`) it runs in.
 */

export type ChannelDeliveryStatus = 'pending' | 'sent' | 'dead';

export interface ChannelRow {
  id: string;
  unit_id: string | null;
  unit_name: string | null;
  kind: ChannelKind;
  name: string;
  token: string | null;
  secret: string | null;
  phones: string[];
  leader_phones: string[];
  events: ChannelEvent[];
  active: boolean;
  created_at: Date;
  updated_at: Date;
}

export interface ChannelValues {
  kind: ChannelKind;
  name: string;
  token: string | null;
  secret: string | null;
  phones: string[];
  leader_phones: string[];
  events: ChannelEvent[];
  active: boolean;
}

export interface ChannelDeliveryRow {
  id: string;
  channel_id: string;
  dedupe_key: string;
  event: string;
  message: ChannelMessage;
  status: ChannelDeliveryStatus;
  attempts: number;
  last_error: string | null;
  created_at: Date;
  last_attempt_at: Date | null;
  sent_at: Date | null;
}

/** The owner of channels: a unit, or the office. */
export type ChannelOwner = { unitId: string } | 'office';

const CHANNEL_COLUMNS = [
  'c.id',
  'c.unit_id',
  'u.name as unit_name',
  'c.kind',
  'c.name',
  'c.token',
  'c.secret',
  'c.phones',
  'c.leader_phones',
  'c.events',
  'c.active',
  'c.created_at',
  'c.updated_at',
] as const;

export const channelsRepository = {
  list(db: Db, owner: ChannelOwner): Promise<ChannelRow[]> {
    return db
      .selectFrom('notification_channels as c')
      .leftJoin('units as u', 'u.id', 'c.unit_id')
      .select(CHANNEL_COLUMNS)
      .$narrowType<{ kind: ChannelKind; events: ChannelEvent[] }>()
      .$if(owner === 'office', (qb) => qb.where('c.unit_id', 'is', null))
      .$if(owner !== 'office', (qb) =>
        qb.where('c.unit_id', '=', (owner as { unitId: string }).unitId),
      )
      .orderBy('c.created_at')
      .orderBy('c.id')
      .execute();
  },

  get(db: Db, id: string): Promise<ChannelRow | undefined> {
    return db
      .selectFrom('notification_channels as c')
      .leftJoin('units as u', 'u.id', 'c.unit_id')
      .select(CHANNEL_COLUMNS)
      .$narrowType<{ kind: ChannelKind; events: ChannelEvent[] }>()
      .where('c.id', '=', id)
      .executeTakeFirst();
  },

  async insert(db: Db, unitId: string | null, v: ChannelValues): Promise<string> {
    const row = await db
      .insertInto('notification_channels')
      .values({ unit_id: unitId, ...v })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  },

  async update(db: Db, id: string, v: Partial<ChannelValues>, now: Date): Promise<boolean> {
    const row = await db
      .updateTable('notification_channels')
      .set({ ...v, updated_at: now })
      .where('id', '=', id)
      .returning('id')
      .executeTakeFirst();
    return !!row;
  },

  async remove(db: Db, id: string): Promise<boolean> {
    const row = await db
      .deleteFrom('notification_channels')
      .where('id', '=', id)
      .returning('id')
      .executeTakeFirst();
    return !!row;
  },

  /**
   * One pending delivery per active channel of the owner subscribed to `event`; a key recorded
   * before for a channel adds nothing there. Returns the ids of the new rows.
   */
  async record(
    db: Db,
    owner: ChannelOwner,
    d: { key: string; event: ChannelEvent | 'test'; message: ChannelMessage; channelId?: string },
  ): Promise<string[]> {
    const rows = await db
      .insertInto('channel_deliveries')
      .columns(['channel_id', 'dedupe_key', 'event', 'message'])
      .expression((eb) =>
        eb
          .selectFrom('notification_channels as c')
          .select([
            'c.id',
            eb.val(d.key).as('dedupe_key'),
            eb.val(d.event).as('event'),
            eb.val(JSON.stringify(d.message)).as('message'),
          ])
          .where('c.active', '=', true)
          .$if(d.event !== 'test', (qb) => qb.where(sql<boolean>`${d.event} = ANY(c.events)`))
          .$if(d.channelId !== undefined, (qb) => qb.where('c.id', '=', d.channelId!))
          .$if(owner === 'office', (qb) => qb.where('c.unit_id', 'is', null))
          .$if(owner !== 'office', (qb) =>
            qb.where('c.unit_id', '=', (owner as { unitId: string }).unitId),
          ),
      )
      .onConflict((oc) => oc.columns(['channel_id', 'dedupe_key']).doNothing())
      .returning('id')
      .execute();
    return rows.map((r) => r.id);
  },

  /** A pending delivery with its channel, for one send. */
  sendable(
    db: Db,
    id: string,
  ): Promise<(ChannelDeliveryRow & { channel: ChannelRow }) | undefined> {
    return db
      .selectFrom('channel_deliveries as d')
      .innerJoin('notification_channels as c', 'c.id', 'd.channel_id')
      .leftJoin('units as u', 'u.id', 'c.unit_id')
      .selectAll('d')
      .select((eb) =>
        sql<ChannelRow>`json_build_object(
          'id', ${eb.ref('c.id')}, 'kind', ${eb.ref('c.kind')}, 'name', ${eb.ref('c.name')},
          'token', ${eb.ref('c.token')}, 'secret', ${eb.ref('c.secret')},
          'phones', ${eb.ref('c.phones')}, 'leader_phones', ${eb.ref('c.leader_phones')},
          'active', ${eb.ref('c.active')}, 'unit_id', ${eb.ref('c.unit_id')})`.as('channel'),
      )
      .$narrowType<{ message: ChannelMessage; status: ChannelDeliveryStatus }>()
      .where('d.id', '=', id)
      .executeTakeFirst() as Promise<(ChannelDeliveryRow & { channel: ChannelRow }) | undefined>;
  },

  async markSent(db: Db, id: string, at: Date): Promise<void> {
    await db
      .updateTable('channel_deliveries')
      .set((eb) => ({
        status: 'sent',
        sent_at: at,
        last_attempt_at: at,
        last_error: null,
        attempts: eb('attempts', '+', 1),
      }))
      .where('id', '=', id)
      .where('status', '=', 'pending')
      .execute();
  },

  async markFailed(db: Db, id: string, at: Date, error: string): Promise<void> {
    await db
      .updateTable('channel_deliveries')
      .set((eb) => ({ last_attempt_at: at, last_error: error, attempts: eb('attempts', '+', 1) }))
      .where('id', '=', id)
      .where('status', '=', 'pending')
      .execute();
  },

  /** Deliveries still to be sent, older than `graceMs` (the lost-jobs sweep looks for their jobs). */
  pendingOlderThan(
    db: Db,
    graceMs: number,
    limit: number,
  ): Promise<{ id: string; attempts: number }[]> {
    return db
      .selectFrom('channel_deliveries')
      .select(['id', 'attempts'])
      .where('status', '=', 'pending')
      .where('created_at', '<', sql<Date>`now() - make_interval(secs => ${graceMs}::float / 1000)`)
      .orderBy('created_at')
      .limit(limit)
      .execute();
  },

  async markDead(db: Db, id: string): Promise<void> {
    await db
      .updateTable('channel_deliveries')
      .set({ status: 'dead' })
      .where('id', '=', id)
      .where('status', '=', 'pending')
      .execute();
  },

  /** A dead delivery of the channel back to pending (attempts stay); its id, if it was dead. */
  async revive(db: Db, channelId: string, id: string): Promise<string | undefined> {
    const row = await db
      .updateTable('channel_deliveries')
      .set({ status: 'pending' })
      .where('id', '=', id)
      .where('channel_id', '=', channelId)
      .where('status', '=', 'dead')
      .returning('id')
      .executeTakeFirst();
    return row?.id;
  },

  deliveries(db: Db, channelId: string, limit: number): Promise<ChannelDeliveryRow[]> {
    return db
      .selectFrom('channel_deliveries')
      .selectAll()
      .$narrowType<{ message: ChannelMessage; status: ChannelDeliveryStatus }>()
      .where('channel_id', '=', channelId)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit)
      .execute() as Promise<ChannelDeliveryRow[]>;
  },

  /** Units (and the office, unit_id null) with an active channel subscribed to the daily summary. */
  async digestOwners(db: Db): Promise<(string | null)[]> {
    const rows = await db
      .selectFrom('notification_channels')
      .select('unit_id')
      .distinct()
      .where('active', '=', true)
      .where(sql<boolean>`'digest' = ANY(events)`)
      .execute();
    return rows.map((r) => r.unit_id);
  },

  /**
   * Open assigned work due by the end of tomorrow (office day) and overdue now, by unit, with
   * the numbers (oldest deadline first).
   */
  dueAndOverdue(
    db: Db,
    unitIds: string[] | 'all',
    now: Date,
    endOfTomorrow: Date,
    startOfTomorrow: Date,
  ): Promise<{ unit_id: string; unit_name: string; number: string; overdue: boolean }[]> {
    return db
      .selectFrom('tasks as t')
      .innerJoin('units as u', 'u.id', 't.unit_id')
      .select((eb) => [
        't.unit_id as unit_id',
        'u.name as unit_name',
        't.number',
        eb('t.deadline', '<', now).as('overdue'),
      ])
      .$narrowType<{ unit_id: string; overdue: boolean }>()
      .where('t.status', '=', 'assigned')
      .where('t.deadline', 'is not', null)
      .where((eb) =>
        eb.or([
          eb('t.deadline', '<', now),
          eb.and([eb('t.deadline', '>=', startOfTomorrow), eb('t.deadline', '<', endOfTomorrow)]),
        ]),
      )
      .$if(unitIds !== 'all', (qb) => qb.where('t.unit_id', 'in', unitIds as string[]))
      .orderBy('t.deadline')
      .orderBy('t.number')
      .execute();
  },
};
