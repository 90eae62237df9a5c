import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { sql } from 'kysely';
import type { DataSource } from 'typeorm';
import { dbOf } from '../database/kysely.js';
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
    const result = await dbOf(this.ds.manager)
      .deleteFrom('refresh_tokens')
      .where('expires_at', '<', sql<Date>`now()`)
      .executeTakeFirst();
    const deleted = Number(result.numDeletedRows);
    this.logger.log(`purged ${deleted} expired refresh tokens`);
    return { deleted };
  }
}
