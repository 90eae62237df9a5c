import { Module, type DynamicModule } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { TasksModule } from '../tasks/tasks.module.js';
import { BulletinsController } from './bulletin/bulletins.controller.js';
import { BulletinsService } from './bulletin/bulletins.service.js';
import { DigestController } from './digest/digest.controller.js';
import { DigestService } from './digest/digest.service.js';
import { DigestScheduler } from './digest.scheduler.js';
import {
  BULLETIN_CONFIG,
  DIGEST_CONFIG,
  loadBulletinConfig,
  loadDigestConfig,
} from './report-config.js';

/**
 * The 工作快报 and the weekly digest. Generation is inline SQL aggregates (a period's
 * inspections and closed tasks are a few grouped rows), so no queue is involved. The digest
 * schedule is registered only in processes that run jobs, as the bull processors are.
 */
@Module({})
export class ReportsModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: ReportsModule,
      imports: [TasksModule],
      controllers: [BulletinsController, DigestController],
      providers: [
        {
          provide: BULLETIN_CONFIG,
          inject: [APP_CONFIG],
          useFactory: (c: AppConfig) => loadBulletinConfig(c.configDir),
        },
        {
          provide: DIGEST_CONFIG,
          inject: [APP_CONFIG],
          useFactory: (c: AppConfig) => loadDigestConfig(c.configDir),
        },
        BulletinsService,
        DigestService,
        ...(config.role === 'api' ? [] : [DigestScheduler]),
      ],
      exports: [BulletinsService, DigestService],
    };
  }
}
