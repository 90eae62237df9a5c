import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { FastifyReply } from 'fastify';
import { PassThrough } from 'node:stream';
import type { DataSource } from 'typeorm';
import type { Principal } from '../../common/auth/principal.js';
import { Clock } from '../../common/clock.js';
import { asDownload, XLSX_TYPE } from '../../common/http/download.js';
import { officeDay } from '../../common/time/office-zone.js';
import { TaskSources } from '../../catalog/task-sources.js';
import { DeadlineService } from '../deadline/deadline.service.js';
import type { ExportTasksQuery } from '../dto/list-tasks.query.js';
import type { EvidenceFlag } from '../evidence/evidence-rules.js';
import { TaskReader } from '../task-reader.js';
import { assertLedgerFilter } from './ledger-filter.js';
import { ledgerOverdue } from './ledger-overdue.js';
import {
  foundAtOf,
  writeLedgerCsv,
  writeLedgerXlsx,
  type LedgerFormatContext,
  type LedgerRow,
} from './ledger-export.js';
import { LedgerReader, type LedgerTaskRow } from './ledger.reader.js';

/**
 * Where the photo links point: the server knows no public address of its own, so the links use
 * the origin the ledger was downloaded from — the one the clerk's browser reaches the API at, as
 * a reverse proxy reports it (X-Forwarded-Proto/-Host) or else as the request names it. The
 * headers only shape the caller's own file. Without a usable host the links are bare API paths.
 */
function photoOrigin(reply: FastifyReply): string {
  const req = reply.request;
  const first = (name: string): string | undefined => {
    const value = req.headers[name];
    return (Array.isArray(value) ? value[0] : value)?.split(',')[0]?.trim() || undefined;
  };
  const proto = first('x-forwarded-proto') ?? req.protocol;
  const host = first('x-forwarded-host') ?? req.host;
  return /^https?$/.test(proto) && host && /^[\w.:[\]-]+$/.test(host) ? `${proto}://${host}` : '';
}

/** 整改台账: streams the filtered, scoped task list as .xlsx or CSV, in task-number order. */
@Injectable()
export class LedgerService {
  private readonly reader: LedgerReader;

  constructor(
    @InjectDataSource() ds: DataSource,
    tasks: TaskReader,
    private readonly deadlines: DeadlineService,
    private readonly clock: Clock,
    private readonly sources: TaskSources,
  ) {
    this.reader = new LedgerReader(ds, tasks);
  }

  /** A task as a ledger row; `now` decides what is overdue for open tasks. */
  toLedgerRow(r: LedgerTaskRow, now: Date): LedgerRow {
    const timing =
      r.status === 'assigned' && r.assigned_at && r.deadline
        ? this.deadlines.assess(r.assigned_at, r.deadline, now)
        : null;
    const { overdue, overdueHours } = ledgerOverdue({
      status: r.status,
      deadline: r.deadline,
      submittedAt: r.submitted_at,
      closedAt: r.closed_at,
      closedOnTime: r.closed_on_time,
      now,
    });
    return {
      number: r.number,
      status: r.status,
      categoryName: r.category_name,
      groupName: r.category_group,
      unitName: r.unit_name,
      siteName: r.site_name,
      address: r.address,
      description: r.description,
      inspectionLabel: r.inspection_label,
      sourceName: this.sources.nameOf(r.source),
      foundAt: foundAtOf(r.found_at, r.inspection_day),
      assignedAt: r.assigned_at,
      acknowledgedAt: r.acknowledged_at,
      acknowledgedBy: r.acknowledged_by,
      deadline: r.deadline,
      submittedAt: r.submitted_at,
      submissionText: r.submission_text,
      checkResult: r.check_result,
      checkedBy: r.checked_by,
      checkedAt: r.checked_at,
      checkNote: r.check_note,
      closedAt: r.closed_at,
      overdue,
      overdueHours: Math.round(overdueHours * 10) / 10,
      light: timing?.light ?? null,
      escalation: timing?.escalation ?? null,
      reworkCount: r.rework_count,
      reopenCount: r.reopen_count,
      extensionCount: r.extension_count,
      closedOnTime: r.closed_on_time,
      closedUnverified: r.closed_unverified,
      holdReason: r.hold_reason,
      holdReviewOn: r.hold_review_on,
      beforePhotoIds: r.before_photo_ids,
      afterPhotoIds: r.after_photo_ids,
      // Only a submission still standing is in doubt (as in the task detail).
      evidenceFlags:
        (r.status === 'submitted' || r.status === 'closed') && Array.isArray(r.evidence_flags)
          ? (r.evidence_flags as unknown as EvidenceFlag[])
          : [],
    };
  }

  async *rows(p: Principal, q: ExportTasksQuery, now: Date): AsyncGenerator<LedgerRow> {
    for await (const r of this.reader.stream(p, q, now)) yield this.toLedgerRow(r, now);
  }

  /**
   * Validates the filter and reads the first batch before the first byte goes out: until then a
   * failure is an ordinary problem response (400 naming the field); after it, the headers are
   * gone and a failure can only cut the download.
   */
  async send(p: Principal, q: ExportTasksQuery, reply: FastifyReply): Promise<void> {
    assertLedgerFilter(q);
    const now = this.clock.now();
    const rows = this.rows(p, q, now);
    const first = await rows.next();
    const all = async function* (): AsyncGenerator<LedgerRow> {
      if (first.done) return;
      yield first.value;
      yield* rows;
    };
    const photoBase = `${photoOrigin(reply)}/api/v1/attachments/`;
    const ctx: LedgerFormatContext = { photoUrl: (id) => `${photoBase}${id}` };

    const format = q.format ?? 'xlsx';
    const stamp = officeDay(now).replace(/-/g, '');
    const filename = `整改台账-${stamp}.${format}`;
    const out = new PassThrough();
    asDownload(
      reply,
      format === 'csv' ? 'text/csv; charset=utf-8' : XLSX_TYPE,
      `ledger-${stamp}.${format}`,
      filename,
    );
    const done =
      format === 'csv'
        ? writeLedgerCsv(all(), out, ctx)
        : writeLedgerXlsx(all(), out, {
            title: `整改台账（${stamp.slice(0, 4)}年${stamp.slice(4, 6)}月${stamp.slice(6)}日导出）`,
            ctx,
          });
    // Headers are gone once the first byte is: a failure half-way can only cut the download.
    done.catch((e: unknown) => out.destroy(e as Error));
    await reply.send(out);
  }
}
