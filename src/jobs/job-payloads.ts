/**
 * Every job the queues carry, by name, and the payload it carries: the one map the outbox
 * writer, the relay, the queue code and the handlers (`@OnJob`) are typed from. A job name that
 * is not here, or a payload of the wrong shape, does not compile. Payloads carry ids; the
 * handler re-reads the rows.
 *
 * The names are the bull job names (and, for outbox topics, the `outbox.topic` values): they
 * are stored in Redis and Postgres, so renaming one is a data migration, not a refactor.
 */
export interface JobPayloads {
  /** Outbox topic: a task event to announce (notifications/jobs/task-event.handler.ts). */
  'task-event': { eventId: string; taskId: string };
  /** Outbox topic: one deadline scan to announce as a whole (EscalationService.announce). */
  'escalation-scan': { scanId: string };
  /** The per-task escalation topic of earlier versions; rows an older version left are dropped. */
  escalation: { taskId?: string };
  /** One webhook delivery (a `webhook_deliveries` row) to send. */
  deliver: { deliveryId: string };
  /** One 企业微信/钉钉/SMS message (a `channel_deliveries` row) to send. */
  'channel-send': { deliveryId: string };
  /** The text of a 快报 too long to generate inside the request. */
  'generate-bulletin': {
    bulletinId: string;
    /** The bulletin's version when it entered `generating`; any other version makes the job a no-op. */
    version: number;
  };
  /** Schedules (crons of @nestjs/schedule that queue these, see schedules.ts): they carry nothing. */
  'deadline-scan': NoPayload;
  'overdue-summary': NoPayload;
  'weekly-digest': NoPayload;
  /** The daily 明日到期/已超期 summary to each unit's channels (CHANNEL_DIGEST_HOUR). */
  'channel-digest': NoPayload;
  'purge-refresh-tokens': NoPayload;
}

export type NoPayload = Record<string, never>;

export type JobName = keyof JobPayloads;

/** Topics written to the outbox; each becomes a job of the same name on the notifications queue. */
export type OutboxTopic = Extract<JobName, 'task-event' | 'escalation-scan'>;

/**
 * What a relayed outbox row carries on the queue: its payload and the row's id, with which the
 * queue code marks the row processed once the handler succeeded.
 */
export type Relayed<N extends JobName> = JobPayloads[N] & { outboxId?: string };
