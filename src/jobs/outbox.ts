import type { Db } from '../database/kysely.js';
import type { JobPayloads, OutboxTopic as Topic } from './job-payloads.js';
import { outboxRepository } from './outbox.repository.js';

export type OutboxTopic = Topic;

/** Outbox topics: each becomes a job of the same name on the notifications queue. */
export const OutboxTopic = {
  TASK_EVENT: 'task-event',
  /** One per deadline scan that found something: announced as a whole (EscalationService). */
  ESCALATION_SCAN: 'escalation-scan',
} as const satisfies Record<string, Topic>;

/**
 * Records a side effect inside the caller's transaction (`db` is its `dbOf(em)`). It leaves for
 * the queue only after commit (the relay reads committed rows), and a Redis outage only delays
 * it. The payload is the topic's in the job map: a wrong one does not compile.
 */
export async function writeOutbox<T extends OutboxTopic>(
  db: Db,
  topic: T,
  payload: JobPayloads[T],
): Promise<void> {
  await outboxRepository.insert(db, topic, JSON.stringify(payload));
}
