import { SetMetadata } from '@nestjs/common';
import type { JobName, JobPayloads } from './job-payloads.js';

/** What a handler may know of the run besides the payload; nothing of the queue library. */
export interface JobRun {
  /** The queue's id of this job (stable across retries of the same job). */
  readonly id: string;
  /** Tries already made before this one. */
  readonly attemptsMade: number;
  /** Tries allowed in all. */
  readonly attempts: number;
  /**
   * Puts the job back to run again after `delayMs`, with the tries it has left, without counting
   * this run as a failed try (e.g. a webhook whose unit has no free slot). The handler then
   * returns normally.
   */
  retryLater(delayMs: number): Promise<void>;
}

/** A failed try, as told to an `@OnJobFailed` hook. */
export interface JobFailure {
  readonly attemptsMade: number;
  readonly attempts: number;
  /** No try is left: the job is failed for good. */
  readonly final: boolean;
  readonly error: Error;
}

export type JobHandlerFn<N extends JobName> = (data: JobPayloads[N], run: JobRun) => unknown;
export type JobFailedFn<N extends JobName> = (data: JobPayloads[N], failure: JobFailure) => unknown;

export const JOB_HANDLER = 'cc:job-handler';
export const JOB_FAILED_HANDLER = 'cc:job-failed-handler';

/**
 * Marks a provider method as the handler of the job `name` (the way Immich's `@OnJob` does):
 * the JobRegistry finds it at start, and worker processes run it for every job of that name.
 * The method's first parameter must accept the job's payload from the map (JobPayloads), so a
 * handler of the wrong shape does not compile. What it returns is kept as the job's result.
 * Handlers must be idempotent: a job may run more than once.
 */
export function OnJob<N extends JobName>(name: N) {
  return <F extends JobHandlerFn<N>>(
    target: object,
    key: string | symbol,
    descriptor: TypedPropertyDescriptor<F>,
  ): void => {
    SetMetadata(JOB_HANDLER, name)(target, key, descriptor);
  };
}

/** Marks a provider method to be told of each failed try of the job `name` (at most one per job). */
export function OnJobFailed<N extends JobName>(name: N) {
  return <F extends JobFailedFn<N>>(
    target: object,
    key: string | symbol,
    descriptor: TypedPropertyDescriptor<F>,
  ): void => {
    SetMetadata(JOB_FAILED_HANDLER, name)(target, key, descriptor);
  };
}
