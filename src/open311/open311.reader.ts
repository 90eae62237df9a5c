import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { sql } from 'kysely';
import type { DataSource } from 'typeorm';
import type { Principal } from '../common/auth/principal.js';
import { dbOf, type Db } from '../database/kysely.js';
import type { DeadlineRule } from '../tasks/deadline/deadline.js';
import {
  taskStatusesOf,
  type Open311RequestRow,
  type Open311UpdateRow,
} from './open311-mapping.js';
import { MAX_RESULTS, type RequestsFilter, type Window } from './open311-query.js';

/** An active 问题类别 as GET services reads it. */
export interface Open311ServiceRow {
  code: string;
  name: string;
  group_name: string;
  deadline_rule: DeadlineRule;
  szcg_item: string | null;
  quick_phrases: string[];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Open311's reads, scoped like GET /tasks: a unit's key or user sees its own unit's tasks only,
 * the office and inspectors all (the same rule as `scopeToPrincipal`).
 */
@Injectable()
export class Open311Reader {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  private get db(): Db {
    return dbOf(this.ds.manager);
  }

  services(code?: string): Promise<Open311ServiceRow[]> {
    let q = this.db
      .selectFrom('categories as c')
      .select([
        'c.code',
        'c.name',
        'c.group_name',
        'c.deadline_rule',
        'c.szcg_item',
        'c.quick_phrases',
      ])
      .where('c.active', '=', true);
    if (code !== undefined) q = q.where('c.code', '=', code);
    return q.orderBy('c.sort_order').orderBy('c.code').execute();
  }

  private requestRows(principal: Principal) {
    let q = this.db
      .selectFrom('tasks as t')
      .innerJoin('categories as c', 'c.id', 't.category_id')
      .leftJoin('sites as s', 's.id', 't.site_id')
      .leftJoin('units as u', 'u.id', 't.unit_id')
      .select((eb) => [
        't.id',
        't.number',
        't.status',
        'c.code as service_code',
        'c.name as service_name',
        'c.deadline_rule',
        't.description',
        'u.name as unit_name',
        't.created_at',
        't.updated_at',
        't.deadline',
        's.name as site_name',
        's.code as site_code',
        't.address',
        't.lat',
        't.lng',
        eb
          .selectFrom('task_attachments as ta')
          .select('ta.attachment_id')
          .whereRef('ta.task_id', '=', 't.id')
          .where('ta.role', '=', 'before')
          .orderBy('ta.event_id')
          .orderBy('ta.attachment_id')
          .limit(1)
          .as('photo_id'),
      ]);
    if (principal.role === 'unit') q = q.where('t.unit_id', '=', principal.unitId);
    return q;
  }

  /** GET requests: the filter's tasks, most recent first, at most the spec's 1000. */
  async requests(principal: Principal, f: RequestsFilter): Promise<Open311RequestRow[]> {
    let q = this.requestRows(principal);
    if (f.ids) {
      q = q.where('t.number', 'in', f.ids);
    } else {
      q = q.where('t.created_at', '>=', f.window.start).where('t.created_at', '<=', f.window.end);
      if (f.serviceCodes) q = q.where('c.code', 'in', f.serviceCodes);
      if (f.statuses) q = q.where('t.status', 'in', f.statuses.flatMap(taskStatusesOf));
    }
    const rows = await q
      .orderBy('t.created_at', 'desc')
      .orderBy('t.id', 'desc')
      .limit(MAX_RESULTS)
      .execute();
    return rows as Open311RequestRow[];
  }

  /** GET request: one task by its number (what we emit as service_request_id) or its id. */
  async request(principal: Principal, id: string): Promise<Open311RequestRow | undefined> {
    const row = await this.requestRows(principal)
      .where(UUID.test(id) ? 't.id' : 't.number', '=', id)
      .executeTakeFirst();
    return row as Open311RequestRow | undefined;
  }

  /**
   * servicerequestupdates: the status changes of the audit trail (the creation included) in the
   * window, oldest first so that a poller can continue from the last one it read.
   */
  async updates(principal: Principal, window: Window): Promise<Open311UpdateRow[]> {
    let q = this.db
      .selectFrom('task_events as e')
      .innerJoin('tasks as t', 't.id', 'e.task_id')
      .select([
        sql<string>`e.id::text`.as('id'),
        't.number',
        'e.action',
        'e.to_status',
        'e.note',
        'e.created_at',
        sql<string | null>`e.attachment_ids[1]::text`.as('photo_id'),
      ])
      .where('e.created_at', '>=', window.start)
      .where('e.created_at', '<=', window.end)
      .where(sql<boolean>`e.from_status IS DISTINCT FROM e.to_status`);
    if (principal.role === 'unit') q = q.where('t.unit_id', '=', principal.unitId);
    const rows = await q.orderBy('e.created_at').orderBy('e.id').limit(MAX_RESULTS).execute();
    return rows as Open311UpdateRow[];
  }
}
