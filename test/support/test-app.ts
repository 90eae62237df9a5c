import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent.js';
import { DataSource } from 'typeorm';
import { createApp } from '../../src/app.factory.js';
import { hashPassword } from '../../src/auth/passwords.js';
import type { Role } from '../../src/common/auth/principal.js';
import { loadConfig, type AppConfig } from '../../src/config/app-config.js';
import { quoteIdent } from '../../src/database/database-url.js';
import { Unit } from '../../src/units/unit.entity.js';
import { User } from '../../src/users/user.entity.js';
import {
  TEST_REDIS_URL,
  ensureTemplateDatabase,
  runId,
  urlOfDatabase,
  withAdminClient,
} from './test-db.js';

export interface TestApp {
  app: NestFastifyApplication;
  config: AppConfig;
  ds: DataSource;
  http: () => TestAgent;
  /** Creates a user straight in the database and signs it in; returns its bearer token. */
  signIn: (
    role: Role,
    opts?: { unitId?: string; username?: string },
  ) => Promise<{ token: string; user: User }>;
  createUnit: (name?: string) => Promise<Unit>;
  close: () => Promise<void>;
}

export const TEST_PASSWORD = 'test-password-123';

/** A fresh database cloned from the run's migrated template. */
export async function cloneTestDatabase(): Promise<string> {
  const template = await ensureTemplateDatabase();
  const name = `cc_t_${runId()}_${randomBytes(4).toString('hex')}`;
  await withAdminClient((c) =>
    c.query(`CREATE DATABASE ${quoteIdent(name)} TEMPLATE ${quoteIdent(template)}`),
  );
  return name;
}

/** Environment for a test app: its own database and Redis prefix, so files never collide. */
export async function testEnv(
  overrides: Record<string, string> = {},
): Promise<Record<string, string>> {
  const db = await cloneTestDatabase();
  return {
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATABASE_URL: urlOfDatabase(db),
    DATABASE_CREATE_IF_MISSING: 'false',
    MIGRATIONS_RUN_ON_START: 'false',
    REDIS_URL: TEST_REDIS_URL,
    REDIS_PREFIX: `cct:${runId()}:${db.slice(-8)}`,
    JWT_SECRET: 'test-secret-test-secret-test-secret-0123',
    STORAGE_ROOT: mkdtempSync(join(tmpdir(), 'cc-storage-')),
    // The fuzz and race tests send thousands of requests as one caller; throttling.e2e sets its own.
    RATE_LIMIT_REQUESTS: '1000000',
    HEAVY_CONCURRENCY_PER_CALLER: '50',
    HEAVY_CONCURRENCY_TOTAL: '50',
    ...overrides,
  };
}

export async function createTestApp(overrides: Record<string, string> = {}): Promise<TestApp> {
  return startTestApp(await testEnv(overrides));
}

/**
 * A test app on a given environment (from `testEnv`): two of them on the same environment are
 * two processes of one deployment, sharing the database and the Redis prefix.
 */
export async function startTestApp(env: Record<string, string>): Promise<TestApp> {
  const config = loadConfig(env);
  const app = await createApp(config, pino({ level: 'silent' }));
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  const ds = app.get(DataSource);
  let seq = 0;
  const createUnit = async (name?: string): Promise<Unit> => {
    seq += 1;
    return ds.getRepository(Unit).save({
      code: `U${seq}${randomBytes(2).toString('hex')}`,
      name: name ?? `测试街道${seq}`,
      kind: 'street',
    });
  };
  const passwordHash = await hashPassword(TEST_PASSWORD);
  const http = (): TestAgent => request(app.getHttpServer());
  return {
    app,
    config,
    ds,
    http,
    createUnit,
    signIn: async (role, opts = {}) => {
      seq += 1;
      const unitId = role === 'unit' ? (opts.unitId ?? (await createUnit()).id) : null;
      const user = await ds.getRepository(User).save({
        username: opts.username ?? `${role}${seq}-${randomBytes(3).toString('hex')}`,
        displayName: `${role} ${seq}`,
        role,
        unitId,
        passwordHash,
      });
      const res = await http()
        .post('/api/v1/auth/login')
        .send({ username: user.username, password: TEST_PASSWORD });
      if (res.status !== 200)
        throw new Error(`login failed: ${res.status} ${JSON.stringify(res.body)}`);
      return { token: res.body.accessToken as string, user };
    },
    close: () => app.close(),
  };
}
