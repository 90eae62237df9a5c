import { InjectQueue } from '@nestjs/bull';
import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import type { Job, JobOptions, Queue } from 'bull';
import { randomUUID } from 'node:crypto';
import type { JobName, Relayed } from './job-payloads.js';
import { JobRegistry } from './job-registry.js';
import type { JobRun } from './on-job.decorator.js';
import { OutboxRelay } from './outbox-relay.service.js';
import {
  JOB_NAMES,
  JOBS,
  MAINTENANCE_QUEUE,
  NOTIFICATIONS_QUEUE,
  REPORTS_QUEUE,
  SCHEDULES_QUEUE,
  WEBHOOKS_QUEUE,
  type QueueName,
} from './queues.js';

/**
 * Runs the jobs on worker processes (APP_ROLE worker or all): binds each job name of the map to
 * its queue with its concurrency (queues.ts: JOBS) and to its `@OnJob` handler (JobRegistry).
 * The only consumer of bull in the app; handlers see a payload and a JobRun, never a bull Job.
 * An outbox row's job is marked processed here once its handler succeeded (see the sweeper).
 */
@Injectable()
export class JobWorker implements OnModuleInit {
  private readonly logger = new Logger('Jobs');
  private readonly queues: Map<QueueName, Queue>;

  constructor(
    private readonly registry: JobRegistry,
    private readonly relay: OutboxRelay,
    @InjectQueue(MAINTENANCE_QUEUE) maintenance: Queue,
    @InjectQueue(NOTIFICATIONS_QUEUE) notifications: Queue,
    @InjectQueue(WEBHOOKS_QUEUE) webhooks: Queue,
    @InjectQueue(SCHEDULES_QUEUE) schedules: Queue,
    @InjectQueue(REPORTS_QUEUE) reports: Queue,
  ) {
    this.queues = new Map<QueueName, Queue>([
      [MAINTENANCE_QUEUE, maintenance],
      [NOTIFICATIONS_QUEUE, notifications],
      [WEBHOOKS_QUEUE, webhooks],
      [SCHEDULES_QUEUE, schedules],
      [REPORTS_QUEUE, reports],
    ]);
  }

  onModuleInit(): void {
    for (const name of JOB_NAMES) {
      const queue = this.queues.get(JOBS[name].queue)!;
      // The promise settles when the queue closes, or fails with Redis, which the queue also
      // emits as 'error' (logged by JobsModule).
      queue
        .process(name, JOBS[name].concurrency, (job: Job) => this.runJob(name, queue, job))
        .catch(() => undefined);
    }
    for (const queue of this.queues.values()) {
      queue.on('failed', (job: Job, error: Error) => void this.failed(job, error));
    }
  }

  private async runJob(name: JobName, queue: Queue, job: Job): Promise<unknown> {
    const data = job.data as Relayed<JobName>;
    const result = await this.registry.handlerOf(name).run(data as never, runOf(queue, job));
    if (JOBS[name].queue === NOTIFICATIONS_QUEUE) await this.relay.markProcessed(data.outboxId);
    return result;
  }

  private async failed(job: Job, error: Error): Promise<void> {
    const name = job.name as JobName;
    if (!Object.hasOwn(JOBS, name)) return;
    const hook = this.registry.handlerOf(name).failed;
    if (!hook) return;
    const attempts = job.opts.attempts ?? 1;
    try {
      await hook(job.data as never, {
        attemptsMade: job.attemptsMade,
        attempts,
        final: job.attemptsMade >= attempts,
        error,
      });
    } catch (e) {
      this.logger.warn(`failure hook of ${name} ${String(job.id)}: ${(e as Error).message}`);
    }
  }
}

function runOf(queue: Queue, job: Job): JobRun {
  return {
    id: String(job.id),
    attemptsMade: job.attemptsMade,
    attempts: job.opts.attempts ?? 1,
    retryLater: async (delayMs) => {
      // bull keeps the creation time in the options; copied, it would make the delay already past.
      const { timestamp: _created, ...opts } = job.opts as JobOptions & { timestamp?: number };
      await queue.add(job.name, job.data, {
        ...opts,
        attempts: Math.max(1, (job.opts.attempts ?? 1) - job.attemptsMade),
        delay: delayMs,
        // A new id each time: re-adding under this job's own id would be ignored while it runs.
        jobId: `${String(job.id).split(':wait:')[0]}:wait:${randomUUID()}`,
      });
    },
  };
}
