import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { OutboxTopic, writeOutbox } from '../jobs/outbox.js';
import { DeadlineService } from '../tasks/deadline/deadline.service.js';

const LEVELS = ['reminder', 'supervise', 'notify'] as const;

/**
 * The deadline scan: records each escalation level a task reaches (提醒 at 80 % of the allowed
 * time, 督办 when overdue, 通报 when long overdue) once per task, level and deadline, and puts
 * the highest new level of each task in the outbox. Inserting under a unique key makes the scan
 * safe to run twice or on two workers at once: the second finds nothing new.
 */
@Injectable()
export class EscalationService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly deadlines: DeadlineService,
  ) {}

  async scan(now: Date): Promise<number> {
    const t = this.deadlines.settings.escalation;
    return this.ds.transaction(async (em) => {
      const reached = (await em.query(
        `INSERT INTO task_escalations (task_id, level, deadline)
         SELECT t.id, l.level, t.deadline
           FROM tasks t
           CROSS JOIN LATERAL (VALUES
             ('reminder', t.assigned_at + (t.deadline - t.assigned_at) * $2 <= $1),
             ('supervise', t.deadline + make_interval(secs => $3) < $1),
             ('notify', t.deadline + make_interval(secs => $4) < $1)) AS l(level, due)
          WHERE t.status = 'assigned' AND l.due
            AND t.assigned_at + (t.deadline - t.assigned_at) * $2 <= $1
            AND NOT EXISTS (SELECT 1 FROM task_escalations e WHERE e.task_id = t.id AND e.level = l.level AND e.deadline = t.deadline)
         ON CONFLICT DO NOTHING
         RETURNING task_id, level, deadline`,
        [now, t.reminderAtFraction, t.superviseAfterHours * 3600, t.notifyAfterHours * 3600],
      )) as { task_id: string; level: (typeof LEVELS)[number]; deadline: Date }[];
      const highest = new Map<string, { level: (typeof LEVELS)[number]; deadline: Date }>();
      for (const r of reached) {
        const seen = highest.get(r.task_id);
        if (!seen || LEVELS.indexOf(r.level) > LEVELS.indexOf(seen.level))
          highest.set(r.task_id, r);
      }
      for (const [taskId, r] of highest) {
        await writeOutbox(em, OutboxTopic.ESCALATION, {
          taskId,
          level: r.level,
          deadline: r.deadline.toISOString(),
        });
      }
      return highest.size;
    });
  }
}
