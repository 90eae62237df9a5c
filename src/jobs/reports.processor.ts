import { OnQueueFailed, Process, Processor } from '@nestjs/bull';
import { Logger } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { Job } from 'bull';
import { BulletinsService } from '../reports/bulletin/bulletins.service.js';
import { REPORTS_QUEUE, ReportJob } from './queues.js';
import type { GenerateBulletinJob } from './report-jobs.service.js';

/**
 * Generates the text of 快报 whose period was too long to generate within the HTTP request.
 * The service method is idempotent: it acts only while the bulletin is `generating` at the
 * version the job carries, so a redelivered job, or one whose bulletin was regenerated since,
 * does nothing.
 *
 * Why ModuleRef and not `imports: [ReportsModule]` in JobsModule: ReportsModule already depends
 * on JobsModule (BulletinsService enqueues through ReportJobs, exported by this global module),
 * so importing it back would make the two modules circular; and ReportsModule is a
 * `forRoot(config)` dynamic module, of which a second import would be a second instance (Nest
 * keys dynamic modules by reference) with its controllers registered twice. The processor
 * instead looks the service up once, at its first job, when every module is built; the
 * dependency runs one way, reports → jobs, and stays visible here.
 */
@Processor(REPORTS_QUEUE)
export class ReportsProcessor {
  private readonly logger = new Logger('Reports');
  private bulletinsService?: BulletinsService;

  constructor(private readonly modules: ModuleRef) {}

  private get bulletins(): BulletinsService {
    this.bulletinsService ??= this.modules.get(BulletinsService, { strict: false });
    return this.bulletinsService;
  }

  @Process({ name: ReportJob.GENERATE_BULLETIN, concurrency: 2 })
  async generateBulletin(job: Job<GenerateBulletinJob>): Promise<{ outcome: string }> {
    const { bulletinId, version } = job.data;
    return { outcome: await this.bulletins.completeGeneration(bulletinId, version) };
  }

  /** After the last attempt the issue stays `generating`; regenerating it queues it again. */
  @OnQueueFailed()
  failed(job: Job<GenerateBulletinJob>, error: Error): void {
    if (job.attemptsMade >= (job.opts.attempts ?? 1)) {
      this.logger.error(
        `bulletin ${job.data.bulletinId} v${job.data.version} not generated after ${job.attemptsMade} tries: ${error.message}`,
      );
    }
  }
}
