import { Injectable } from '@nestjs/common';
import { Clock } from '../../common/clock.js';
import { OnJob } from '../../jobs/on-job.decorator.js';
import { NotificationsService } from '../notifications.service.js';

/** The office's daily overview of overdue work (a schedule, OVERDUE_SUMMARY_CRON); one per day. */
@Injectable()
export class OverdueSummaryJob {
  constructor(
    private readonly notifications: NotificationsService,
    private readonly clock: Clock,
  ) {}

  @OnJob('overdue-summary')
  async handle(): Promise<{ notified: number }> {
    return { notified: await this.notifications.overdueSummary(this.clock.now()) };
  }
}
