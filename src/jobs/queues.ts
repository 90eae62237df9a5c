import type { JobName } from './job-payloads.js';

/** Names of the bull queues. Queue code stays in src/jobs so that the queue library can change in one place. */
export const MAINTENANCE_QUEUE = 'maintenance';
/** Outbox rows become jobs here: notifications and webhook deliveries are decided and recorded. */
export const NOTIFICATIONS_QUEUE = 'notifications';
/** One job per webhook delivery, retried with exponential backoff, dead-lettered after N tries. */
export const WEBHOOKS_QUEUE = 'webhooks';
/** The schedules' jobs, one per fire: the deadline scan, the daily overdue summary and the weekly digest. */
export const SCHEDULES_QUEUE = 'schedules';
/** Report work too long for an HTTP request: a 快报 over a long period (see ReportJobs). */
export const REPORTS_QUEUE = 'reports';

export const ALL_QUEUES = [
  MAINTENANCE_QUEUE,
  NOTIFICATIONS_QUEUE,
  WEBHOOKS_QUEUE,
  SCHEDULES_QUEUE,
  REPORTS_QUEUE,
] as const;
export type QueueName = (typeof ALL_QUEUES)[number];

export interface JobSpec {
  queue: QueueName;
  /** Jobs of this name one worker process runs at once (bull adds up the names of a queue). */
  concurrency: number;
}

/**
 * Where each job runs and how many at once. Keyed by every name of the payload map, so a job
 * added there does not compile until it has a queue; the start-up check (JobRegistry) then
 * wants exactly one `@OnJob` handler for each.
 */
export const JOBS = {
  'task-event': { queue: NOTIFICATIONS_QUEUE, concurrency: 4 },
  'escalation-scan': { queue: NOTIFICATIONS_QUEUE, concurrency: 1 },
  escalation: { queue: NOTIFICATIONS_QUEUE, concurrency: 1 },
  deliver: { queue: WEBHOOKS_QUEUE, concurrency: 8 },
  'channel-send': { queue: WEBHOOKS_QUEUE, concurrency: 8 },
  'generate-bulletin': { queue: REPORTS_QUEUE, concurrency: 2 },
  'deadline-scan': { queue: SCHEDULES_QUEUE, concurrency: 1 },
  'overdue-summary': { queue: SCHEDULES_QUEUE, concurrency: 1 },
  'weekly-digest': { queue: SCHEDULES_QUEUE, concurrency: 1 },
  'channel-digest': { queue: SCHEDULES_QUEUE, concurrency: 1 },
  'purge-refresh-tokens': { queue: MAINTENANCE_QUEUE, concurrency: 1 },
} as const satisfies Record<JobName, JobSpec>;

export const JOB_NAMES = Object.keys(JOBS) as JobName[];

export const MaintenanceJob = {
  PURGE_REFRESH_TOKENS: 'purge-refresh-tokens',
} as const satisfies Record<string, JobName>;

export const ScheduleJob = {
  DEADLINE_SCAN: 'deadline-scan',
  OVERDUE_SUMMARY: 'overdue-summary',
  WEEKLY_DIGEST: 'weekly-digest',
  CHANNEL_DIGEST: 'channel-digest',
} as const satisfies Record<string, JobName>;

/**
 * The webhook retry spacing (a bull custom backoff, see JobsModule): WEBHOOK_BACKOFF_MS doubled
 * after every failed try — 10 s, 20 s, 40 s … — and never shorter than the request timeout plus a
 * second, so a receiver slow enough to time out has finished before the next try reaches it.
 */
export const WEBHOOK_BACKOFF = 'doubling';
export const webhookBackoffMs = (
  attemptsMade: number,
  jobs: { webhookBackoffMs: number; webhookTimeoutMs: number },
): number =>
  Math.max(
    jobs.webhookBackoffMs * 2 ** Math.max(0, attemptsMade - 1),
    jobs.webhookTimeoutMs + 1000,
  );

export const WebhookJob = {
  DELIVER: 'deliver',
} as const satisfies Record<string, JobName>;

export const ReportJob = {
  GENERATE_BULLETIN: 'generate-bulletin',
} as const satisfies Record<string, JobName>;
