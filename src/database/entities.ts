import { Attachment } from '../attachments/attachment.entity.js';
import { ApiKey } from '../auth/api-key.entity.js';
import { RefreshToken } from '../auth/refresh-token.entity.js';
import { Category } from '../catalog/category.entity.js';
import { Site } from '../catalog/site.entity.js';
import { ImportBatch } from '../imports/import-batch.entity.js';
import { Inspection } from '../inspections/inspection.entity.js';
import { InspectionPlan } from '../plans/inspection-plan.entity.js';
import { BulletinIssue } from '../reports/bulletin/bulletin.entity.js';
import { BulletinEvent, BulletinSettings } from '../reports/bulletin/bulletin-settings.entity.js';
import { WeeklyDigest } from '../reports/digest/weekly-digest.entity.js';
import { TaskEvent } from '../tasks/task-event.entity.js';
import { RectificationTask } from '../tasks/task.entity.js';
import { Unit } from '../units/unit.entity.js';
import { User } from '../users/user.entity.js';

/** Every entity, listed once for the app and the migration CLI alike. */
export const ENTITIES = [
  Unit,
  User,
  ApiKey,
  RefreshToken,
  Category,
  Site,
  Inspection,
  ImportBatch,
  RectificationTask,
  TaskEvent,
  Attachment,
  BulletinIssue,
  WeeklyDigest,
  InspectionPlan,
  BulletinSettings,
  BulletinEvent,
];
