import { Module } from '@nestjs/common';
import { AttachmentsModule } from '../attachments/attachments.module.js';
import { CatalogModule } from '../catalog/catalog.module.js';
import { UnitsModule } from '../units/units.module.js';
import { AcknowledgementPolicy } from './acknowledgement/acknowledgement-policy.js';
import { AcknowledgementActions } from './actions/acknowledgement.js';
import { AssignmentActions } from './actions/assignment.js';
import { ClosureActions } from './actions/closure.js';
import { DisputeActions } from './actions/dispute.js';
import { ExtensionActions } from './actions/extension.js';
import { SettingsActions } from './actions/settings.js';
import { SubmissionActions } from './actions/submission.js';
import { TransitionRunner } from './actions/transition-runner.js';
import { CalendarController } from './deadline/calendar.controller.js';
import { DeadlineService } from './deadline/deadline.service.js';
import { FieldController } from './field/field.controller.js';
import { FieldService } from './field/field.service.js';
import { LedgerService } from './ledger/ledger.service.js';
import { RecurrenceService } from './recurrence/recurrence.service.js';
import { SpotCheckSampler } from './spot-check.sampler.js';
import { TaskActionsController } from './task-actions.controller.js';
import { TaskCountsController } from './task-counts.controller.js';
import { TaskReader } from './task-reader.js';
import { TaskCountsReader } from './task-counts.reader.js';
import { TasksController } from './tasks.controller.js';
import { TasksService } from './tasks.service.js';

@Module({
  imports: [CatalogModule, UnitsModule, AttachmentsModule],
  controllers: [
    CalendarController,
    TaskCountsController,
    TasksController,
    TaskActionsController,
    FieldController,
  ],
  providers: [
    DeadlineService,
    TaskReader,
    TaskCountsReader,
    TasksService,
    TransitionRunner,
    AcknowledgementPolicy,
    AcknowledgementActions,
    AssignmentActions,
    SubmissionActions,
    ExtensionActions,
    DisputeActions,
    ClosureActions,
    SettingsActions,
    SpotCheckSampler,
    LedgerService,
    FieldService,
    RecurrenceService,
  ],
  exports: [DeadlineService, TaskReader, TasksService, AcknowledgementPolicy],
})
export class TasksModule {}
