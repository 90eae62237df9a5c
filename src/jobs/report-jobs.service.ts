import { Injectable, Logger } from '@nestjs/common';
import { JobQueue } from './job-queue.js';
import { ReportJob } from './queues.js';
import { withTimeout } from './with-timeout.js';

/** An enqueue waits at most this long for Redis before the caller falls back to inline work. */
const ENQUEUE_TIMEOUT_MS = 2000;

/**
 * The reports feature's door to the queue, so that src/reports knows nothing of bull: it asks
 * whether work can be queued now and queues it, and gets `false` whenever it cannot — then it
 * does the work inline instead. Available in every process role (any process may enqueue; only
 * worker and all processes run the job's handler, src/reports/jobs/bulletin-generation.job.ts).
 */
@Injectable()
export class ReportJobs {
  private readonly logger = new Logger('ReportJobs');

  constructor(private readonly jobs: JobQueue) {}

  /**
   * Whether Redis is connected now. Checked before enqueueing because bull's client queues
   * commands in memory while disconnected, and an HTTP request must not wait on that.
   */
  canEnqueue(): boolean {
    return this.jobs.canAdd(ReportJob.GENERATE_BULLETIN);
  }

  /**
   * Queues the generation of a bulletin's text. Returns false (and queues nothing the caller
   * should count on) when Redis is not ready or does not answer within ENQUEUE_TIMEOUT_MS; the
   * add may still land later, which the job's version check makes harmless.
   */
  async generateBulletin(bulletinId: string, version: number): Promise<boolean> {
    if (!this.canEnqueue()) return false;
    try {
      await withTimeout(
        this.jobs.add(ReportJob.GENERATE_BULLETIN, { bulletinId, version }),
        ENQUEUE_TIMEOUT_MS,
      );
      return true;
    } catch (e) {
      this.logger.warn(`could not queue bulletin ${bulletinId}: ${(e as Error).message}`);
      return false;
    }
  }
}
