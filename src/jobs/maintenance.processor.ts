import { InjectQueue, Process, Processor } from '@nestjs/bull';
import { Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Queue } from 'bull';
import type { DataSource } from 'typeorm';
import { MAINTENANCE_QUEUE, MaintenanceJob } from './queues.js';
import { ensureRepeatable } from './repeatable.js';

/** Housekeeping: drops refresh tokens past their expiry (idempotent, safe to run twice). */
@Processor(MAINTENANCE_QUEUE)
export class MaintenanceProcessor implements OnApplicationBootstrap {
  private readonly logger = new Logger('Maintenance');

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    @InjectQueue(MAINTENANCE_QUEUE) private readonly queue: Queue,
  ) {}

  /** Not awaited: with Redis down the process still starts, and schedules once Redis is back. */
  onApplicationBootstrap(): void {
    void this.queue
      .isReady()
      .then(() => ensureRepeatable(this.queue, MaintenanceJob.PURGE_REFRESH_TOKENS, '0 3 * * *'))
      .catch((e: unknown) =>
        this.logger.warn(`could not schedule maintenance: ${(e as Error).message}`),
      );
  }

  @Process(MaintenanceJob.PURGE_REFRESH_TOKENS)
  async purgeRefreshTokens(): Promise<{ deleted: number }> {
    const result = await this.ds.query('DELETE FROM refresh_tokens WHERE expires_at < now()');
    const deleted = Number((result as [unknown, number])[1] ?? 0);
    this.logger.log(`purged ${deleted} expired refresh tokens`);
    return { deleted };
  }
}
