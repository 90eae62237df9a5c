import { getQueueToken } from '@nestjs/bull';
import type { Queue } from 'bull';
import { NOTIFICATIONS_QUEUE, WEBHOOKS_QUEUE } from '../../src/jobs/queues.js';
import { eventually } from './processes.js';
import type { TestApp } from './test-app.js';

/**
 * Waits until the outbox is relayed and the notifications and webhooks queues have nothing
 * waiting, running or delayed (twice in a row: a job that finishes may just have added another).
 * For an app that runs its own jobs (APP_ROLE all, the default of the tests).
 */
export async function drainQueues(t: TestApp, ms = 30000): Promise<void> {
  const queues = [NOTIFICATIONS_QUEUE, WEBHOOKS_QUEUE].map((name) =>
    t.app.get<Queue>(getQueueToken(name), { strict: false }),
  );
  let quiet = 0;
  await eventually(
    async () => {
      const [{ n }] = (await t.ds.query(
        'SELECT count(*)::int AS n FROM outbox WHERE relayed_at IS NULL',
      )) as { n: number }[];
      const counts = await Promise.all(queues.map((q) => q.getJobCounts()));
      const busy = n + counts.reduce((s, c) => s + c.waiting + c.active + c.delayed, 0);
      quiet = busy ? 0 : quiet + 1;
      return quiet >= 2;
    },
    ms,
    'the outbox and the queues to drain',
  );
}
