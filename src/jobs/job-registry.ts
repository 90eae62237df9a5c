import { Injectable, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import type { JobName, JobPayloads } from './job-payloads.js';
import {
  JOB_FAILED_HANDLER,
  JOB_HANDLER,
  type JobFailedFn,
  type JobFailure,
  type JobHandlerFn,
  type JobRun,
} from './on-job.decorator.js';
import { JOB_NAMES } from './queues.js';

/** A decorated method found at start. */
export interface FoundHandler {
  name: string;
  kind: 'run' | 'failed';
  /** `Class.method`, for messages. */
  owner: string;
  invoke: (data: never, context: never) => unknown;
}

export interface JobHandlers {
  run: (data: unknown, run: JobRun) => unknown;
  failed?: (data: unknown, failure: JobFailure) => unknown;
  owner: string;
}

export class JobHandlersError extends Error {
  constructor(readonly problems: string[]) {
    super(
      `the job handlers do not match the job map (src/jobs/job-payloads.ts):\n- ${problems.join('\n- ')}`,
    );
    this.name = 'JobHandlersError';
  }
}

/**
 * The start-up check: every job name of the map has exactly one `@OnJob` handler and at most
 * one `@OnJobFailed` hook, and nothing handles a name the map does not know. Throws one error
 * listing every problem, each naming its job, so a missing handler stops the process at boot
 * rather than leaving its jobs to fail in the queue.
 */
export function indexHandlers(
  names: readonly string[],
  found: readonly FoundHandler[],
): Map<string, JobHandlers> {
  const problems: string[] = [];
  const index = new Map<string, JobHandlers>();
  const known = new Set(names);
  for (const h of found) {
    if (!known.has(h.name)) problems.push(`"${h.name}" is handled by ${h.owner} but is not a job`);
  }
  for (const name of names) {
    const runs = found.filter((h) => h.name === name && h.kind === 'run');
    const hooks = found.filter((h) => h.name === name && h.kind === 'failed');
    if (!runs.length) {
      problems.push(`"${name}" has no handler: mark one method @OnJob('${name}') in its feature`);
    } else if (runs.length > 1) {
      problems.push(
        `"${name}" has ${runs.length} handlers (${runs.map((h) => h.owner).join(', ')}); it needs exactly one`,
      );
    }
    if (hooks.length > 1) {
      problems.push(
        `"${name}" has ${hooks.length} @OnJobFailed hooks (${hooks.map((h) => h.owner).join(', ')}); it may have one`,
      );
    }
    if (runs.length === 1) {
      index.set(name, {
        run: runs[0].invoke as JobHandlers['run'],
        failed: hooks[0]?.invoke as JobHandlers['failed'],
        owner: runs[0].owner,
      });
    }
  }
  if (problems.length) throw new JobHandlersError(problems);
  return index;
}

/**
 * Finds the `@OnJob` / `@OnJobFailed` methods of every provider (Nest's DiscoveryService, as
 * Immich and @nestjs/bull do) and checks them against the job map when the module starts, in
 * every process role, so an API process with a missing handler fails as a worker would.
 * Features depend on src/jobs for the decorators, never the other way round.
 */
@Injectable()
export class JobRegistry implements OnModuleInit {
  private index?: Map<string, JobHandlers>;

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
  ) {}

  onModuleInit(): void {
    this.handlers();
  }

  /** The handlers by job name (found and checked once). */
  handlers(): ReadonlyMap<string, JobHandlers> {
    this.index ??= indexHandlers(JOB_NAMES, this.discover());
    return this.index;
  }

  handlerOf<N extends JobName>(
    name: N,
  ): { run: JobHandlerFn<N>; failed?: JobFailedFn<N>; owner: string } {
    const h = this.handlers().get(name);
    // Unreachable after the start-up check; kept for a name that comes from outside (Redis).
    if (!h) throw new Error(`no handler for job "${name}"`);
    return h as { run: JobHandlerFn<N>; failed?: JobFailedFn<N>; owner: string };
  }

  /** Runs the handler of `name` directly (tests, operations): what a worker would run. */
  run<N extends JobName>(name: N, data: JobPayloads[N], run: JobRun): unknown {
    return this.handlerOf(name).run(data, run);
  }

  private discover(): FoundHandler[] {
    const found: FoundHandler[] = [];
    for (const wrapper of this.discovery.getProviders()) {
      const instance = wrapper.instance as Record<string, unknown> | undefined;
      // Request-scoped providers have no instance here; jobs run outside requests.
      if (!instance || typeof instance !== 'object' || !wrapper.isDependencyTreeStatic()) continue;
      const prototype = Object.getPrototypeOf(instance) as object | null;
      for (const key of this.scanner.getAllMethodNames(prototype)) {
        const method = instance[key];
        if (typeof method !== 'function') continue;
        const owner = `${instance.constructor.name}.${key}`;
        const invoke = (method as (...a: never[]) => unknown).bind(instance);
        const name = this.reflector.get<string | undefined>(JOB_HANDLER, method);
        if (name) found.push({ name, kind: 'run', owner, invoke });
        const failed = this.reflector.get<string | undefined>(JOB_FAILED_HANDLER, method);
        if (failed) found.push({ name: failed, kind: 'failed', owner, invoke });
      }
    }
    return found;
  }
}
