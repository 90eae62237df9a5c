import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { DataSource } from 'typeorm';
import { JobsStatsService } from '../jobs/jobs-stats.service.js';

/** The pg pool TypeORM keeps (node-postgres `Pool`): only the counters are read. */
interface PgPoolCounters {
  totalCount: number;
  idleCount: number;
  waitingCount: number;
}

const QUEUE_STATES = ['waiting', 'active', 'delayed', 'failed'] as const;

/**
 * The Prometheus series of one process (README "Metrics" says what each means). A registry of its
 * own, not prom-client's global one, so that several apps in one process (tests) never collide.
 * Database and queue figures are read when scraped, not kept up to date on every request.
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();
  private readonly httpDuration: Histogram<'method' | 'route' | 'status'>;

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    jobs: JobsStatsService,
  ) {
    const registers = [this.registry];
    // Process memory, CPU, heap, GC and event-loop lag (nodejs_eventloop_lag_*).
    collectDefaultMetrics({ register: this.registry });
    const pool = (): PgPoolCounters =>
      (this.ds.driver as unknown as { master: PgPoolCounters }).master;
    new Gauge({
      name: 'cc_db_pool_connections',
      help: 'Database pool connections: in_use, idle, and requests waiting for one',
      // Registered first: read before this scrape's own queries take connections.
      labelNames: ['state'],
      registers,
      collect() {
        const p = pool();
        this.set({ state: 'in_use' }, p.totalCount - p.idleCount);
        this.set({ state: 'idle' }, p.idleCount);
        this.set({ state: 'waiting' }, p.waitingCount);
      },
    });
    this.httpDuration = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'Time from request to response, by route template, method and status',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });
    // Both outbox gauges of one scrape share one query.
    let pendingBacklog: ReturnType<JobsStatsService['outbox']> | null = null;
    const backlog = (): ReturnType<JobsStatsService['outbox']> => {
      pendingBacklog ??= jobs.outbox().finally(() => setImmediate(() => (pendingBacklog = null)));
      return pendingBacklog;
    };
    new Gauge({
      name: 'cc_outbox_backlog',
      help: 'Outbox rows (notifications, webhooks, reports) not yet relayed to the queues',
      registers,
      async collect() {
        this.set((await backlog()).pending);
      },
    });
    new Gauge({
      name: 'cc_outbox_oldest_age_seconds',
      help: 'Age of the oldest outbox row not yet relayed (0 when none)',
      registers,
      async collect() {
        this.set((await backlog()).oldestSeconds ?? 0);
      },
    });
    new Gauge({
      name: 'cc_queue_jobs',
      help: 'Jobs per bull queue and state (absent while Redis is unreachable)',
      labelNames: ['queue', 'state'],
      registers,
      async collect() {
        this.reset();
        for (const [queue, counts] of Object.entries(await jobs.queues())) {
          if (!counts) continue;
          for (const state of QUEUE_STATES) this.set({ queue, state }, counts[state]);
        }
      },
    });
    new Gauge({
      name: 'cc_webhook_deliveries_dead',
      help: 'Webhook deliveries that used up their attempts and wait for the office to retry them',
      registers,
      async collect() {
        this.set(await jobs.deadWebhooks());
      },
    });
  }

  /** Called once per answered request; `route` is the template (`/api/v1/tasks/:id`), never the raw URL. */
  observeRequest(method: string, route: string | undefined, status: number, ms: number): void {
    this.httpDuration.observe({ method, route: route ?? 'unmatched', status }, ms / 1000);
  }

  contentType(): string {
    return this.registry.contentType;
  }

  render(): Promise<string> {
    return this.registry.metrics();
  }
}
