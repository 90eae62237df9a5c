import { Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateBy,
  ValidateIf,
} from 'class-validator';
import { validateCronExpression } from 'cron';
import { allowListProblems } from '../notifications/webhook-target.js';

const toInt = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value;
const toBool = ({ value }: { value: unknown }): unknown => {
  if (typeof value !== 'string') return value;
  const v = value.trim().toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(v)) return true;
  if (['false', '0', 'no', 'off'].includes(v)) return false;
  return value;
};

/** A cron expression @nestjs/schedule's cron accepts: five fields, or six with the seconds first. */
const IsCron = () =>
  ValidateBy({
    name: 'isCron',
    validator: {
      validate: (v: unknown) => typeof v === 'string' && validateCronExpression(v).valid,
      defaultMessage: (args) =>
        `must be a cron expression: ${validateCronExpression(String(args?.value)).error?.message ?? ''}`,
    },
  });

export const APP_ROLES = ['api', 'worker', 'all'] as const;
export type AppRole = (typeof APP_ROLES)[number];

/**
 * Whether a process of this role fires the schedules (and runs the jobs): `worker` and `all` do,
 * `api` processes neither, so an API process never fires a cron and never runs a job.
 */
export const runsSchedules = (role: AppRole): boolean => role !== 'api';

/**
 * Every environment variable the service reads, with its default. Validated once at start:
 * a bad value stops the process with every bad variable named (see `loadConfig`).
 * `.env.example` documents the same list; keep the two together.
 */
export class EnvSchema {
  @IsIn(['development', 'production', 'test'])
  NODE_ENV = 'development';

  @IsIn(APP_ROLES)
  APP_ROLE: AppRole = 'all';

  @IsString()
  HOST = '0.0.0.0';

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  @Matches(/^postgres(ql)?:\/\/.+/, { message: 'must be a postgres:// URL' })
  DATABASE_URL = 'postgres://postgres@localhost:5432/chuangcheng';

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(200)
  DATABASE_POOL_SIZE = 10;

  /** Create the database on start when it is missing (handy on a dev machine; off in production). */
  @Transform(toBool)
  @IsBoolean()
  DATABASE_CREATE_IF_MISSING = true;

  @Transform(toBool)
  @IsBoolean()
  MIGRATIONS_RUN_ON_START = true;

  /** Insert the default categories of config/categories.json that are missing (insert-only, idempotent). */
  @Transform(toBool)
  @IsBoolean()
  SEED_CATALOG_ON_START = true;

  /** Key of the Postgres advisory lock held while migrations run, so that processes starting together do not race. */
  @Transform(toInt)
  @IsInt()
  MIGRATIONS_LOCK_KEY = 72_673_001;

  @Matches(/^rediss?:\/\/.+/, { message: 'must be a redis:// URL' })
  REDIS_URL = 'redis://127.0.0.1:6379';

  /** Prefix of every Redis key (bull queues, throttler), so that deployments and test runs never collide. */
  @Matches(/^[A-Za-z0-9_:.-]{1,64}$/, { message: 'must be 1-64 of A-Z a-z 0-9 _ : . -' })
  REDIS_PREFIX = 'cc';

  @ValidateIf((o: EnvSchema) => o.NODE_ENV === 'production' || o.JWT_SECRET !== undefined)
  @IsString()
  @MinLength(32, { message: 'must be at least 32 characters' })
  JWT_SECRET?: string;

  @Transform(toInt)
  @IsInt()
  @Min(60)
  @Max(86_400)
  JWT_ACCESS_TTL_SECONDS = 900;

  @Transform(toInt)
  @IsInt()
  @Min(3600)
  @Max(7_776_000)
  JWT_REFRESH_TTL_SECONDS = 2_592_000;

  @IsOptional()
  @Matches(/^[a-z0-9_.-]{3,64}$/, { message: 'must be 3-64 of a-z 0-9 _ . -' })
  ADMIN_USERNAME?: string;

  @ValidateIf((o: EnvSchema) => o.ADMIN_USERNAME !== undefined)
  @IsString({ message: 'is required when ADMIN_USERNAME is set' })
  @MinLength(10, { message: 'must be at least 10 characters' })
  @MaxLength(200)
  ADMIN_PASSWORD?: string;

  /** Login attempts allowed per client address and username within LOGIN_RATE_WINDOW_SECONDS. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  LOGIN_RATE_LIMIT = 10;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  LOGIN_RATE_WINDOW_SECONDS = 60;

  /** Requests one caller (user, API key, or address when anonymous) may make per RATE_LIMIT_WINDOW_SECONDS, all routes together. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  RATE_LIMIT_REQUESTS = 1200;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  RATE_LIMIT_WINDOW_SECONDS = 60;

  /** Heavy requests (台账 export, digest, 快报 generation) one caller may run at once. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  HEAVY_CONCURRENCY_PER_CALLER = 2;

  /** Heavy requests everyone together may run at once (per deployment, shared through Redis). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  HEAVY_CONCURRENCY_TOTAL = 6;

  /** A heavy request's slot is freed after this long even if its process died mid-request. */
  @Transform(toInt)
  @IsInt()
  @Min(10)
  HEAVY_LEASE_SECONDS = 900;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  HEAVY_RETRY_AFTER_SECONDS = 10;

  /** Bearer token for GET /metrics; unset, /metrics answers 404. */
  @ValidateIf((o: EnvSchema) => o.METRICS_TOKEN !== undefined)
  @IsString()
  @MinLength(16, { message: 'must be at least 16 characters' })
  METRICS_TOKEN?: string;

  @Transform(toInt)
  @IsInt()
  @Min(1024)
  BODY_LIMIT_BYTES = 1_048_576;

  /**
   * A request must arrive whole (headers and body) within this long, or it is answered 408 and its
   * connection closed: a client trickling a byte every few seconds cannot hold a connection. Long
   * enough for a 10 MB photo on a slow phone connection (≈ 1.4 Mbit/s).
   */
  @Transform(toInt)
  @IsInt()
  @Min(1000)
  HTTP_REQUEST_TIMEOUT_MS = 60_000;

  /** The headers alone must arrive within this long (at most HTTP_REQUEST_TIMEOUT_MS). */
  @Transform(toInt)
  @IsInt()
  @Min(500)
  HTTP_HEADERS_TIMEOUT_MS = 15_000;

  @Transform(toInt)
  @IsInt()
  @Min(1024)
  UPLOAD_MAX_BYTES = 10_485_760;

  @IsString()
  STORAGE_ROOT = './storage';

  /**
   * A unit's after-photo taken farther than this from the task's position is flagged 照片存疑
   * (too_far). Flags inform the office; they never block a submission.
   */
  @Transform(toInt)
  @IsInt()
  @Min(10)
  @Max(100_000)
  EVIDENCE_MAX_DISTANCE_M = 300;

  /** 签收: a dispatched task must be signed for by its unit (off: today's behaviour). */
  @Transform(toBool)
  @IsBoolean()
  ACK_REQUIRED = false;

  /** 签收时限 in plain hours from the task's coming to its unit; past it the task is escalated. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(720)
  ACK_LIMIT_HOURS = 24;

  /** Folder with the data-like defaults: categories, calendar, letterhead. */
  @IsString()
  CONFIG_DIR = './config';

  @Transform(toBool)
  @IsBoolean()
  SWAGGER_ENABLED = true;

  /** How often a worker moves outbox rows to the queues. */
  @Transform(toInt)
  @IsInt()
  @Min(50)
  OUTBOX_POLL_MS = 500;

  /**
   * Tries of one webhook delivery before it is dead-lettered. The waits between tries double from
   * WEBHOOK_BACKOFF_MS (10 s, 20 s, 40 s …) and are never shorter than WEBHOOK_TIMEOUT_MS plus a
   * second, so a receiver slow enough to time out has finished before the next try arrives.
   */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(20)
  WEBHOOK_MAX_ATTEMPTS = 6;

  @Transform(toInt)
  @IsInt()
  @Min(10)
  WEBHOOK_BACKOFF_MS = 10000;

  @Transform(toInt)
  @IsInt()
  @Min(100)
  WEBHOOK_TIMEOUT_MS = 5000;

  /** Deliveries of one unit sent at once by one deployment: a slow receiver holds only these slots. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  WEBHOOK_PER_UNIT_CONCURRENCY = 2;

  /**
   * How often a worker removes the bull repeatable jobs an earlier version registered for the
   * schedules (during a rolling upgrade a worker of that version may add them back). The
   * schedules themselves are crons in the worker processes and need no checking.
   */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  SCHEDULE_CHECK_MS = 60000;

  /**
   * How often a worker re-queues work whose job Redis lost (it came back empty): pending webhook
   * deliveries and relayed outbox rows not yet processed, older than a grace period.
   */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  JOB_SWEEP_INTERVAL_MS = 60000;

  /** Work younger than this is left to its job (it may still be on its way to Redis). */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  JOB_SWEEP_GRACE_MS = 60000;

  /**
   * Hosts webhooks may reach although they are loopback, private or link-local: comma-separated
   * host names, addresses or CIDRs (`grid.intranet, 10.8.0.0/16`). Empty: public addresses only.
   */
  @ValidateBy({
    name: 'isHostAllowList',
    validator: {
      validate: (v: unknown) => typeof v === 'string' && allowListProblems(v).length === 0,
      defaultMessage: (args) =>
        `must be comma-separated host names, addresses or CIDRs: ${allowListProblems(String(args?.value)).join(', ')}`,
    },
  })
  WEBHOOK_ALLOWED_HOSTS = '';

  /** How long a job may go without its lock renewed before bull hands it to another worker. */
  @Transform(toInt)
  @IsInt()
  @Min(500)
  JOB_STALLED_INTERVAL_MS = 30000;

  /** Cron (Asia/Shanghai) of the deadline scan: reminders and the move to 督办 / 通报. */
  @IsCron()
  DEADLINE_SCAN_CRON = '* * * * *';

  /** Cron (Asia/Shanghai) of the daily overdue summary to the office. */
  @IsCron()
  OVERDUE_SUMMARY_CRON = '0 8 * * *';
}
