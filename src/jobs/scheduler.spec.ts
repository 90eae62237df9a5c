import { jest } from '@jest/globals';
import { SchedulerRegistry } from '@nestjs/schedule';
import { CronTime } from 'cron';
import { ConfigError, loadConfig, type AppConfig } from '../config/app-config.js';
import { scheduledJobOptions, type JobQueue } from './job-queue.js';
import { JOBS } from './queues.js';
import { JobScheduler } from './scheduler.js';
import {
  fireInstant,
  PURGE_REFRESH_TOKENS_CRON,
  SCHEDULE_TIME_ZONE,
  SCHEDULED_JOB_KEEP_SECONDS,
  scheduledJobId,
  WEEKLY_DIGEST_CRON,
  type ScheduledJob,
} from './schedules.js';

const at = (iso: string): Date => new Date(iso);

describe('fireInstant: the instant a tick stands for', () => {
  const everyMinute = new CronTime('* * * * *', SCHEDULE_TIME_ZONE);
  const daily8 = new CronTime('0 8 * * *', SCHEDULE_TIME_ZONE);

  it('is the instant due when the tick comes on time or a little late', () => {
    const due = at('2026-12-01T00:01:00.000Z');
    expect(fireInstant(everyMinute, due, at('2026-12-01T00:01:00.000Z'))).toEqual(due);
    expect(fireInstant(everyMinute, due, at('2026-12-01T00:01:00.004Z'))).toEqual(due);
    // Held up by a busy event loop for most of the period: still the same instant.
    expect(fireInstant(everyMinute, due, at('2026-12-01T00:01:59.999Z'))).toEqual(due);
  });

  it('steps over instants cron skipped, to the last one at or before now', () => {
    expect(
      fireInstant(everyMinute, at('2026-12-01T00:01:00.000Z'), at('2026-12-01T00:04:00.250Z')),
    ).toEqual(at('2026-12-01T00:04:00.000Z'));
  });

  it('reads the cron in Asia/Shanghai: 08:00 there is 00:00 UTC', () => {
    expect(
      fireInstant(daily8, at('2026-12-01T00:00:00.000Z'), at('2026-12-01T00:00:00.120Z')),
    ).toEqual(at('2026-12-01T00:00:00.000Z'));
    // The next one is a day later, not at 08:00 UTC.
    expect(
      fireInstant(daily8, at('2026-12-01T00:00:00.000Z'), at('2026-12-01T23:59:59.000Z')),
    ).toEqual(at('2026-12-01T00:00:00.000Z'));
    expect(
      fireInstant(daily8, at('2026-12-01T00:00:00.000Z'), at('2026-12-02T00:00:00.010Z')),
    ).toEqual(at('2026-12-02T00:00:00.000Z'));
  });
});

describe('the bull job of a fire', () => {
  it('has an id naming the job and the instant, the same in every process', () => {
    expect(scheduledJobId('deadline-scan', at('2026-12-01T00:01:00.000Z'))).toBe(
      'deadline-scan:2026-12-01T00:01:00.000Z',
    );
    const options = scheduledJobOptions('weekly-digest', at('2026-12-01T01:00:00.000Z'));
    expect(options.jobId).toBe('weekly-digest:2026-12-01T01:00:00.000Z');
  });

  it('is kept, done or failed, at least a day, by age only, so a late add of the same fire is ignored', () => {
    const options = scheduledJobOptions('overdue-summary', new Date());
    expect(SCHEDULED_JOB_KEEP_SECONDS).toBeGreaterThanOrEqual(86_400);
    expect(options.removeOnComplete).toEqual({ age: SCHEDULED_JOB_KEEP_SECONDS });
    expect(options.removeOnFail).toEqual({ age: SCHEDULED_JOB_KEEP_SECONDS });
  });
});

interface Repeatable {
  key: string;
  name: string;
}

interface Delayed {
  id: string;
  name: string;
}

/** What JobScheduler uses of JobQueue and bull's queues, in memory. */
function fakeQueues(status = 'ready') {
  const added: { name: ScheduledJob; at: string }[] = [];
  const queues = new Map<string, { repeatables: Repeatable[]; delayed: Delayed[] }>();
  const queue = (name: string) => {
    const state = queues.get(name) ?? { repeatables: [], delayed: [] };
    queues.set(name, state);
    return {
      name,
      client: { status, on: () => undefined },
      getRepeatableJobs: () => Promise.resolve([...state.repeatables]),
      removeRepeatableByKey: (key: string) => {
        state.repeatables = state.repeatables.filter((r) => r.key !== key);
        return Promise.resolve();
      },
      getDelayed: () =>
        Promise.resolve(
          state.delayed.map((d) => ({
            ...d,
            remove: () => {
              state.delayed = state.delayed.filter((x) => x.id !== d.id);
              return Promise.resolve();
            },
          })),
        ),
    };
  };
  const jobs = {
    canAdd: () => true,
    queueOf: (name: ScheduledJob) => queue(JOBS[name].queue),
    addScheduled: (name: ScheduledJob, fireAt: Date) => {
      added.push({ name, at: fireAt.toISOString() });
      return Promise.resolve();
    },
  };
  return { jobs: jobs as unknown as JobQueue, added, queues };
}

const config = (env: Record<string, string> = {}): AppConfig =>
  loadConfig({ SCHEDULE_CHECK_MS: '3600000', ...env });

describe('JobScheduler: the crons of @nestjs/schedule', () => {
  const started: JobScheduler[] = [];
  const start = (env: Record<string, string> = {}, redis = 'ready') => {
    const registry = new SchedulerRegistry();
    const q = fakeQueues(redis);
    const scheduler = new JobScheduler(q.jobs, config(env), registry);
    scheduler.onApplicationBootstrap();
    started.push(scheduler);
    return { scheduler, registry, ...q };
  };
  afterEach(() => {
    for (const s of started.splice(0)) {
      s.onModuleDestroy();
      s.onApplicationShutdown();
    }
    jest.useRealTimers();
  });

  it('registers one cron per schedule, with the configured expression, in Asia/Shanghai, running', () => {
    const { registry, scheduler } = start({
      DEADLINE_SCAN_CRON: '*/5 * * * *',
      OVERDUE_SUMMARY_CRON: '30 7 * * 1-5',
      CHANNEL_DIGEST_HOUR: '9',
    });
    const crons = registry.getCronJobs();
    expect([...crons.keys()].sort()).toEqual([
      'channel-digest',
      'deadline-scan',
      'overdue-summary',
      'purge-refresh-tokens',
      'weekly-digest',
    ]);
    const described = Object.fromEntries(
      [...crons].map(([name, cron]) => [
        name,
        { cron: cron.cronTime.source, zone: cron.cronTime.timeZone, active: cron.isActive },
      ]),
    );
    expect(described).toEqual({
      'deadline-scan': { cron: '*/5 * * * *', zone: 'Asia/Shanghai', active: true },
      'overdue-summary': { cron: '30 7 * * 1-5', zone: 'Asia/Shanghai', active: true },
      'channel-digest': { cron: '0 9 * * *', zone: 'Asia/Shanghai', active: true },
      'weekly-digest': { cron: WEEKLY_DIGEST_CRON, zone: 'Asia/Shanghai', active: true },
      'purge-refresh-tokens': {
        cron: PURGE_REFRESH_TOKENS_CRON,
        zone: 'Asia/Shanghai',
        active: true,
      },
    });
    expect(WEEKLY_DIGEST_CRON).toBe('0 * * * *');
    expect(scheduler.missingSchedules()).toEqual([]);
  });

  it('readiness: a cron not registered or not running is missing', () => {
    const { registry, scheduler } = start();
    void registry.getCronJob('overdue-summary').stop();
    registry.deleteCronJob('weekly-digest');
    expect(scheduler.missingSchedules().sort()).toEqual(['overdue-summary', 'weekly-digest']);
  });

  it('an API process fires nothing and misses nothing: it needs no SchedulerRegistry', () => {
    const q = fakeQueues();
    const api = new JobScheduler(q.jobs, config({ APP_ROLE: 'api' }));
    api.onApplicationBootstrap();
    expect(api.firesHere).toBe(false);
    expect(api.missingSchedules()).toEqual([]);
    expect(() => new JobScheduler(q.jobs, config({ APP_ROLE: 'worker' }))).toThrow(
      /ScheduleModule/,
    );
  });

  it('two processes ticking at the same instant queue the same fire (one bull job id)', async () => {
    jest.useFakeTimers({ now: at('2026-12-01T00:59:59.700Z') });
    const a = start({ OVERDUE_SUMMARY_CRON: '0 9 * * *' });
    const b = start({ OVERDUE_SUMMARY_CRON: '0 9 * * *' });
    await jest.advanceTimersByTimeAsync(400);
    // 09:00 in Shanghai: the overdue summary, the weekly digest and the deadline scan fire.
    const fires = (x: typeof a) => x.added.map((f) => `${f.name}@${f.at}`).sort();
    expect(fires(a)).toEqual([
      'deadline-scan@2026-12-01T01:00:00.000Z',
      'overdue-summary@2026-12-01T01:00:00.000Z',
      'weekly-digest@2026-12-01T01:00:00.000Z',
    ]);
    expect(fires(b)).toEqual(fires(a));
    await jest.advanceTimersByTimeAsync(60_000);
    expect(fires(a).filter((f) => f.startsWith('deadline-scan'))).toEqual([
      'deadline-scan@2026-12-01T01:00:00.000Z',
      'deadline-scan@2026-12-01T01:01:00.000Z',
    ]);
  });

  it('removes the bull repeatable jobs an earlier version left, and only those', async () => {
    // Redis not connected at start: the sweep waits for it, and runs here by hand.
    const { scheduler, queues } = start({}, 'connecting');
    queues
      .get('schedules')!
      .repeatables.push(
        { key: 'deadline-scan:deadline-scan::Asia/Shanghai:* * * * *', name: 'deadline-scan' },
        { key: 'weekly-digest:weekly-digest::Asia/Shanghai:0 * * * *', name: 'weekly-digest' },
        { key: 'someone-else:::Asia/Shanghai:0 0 * * *', name: 'someone-else' },
      );
    queues.get('maintenance')!.repeatables.push({
      key: 'purge-refresh-tokens:purge-refresh-tokens::Asia/Shanghai:0 3 * * *',
      name: 'purge-refresh-tokens',
    });
    expect((await scheduler.removeLeftoverRepeatables()).sort()).toEqual([
      'deadline-scan',
      'purge-refresh-tokens',
      'weekly-digest',
    ]);
    expect(queues.get('schedules')!.repeatables.map((r) => r.name)).toEqual(['someone-else']);
    expect(queues.get('maintenance')!.repeatables).toEqual([]);
  });

  it("removes a next run whose repeat entry is already gone (a sweep between bull's two writes), and nothing else delayed", async () => {
    const { scheduler, queues } = start({}, 'connecting');
    queues
      .get('schedules')!
      .delayed.push(
        { id: 'repeat:deadline-scan:5f1c:1764550860000', name: 'deadline-scan' },
        { id: 'repeat:someone-else::9a2b:1764550860000', name: 'someone-else' },
        { id: 'deadline-scan@2026-12-01T01:00:00.000Z', name: 'deadline-scan' },
      );
    expect(await scheduler.removeLeftoverRepeatables()).toEqual(['deadline-scan']);
    expect(queues.get('schedules')!.delayed.map((d) => d.id)).toEqual([
      'repeat:someone-else::9a2b:1764550860000',
      'deadline-scan@2026-12-01T01:00:00.000Z',
    ]);
  });

  it('a fire that cannot be queued is tried again until the next fire', async () => {
    jest.useFakeTimers({ now: at('2026-12-01T00:00:00.000Z') });
    const { scheduler, jobs, added } = start();
    let up = false;
    jest.spyOn(jobs, 'canAdd').mockImplementation(() => up);
    const fireAt = at('2026-12-01T00:00:00.000Z');
    expect(await scheduler.fire('overdue-summary', fireAt, at('2026-12-01T00:01:00.000Z'))).toBe(
      false,
    );
    up = true;
    await jest.advanceTimersByTimeAsync(5_000);
    expect(added).toEqual([{ name: 'overdue-summary', at: fireAt.toISOString() }]);
  });
});

describe('the cron settings', () => {
  it('must be cron expressions (five fields, or six with seconds)', () => {
    expect(loadConfig({ DEADLINE_SCAN_CRON: '*/2 * * * * *' }).jobs.deadlineScanCron).toBe(
      '*/2 * * * * *',
    );
    expect(() => loadConfig({ OVERDUE_SUMMARY_CRON: '61 8 * * *' })).toThrow(ConfigError);
    let error: unknown;
    try {
      loadConfig({ DEADLINE_SCAN_CRON: 'every minute' });
    } catch (e) {
      error = e;
    }
    expect((error as ConfigError).problems).toEqual([
      expect.stringMatching(/^DEADLINE_SCAN_CRON must be a cron expression/),
    ]);
  });
});
