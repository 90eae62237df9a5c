import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { OnJob } from './on-job.decorator.js';
import { MaintenanceJob } from './queues.js';

/**
 * Housekeeping: drops refresh tokens past their expiry (idempotent, safe to run twice). Kept
 * here rather than in src/auth as it touches no auth logic, only a table's expired rows.
 */
@Injectable()
export class MaintenanceJobs {
  private readonly logger = new Logger('Maintenance');

  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  @OnJob(MaintenanceJob.PURGE_REFRESH_TOKENS)
  async purgeRefreshTokens(): Promise<{ deleted: number }> {
    const result = await this.ds.query('DELETE FROM refresh_tokens WHERE expires_at < now()');
    const deleted = Number((result as [unknown, number])[1] ?? 0);
    this.logger.log(`purged ${deleted} expired refresh tokens`);
    return { deleted };
  }
}
