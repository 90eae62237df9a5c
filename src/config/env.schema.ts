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
import { isTileUrlTemplate } from '../map/map-tiles.js';

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

  /**
   * 反弹: a new problem near a task of its category closed within this many days is linked to
   * it as a recurrence (the radius is per category, `recurrenceRadiusM`).
   */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(365)
  RECURRENCE_WINDOW_DAYS = 30;
  /** 未督导点位: a site not visited by anyone for this many days is listed (GET /sites/unvisited). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(3650)
  PLAN_UNVISITED_DAYS = 30;
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

  /** The console's public address, for the links in 企业微信/钉钉/SMS messages (`{base}/tasks/{id}`). */
  @IsString()
  PUBLIC_BASE_URL = 'http://localhost:3000';

  /** Hour (0–23, Asia/Shanghai) of the daily 明日到期/已超期 summary sent to each unit's channels. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(23)
  CHANNEL_DIGEST_HOUR = 8;

  /** Per-request timeout of a 企业微信/钉钉/SMS send: a receiver that hangs holds one job this long. */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  CHANNEL_TIMEOUT_MS = 5000;

  /** Tries of one channel delivery before it is dead-lettered (waits double from CHANNEL_BACKOFF_MS). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(20)
  CHANNEL_MAX_ATTEMPTS = 5;

  @Transform(toInt)
  @IsInt()
  @Min(10)
  CHANNEL_BACKOFF_MS = 10000;

  /** Base URLs of the providers (tests point them at local fake servers). */
  @IsString()
  CHANNEL_WECOM_BASE_URL = 'https://qyapi.weixin.qq.com';

  @IsString()
  CHANNEL_DINGTALK_BASE_URL = 'https://oapi.dingtalk.com';

  /** 腾讯云短信 (SendSms, API 2021-01-11, TC3-HMAC-SHA256): endpoint, credentials, app, sign, template. */
  @IsString()
  SMS_TENCENT_ENDPOINT = 'https://sms.tencentcloudapi.com';

  @IsOptional()
  @IsString()
  SMS_TENCENT_SECRET_ID?: string;

  @IsOptional()
  @IsString()
  SMS_TENCENT_SECRET_KEY?: string;

  @IsString()
  SMS_TENCENT_REGION = 'ap-guangzhou';

  @IsOptional()
  @IsString()
  SMS_TENCENT_SDK_APP_ID?: string;

  @IsOptional()
  @IsString()
  SMS_SIGN_NAME?: string;

  /** A template with one parameter `{1}` that carries the whole message. */
  @IsOptional()
  @IsString()
  SMS_TEMPLATE_ID?: string;
  /**
   * The console map's (一张图) tiles: an XYZ URL template (`https://{s}.tiles.example/{z}/{x}/{y}.png`)
   * in Web Mercator. Empty with no TIANDITU_KEY: markers on a blank background (tests, offline).
   */
  @ValidateBy({
    name: 'isTileUrl',
    validator: {
      validate: (v: unknown) => typeof v === 'string' && (v === '' || isTileUrlTemplate(v)),
      defaultMessage: () =>
        'must be an http(s) URL template with {z}, {x} and {y} ({s} only in the host)',
    },
  })
  MAP_TILE_URL = '';

  /** The values of `{s}` in MAP_TILE_URL, comma-separated (`a,b,c`); required when it has `{s}`. */
  @ValidateBy({
    name: 'isTileSubdomains',
    validator: {
      validate: (v: unknown, args) =>
        typeof v === 'string' &&
        /^([A-Za-z0-9-]+(,[A-Za-z0-9-]+)*)?$/.test(v) &&
        (v !== '' || !String((args?.object as EnvSchema).MAP_TILE_URL).includes('{s}')),
      defaultMessage: () =>
        'must be comma-separated host labels, and is required when MAP_TILE_URL has {s}',
    },
  })
  MAP_TILE_SUBDOMAINS = '';

  /** Shown in the map's corner (the tile provider's terms usually require it). */
  @IsString()
  @MaxLength(300)
  MAP_TILE_ATTRIBUTION = '';

  /**
   * 天地图's key (the office's, from the 天地图 console): the map then uses 天地图's vector map and
   * its annotation layer (vec_w + cva_w, Web Mercator), the official choice for government maps.
   * Not together with MAP_TILE_URL.
   */
  @ValidateBy({
    name: 'isTiandituKey',
    validator: {
      validate: (v: unknown, args) =>
        typeof v === 'string' &&
        (v === '' || (/^[A-Za-z0-9]{8,64}$/.test(v) && !(args?.object as EnvSchema).MAP_TILE_URL)),
      defaultMessage: () => 'must be 8-64 letters and digits, and MAP_TILE_URL must then be empty',
    },
  })
  TIANDITU_KEY = '';
}
