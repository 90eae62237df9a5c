import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Principal } from '../common/auth/principal.js';
import { Clock } from '../common/clock.js';
import type { TaskFilterQuery } from './dto/list-tasks.query.js';
import { TASK_STATUSES, type TaskStatus } from './task-lifecycle.js';
import { TaskReader } from './task-reader.js';

const DAY_MS = 86_400_000;
const WEEK_MS = 7 * DAY_MS;
const BEIJING_OFFSET_MS = 8 * 3_600_000;

export interface WeekCount {
  /** Monday of the week, YYYY-MM-DD in Asia/Shanghai. */
  week: string;
  from: Date;
  to: Date;
  created: number;
  closed: number;
}

/** The Monday 00:00 (Asia/Shanghai) of the week holding `at`, as an instant. */
export function weekStartOf(at: Date): Date {
  const local = at.getTime() + BEIJING_OFFSET_MS;
  const midnight = local - (((local % DAY_MS) + DAY_MS) % DAY_MS);
  const mondayBased = (new Date(midnight).getUTCDay() + 6) % 7;
  return new Date(midnight - mondayBased * DAY_MS - BEIJING_OFFSET_MS);
}

/**
 * Counting queries of the console's dashboard, built on the list's own WHERE clause
 * (`TaskReader.filterWhere`), so a figure equals the list it clicks through to.
 */
@Injectable()
export class TaskCountsReader {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly reader: TaskReader,
    private readonly clock: Clock,
  ) {}

  async byStatus(
    principal: Principal,
    f: TaskFilterQuery,
  ): Promise<{ total: number; byStatus: Record<TaskStatus, number> }> {
    const where = this.reader.filterWhere(principal, f);
    const rows = (await this.ds.query(
      `SELECT t.status, count(*)::int AS n FROM tasks t ${where} GROUP BY t.status`,
      where.params,
    )) as { status: TaskStatus; n: number }[];
    const byStatus = Object.fromEntries(TASK_STATUSES.map((s) => [s, 0])) as Record<
      TaskStatus,
      number
    >;
    for (const r of rows) byStatus[r.status] = r.n;
    return { total: rows.reduce((a, r) => a + r.n, 0), byStatus };
  }

  /**
   * New and closed tasks per week for the last `weeks` weeks (this one included, oldest first):
   * two indexed range scans instead of two list counts per week. Week k holds exactly what
   * `GET /tasks/counts?createdFrom=…&createdTo=…` (resp. closedFrom/closedTo) counts.
   */
  async weekly(principal: Principal, weeks: number): Promise<WeekCount[]> {
    const end = new Date(weekStartOf(this.clock.now()).getTime() + WEEK_MS);
    const start = new Date(end.getTime() - weeks * WEEK_MS);
    const series = async (column: 't.created_at' | 't.closed_at'): Promise<number[]> => {
      const where = this.reader.filterWhere(principal, {});
      const from = where.param(start);
      where.add(`${column} >= ${from} AND ${column} < ?`, end);
      const rows = (await this.ds.query(
        `SELECT floor(extract(epoch FROM ${column} - ${from}::timestamptz) / ${WEEK_MS / 1000})::int AS k,
                count(*)::int AS n
           FROM tasks t ${where} GROUP BY 1`,
        where.params,
      )) as { k: number; n: number }[];
      const out = new Array<number>(weeks).fill(0);
      for (const r of rows) out[r.k] = r.n;
      return out;
    };
    const [created, closed] = await Promise.all([series('t.created_at'), series('t.closed_at')]);
    return created.map((n, k) => {
      const from = new Date(start.getTime() + k * WEEK_MS);
      return {
        week: new Date(from.getTime() + BEIJING_OFFSET_MS).toISOString().slice(0, 10),
        from,
        to: new Date(from.getTime() + WEEK_MS),
        created: n,
        closed: closed[k],
      };
    });
  }
}
