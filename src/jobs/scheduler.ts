import {
  Inject,
  Injectable,
  Logger,
  Optional,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
  type OnModuleDestroy,
} from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import type { Queue } from 'bull';
import { CronJob } from 'cron';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { runsSchedules } from '../config/env.schema.js';
import { JobQueue } from './job-queue.js';
import { JOBS } from './queues.js';
import {
  fireInstant,
  removeRepeatables,
  SCHEDULE_TIME_ZONE,
  schedulesOf,
  type Schedule,
  type ScheduledJob,
} from './schedules.js';
import { withTimeout } from './with-timeout.js';

/** How long one add of a fire may take before it counts as failed (bull waits on Redis). */
const ADD_TIMEOUT_MS = 5000;
/** A fire whose job could not be queued (Redis down) is queued again this often, until the next fire. */
const ADD_RETRY_MS = 5000;

/**
 * The one scheduler: every schedule (schedules.ts: schedulesOf) is a cron of @nestjs/schedule,
 * registered here with its SchedulerRegistry from the configuration, in Asia/Shanghai; bull
 * only carries and runs the work. Each fire queues the schedule's job through JobQueue under the
 * id `<job>:<fire instant>`, so any number of processes firing the same cron make one job, which
 * one worker runs; the handlers are idempotent besides.
 *
 * Provided in every role, so that readiness can ask it; only the processes of the roles that fire
 * schedules (worker, all: runsSchedules) have crons, API processes none.
 *
 * The crons live in the process, not in Redis: a flushed or restarted Redis loses no schedule,
 * only the jobs it held (the next fire queues the next one). A fire whose job cannot be queued
 * (Redis down) is tried again every few seconds until the next fire; the id keeps it one job.
 */
@Injectable()
export class JobScheduler
  implements OnApplicationBootstrap, OnModuleDestroy, OnApplicationShutdown
{
  private readonly logger = new Logger('Schedules');
  /** Whether this process fires the schedules (its role is worker or all). */
  readonly firesHere: boolean;
  private readonly schedules: Schedule[];
  private readonly crons = new Map<ScheduledJob, CronJob>();
  private readonly retries = new Set<NodeJS.Timeout>();
  private timer?: NodeJS.Timeout;
  private stopped = false;

  constructor(
    private readonly jobs: JobQueue,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Optional() private readonly registry?: SchedulerRegistry,
  ) {
    this.firesHere = runsSchedules(config.role);
    this.schedules = schedulesOf(config.jobs);
    if (this.firesHere && !registry) {
      throw new Error(
        `APP_ROLE ${config.role} fires the schedules: import ScheduleModule.forRoot()`,
      );
    }
  }

  onApplicationBootstrap(): void {
    if (!this.firesHere) return;
    for (const s of this.schedules) this.register(s);
    this.logger.log(
      `schedules (${SCHEDULE_TIME_ZONE}): ${this.schedules.map((s) => `${s.name} "${s.cron}"`).join(', ')}`,
    );
    this.sweepRepeatables();
  }

  /** No fire once the process is going down: the queues close next. */
  onModuleDestroy(): void {
    this.stopped = true;
    for (const cron of this.crons.values()) void cron.stop();
    for (const t of this.retries) clearTimeout(t);
    this.retries.clear();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /**
   * The schedules this process should fire whose cron is not registered and running (readiness of
   * the processes that fire them). A process that fires none (APP_ROLE api) misses none: its
   * schedules are fired by the worker processes.
   */
  missingSchedules(): string[] {
    if (!this.firesHere) return [];
    return this.schedules
      .filter((s) => {
        if (!this.registry!.doesExist('cron', s.name)) return true;
        const cron = this.registry!.getCronJob(s.name);
        return !cron.isActive || cron.cronTime.source !== s.cron;
      })
      .map((s) => s.name);
  }

  /**
   * Queues the job of `name`'s fire at `at` (the cron's instant, not the clock's). Returns whether
   * it was queued (or found queued already); when not, it is tried again until `until`.
   */
  async fire(name: ScheduledJob, at: Date, until?: Date, attempt = 1): Promise<boolean> {
    if (this.stopped) return false;
    const what = `${name} of ${at.toISOString()}`;
    try {
      if (!this.jobs.canAdd(name)) throw new Error('Redis is not connected');
      await withTimeout(this.jobs.addScheduled(name, at), ADD_TIMEOUT_MS);
      if (attempt > 1) this.logger.log(`${what} queued at try ${attempt}`);
      return true;
    } catch (e) {
      const retry =
        !this.stopped && until !== undefined && Date.now() + ADD_RETRY_MS < until.getTime();
      const message = `${what} not queued: ${(e as Error).message}${retry ? '; trying again' : ''}`;
      if (attempt === 1) this.logger.warn(message);
      else this.logger.debug(message);
      if (retry) {
        const t = setTimeout(() => {
          this.retries.delete(t);
          void this.fire(name, at, until, attempt + 1);
        }, ADD_RETRY_MS);
        t.unref();
        this.retries.add(t);
      }
      return false;
    }
  }

  /**
   * Removes the bull repeatable jobs the previous version registered for these schedules (bull
   * was then the scheduler): left in Redis, each would queue a second job per period. Done at
   * start, whenever Redis connects again, and every SCHEDULE_CHECK_MS, since during a rolling
   * upgrade a worker of the previous version may add them back. Returns the names removed.
   */
  async removeLeftoverRepeatables(): Promise<string[]> {
    const removed: string[] = [];
    for (const queue of this.queues()) {
      const names = this.schedules.filter((s) => JOBS[s.name].queue === queue.name);
      removed.push(
        ...(await removeRepeatables(
          queue,
          names.map((s) => s.name),
        )),
      );
    }
    if (removed.length) {
      this.logger.log(
        `removed the bull repeatable jobs of an earlier version: ${removed.join(', ')}`,
      );
    }
    return removed;
  }

  /** The queues the schedules' jobs go to. */
  private queues(): Queue[] {
    return [...new Set(this.schedules.map((s) => this.jobs.queueOf(s.name)))];
  }

  private register(s: Schedule): void {
    let due: Date;
    const cron = CronJob.from({
      cronTime: s.cron,
      timeZone: SCHEDULE_TIME_ZONE,
      name: s.name,
      start: false,
      onTick: () => {
        const at = fireInstant(cron.cronTime, due, new Date());
        // cron has set itself for its next instant before calling this.
        due = cron.nextDate().toJSDate();
        void this.fire(s.name, at, due);
      },
    });
    due = cron.nextDate().toJSDate();
    this.registry!.addCronJob(s.name, cron);
    this.crons.set(s.name, cron);
    cron.start();
  }

  private sweepRepeatables(): void {
    let running: Promise<unknown> | undefined;
    const sweep = (): void => {
      if (this.stopped || running) return;
      running = this.removeLeftoverRepeatables()
        .catch((e: Error) =>
          this.logger.warn(`could not look for leftover bull repeatable jobs: ${e.message}`),
        )
        .finally(() => (running = undefined));
    };
    for (const queue of this.queues()) {
      queue.client.on('ready', sweep);
      if (queue.client.status === 'ready') sweep();
    }
    this.timer = setInterval(sweep, this.config.jobs.scheduleCheckMs);
    this.timer.unref();
  }
}
