import { Module } from '@nestjs/common';
import { AttachmentsModule } from '../attachments/attachments.module.js';
import { CatalogModule } from '../catalog/catalog.module.js';
import { TasksModule } from '../tasks/tasks.module.js';
import { ChecklistWalksService } from './checklist-walks.service.js';
import { ChecklistsController, ChecklistWalksController } from './checklists.controller.js';
import { ChecklistsService } from './checklists.service.js';

/** 点位检查清单 and 按清单检查 (issue 16). */
@Module({
  imports: [CatalogModule, TasksModule, AttachmentsModule],
  controllers: [ChecklistsController, ChecklistWalksController],
  providers: [ChecklistsService, ChecklistWalksService],
})
export class ChecklistsModule {}
