import { BullModule, InjectQueue } from '@nestjs/bull';
import { Logger, Module, type DynamicModule, type OnModuleInit } from '@nestjs/common';
import type { Queue } from 'bull';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { MaintenanceProcessor } from './maintenance.processor.js';
import { MAINTENANCE_QUEUE } from './queues.js';

/**
 * bull on the shared Redis. Every process can enqueue; only `worker` and `all` processes
 * register processors and schedules, so API processes never run jobs.
 */
@Module({})
export class JobsModule implements OnModuleInit {
  private readonly logger = new Logger('Jobs');

  constructor(@InjectQueue(MAINTENANCE_QUEUE) private readonly maintenance: Queue) {}

  /**
   * A queue emits 'error' when Redis is unreachable; with no listener Node would throw it and
   * end the process. Redis being down is an expected state (readiness reports it), so log it.
   */
  onModuleInit(): void {
    for (const queue of [this.maintenance]) {
      queue.on('error', (e: Error) => this.logger.warn(`queue ${queue.name}: ${e.message}`));
    }
  }

  static forRoot(config: AppConfig): DynamicModule {
    const runsJobs = config.role !== 'api';
    return {
      module: JobsModule,
      imports: [
        BullModule.forRootAsync({
          inject: [APP_CONFIG],
          useFactory: (c: AppConfig) => ({ url: c.redis.url, prefix: `${c.redis.prefix}:bull` }),
        }),
        BullModule.registerQueue({ name: MAINTENANCE_QUEUE }),
      ],
      providers: runsJobs ? [MaintenanceProcessor] : [],
      exports: [BullModule],
    };
  }
}
