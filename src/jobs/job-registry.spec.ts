import { Injectable } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import type { Db } from '../database/kysely.js';
import type { JobPayloads } from './job-payloads.js';
import { indexHandlers, JobHandlersError, JobRegistry, type FoundHandler } from './job-registry.js';
import { OnJob, OnJobFailed, type JobFailure, type JobRun } from './on-job.decorator.js';
import { writeOutbox } from './outbox.js';
import { JOB_NAMES } from './queues.js';

const found = (name: string, owner: string, kind: FoundHandler['kind'] = 'run'): FoundHandler => ({
  name,
  kind,
  owner,
  invoke: () => owner,
});

describe('indexHandlers: the start-up check of the handlers against the job map', () => {
  const names = ['task-event', 'deliver'];

  it('indexes one handler per job, with its failure hook', () => {
    const index = indexHandlers(names, [
      found('task-event', 'TaskEventJob.handle'),
      found('deliver', 'WebhookDeliveryJob.deliver'),
      found('deliver', 'WebhookDeliveryJob.failed', 'failed'),
    ]);
    expect(index.get('task-event')?.owner).toBe('TaskEventJob.handle');
    expect(index.get('task-event')?.failed).toBeUndefined();
    expect(index.get('deliver')?.failed).toBeDefined();
  });

  it('throws on a job without a handler, naming the job', () => {
    expect(() => indexHandlers(names, [found('task-event', 'TaskEventJob.handle')])).toThrow(
      /"deliver" has no handler/,
    );
  });

  it('a failure hook alone is not a handler', () => {
    expect(() =>
      indexHandlers(names, [
        found('task-event', 'TaskEventJob.handle'),
        found('deliver', 'WebhookDeliveryJob.failed', 'failed'),
      ]),
    ).toThrow(/"deliver" has no handler/);
  });

  it('throws on a job with two handlers, naming the job and both', () => {
    expect(() =>
      indexHandlers(names, [
        found('task-event', 'TaskEventJob.handle'),
        found('task-event', 'OtherJob.handle'),
        found('deliver', 'WebhookDeliveryJob.deliver'),
      ]),
    ).toThrow(/"task-event" has 2 handlers \(TaskEventJob\.handle, OtherJob\.handle\)/);
  });

  it('throws on two failure hooks of one job', () => {
    expect(() =>
      indexHandlers(names, [
        found('task-event', 'TaskEventJob.handle'),
        found('deliver', 'WebhookDeliveryJob.deliver'),
        found('deliver', 'A.failed', 'failed'),
        found('deliver', 'B.failed', 'failed'),
      ]),
    ).toThrow(/"deliver" has 2 @OnJobFailed hooks/);
  });

  it('throws on a handler of a name the map does not know', () => {
    expect(() =>
      indexHandlers(names, [
        found('task-event', 'TaskEventJob.handle'),
        found('deliver', 'WebhookDeliveryJob.deliver'),
        found('task-evnt', 'Typo.handle'),
      ]),
    ).toThrow(/"task-evnt" is handled by Typo\.handle but is not a job/);
  });

  it('lists every problem at once', () => {
    try {
      indexHandlers(names, []);
      throw new Error('did not throw');
    } catch (e) {
      expect(e).toBeInstanceOf(JobHandlersError);
      expect((e as JobHandlersError).problems).toHaveLength(2);
    }
  });
});

/** Handlers of every job of the map but the weekly digest's, as a feature would declare them. */
@Injectable()
class MostJobs {
  @OnJob('task-event') taskEvent(data: JobPayloads['task-event']) {
    return `event ${data.eventId}`;
  }
  @OnJob('escalation-scan') escalationScan(_: JobPayloads['escalation-scan']) {}
  @OnJob('escalation') escalation() {}
  @OnJob('deliver') deliver(data: JobPayloads['deliver'], run: JobRun) {
    return `${data.deliveryId} try ${run.attemptsMade + 1}`;
  }
  @OnJobFailed('deliver') deliveryFailed(_: JobPayloads['deliver'], __: JobFailure) {}
  @OnJob('generate-bulletin') generate(_: JobPayloads['generate-bulletin']) {}
  @OnJob('deadline-scan') deadlineScan() {}
  @OnJob('overdue-summary') overdueSummary() {}
  @OnJob('channel-send') channelSend(_: JobPayloads['channel-send']) {}
  @OnJob('channel-digest') channelDigest() {}
  @OnJob('purge-refresh-tokens') purge() {}
}

@Injectable()
class WeeklyDigestJob {
  @OnJob('weekly-digest') store() {
    return 'stored';
  }
}

@Injectable()
class AnotherWeeklyDigestJob {
  @OnJob('weekly-digest') storeToo() {}
}

const boot = async (...providers: (new (...args: never[]) => object)[]) => {
  const module = await Test.createTestingModule({
    imports: [DiscoveryModule],
    providers: [JobRegistry, ...providers],
  }).compile();
  return module.init();
};

describe('JobRegistry: discovery of @OnJob handlers when the app starts', () => {
  it('finds every handler and runs the one of a job with its payload', async () => {
    expect(JOB_NAMES).toContain('weekly-digest');
    const app = await boot(MostJobs, WeeklyDigestJob);
    const registry = app.get(JobRegistry);
    expect([...registry.handlers().keys()].sort()).toEqual([...JOB_NAMES].sort());
    const run: JobRun = { id: '1', attemptsMade: 2, attempts: 3, retryLater: async () => {} };
    expect(registry.run('task-event', { eventId: '7', taskId: 't' }, run)).toBe('event 7');
    expect(registry.run('deliver', { deliveryId: 'd' }, run)).toBe('d try 3');
    expect(registry.run('weekly-digest', {}, run)).toBe('stored');
    expect(registry.handlerOf('deliver').failed).toBeDefined();
    await app.close();
  });

  it('fails the start when a job has no handler, naming the job', async () => {
    await expect(boot(MostJobs)).rejects.toThrow(/"weekly-digest" has no handler/);
  });

  it('fails the start when a job has two handlers, naming both', async () => {
    await expect(boot(MostJobs, WeeklyDigestJob, AnotherWeeklyDigestJob)).rejects.toThrow(
      /"weekly-digest" has 2 handlers \(WeeklyDigestJob\.store, AnotherWeeklyDigestJob\.storeToo\)/,
    );
  });
});

/**
 * Compile-time checks (`npm run typecheck` compiles this file): each `@ts-expect-error` line
 * must fail to compile, or tsc reports the directive as unused.
 */
export function typeChecks(db: Db): void {
  void writeOutbox(db, 'task-event', { eventId: '1', taskId: '2' });
  // @ts-expect-error: a payload of the wrong shape
  void writeOutbox(db, 'task-event', { scanId: '1' });
  // @ts-expect-error: not an outbox topic (a job, but not one the outbox carries)
  void writeOutbox(db, 'deliver', { deliveryId: '1' });
  // @ts-expect-error: not a job at all
  void writeOutbox(db, 'task-evnt', { eventId: '1', taskId: '2' });

  class Handlers {
    // @ts-expect-error: the handler's payload does not match the map's
    @OnJob('deliver') wrongPayload(_: { deliveryId: number }) {}
    // @ts-expect-error: no such job
    @OnJob('delivr') unknownJob() {}
  }
  void Handlers;
}
