import type { Queue } from 'bull';
import { ScheduleJob } from './queues.js';

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

export interface Schedule {
  name: string;
  cron: string;
}

/** The schedules every deployment runs (worker processes register them). */
export const schedulesOf = (jobs: {
  deadlineScanCron: string;
  overdueSummaryCron: string;
}): Schedule[] => [
  { name: ScheduleJob.DEADLINE_SCAN, cron: jobs.deadlineScanCron },
  { name: ScheduleJob.OVERDUE_SUMMARY, cron: jobs.overdueSummaryCron },
];

/** Names of the schedules that Redis does not hold (it lost them, or no worker registered them yet). */
export async function missingSchedules(queue: Queue, schedules: Schedule[]): Promise<string[]> {
  const present = await queue.getRepeatableJobs();
  return schedules
    .filter((s) => !present.some((job) => job.name === s.name && job.cron === s.cron))
    .map((s) => s.name);
}
