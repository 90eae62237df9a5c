import type { Queue } from 'bull';
import type { CronTime } from 'cron';
import { OFFICE_TIME_ZONE } from '../common/time/office-zone.js';
import type { JobName, JobPayloads, NoPayload } from './job-payloads.js';
import { MaintenanceJob, ScheduleJob } from './queues.js';

/** The jobs that carry nothing, the only ones a schedule can start. */
export type ScheduledJob = {
  [N in JobName]: JobPayloads[N] extends NoPayload ? N : never;
}[JobName];

/** Every schedule runs in this zone (the office's): each cron is evaluated there. */
export const SCHEDULE_TIME_ZONE = OFFICE_TIME_ZONE;

/**
 * The weekly digest's schedule: the top of every hour, so that a Monday morning missed by a
 * deploy or a restart is caught up within the hour; the handler (src/reports/digest.scheduler.ts)
 * stores the last week only from Monday 06:00 on, and once it is stored a run is one SELECT.
 */
export const WEEKLY_DIGEST_CRON = '0 * * * *';
/** Expired refresh tokens are dropped every night. */
export const PURGE_REFRESH_TOKENS_CRON = '0 3 * * *';

export interface Schedule {
  name: ScheduledJob;
  cron: string;
}

/**
 * Every schedule of every deployment, each a cron of @nestjs/schedule in the processes that fire
 * schedules (JobScheduler) whose fire queues the job of the same name on its queue (queues.ts:
 * JOBS). The only schedules in the app, so "what runs when" is this list.
 */
export const schedulesOf = (jobs: {
  deadlineScanCron: string;
  overdueSummaryCron: string;
  channelDigestCron: string;
}): Schedule[] => [
  { name: ScheduleJob.DEADLINE_SCAN, cron: jobs.deadlineScanCron },
  { name: ScheduleJob.OVERDUE_SUMMARY, cron: jobs.overdueSummaryCron },
  { name: ScheduleJob.WEEKLY_DIGEST, cron: WEEKLY_DIGEST_CRON },
  { name: ScheduleJob.CHANNEL_DIGEST, cron: jobs.channelDigestCron },
  { name: MaintenanceJob.PURGE_REFRESH_TOKENS, cron: PURGE_REFRESH_TOKENS_CRON },
];

/**
 * The bull job id of one fire of a schedule: `deadline-scan:2026-12-01T00:00:00.000Z`. Every
 * process firing the same cron at the same instant adds under the same id, and bull ignores an
 * add whose id it holds already: one job per fire, however many processes fire.
 */
export const scheduledJobId = (name: ScheduledJob, fireAt: Date): string =>
  `${name}:${fireAt.toISOString()}`;

/**
 * How long a schedule's finished job (done or failed) stays in Redis, its id with it: an add
 * of the same fire arriving this late (a process whose tick was held up, a retried add) is still
 * ignored. Two days; a schedule that fires every minute keeps ~2,900 small jobs.
 */
export const SCHEDULED_JOB_KEEP_SECONDS = 2 * 86_400;

/**
 * The instant a tick stands for: the last instant of `time` at or before `now`, found from `due`,
 * the instant the previous tick said came next. cron fires on time or late, never early, so two
 * processes ticking a few milliseconds apart (or one held up by a busy event loop) name the same
 * instant; a tick that cron skipped (it was too late) is stepped over.
 */
export function fireInstant(time: CronTime, due: Date, now: Date): Date {
  let at = due;
  for (;;) {
    // The zone must be named: from a Date, cron reads the fields in the process's zone.
    const next = time.getNextDateFrom(at, time.timeZone).toJSDate();
    if (next.getTime() > now.getTime()) return at;
    at = next;
  }
}

/**
 * Removes the bull repeatable jobs named `names` from `queue`, and the next job each had
 * waiting: what the previous version registered in Redis (bull was then the scheduler). Returns
 * the names removed.
 *
 * bull registers a repeatable job in two steps (the repeat entry, then its next run as a delayed
 * job `repeat:…`), so a sweep that falls between them removes the entry while the next run is
 * still to come; such orphans are removed too. This version never queues a repeat job, so every
 * delayed `repeat:` job of these names is a leftover.
 */
export async function removeRepeatables(queue: Queue, names: readonly string[]): Promise<string[]> {
  const removed = new Set<string>();
  for (const job of await queue.getRepeatableJobs()) {
    if (!names.includes(job.name)) continue;
    await queue.removeRepeatableByKey(job.key);
    removed.add(job.name);
  }
  for (const job of await queue.getDelayed()) {
    if (!job || !String(job.id).startsWith('repeat:') || !names.includes(job.name)) continue;
    await job.remove();
    removed.add(job.name);
  }
  return [...removed];
}
