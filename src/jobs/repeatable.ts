import type { Queue } from 'bull';
import type { JobName, JobPayloads, NoPayload } from './job-payloads.js';
import { JOBS, MaintenanceJob, ScheduleJob } from './queues.js';

/** The jobs that carry nothing, the only ones a schedule can start. */
export type ScheduledJob = {
  [N in JobName]: JobPayloads[N] extends NoPayload ? N : never;
}[JobName];

/** Every schedule runs in this zone (the office's): bull's cron is evaluated there. */
export const SCHEDULE_TIME_ZONE = 'Asia/Shanghai';

/**
 * The weekly digest's schedule: the top of every hour, so that a Monday morning missed by a
 * deploy or a restart is caught up within the hour; the handler (src/reports/digest.scheduler.ts)
 * stores the last week only from Monday 06:00 on, and once it is stored a run is one SELECT.
 */
export const WEEKLY_DIGEST_CRON = '0 * * * *';
/** Expired refresh tokens are dropped every night. */
export const PURGE_REFRESH_TOKENS_CRON = '0 3 * * *';

/**
 * Registers a repeatable job once across all workers. bull keys a repeatable job by name, cron
 * and time zone, so changing the cron would leave the old schedule running beside the new one:
 * schedules of the same name with other options are removed first.
 */
export async function ensureRepeatable(
  queue: Queue,
  name: ScheduledJob,
  cron: string,
  tz = SCHEDULE_TIME_ZONE,
): Promise<void> {
  for (const job of await queue.getRepeatableJobs()) {
    if (job.name === name && (job.cron !== cron || job.tz !== tz)) {
      await queue.removeRepeatableByKey(job.key);
    }
  }
  const data: NoPayload = {};
  await queue.add(name, data, {
    repeat: { cron, tz },
    jobId: name,
    removeOnComplete: 100,
    removeOnFail: 500,
  });
}

export interface Schedule {
  name: ScheduledJob;
  cron: string;
}

/**
 * Every schedule of every deployment (worker processes register them, JobScheduler), each on
 * its job's queue (queues.ts: JOBS). The only schedules in the app: there is no second
 * scheduler (no @Cron), so "what runs when" is this list.
 */
export const schedulesOf = (jobs: {
  deadlineScanCron: string;
  overdueSummaryCron: string;
}): Schedule[] => [
  { name: ScheduleJob.DEADLINE_SCAN, cron: jobs.deadlineScanCron },
  { name: ScheduleJob.OVERDUE_SUMMARY, cron: jobs.overdueSummaryCron },
  { name: ScheduleJob.WEEKLY_DIGEST, cron: WEEKLY_DIGEST_CRON },
  { name: MaintenanceJob.PURGE_REFRESH_TOKENS, cron: PURGE_REFRESH_TOKENS_CRON },
];

/**
 * Names of the schedules on `queue` that Redis does not hold (it lost them, or no worker
 * registered them yet). Schedules of other queues are not looked for here.
 */
export async function missingSchedules(queue: Queue, schedules: Schedule[]): Promise<string[]> {
  const present = await queue.getRepeatableJobs();
  return schedules
    .filter((s) => JOBS[s.name].queue === queue.name)
    .filter((s) => !present.some((job) => job.name === s.name && job.cron === s.cron))
    .map((s) => s.name);
}
