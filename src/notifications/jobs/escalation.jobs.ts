import { Injectable } from '@nestjs/common';
import { Clock } from '../../common/clock.js';
import { JobQueue } from '../../jobs/job-queue.js';
import type { JobPayloads } from '../../jobs/job-payloads.js';
import { OnJob } from '../../jobs/on-job.decorator.js';
import { EscalationService } from '../escalation.service.js';
import type { Delivered } from '../notifications.service.js';
import { queueDeliveries } from './queue-deliveries.js';

/**
 * The deadline scan (a schedule, DEADLINE_SCAN_CRON) records the levels tasks reached and puts
 * one outbox row per scan; the row's job (`escalation-scan`) announces the scan as a whole.
 */
@Injectable()
export class EscalationJobs {
  constructor(
    private readonly escalation: EscalationService,
    private readonly jobs: JobQueue,
    private readonly clock: Clock,
  ) {}

  @OnJob('deadline-scan')
  async deadlineScan(): Promise<{ escalated: number }> {
    return { escalated: await this.escalation.scan(this.clock.now()) };
  }

  @OnJob('escalation-scan')
  async announce({ scanId }: JobPayloads['escalation-scan']): Promise<Delivered> {
    return queueDeliveries(this.jobs, await this.escalation.announce(scanId));
  }

  /**
   * Jobs of the per-task escalation topic that an older version relayed before an upgrade: the
   * scan now announces itself as a whole, so these are dropped (a handler must exist, or bull
   * fails them as unknown and retries them).
   */
  @OnJob('escalation')
  legacyEscalation(): Delivered {
    return { notifications: 0, webhookDeliveryIds: [], channelDeliveryIds: [] };
  }
}
