import { Injectable, Logger } from '@nestjs/common';
import { Clock } from '../common/clock.js';
import { TransactionRunner } from '../database/transaction.js';
import { OnJob, OnJobFailed, type JobFailure } from '../jobs/on-job.decorator.js';
import { DigestService } from './digest/digest.service.js';
import { lastFullWeek } from './shanghai-time.js';

/** Last week's digest is stored from Monday 06:00, leaving the night for late entries. */
export const STORE_AFTER_WEEK_END_HOURS = 6;

/**
 * Stores last week's digest (综合评价周报) on Monday from 06:00 Asia/Shanghai, once across any
 * number of worker processes.
 *
 * The `weekly-digest` schedule (src/jobs/schedules.ts) fires at the top of every hour in
 * Asia/Shanghai rather than only at Monday 06:00, so that a Monday morning missed by a deploy
 * or a restart is caught up within the hour; from 06:00 on Monday the week it targets is the
 * one just ended, and once it is stored each run is one indexed SELECT. Like every schedule it
 * is a cron of @nestjs/schedule in each worker process whose fire queues one bull job per hour
 * (its id names the hour, so the workers' fires make one job); and should two runs still meet
 * (a stalled job run again beside the slow original, or the office's backfill route), the
 * insert is `ON CONFLICT DO NOTHING` on `week_start`: one stores, the other finds the week
 * stored.
 */
@Injectable()
export class DigestScheduler {
  private readonly logger = new Logger('DigestScheduler');

  constructor(
    private readonly tx: TransactionRunner,
    private readonly digests: DigestService,
    private readonly clock: Clock,
  ) {}

  /**
   * Stores the last week that ended at least STORE_AFTER_WEEK_END_HOURS ago. Returns what
   * happened: 'stored', or 'exists' when the week was stored already. A failure fails the job;
   * the next hour's run tries again.
   */
  @OnJob('weekly-digest')
  async storeLastWeek(): Promise<{ weekStart: string; outcome: 'stored' | 'exists' }> {
    const shifted = new Date(this.clock.now().getTime() - STORE_AFTER_WEEK_END_HOURS * 3_600_000);
    const weekStart = lastFullWeek(shifted).from;
    const { created } = await this.tx.withTransaction((em) =>
      this.digests.storeWeek(em, weekStart),
    );
    if (created) this.logger.log(`weekly digest of ${weekStart} stored`);
    return { weekStart, outcome: created ? 'stored' : 'exists' };
  }

  @OnJobFailed('weekly-digest')
  failed(_: unknown, failure: JobFailure): void {
    this.logger.error(
      { err: failure.error },
      'storing the weekly digest failed; retrying next hour',
    );
  }
}
