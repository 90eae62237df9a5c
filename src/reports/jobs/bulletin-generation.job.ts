import { Injectable, Logger } from '@nestjs/common';
import type { JobPayloads } from '../../jobs/job-payloads.js';
import { OnJob, OnJobFailed, type JobFailure } from '../../jobs/on-job.decorator.js';
import { BulletinsService } from '../bulletin/bulletins.service.js';

/**
 * Generates the text of 快报 whose period was too long to generate within the HTTP request
 * (queued through ReportJobs). The service method is idempotent: it acts only while the
 * bulletin is `generating` at the version the job carries, so a redelivered job, or one whose
 * bulletin was regenerated since, does nothing.
 */
@Injectable()
export class BulletinGenerationJob {
  private readonly logger = new Logger('Reports');

  constructor(private readonly bulletins: BulletinsService) {}

  @OnJob('generate-bulletin')
  async generate({
    bulletinId,
    version,
  }: JobPayloads['generate-bulletin']): Promise<{ outcome: string }> {
    return { outcome: await this.bulletins.completeGeneration(bulletinId, version) };
  }

  /** After the last attempt the issue stays `generating`; regenerating it queues it again. */
  @OnJobFailed('generate-bulletin')
  failed({ bulletinId, version }: JobPayloads['generate-bulletin'], failure: JobFailure): void {
    if (failure.final) {
      this.logger.error(
        `bulletin ${bulletinId} v${version} not generated after ${failure.attemptsMade} tries: ${failure.error.message}`,
      );
    }
  }
}
