import { Module } from '@nestjs/common';
import { CatalogModule } from '../catalog/catalog.module.js';
import { TasksModule } from '../tasks/tasks.module.js';
import { ImportsController } from './imports.controller.js';
import { ImportsService } from './imports.service.js';
import { BatchTaskWriter } from './batch/batch-task-writer.js';

/** 导入问题清单 (.xlsx) into tasks with their 来源. */
@Module({
  imports: [CatalogModule, TasksModule],
  controllers: [ImportsController],
  providers: [ImportsService, BatchTaskWriter],
})
export class ImportsModule {}
