import { Foundation1763800000000 } from './1763800000000-Foundation.js';
import { RectificationLoop1763900000000 } from './1763900000000-RectificationLoop.js';
import { JobsAndNotifications1764000000000 } from './1764000000000-JobsAndNotifications.js';
import { Bulletins1764100000000 } from './1764100000000-Bulletins.js';
import { OutboxProcessed1764200000000 } from './1764200000000-OutboxProcessed.js';
import { AssessedDeadline1764210000000 } from './1764210000000-AssessedDeadline.js';
import { NotificationRouting1764250000000 } from './1764250000000-NotificationRouting.js';
import { InspectionVoiding1764260000000 } from './1764260000000-InspectionVoiding.js';
import { SiteCodes1764270000000 } from './1764270000000-SiteCodes.js';
import { PhotoEvidence1764280000000 } from './1764280000000-PhotoEvidence.js';
import { FieldApi1764290000000 } from './1764290000000-FieldApi.js';
import { MapPosition1764300000000 } from './1764300000000-MapPosition.js';
import { Recurrence1764310000000 } from './1764310000000-Recurrence.js';
import { Checklists1764320000000 } from './1764320000000-Checklists.js';
import { InspectionPlans1764330000000 } from './1764330000000-InspectionPlans.js';
import { ImportsAndSources1764350000000 } from './1764350000000-ImportsAndSources.js';
import { Acknowledgement1764360000000 } from './1764360000000-Acknowledgement.js';
import { NotificationChannels1764370000000 } from './1764370000000-NotificationChannels.js';
import { InspectionHouseStyle1764410000000 } from './1764410000000-InspectionHouseStyle.js';
import { InfoReports1764420000000 } from './1764420000000-InfoReports.js';
import { BulletinShaping1764430000000 } from './1764430000000-BulletinShaping.js';
import { CacheChangeNotify1764450000000 } from './1764450000000-CacheChangeNotify.js';
import { TasksAutovacuum1764460000000 } from './1764460000000-TasksAutovacuum.js';

/** Every migration, oldest first. A generated migration is added here to take part. */
export const MIGRATIONS = [
  Foundation1763800000000,
  RectificationLoop1763900000000,
  JobsAndNotifications1764000000000,
  Bulletins1764100000000,
  OutboxProcessed1764200000000,
  AssessedDeadline1764210000000,
  NotificationRouting1764250000000,
  InspectionVoiding1764260000000,
  SiteCodes1764270000000,
  PhotoEvidence1764280000000,
  FieldApi1764290000000,
  MapPosition1764300000000,
  Recurrence1764310000000,
  Checklists1764320000000,
  InspectionPlans1764330000000,
  ImportsAndSources1764350000000,
  Acknowledgement1764360000000,
  NotificationChannels1764370000000,
  InspectionHouseStyle1764410000000,
  InfoReports1764420000000,
  BulletinShaping1764430000000,
  CacheChangeNotify1764450000000,
  TasksAutovacuum1764460000000,
];
