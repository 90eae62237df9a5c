import { InjectQueue } from '@nestjs/bull';
import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Queue } from 'bull';
import type { DataSource } from 'typeorm';
import { Clock } from '../common/clock.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { dbOf } from '../database/kysely.js';
import type { JobName, Relayed } from './job-payloads.js';
import { outboxRepository as outbox } from './outbox.repository.js';
import { NOTIFICATIONS_QUEUE } from './queues.js';
import { withTimeout } from './with-timeout.js';

const BATCH = 200;

/** Job options of a relayed outbox row: its id makes a second relay of the same row a no-op in bull. */
export const relayedJobOptions = (outboxId: string) => ({
  jobId: `outbox:${outboxId}`,
  attempts: 8,
  backoff: { type: 'exponential', delay: 1000 },
  removeOnComplete: 1000,
  removeOnFail: 5000,
});

/**
 * Moves committed outbox rows to the notifications queue, in order, on worker processes. Rows
 * are claimed with SKIP LOCKED, so several workers share the work; a row is marked relayed only
 * in the transaction that enqueued it. While Redis is down nothing is claimed and the rows wait.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('OutboxRelay');
  private timer?: NodeJS.Timeout;
  private running?: Promise<number>;
  private failures = 0;

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    @InjectQueue(NOTIFICATIONS_QUEUE) private readonly queue: Queue,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.tick(), this.config.jobs.outboxPollMs);
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }

  private async tick(): Promise<void> {
    if (this.running) return;
    this.running = this.relayOnce();
    try {
      await this.running;
      this.failures = 0;
    } catch (e) {
      // Logged once per outage, not every poll.
      if (this.failures++ === 0) this.logger.warn(`outbox relay paused: ${(e as Error).message}`);
    } finally {
      this.running = undefined;
    }
  }

  /** The consumer finished the row's job (see the sweeper: unprocessed rows whose job is lost are relayed again). */
  async markProcessed(outboxId: string | undefined): Promise<void> {
    if (!outboxId) return;
    await outbox.markProcessed(dbOf(this.ds.manager), outboxId, this.clock.now());
  }

  /** Relays up to one batch; returns how many rows left. Exposed for tests and operations. */
  async relayOnce(): Promise<number> {
    // bull's client queues commands while disconnected; checking first keeps a Redis outage from
    // piling up adds in memory, and the rows simply stay in the outbox.
    if (this.queue.client.status !== 'ready') throw new Error(`redis ${this.queue.client.status}`);
    return this.ds.transaction(async (em) => {
      const db = dbOf(em);
      const rows = await outbox.claimUnrelayed(db, BATCH);
      if (!rows.length) return 0;
      for (const row of rows) {
        const data: Relayed<JobName> = { ...row.payload, outboxId: row.id };
        await withTimeout(this.queue.add(row.topic, data, relayedJobOptions(row.id)), 5000);
      }
      await outbox.markRelayed(
        db,
        rows.map((r) => r.id),
        this.clock.now(),
      );
      return rows.length;
    });
  }
}
