import { Inject, Injectable, Logger } from '@nestjs/common';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { computeDeadline, type DeadlineRule, type WorkingHours } from './deadline.js';
import {
  assessDeadline,
  type DeadlineAssessment,
  type EscalationThresholds,
} from './traffic-light.js';
import { calendarYearView, type CalendarYearView } from './calendar-days.js';
import { loadWorkingCalendar, type WorkingCalendar } from './working-calendar.js';

interface DeadlineSettings {
  workingHours: WorkingHours;
  escalation: EscalationThresholds;
}

/** Deadline arithmetic with the office's calendar, hours and thresholds from `config/`. */
@Injectable()
export class DeadlineService {
  private readonly calendar: WorkingCalendar;
  readonly settings: DeadlineSettings;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.calendar = loadWorkingCalendar(join(config.configDir, 'calendar'));
    const raw = JSON.parse(
      readFileSync(join(config.configDir, 'deadlines.json'), 'utf8'),
    ) as DeadlineSettings;
    this.settings = { workingHours: raw.workingHours, escalation: raw.escalation };
    const provisional = this.calendar.provisionalYears();
    if (provisional.length) {
      new Logger('Deadlines').warn(
        `holiday calendar for ${provisional.join(', ')} is provisional: replace config/calendar with the official notice`,
      );
    }
  }

  deadlineFrom(start: Date, rule: DeadlineRule): Date {
    return computeDeadline(start, rule, this.calendar, this.settings.workingHours);
  }

  /** The year's days as the deadline arithmetic counts them (设置 → 节假日). */
  calendarYear(year: number): CalendarYearView {
    return calendarYearView(this.calendar, year);
  }

  assess(assignedAt: Date, deadline: Date, now: Date): DeadlineAssessment {
    return assessDeadline(assignedAt, deadline, now, this.settings.escalation);
  }
}
