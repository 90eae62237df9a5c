import { jest } from '@jest/globals';
import { getQueueToken } from '@nestjs/bull';
import { SchedulerRegistry } from '@nestjs/schedule';
import Bull, { type Queue } from 'bull';
import { Clock } from '../src/common/clock.js';
import { JobQueue } from '../src/jobs/job-queue.js';
import { MAINTENANCE_QUEUE, SCHEDULES_QUEUE } from '../src/jobs/queues.js';
import { JobScheduler } from '../src/jobs/scheduler.js';
import { NotificationsService } from '../src/notifications/notifications.service.js';
import { DigestService } from '../src/reports/digest/digest.service.js';
import { eventually } from './support/processes.js';
import { startTestApp, testEnv, type TestApp } from './support/test-app.js';

/**
 * The schedules are crons of @nestjs/schedule in every process that fires them; bull carries and
 * runs the work. Here two app instances on one database and one Redis prefix stand for two worker
 * processes of a deployment.
 */

const queueOf = (t: TestApp, name: string): Queue => t.app.get<Queue>(getQueueToken(name));

/** The finished and pending jobs of `name` on `queue`, by id. */
async function jobsNamed(queue: Queue, name: string): Promise<string[]> {
  const jobs = await queue.getJobs(['waiting', 'active', 'delayed', 'completed', 'failed']);
  return jobs
    .filter((j) => j?.name === name)
    .map((j) => String(j.id))
    .sort();
}

async function idle(queue: Queue): Promise<boolean> {
  const c = await queue.getJobCounts();
  return c.waiting + c.active + c.delayed === 0;
}

describe('two processes firing the same schedule', () => {
  let env: Record<string, string>;
  let a: TestApp;
  let b: TestApp;
  beforeAll(async () => {
    env = await testEnv({
      APP_ROLE: 'all',
      // Every two seconds, so that the test sees several fires.
      OVERDUE_SUMMARY_CRON: '*/2 * * * * *',
      DEADLINE_SCAN_CRON: '0 0 1 1 *',
    });
    a = await startTestApp(env);
    b = await startTestApp(env);
  });
  afterAll(async () => {
    await a.close();
    await b.close();
  });
  afterEach(() => jest.restoreAllMocks());

  it('registers the crons with the configured expressions in Asia/Shanghai, and readiness says so', async () => {
    for (const t of [a, b]) {
      const crons = t.app.get(SchedulerRegistry).getCronJobs();
      expect(
        Object.fromEntries(
          [...crons].map(([name, c]) => [name, `${c.cronTime.source} ${c.cronTime.timeZone}`]),
        ),
      ).toEqual({
        'deadline-scan': '0 0 1 1 * Asia/Shanghai',
        'overdue-summary': '*/2 * * * * * Asia/Shanghai',
        'weekly-digest': '0 * * * * Asia/Shanghai',
        'purge-refresh-tokens': '0 3 * * * Asia/Shanghai',
        'channel-digest': '0 8 * * * Asia/Shanghai',
      });
      expect([...crons.values()].every((c) => c.isActive)).toBe(true);
      const ready = await t.http().get('/health/ready').expect(200);
      expect(ready.body.details.schedules).toEqual({ status: 'up' });
    }
  });

  it('each fire of the cron is one bull job, run once, however many processes fired it', async () => {
    const queue = queueOf(a, SCHEDULES_QUEUE);
    const crons = [a, b].map((t) => t.app.get(SchedulerRegistry).getCronJob('overdue-summary'));
    // Watched from a quiet start: the crons have fired since the apps started.
    for (const c of crons) void c.stop();
    await eventually(() => idle(queue), 10_000, 'the schedules queue to drain');
    const before = new Set(await jobsNamed(queue, 'overdue-summary'));
    const adds = [a, b].map((t) => jest.spyOn(t.app.get(JobQueue), 'addScheduled'));
    const runs = [a, b].map((t) => jest.spyOn(t.app.get(NotificationsService), 'overdueSummary'));
    for (const c of crons) c.start();
    const fired = (): string[] =>
      adds.flatMap((s) =>
        s.mock.calls.filter(([n]) => n === 'overdue-summary').map(([, at]) => at.toISOString()),
      );
    await eventually(async () => new Set(fired()).size >= 3, 15_000, 'three fires');
    for (const c of crons) void c.stop();
    await eventually(() => idle(queue), 10_000, 'the schedules queue to drain');

    const instants = [...new Set(fired())].sort();
    // Both processes fired every instant (the ones both saw before the crons were stopped) …
    const byProcess = adds.map((s) => new Set(s.mock.calls.map(([, at]) => at.toISOString())));
    expect(
      instants.filter((i) => byProcess[0].has(i) && byProcess[1].has(i)).length,
    ).toBeGreaterThanOrEqual(2);
    // … at whole even seconds, the cron's instants …
    expect(instants.every((i) => /:\d[02468]\.000Z$/.test(i))).toBe(true);
    // … and each instant is one bull job, whose handler ran once in one of the two processes.
    expect((await jobsNamed(queue, 'overdue-summary')).filter((id) => !before.has(id))).toEqual(
      instants.map((i) => `overdue-summary:${i}`),
    );
    const ranAt = runs.flatMap((s) => s.mock.calls.length);
    expect(ranAt[0] + ranAt[1]).toBe(instants.length);
    // One summary for the office a day, whatever ran.
    const rows = (await a.ds.query(
      `SELECT count(*)::int AS n FROM notifications WHERE kind = 'overdue_summary'`,
    )) as { n: number }[];
    expect(rows).toEqual([{ n: 1 }]);
  });

  it('the weekly digest fired by both at the same hour: one job, stored once, and a late add of that hour is ignored', async () => {
    // Monday 2026-11-16 09:00 in Beijing: last week is over and it is past 06:00.
    const hour = new Date('2026-11-16T01:00:00.000Z');
    // Only the fires below: the real cron would add this hour's job should the test cross one.
    for (const t of [a, b]) void t.app.get(SchedulerRegistry).getCronJob('weekly-digest').stop();
    for (const t of [a, b]) jest.spyOn(t.app.get(Clock), 'now').mockReturnValue(hour);
    const stores = [a, b].map((t) => jest.spyOn(t.app.get(DigestService), 'storeWeek'));
    const queue = queueOf(a, SCHEDULES_QUEUE);

    const queued = await Promise.all([
      a.app.get(JobScheduler).fire('weekly-digest', hour),
      b.app.get(JobScheduler).fire('weekly-digest', hour),
    ]);
    expect(queued).toEqual([true, true]);
    const id = `weekly-digest:${hour.toISOString()}`;
    await eventually(async () => (await queue.getJob(id))?.finishedOn !== undefined, 10_000, id);
    expect((await queue.getJob(id))!.returnvalue).toEqual({
      weekStart: '2026-11-09',
      outcome: 'stored',
    });
    expect(await jobsNamed(queue, 'weekly-digest')).toEqual([id]);
    expect(stores[0].mock.calls.length + stores[1].mock.calls.length).toBe(1);
    const digests = async (): Promise<unknown> =>
      a.ds.query(`SELECT week_start::text AS week FROM weekly_digests`);
    expect(await digests()).toEqual([{ week: '2026-11-09' }]);

    // A process whose tick was held up adds the same hour after the job finished: nothing runs.
    expect(await b.app.get(JobScheduler).fire('weekly-digest', hour)).toBe(true);
    await new Promise((r) => setTimeout(r, 500));
    expect(await idle(queue)).toBe(true);
    expect(await jobsNamed(queue, 'weekly-digest')).toEqual([id]);
    expect(stores[0].mock.calls.length + stores[1].mock.calls.length).toBe(1);
    expect(await digests()).toEqual([{ week: '2026-11-09' }]);
  });
});

describe('upgrading from the version whose schedules were bull repeatable jobs', () => {
  let env: Record<string, string>;
  let t: TestApp | undefined;
  let old: Bull.Queue[];
  beforeAll(async () => {
    env = await testEnv({ APP_ROLE: 'all', SCHEDULE_CHECK_MS: '300' });
    const bull = (name: string): Bull.Queue =>
      new Bull(name, { prefix: `${env.REDIS_PREFIX}:bull`, redis: env.REDIS_URL });
    old = [bull(SCHEDULES_QUEUE), bull(MAINTENANCE_QUEUE)];
  });
  afterAll(async () => {
    await t?.close();
    await Promise.all(old.map((q) => q.close()));
  });

  /** What the previous version's JobScheduler did (ensureRepeatable). */
  const register = (queue: Bull.Queue, name: string, cron: string) =>
    queue.add(name, {}, { repeat: { cron, tz: 'Asia/Shanghai' }, jobId: name });
  const repeatables = async (): Promise<string[]> =>
    (await Promise.all(old.map((q) => q.getRepeatableJobs())))
      .flat()
      .map((r) => r.name)
      .sort();
  const nextRepeats = async (): Promise<number> =>
    (await Promise.all(old.map((q) => q.getDelayed())))
      .flat()
      .filter((j) => String(j.id).startsWith('repeat:')).length;

  it('removes the leftover repeatable jobs and their next runs at start, and again when an old worker adds them back', async () => {
    const [schedules, maintenance] = old;
    await register(schedules, 'deadline-scan', '* * * * *');
    await register(schedules, 'overdue-summary', '0 8 * * *');
    await register(schedules, 'weekly-digest', '0 * * * *');
    await register(maintenance, 'purge-refresh-tokens', '0 3 * * *');
    expect(await repeatables()).toEqual([
      'deadline-scan',
      'overdue-summary',
      'purge-refresh-tokens',
      'weekly-digest',
    ]);
    expect(await nextRepeats()).toBe(4);

    t = await startTestApp(env);
    await eventually(async () => (await repeatables()).length === 0, 10_000, 'leftovers removed');
    expect(await nextRepeats()).toBe(0);

    // A worker of the previous version, still running during a rolling upgrade, adds one back;
    // and a next run whose repeat entry a sweep removed between bull's two writes is an orphan.
    await register(schedules, 'deadline-scan', '* * * * *');
    await schedules.add(
      'overdue-summary',
      {},
      { jobId: 'repeat:overdue-summary:x:1', delay: 3_600_000 },
    );
    const gone = async () => (await repeatables()).length === 0 && (await nextRepeats()) === 0;
    await eventually(gone, 10_000, 'removed again');
    // The crons are what fires the schedules now.
    expect((await t.http().get('/health/ready').expect(200)).body.details.schedules).toEqual({
      status: 'up',
    });
  });
});

describe('an API process', () => {
  it('fires no schedule, has no SchedulerRegistry, and its readiness does not check schedules', async () => {
    const t = await startTestApp(await testEnv({ APP_ROLE: 'api' }));
    try {
      expect(t.app.get(JobScheduler).firesHere).toBe(false);
      expect(() => t.app.get(SchedulerRegistry)).toThrow();
      const ready = await t.http().get('/health/ready').expect(200);
      expect(ready.body.details.schedules).toBeUndefined();
    } finally {
      await t.close();
    }
  });
});
