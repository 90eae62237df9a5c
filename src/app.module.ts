import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { ScheduleModule } from '@nestjs/schedule';
import { LoggerModule } from 'nestjs-pino';
import type { Logger as Pino } from 'pino';
import { AttachmentsModule } from './attachments/attachments.module.js';
import { AuthModule } from './auth/auth.module.js';
import { CatalogModule } from './catalog/catalog.module.js';
import { ChecklistsModule } from './checklists/checklists.module.js';
import { Clock } from './common/clock.js';
import { createPino, loggerParams } from './common/logger.js';
import { ProblemFilter } from './common/errors/problem.filter.js';
import type { AppConfig } from './config/app-config.js';
import { AppConfigModule } from './config/config.module.js';
import { runsSchedules } from './config/env.schema.js';
import { DatabaseModule } from './database/database.module.js';
import { HealthModule } from './health/health.module.js';
import { InspectionsModule } from './inspections/inspections.module.js';
import { PlansModule } from './plans/plans.module.js';
import { JobsModule } from './jobs/jobs.module.js';
import { MapModule } from './map/map.module.js';
import { MetricsModule } from './metrics/metrics.module.js';
import { ImportsModule } from './imports/imports.module.js';
import { RedisModule } from './redis/redis.module.js';
import { ReportsModule } from './reports/reports.module.js';
import { TasksModule } from './tasks/tasks.module.js';
import { Open311Module } from './open311/open311.module.js';
import { ThrottlingModule } from './throttling/throttling.module.js';
import { UnitsModule } from './units/units.module.js';
import { UsersModule } from './users/users.module.js';

@Module({})
class ClockModule {}

@Module({})
export class AppModule {
  static forRoot(config: AppConfig, log: Pino = createPino(config.log.level)): DynamicModule {
    return {
      module: AppModule,
      global: false,
      imports: [
        AppConfigModule.forRoot(config),
        LoggerModule.forRoot(loggerParams(log)),
        { module: ClockModule, global: true, providers: [Clock], exports: [Clock] },
        DatabaseModule,
        RedisModule,
        JobsModule.forRoot(config),
        // @nestjs/schedule, the scheduler of the schedules, in the processes that fire them
        // (worker, all); API processes have no SchedulerRegistry and fire nothing.
        ...(runsSchedules(config.role) ? [ScheduleModule.forRoot()] : []),
        HealthModule,
        MetricsModule,
        AuthModule,
        // After AuthModule: its rate-limit guard counts the authenticated caller.
        ThrottlingModule,
        UnitsModule,
        UsersModule,
        CatalogModule,
        TasksModule,
        Open311Module,
        ImportsModule,
        InspectionsModule,
        PlansModule,
        AttachmentsModule,
        ReportsModule.forRoot(config),
        // Last: their routes come last in the OpenAPI document.
        ChecklistsModule,
        MapModule,
      ],
      providers: [{ provide: APP_FILTER, useClass: ProblemFilter }],
    };
  }
}
