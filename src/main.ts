import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { createApp } from './app.factory.js';
import { AppModule } from './app.module.js';
import { Logger as PinoNestLogger } from 'nestjs-pino';
import { createPino, standaloneLogger } from './common/logger.js';
import { ConfigError, loadConfig, type AppConfig } from './config/app-config.js';
import { prepareDatabase } from './database/prepare-database.js';

function configOrExit(): AppConfig {
  try {
    return loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      for (const problem of e.problems) console.error(`config error: ${problem}`);
      process.exit(1);
    }
    throw e;
  }
}

async function bootstrap(): Promise<void> {
  const config = configOrExit();
  const log = createPino(config.log.level);
  const logger = new Logger('Bootstrap');
  // bull rejects promises nobody awaits while Redis is unreachable (a worker starting during an
  // outage); such a process must keep running and resume when Redis is back, not exit.
  process.on('unhandledRejection', (reason) => {
    log.error({ err: reason }, 'unhandled rejection');
  });
  Logger.overrideLogger(standaloneLogger(log));
  await prepareDatabase(config, logger);
  if (config.role === 'worker') {
    // Workers run jobs and schedules only: no HTTP server.
    const ctx = await NestFactory.createApplicationContext(AppModule.forRoot(config, log), {
      bufferLogs: true,
    });
    ctx.useLogger(ctx.get(PinoNestLogger));
    ctx.enableShutdownHooks();
    logger.log('worker started');
    return;
  }
  const app = await createApp(config, log);
  await app.listen({ port: config.http.port, host: config.http.host });
  logger.log(
    `listening on http://${config.http.host}:${config.http.port} (docs at /docs, health at /health)`,
  );
}

bootstrap().catch((e: unknown) => {
  console.error('failed to start:', e instanceof Error ? (e.stack ?? e.message) : e);
  process.exit(1);
});
