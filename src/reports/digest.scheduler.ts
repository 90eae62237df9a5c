import { Injectable, Logger } from '@nestjs/common';
import { Cron } from '@nestjs/schedule';
import { Clock } from '../common/clock.js';
import { TransactionRunner } from '../database/transaction.js';
import { DIGEST_LOCK_CLASS, DigestService, lockObjectOf } from './digest/digest.service.js';
import { lastFullWeek, TIME_ZONE } from './shanghai-time.js';

/** Last week's digest is stored from Monday 06:00, leaving the night for late entries. */
export const STORE_AFTER_WEEK_END_HOURS = 6;

/**
 * Stores last week's digest (综合评价周报) on Monday at 06:00 Asia/Shanghai, once across any
 * number of worker processes.
 *
 * The job runs at the top of every hour rather than only at Monday 06:00, so that a Monday
 * morning missed by a deploy or a restart is caught up within the hour; from 06:00 on Monday
 * the week it targets is the one just ended, and once it is stored each run is one indexed
 * SELECT. Every run opens a transaction and takes `pg_try_advisory_xact_lock` on the week:
 * an instance that does not get it skips (another is storing that week right now), the one
 * that does reads the row and computes and upserts only when it is missing, and the lock goes
 * with the transaction, so a crashed worker never leaves it held.
 *
 * Registered only in processes that run jobs (APP_ROLE worker or all): see ReportsModule.
 */
@Injectable()
export class DigestScheduler {
  private readonly logger = new Logger('DigestScheduler');

  constructor(
    private readonly tx: TransactionRunner,
    private readonly digests: DigestService,
    private readonly clock: Clock,
  ) {}

  @Cron('0 * * * *', { name: 'weekly-digest', timeZone: TIME_ZONE, waitForCompletion: true })
  async onSchedule(): Promise<void> {
    try {
      await this.storeLastWeek();
    } catch (e) {
      this.logger.error({ err: e }, 'storing the weekly digest failed; retrying next hour');
    }
  }

  /**
   * Stores the last week that ended at least STORE_AFTER_WEEK_END_HOURS ago. Returns what
   * happened: 'stored', 'exists', or 'busy' when another instance holds the week's lock.
   */
  async storeLastWeek(): Promise<{ weekStart: string; outcome: 'stored' | 'exists' | 'busy' }> {
    const shifted = new Date(this.clock.now().getTime() - STORE_AFTER_WEEK_END_HOURS * 3_600_000);
    const weekStart = lastFullWeek(shifted).from;
    const outcome = await this.tx.withTransaction(async (em) => {
      const [{ locked }] = (await em.query('SELECT pg_try_advisory_xact_lock($1, $2) AS locked', [
        DIGEST_LOCK_CLASS,
        lockObjectOf(weekStart),
      ])) as { locked: boolean }[];
      if (!locked) return 'busy' as const;
      const { created } = await this.digests.storeWeek(em, weekStart);
      return created ? ('stored' as const) : ('exists' as const);
    });
    if (outcome === 'stored') this.logger.log(`weekly digest of ${weekStart} stored`);
    return { weekStart, outcome };
  }
}
