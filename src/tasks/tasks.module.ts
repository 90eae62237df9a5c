import { Module } from '@nestjs/common';
import { AttachmentsModule } from '../attachments/attachments.module.js';
import { CatalogModule } from '../catalog/catalog.module.js';
import { UnitsModule } from '../units/units.module.js';
import { CalendarController } from './deadline/calendar.controller.js';
import { DeadlineService } from './deadline/deadline.service.js';
import { LedgerService } from './ledger/ledger.service.js';
import { SpotCheckSampler } from './spot-check.sampler.js';
import { TaskActionsController } from './task-actions.controller.js';
import { TaskEventWriter } from './task-event.writer.js';
import { TaskReader } from './task-reader.js';
import { TaskTransitionsService } from './task-transitions.service.js';
import { TaskCountsController } from './task-counts.controller.js';
import { TaskCountsReader } from './task-counts.reader.js';
import { TasksController } from './tasks.controller.js';
import { TasksService } from './tasks.service.js';

@Module({
  imports: [CatalogModule, UnitsModule, AttachmentsModule],
  controllers: [CalendarController, TaskCountsController, TasksController, TaskActionsController],
  providers: [
    DeadlineService,
    TaskReader,
    TaskCountsReader,
    TaskEventWriter,
    TasksService,
    TaskTransitionsService,
    SpotCheckSampler,
    LedgerService,
  ],
  exports: [DeadlineService, TaskReader, TasksService, TaskEventWriter],
})
export class TasksModule {}
