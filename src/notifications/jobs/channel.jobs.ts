import { Injectable, Logger } from '@nestjs/common';
import { Clock } from '../../common/clock.js';
import { JobQueue } from '../../jobs/job-queue.js';
import type { JobPayloads } from '../../jobs/job-payloads.js';
import { OnJob, OnJobFailed, type JobFailure } from '../../jobs/on-job.decorator.js';
import { ChannelsService } from '../channels/channels.service.js';

/**
 * One 企业微信/钉钉/SMS message per job (`channel-send`), each try within CHANNEL_TIMEOUT_MS, so
 * a channel that hangs holds only its own job; retried with doubling waits, then dead. And the
 * daily summary (`channel-digest`, at CHANNEL_DIGEST_HOUR).
 */
@Injectable()
export class ChannelJobs {
  private readonly logger = new Logger('Channels');

  constructor(
    private readonly channels: ChannelsService,
    private readonly jobs: JobQueue,
    private readonly clock: Clock,
  ) {}

  @OnJob('channel-send')
  send({ deliveryId }: JobPayloads['channel-send']): Promise<string> {
    return this.channels.send(deliveryId);
  }

  @OnJobFailed('channel-send')
  async failed({ deliveryId }: JobPayloads['channel-send'], failure: JobFailure): Promise<void> {
    if (!failure.final) return;
    await this.channels.markDead(deliveryId);
    this.logger.warn(`channel delivery ${deliveryId} dead after ${failure.attemptsMade} tries`);
  }

  @OnJob('channel-digest')
  async digest(): Promise<{ queued: number }> {
    const ids = await this.channels.digest(this.clock.now());
    for (const deliveryId of ids) await this.jobs.add('channel-send', { deliveryId });
    return { queued: ids.length };
  }
}
