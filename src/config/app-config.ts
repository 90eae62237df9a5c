import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import { randomBytes } from 'node:crypto';
import { splitAllowList } from '../notifications/webhook-target.js';
import { EnvSchema, type AppRole } from './env.schema.js';
import { mapConfigOf, type MapConfig } from '../map/map-tiles.js';

/** The typed configuration every provider receives; built once from the environment. */
export interface AppConfig {
  env: 'development' | 'production' | 'test';
  role: AppRole;
  http: {
    host: string;
    port: number;
    bodyLimitBytes: number;
    swagger: boolean;
    requestTimeoutMs: number;
    headersTimeoutMs: number;
  };
  log: { level: string };
  database: {
    url: string;
    poolSize: number;
    createIfMissing: boolean;
    migrationsRunOnStart: boolean;
    migrationsLockKey: number;
    seedCatalogOnStart: boolean;
  };
  redis: { url: string; prefix: string };
  auth: {
    jwtSecret: string;
    accessTtlSeconds: number;
    refreshTtlSeconds: number;
    loginRateLimit: number;
    loginRateWindowSeconds: number;
    bootstrapAdmin?: { username: string; password: string };
  };
  throttling: {
    requestsPerWindow: number;
    windowSeconds: number;
    heavyPerCaller: number;
    heavyTotal: number;
    heavyLeaseSeconds: number;
    heavyRetryAfterSeconds: number;
  };
  metrics: { token?: string };
  storage: { root: string; uploadMaxBytes: number };
  /** Photo evidence rules (src/tasks/evidence/evidence-rules.ts). */
  evidence: { maxDistanceM: number };
  /** 反弹: how many days after a closure a new problem nearby counts as a recurrence (src/tasks/recurrence/). */
  recurrence: { windowDays: number };
  /** 督导计划 (src/plans): the default N of "sites not visited for N days". */
  plans: { unvisitedDays: number };
  /** The console map's tiles (src/map/map-tiles.ts); none: a blank background. */
  map: MapConfig;
  /** 签收 (src/tasks/acknowledgement/): whether units sign for dispatched work, and the limit. */
  acknowledgement: { required: boolean; limitHours: number };
  jobs: {
    outboxPollMs: number;
    webhookMaxAttempts: number;
    webhookBackoffMs: number;
    webhookTimeoutMs: number;
    webhookPerUnitConcurrency: number;
    scheduleCheckMs: number;
    sweepIntervalMs: number;
    sweepGraceMs: number;
    /** Validated `WEBHOOK_ALLOWED_HOSTS` entries, lower case. */
    webhookAllowedHosts: string[];
    stalledIntervalMs: number;
    deadlineScanCron: string;
    overdueSummaryCron: string;
    /** The daily channel summary: `0 <CHANNEL_DIGEST_HOUR> * * *` (Asia/Shanghai). */
    channelDigestCron: string;
  };
  /** 企业微信/钉钉/SMS reminders (src/notifications/channels). */
  channels: {
    publicBaseUrl: string;
    digestHour: number;
    timeoutMs: number;
    maxAttempts: number;
    backoffMs: number;
    wecomBaseUrl: string;
    dingtalkBaseUrl: string;
    sms: {
      endpoint: string;
      secretId?: string;
      secretKey?: string;
      region: string;
      sdkAppId?: string;
      signName?: string;
      templateId?: string;
    };
  };
  configDir: string;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration: ${problems.join('; ')}`);
  }
}

/** One line per bad variable: `PORT must be an integer number, must not be greater than 65535 (got "x")`. */
function describe(errors: ValidationError[]): string[] {
  return errors.map((e) => {
    const messages = Object.values(e.constraints ?? {}).map((m) =>
      m.startsWith(e.property) ? m.slice(e.property.length).trim() : m,
    );
    const got =
      e.property.includes('SECRET') || e.property.includes('PASSWORD')
        ? ''
        : ` (got ${JSON.stringify(e.value)})`;
    return `${e.property} ${messages.join(', ')}${got}`;
  });
}

// Only the variables the schema knows; everything else in the environment is ignored.
function pickKnown(env: NodeJS.ProcessEnv): Record<string, string> {
  const known = Object.keys(new EnvSchema());
  const extra = [
    'JWT_SECRET',
    'ADMIN_USERNAME',
    'ADMIN_PASSWORD',
    'METRICS_TOKEN',
    'SMS_TENCENT_SECRET_ID',
    'SMS_TENCENT_SECRET_KEY',
    'SMS_TENCENT_SDK_APP_ID',
    'SMS_SIGN_NAME',
    'SMS_TEMPLATE_ID',
  ];
  const out: Record<string, string> = {};
  for (const key of [...known, ...extra]) {
    const value = env[key];
    if (value !== undefined && value !== '') out[key] = value;
  }
  return out;
}

/** Validates the environment and returns the typed config, or throws ConfigError listing every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const parsed = plainToInstance(EnvSchema, pickKnown(env), { exposeDefaultValues: true });
  const errors = validateSync(parsed, { forbidUnknownValues: false });
  if (errors.length > 0) throw new ConfigError(describe(errors));
  return {
    env: parsed.NODE_ENV as AppConfig['env'],
    role: parsed.APP_ROLE,
    http: {
      host: parsed.HOST,
      port: parsed.PORT,
      bodyLimitBytes: parsed.BODY_LIMIT_BYTES,
      requestTimeoutMs: parsed.HTTP_REQUEST_TIMEOUT_MS,
      headersTimeoutMs: Math.min(parsed.HTTP_HEADERS_TIMEOUT_MS, parsed.HTTP_REQUEST_TIMEOUT_MS),
      swagger: parsed.SWAGGER_ENABLED,
    },
    log: { level: parsed.LOG_LEVEL },
    database: {
      url: parsed.DATABASE_URL,
      poolSize: parsed.DATABASE_POOL_SIZE,
      createIfMissing: parsed.DATABASE_CREATE_IF_MISSING,
      migrationsRunOnStart: parsed.MIGRATIONS_RUN_ON_START,
      migrationsLockKey: parsed.MIGRATIONS_LOCK_KEY,
      seedCatalogOnStart: parsed.SEED_CATALOG_ON_START,
    },
    redis: { url: parsed.REDIS_URL, prefix: parsed.REDIS_PREFIX },
    auth: {
      // Outside production a missing secret gets a random one per process: tokens then do not
      // survive a restart, which is the safe failure for a dev machine.
      jwtSecret: parsed.JWT_SECRET ?? randomBytes(32).toString('hex'),
      accessTtlSeconds: parsed.JWT_ACCESS_TTL_SECONDS,
      refreshTtlSeconds: parsed.JWT_REFRESH_TTL_SECONDS,
      loginRateLimit: parsed.LOGIN_RATE_LIMIT,
      loginRateWindowSeconds: parsed.LOGIN_RATE_WINDOW_SECONDS,
      bootstrapAdmin:
        parsed.ADMIN_USERNAME && parsed.ADMIN_PASSWORD
          ? { username: parsed.ADMIN_USERNAME, password: parsed.ADMIN_PASSWORD }
          : undefined,
    },
    throttling: {
      requestsPerWindow: parsed.RATE_LIMIT_REQUESTS,
      windowSeconds: parsed.RATE_LIMIT_WINDOW_SECONDS,
      heavyPerCaller: parsed.HEAVY_CONCURRENCY_PER_CALLER,
      heavyTotal: parsed.HEAVY_CONCURRENCY_TOTAL,
      heavyLeaseSeconds: parsed.HEAVY_LEASE_SECONDS,
      heavyRetryAfterSeconds: parsed.HEAVY_RETRY_AFTER_SECONDS,
    },
    metrics: { token: parsed.METRICS_TOKEN },
    storage: { root: parsed.STORAGE_ROOT, uploadMaxBytes: parsed.UPLOAD_MAX_BYTES },
    evidence: { maxDistanceM: parsed.EVIDENCE_MAX_DISTANCE_M },
    recurrence: { windowDays: parsed.RECURRENCE_WINDOW_DAYS },
    plans: { unvisitedDays: parsed.PLAN_UNVISITED_DAYS },
    map: mapConfigOf(parsed),
    acknowledgement: { required: parsed.ACK_REQUIRED, limitHours: parsed.ACK_LIMIT_HOURS },
    configDir: parsed.CONFIG_DIR,
    channels: {
      publicBaseUrl: parsed.PUBLIC_BASE_URL.replace(/\/+$/, ''),
      digestHour: parsed.CHANNEL_DIGEST_HOUR,
      timeoutMs: parsed.CHANNEL_TIMEOUT_MS,
      maxAttempts: parsed.CHANNEL_MAX_ATTEMPTS,
      backoffMs: parsed.CHANNEL_BACKOFF_MS,
      wecomBaseUrl: parsed.CHANNEL_WECOM_BASE_URL.replace(/\/+$/, ''),
      dingtalkBaseUrl: parsed.CHANNEL_DINGTALK_BASE_URL.replace(/\/+$/, ''),
      sms: {
        endpoint: parsed.SMS_TENCENT_ENDPOINT.replace(/\/+$/, ''),
        secretId: parsed.SMS_TENCENT_SECRET_ID,
        secretKey: parsed.SMS_TENCENT_SECRET_KEY,
        region: parsed.SMS_TENCENT_REGION,
        sdkAppId: parsed.SMS_TENCENT_SDK_APP_ID,
        signName: parsed.SMS_SIGN_NAME,
        templateId: parsed.SMS_TEMPLATE_ID,
      },
    },
    jobs: {
      outboxPollMs: parsed.OUTBOX_POLL_MS,
      webhookMaxAttempts: parsed.WEBHOOK_MAX_ATTEMPTS,
      webhookBackoffMs: parsed.WEBHOOK_BACKOFF_MS,
      webhookTimeoutMs: parsed.WEBHOOK_TIMEOUT_MS,
      webhookPerUnitConcurrency: parsed.WEBHOOK_PER_UNIT_CONCURRENCY,
      scheduleCheckMs: parsed.SCHEDULE_CHECK_MS,
      sweepIntervalMs: parsed.JOB_SWEEP_INTERVAL_MS,
      sweepGraceMs: parsed.JOB_SWEEP_GRACE_MS,
      webhookAllowedHosts: splitAllowList(parsed.WEBHOOK_ALLOWED_HOSTS),
      stalledIntervalMs: parsed.JOB_STALLED_INTERVAL_MS,
      deadlineScanCron: parsed.DEADLINE_SCAN_CRON,
      overdueSummaryCron: parsed.OVERDUE_SUMMARY_CRON,
      channelDigestCron: `0 ${parsed.CHANNEL_DIGEST_HOUR} * * *`,
    },
  };
}

/** Injection token of AppConfig. */
export const APP_CONFIG = Symbol('APP_CONFIG');
