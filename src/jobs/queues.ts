/** Names of the bull queues. Queue code stays in src/jobs so that the queue library can change in one place. */
export const MAINTENANCE_QUEUE = 'maintenance';
/** Outbox rows become jobs here: notifications and webhook deliveries are decided and recorded. */
export const NOTIFICATIONS_QUEUE = 'notifications';
/** One job per webhook delivery, retried with exponential backoff, dead-lettered after N tries. */
export const WEBHOOKS_QUEUE = 'webhooks';
/** Repeatable jobs: the deadline scan and the daily overdue summary. */
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

export const MaintenanceJob = {
  PURGE_REFRESH_TOKENS: 'purge-refresh-tokens',
} as const;

export const ScheduleJob = {
  DEADLINE_SCAN: 'deadline-scan',
  OVERDUE_SUMMARY: 'overdue-summary',
} as const;

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
} as const;

export const ReportJob = {
  GENERATE_BULLETIN: 'generate-bulletin',
} as const;
