import type { EntityManager } from 'typeorm';

/** Outbox topics: each becomes a job of the same name on the notifications queue. */
export const OutboxTopic = {
  TASK_EVENT: 'task-event',
  /** One per deadline scan that found something: announced as a whole (EscalationService). */
  ESCALATION_SCAN: 'escalation-scan',
} as const;
export type OutboxTopic = (typeof OutboxTopic)[keyof typeof OutboxTopic];

/**
 * Records a side effect inside the caller's transaction. It leaves for the queue only after
 * commit (the relay reads committed rows), and a Redis outage only delays it.
 */
export async function writeOutbox(
  em: EntityManager,
  topic: OutboxTopic,
  payload: Record<string, unknown>,
): Promise<void> {
  await em.query('INSERT INTO outbox (topic, payload) VALUES ($1, $2)', [
    topic,
    JSON.stringify(payload),
  ]);
}
