import { Injectable } from '@nestjs/common';
import { JobQueue } from '../../jobs/job-queue.js';
import type { JobPayloads } from '../../jobs/job-payloads.js';
import { OnJob } from '../../jobs/on-job.decorator.js';
import { NotificationsService, type Delivered } from '../notifications.service.js';
import { queueDeliveries } from './queue-deliveries.js';

/**
 * A relayed task event (outbox topic `task-event`): inbox notifications and webhook deliveries
 * as the routing table says, then one `deliver` job per delivery. Dedupe keys make a second run
 * add nothing.
 */
@Injectable()
export class TaskEventJob {
  constructor(
    private readonly notifications: NotificationsService,
    private readonly jobs: JobQueue,
  ) {}

  @OnJob('task-event')
  async handle({ eventId }: JobPayloads['task-event']): Promise<Delivered> {
    return queueDeliveries(this.jobs, await this.notifications.handleTaskEvent(eventId));
  }
}
