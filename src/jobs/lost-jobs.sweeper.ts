import { InjectQueue } from '@nestjs/bull';
import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Job, Queue } from 'bull';
import type { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { dbOf } from '../database/kysely.js';
import { channelsRepository as channelDeliveries } from '../notifications/channels/channels.repository.js';
import { webhooksRepository as deliveries } from '../notifications/webhooks.repository.js';
import type { JobPayloads } from './job-payloads.js';
import { channelJobOptions, webhookJobOptions } from './job-queue.js';
import { outboxRepository as outbox } from './outbox.repository.js';
import { NOTIFICATIONS_QUEUE, WEBHOOKS_QUEUE, WebhookJob } from './queues.js';

const BATCH = 500;
const LIVE_STATES = ['waiting', 'active', 'delayed', 'paused'] as const;

export interface SweepResult {
  webhooks: number;
  channels: number;
  outbox: number;
}

/**
 * Postgres is the truth, Redis only carries the work: when Redis comes back empty (a crash
 * without persistence, a failover), jobs it held are gone while their rows still say "to do".
 * Each pass (every JOB_SWEEP_INTERVAL_MS, on worker processes) puts back
 * - webhook deliveries and 企业微信/钉钉/SMS channel deliveries still `pending` and older than the
 *   grace period, with no live job — with the attempts they have left;
 * - outbox rows relayed but not processed, older than the grace period, whose job is gone — by
 *   clearing `relayed_at`, so the relay queues them again under the same job id.
 * Both consumers are idempotent (a delivered delivery is skipped, notifications have dedupe keys),
 * so a job that was only slow, not lost, does no harm when it runs beside the new one.
 */
@Injectable()
export class LostJobsSweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('LostJobsSweeper');
  private timer?: NodeJS.Timeout;
  private running?: Promise<SweepResult>;

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    @InjectQueue(WEBHOOKS_QUEUE) private readonly webhooks: Queue,
    @InjectQueue(NOTIFICATIONS_QUEUE) private readonly notifications: Queue,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.tick(), this.config.jobs.sweepIntervalMs);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }

  private async tick(): Promise<void> {
    if (this.running) return;
    this.running = this.sweepOnce();
    try {
      const { webhooks, channels, outbox } = await this.running;
      if (webhooks || channels || outbox) {
        this.logger.warn(
          `re-queued work Redis had lost: ${webhooks} deliveries, ${channels} channel messages, ${outbox} outbox rows`,
        );
      }
    } catch (e) {
      this.logger.warn(`sweep skipped: ${(e as Error).message}`);
    } finally {
      this.running = undefined;
    }
  }

  /** One pass; returns how much it put back. Exposed for tests and operations. */
  async sweepOnce(): Promise<SweepResult> {
    // With Redis away there is nothing to compare with; the next pass will.
    if (this.webhooks.client.status !== 'ready' || this.notifications.client.status !== 'ready')
      return { webhooks: 0, channels: 0, outbox: 0 };
    // The webhooks queue's live jobs, read once (and only when something is pending) for both
    // kinds of delivery it carries.
    let jobs: Promise<Job[]> | undefined;
    const live = (): Promise<Job[]> => (jobs ??= this.webhooks.getJobs([...LIVE_STATES]));
    return {
      webhooks: await this.sweepWebhooks(live),
      channels: await this.sweepChannels(live),
      outbox: await this.sweepOutbox(),
    };
  }

  private async sweepWebhooks(liveJobs: () => Promise<Job[]>): Promise<number> {
    const pending = await deliveries.pendingOlderThan(
      dbOf(this.ds.manager),
      this.config.jobs.sweepGraceMs,
      BATCH,
    );
    if (!pending.length) return 0;
    const live = new Set(
      (await liveJobs()).map(
        (job) => (job?.data as Partial<JobPayloads['deliver']> | undefined)?.deliveryId,
      ),
    );
    let added = 0;
    for (const row of pending) {
      if (live.has(row.id)) continue;
      const left = Math.max(1, this.config.jobs.webhookMaxAttempts - row.attempts);
      const options = webhookJobOptions(row.id, this.config, left);
      await this.webhooks.add(
        WebhookJob.DELIVER,
        { deliveryId: row.id } satisfies JobPayloads['deliver'],
        // Its own id: the lost job's id may still be remembered among completed or failed jobs.
        { ...options, jobId: `${options.jobId}:swept:${row.attempts}` },
      );
      added++;
    }
    return added;
  }

  /** The same for channel messages (`channel-send` jobs, on the webhooks queue). */
  private async sweepChannels(liveJobs: () => Promise<Job[]>): Promise<number> {
    const pending = await channelDeliveries.pendingOlderThan(
      dbOf(this.ds.manager),
      this.config.jobs.sweepGraceMs,
      BATCH,
    );
    if (!pending.length) return 0;
    const live = new Set(
      (await liveJobs())
        .filter((job) => job?.name === 'channel-send')
        .map((job) => (job.data as Partial<JobPayloads['channel-send']>).deliveryId),
    );
    let added = 0;
    for (const row of pending) {
      if (live.has(row.id)) continue;
      const options = channelJobOptions(row.id, this.config);
      await this.webhooks.add(
        'channel-send',
        { deliveryId: row.id } satisfies JobPayloads['channel-send'],
        {
          ...options,
          attempts: Math.max(1, options.attempts - row.attempts),
          jobId: `${options.jobId}:swept:${row.attempts}`,
        },
      );
      added++;
    }
    return added;
  }

  private async sweepOutbox(): Promise<number> {
    const db = dbOf(this.ds.manager);
    const stranded = await outbox.relayedUnprocessed(db, this.config.jobs.sweepGraceMs, BATCH);
    const lost: string[] = [];
    for (const id of stranded) {
      // A job still in Redis (waiting, retrying, or failed for good) is left to bull and the office.
      if (!(await this.notifications.getJob(`outbox:${id}`))) lost.push(id);
    }
    if (!lost.length) return 0;
    await outbox.unrelay(db, lost);
    return lost.length;
  }
}
