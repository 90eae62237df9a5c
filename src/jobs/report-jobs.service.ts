import { InjectQueue } from '@nestjs/bull';
import { Injectable, Logger } from '@nestjs/common';
import type { Queue } from 'bull';
import { REPORTS_QUEUE, ReportJob } from './queues.js';
import { withTimeout } from './with-timeout.js';

/** An enqueue waits at most this long for Redis before the caller falls back to inline work. */
const ENQUEUE_TIMEOUT_MS = 2000;

export interface GenerateBulletinJob {
  bulletinId: string;
  /** The bulletin's version when it entered `generating`; any other version makes the job a no-op. */
  version: number;
}

/**
 * One job per generation: a redelivered or re-added job of the same generation is the same bull
 * job, and a stale one (the bulletin moved on) does nothing.
 */
export const bulletinJobOptions = (bulletinId: string, version: number) => ({
  jobId: `bulletin:${bulletinId}:v${version}`,
  attempts: 3,
  backoff: { type: 'exponential', delay: 5000 },
  removeOnComplete: 1000,
  removeOnFail: 5000,
});

/**
 * The reports feature's door to the queue, so that src/reports knows nothing of bull: it asks
 * whether work can be queued now and queues it, and gets `false` whenever it cannot — then it
 * does the work inline instead. Available in every process role (any process may enqueue; only
 * worker and all processes run the ReportsProcessor).
 */
@Injectable()
export class ReportJobs {
  private readonly logger = new Logger('ReportJobs');

  constructor(@InjectQueue(REPORTS_QUEUE) private readonly queue: Queue) {}

  /**
   * Whether Redis is connected now. Checked before enqueueing because bull's client queues
   * commands in memory while disconnected, and an HTTP request must not wait on that.
   */
  canEnqueue(): boolean {
    return this.queue.client.status === 'ready';
  }

  /**
   * Queues the generation of a bulletin's text. Returns false (and queues nothing the caller
   * should count on) when Redis is not ready or does not answer within ENQUEUE_TIMEOUT_MS; the
   * add may still land later, which the job's version check makes harmless.
   */
  async generateBulletin(bulletinId: string, version: number): Promise<boolean> {
    if (!this.canEnqueue()) return false;
    try {
      const data: GenerateBulletinJob = { bulletinId, version };
      await withTimeout(
        this.queue.add(ReportJob.GENERATE_BULLETIN, data, bulletinJobOptions(bulletinId, version)),
        ENQUEUE_TIMEOUT_MS,
      );
      return true;
    } catch (e) {
      this.logger.warn(`could not queue bulletin ${bulletinId}: ${(e as Error).message}`);
      return false;
    }
  }
}
