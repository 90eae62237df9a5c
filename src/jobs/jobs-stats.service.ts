import { getQueueToken } from '@nestjs/bull';
import { Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { InjectDataSource } from '@nestjs/typeorm';
import type { JobCounts, Queue } from 'bull';
import type { DataSource } from 'typeorm';
import { dbOf } from '../database/kysely.js';
import { webhooksRepository } from '../notifications/webhooks.repository.js';
import { outboxRepository } from './outbox.repository.js';
import { ALL_QUEUES } from './queues.js';

export interface OutboxBacklog {
  pending: number;
  oldestSeconds: number | null;
}

/** What operators watch: outbox backlog, queue depths and failures, dead webhook deliveries. */
@Injectable()
export class JobsStatsService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly modules: ModuleRef,
  ) {}

  async outbox(): Promise<OutboxBacklog> {
    const row = await outboxRepository.backlog(dbOf(this.ds.manager));
    return { pending: row.pending, oldestSeconds: row.oldest };
  }

  async deadWebhooks(): Promise<number> {
    return webhooksRepository.countDead(dbOf(this.ds.manager));
  }

  /** Job counts per queue; a queue that does not answer within a second (Redis down) reports null. */
  async queues(): Promise<Record<string, JobCounts | null>> {
    const entries = await Promise.all(
      ALL_QUEUES.map(async (name) => {
        const queue = this.modules.get<Queue>(getQueueToken(name), { strict: false });
        if (queue.client.status !== 'ready') return [name, null] as const;
        const counts = await Promise.race([
          queue.getJobCounts(),
          new Promise<null>((r) => setTimeout(() => r(null), 1000).unref()),
        ]).catch(() => null);
        return [name, counts] as const;
      }),
    );
    return Object.fromEntries(entries);
  }
}
