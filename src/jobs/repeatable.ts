import type { Queue } from 'bull';

/**
 * Registers a repeatable job once across all workers. bull keys a repeatable job by name, cron
 * and time zone, so changing the cron would leave the old schedule running beside the new one:
 * schedules of the same name with other options are removed first.
 */
export async function ensureRepeatable(
  queue: Queue,
  name: string,
  cron: string,
  tz = 'Asia/Shanghai',
): Promise<void> {
  for (const job of await queue.getRepeatableJobs()) {
    if (job.name === name && (job.cron !== cron || job.tz !== tz)) {
      await queue.removeRepeatableByKey(job.key);
    }
  }
  await queue.add(
    name,
    {},
    { repeat: { cron, tz }, jobId: name, removeOnComplete: 100, removeOnFail: 500 },
  );
}
