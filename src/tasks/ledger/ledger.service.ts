import { Injectable } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { PassThrough } from 'node:stream';
import type { Principal } from '../../common/auth/principal.js';
import { Clock } from '../../common/clock.js';
import { DeadlineService } from '../deadline/deadline.service.js';
import type { ExportTasksQuery } from '../dto/list-tasks.query.js';
import { TASK_SELECT, TaskReader, type TaskRow } from '../task-reader.js';
import { writeLedgerCsv, writeLedgerXlsx, type LedgerRow } from './ledger-export.js';

interface LedgerTaskRow extends TaskRow {
  submitted_at: Date | null;
  inspection_label: string | null;
}

const LEDGER_SELECT = TASK_SELECT.replace(
  /\n\s*FROM tasks t/,
  `, (SELECT max(ts.created_at) FROM task_submissions ts WHERE ts.task_id = t.id) AS submitted_at,
     (SELECT to_char(i.held_on, 'YYYY-MM-DD') || ' ' || i.activity FROM inspections i WHERE i.id = t.inspection_id) AS inspection_label
    FROM tasks t`,
);

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** 整改台账: streams the filtered, scoped task list as .xlsx or CSV, batch by batch. */
@Injectable()
export class LedgerService {
  constructor(
    private readonly reader: TaskReader,
    private readonly deadlines: DeadlineService,
    private readonly clock: Clock,
  ) {}

  async *rows(p: Principal, q: ExportTasksQuery): AsyncGenerator<LedgerRow> {
    const now = this.clock.now();
    for await (const r of this.reader.stream<LedgerTaskRow>(p, q, LEDGER_SELECT)) {
      const timing =
        r.status === 'assigned' && r.assigned_at && r.deadline
          ? this.deadlines.assess(r.assigned_at, r.deadline, now)
          : null;
      yield {
        number: r.number,
        status: r.status,
        categoryName: r.category_name,
        groupName: r.category_group,
        unitName: r.unit_name,
        siteName: r.site_name,
        address: r.address,
        description: r.description,
        inspectionLabel: r.inspection_label,
        createdAt: r.created_at,
        assignedAt: r.assigned_at,
        deadline: r.deadline,
        submittedAt: r.submitted_at,
        closedAt: r.closed_at,
        overdue: timing?.overdue ?? false,
        overdueHours: timing ? Math.round(timing.overdueHours * 10) / 10 : 0,
        light: timing?.light ?? null,
        escalation: timing?.escalation ?? null,
        reworkCount: r.rework_count,
        reopenCount: r.reopen_count,
        extensionCount: r.extension_count,
        closedOnTime: r.closed_on_time,
        closedUnverified: r.closed_unverified,
      };
    }
  }

  async send(p: Principal, q: ExportTasksQuery, reply: FastifyReply): Promise<void> {
    const format = q.format ?? 'xlsx';
    const stamp = new Date(this.clock.now().getTime() + 8 * 3_600_000)
      .toISOString()
      .slice(0, 10)
      .replace(/-/g, '');
    const filename = `整改台账-${stamp}.${format}`;
    const out = new PassThrough();
    reply
      .header('content-type', format === 'csv' ? 'text/csv; charset=utf-8' : XLSX)
      .header(
        'content-disposition',
        `attachment; filename="ledger-${stamp}.${format}"; filename*=UTF-8''${encodeURIComponent(filename)}`,
      )
      .header('cache-control', 'no-store');
    const done =
      format === 'csv'
        ? writeLedgerCsv(this.rows(p, q), out)
        : writeLedgerXlsx(this.rows(p, q), out, { title: '整改台账' });
    // Headers are gone once the first byte is: a failure half-way can only cut the download.
    done.catch((e: unknown) => out.destroy(e as Error));
    await reply.send(out);
  }
}
