import {
  DEFAULT_ESCALATION_THRESHOLDS,
  type EscalationLevel,
  type EscalationThresholds,
  type Light,
  assessDeadline,
  escalationBoundaries,
} from './traffic-light.js';

const H = 3_600_000;
const assignedAt = new Date('2026-03-09T01:00:00Z'); // 09:00 Beijing
const deadline = new Date(assignedAt.getTime() + 10 * H); // 10 hours allowed
const t = DEFAULT_ESCALATION_THRESHOLDS;

function at(offsetMs: number): Date {
  return new Date(assignedAt.getTime() + offsetMs);
}

describe('assessDeadline with the default thresholds (80 %, 督办 at once, 通报 after 72 h)', () => {
  it('has the documented defaults', () => {
    expect(t).toEqual({ reminderAtFraction: 0.8, superviseAfterHours: 0, notifyAfterHours: 72 });
  });

  it.each<[string, number, Light, EscalationLevel, boolean, number, number]>([
    // label, now − assignedAt, light, escalation, overdue, fractionUsed, overdueHours
    ['before assignment (clock skew)', -H, 'green', 'none', false, 0, 0],
    ['at assignment', 0, 'green', 'none', false, 0, 0],
    ['half-way', 5 * H, 'green', 'none', false, 0.5, 0],
    ['1 ms before 80 %', 8 * H - 1, 'green', 'none', false, (8 * H - 1) / (10 * H), 0],
    ['exactly 80 %', 8 * H, 'yellow', 'reminder', false, 0.8, 0],
    ['90 %', 9 * H, 'yellow', 'reminder', false, 0.9, 0],
    ['exactly at the deadline (100 %)', 10 * H, 'yellow', 'reminder', false, 1, 0],
    [
      '1 ms past the deadline',
      10 * H + 1,
      'red',
      'supervise',
      true,
      (10 * H + 1) / (10 * H),
      1 / H,
    ],
    ['2 h overdue', 12 * H, 'red', 'supervise', true, 1.2, 2],
    ['exactly 72 h overdue', 82 * H, 'red', 'supervise', true, 8.2, 72],
    [
      '72 h and 1 ms overdue',
      82 * H + 1,
      'red',
      'notify',
      true,
      (82 * H + 1) / (10 * H),
      72 + 1 / H,
    ],
    ['a week overdue', 178 * H, 'red', 'notify', true, 17.8, 168],
  ])('%s', (_label, offset, light, escalation, overdue, fractionUsed, overdueHours) => {
    const a = assessDeadline(assignedAt, deadline, at(offset), t);
    expect(a.light).toBe(light);
    expect(a.escalation).toBe(escalation);
    expect(a.overdue).toBe(overdue);
    expect(a.fractionUsed).toBeCloseTo(fractionUsed, 12);
    expect(a.overdueHours).toBeCloseTo(overdueHours, 12);
  });
});

describe('assessDeadline with other thresholds', () => {
  const custom: EscalationThresholds = {
    reminderAtFraction: 0.5,
    superviseAfterHours: 4,
    notifyAfterHours: 24,
  };

  it.each<[string, number, Light, EscalationLevel]>([
    ['just under half', 5 * H - 1, 'green', 'none'],
    ['half', 5 * H, 'yellow', 'reminder'],
    // Red from the deadline, but 督办 waits for the grace period: the reminder stands.
    ['overdue 1 h', 11 * H, 'red', 'reminder'],
    ['overdue exactly 4 h', 14 * H, 'red', 'reminder'],
    ['overdue 4 h and 1 ms', 14 * H + 1, 'red', 'supervise'],
    ['overdue exactly 24 h', 34 * H, 'red', 'supervise'],
    ['overdue 24 h and 1 ms', 34 * H + 1, 'red', 'notify'],
  ])('%s', (_label, offset, light, escalation) => {
    const a = assessDeadline(assignedAt, deadline, at(offset), custom);
    expect([a.light, a.escalation]).toEqual([light, escalation]);
  });

  it('a fraction of 1 means yellow only at the deadline itself', () => {
    const late: EscalationThresholds = { ...t, reminderAtFraction: 1 };
    expect(assessDeadline(assignedAt, deadline, at(10 * H - 1), late).light).toBe('green');
    expect(assessDeadline(assignedAt, deadline, at(10 * H), late).light).toBe('yellow');
  });

  it('notify equal to supervise skips straight from reminder to 通报', () => {
    const same: EscalationThresholds = { ...t, superviseAfterHours: 0, notifyAfterHours: 0 };
    expect(assessDeadline(assignedAt, deadline, at(10 * H + 1), same).escalation).toBe('notify');
  });
});

describe('escalationBoundaries', () => {
  it('puts each level at its instant', () => {
    const b = escalationBoundaries(assignedAt, deadline, t);
    expect(b.reminderAt.toISOString()).toBe(at(8 * H).toISOString());
    expect(b.superviseAt.toISOString()).toBe(deadline.toISOString());
    expect(b.notifyAt.toISOString()).toBe(new Date(deadline.getTime() + 72 * H).toISOString());
  });

  it.each([
    // allowed ms, expected reminder offset: float noise is not rounded up, real fractions are.
    [15, 12], // 0.8 × 15 = 12.000000000000002
    [10, 8],
    [3, 3], // 2.4 → 3: at 2 ms only 67 % is used
    [1, 1],
    [0, 0],
  ])('with %i ms allowed, the reminder comes after %i ms', (allowed, offset) => {
    const start = new Date(0);
    const b = escalationBoundaries(start, new Date(allowed), t);
    expect(b.reminderAt.getTime()).toBe(offset);
    if (allowed > 0) {
      expect(assessDeadline(start, new Date(allowed), new Date(offset), t).light).toBe('yellow');
      if (offset > 0) {
        expect(assessDeadline(start, new Date(allowed), new Date(offset - 1), t).light).toBe(
          'green',
        );
      }
    }
  });

  it('keeps the levels ordered when the deadline is before the assignment', () => {
    const b = escalationBoundaries(assignedAt, at(-2 * H), t);
    expect(b.reminderAt.getTime()).toBeLessThanOrEqual(b.superviseAt.getTime());
    expect(b.superviseAt.getTime()).toBeLessThanOrEqual(b.notifyAt.getTime());
    const a = assessDeadline(assignedAt, at(-2 * H), at(H), t);
    expect(a).toEqual({
      light: 'red',
      overdue: true,
      fractionUsed: 1,
      escalation: 'supervise',
      overdueHours: 3,
    });
  });

  it('agrees with assessDeadline at every minute around each boundary', () => {
    const custom: EscalationThresholds = {
      reminderAtFraction: 0.75,
      superviseAfterHours: 2,
      notifyAfterHours: 48,
    };
    const windows: Array<[Date, Date]> = [
      [assignedAt, deadline],
      [new Date('2026-09-30T07:00:00Z'), new Date('2026-10-10T09:30:00Z')],
      [new Date('2026-03-09T15:00:00Z'), new Date('2026-03-09T15:07:00Z')],
    ];
    const problems: string[] = [];
    for (const [from, to] of windows) {
      const b = escalationBoundaries(from, to, custom);
      for (const edge of [b.reminderAt, to, b.superviseAt, b.notifyAt]) {
        for (let d = -3; d <= 3; d += 1) {
          for (const ms of [d * 60_000, d]) {
            const now = new Date(edge.getTime() + ms);
            const x = now.getTime();
            const expected: EscalationLevel =
              x > b.notifyAt.getTime()
                ? 'notify'
                : x > b.superviseAt.getTime()
                  ? 'supervise'
                  : x >= b.reminderAt.getTime()
                    ? 'reminder'
                    : 'none';
            const a = assessDeadline(from, to, now, custom);
            const expectedLight: Light =
              x > to.getTime() ? 'red' : a.fractionUsed >= 0.75 ? 'yellow' : 'green';
            if (a.escalation !== expected || a.light !== expectedLight) {
              problems.push(`${now.toISOString()}: ${a.escalation}/${a.light}`);
            }
          }
        }
      }
    }
    expect(problems).toEqual([]);
  });
});

describe('bad input', () => {
  it.each<[string, Partial<EscalationThresholds>, RegExp]>([
    ['fraction 0', { reminderAtFraction: 0 }, /reminderAtFraction/],
    ['fraction above 1', { reminderAtFraction: 1.2 }, /reminderAtFraction/],
    ['fraction NaN', { reminderAtFraction: Number.NaN }, /reminderAtFraction/],
    ['negative supervise', { superviseAfterHours: -1 }, /superviseAfterHours/],
    ['infinite supervise', { superviseAfterHours: Infinity }, /superviseAfterHours/],
    [
      'notify before supervise',
      { superviseAfterHours: 10, notifyAfterHours: 5 },
      /notifyAfterHours/,
    ],
    ['notify NaN', { notifyAfterHours: Number.NaN }, /notifyAfterHours/],
  ])('rejects thresholds: %s', (_label, patch, message) => {
    const bad = { ...t, ...patch };
    expect(() => assessDeadline(assignedAt, deadline, at(H), bad)).toThrow(message);
    expect(() => escalationBoundaries(assignedAt, deadline, bad)).toThrow(message);
  });

  it.each([
    ['assignedAt', () => assessDeadline(new Date('x'), deadline, at(H), t)],
    ['deadline', () => assessDeadline(assignedAt, new Date('x'), at(H), t)],
    ['now', () => assessDeadline(assignedAt, deadline, new Date('x'), t)],
  ])('rejects an invalid %s', (name, call) => {
    expect(call).toThrow(new RegExp(`${name} is not a valid date`));
  });
});

describe('rounding of the reminder instant and windows of no length', () => {
  it('reads 0.07 × 100 ms as 7 ms, not 8 (float noise), and rounds a real fraction up', () => {
    const from = new Date(0);
    // 0.07 × 100 is 7.000000000000001 in floating point.
    const seven = { ...t, reminderAtFraction: 0.07 };
    expect(escalationBoundaries(from, new Date(100), seven).reminderAt.getTime()).toBe(7);
    // 0.8 × 11 ms = 8.8 ms: the reminder is due from 9 ms on.
    expect(escalationBoundaries(from, new Date(11), t).reminderAt.getTime()).toBe(9);
  });

  it('counts a window of no length as unused before its end, not as NaN', () => {
    const a = assessDeadline(assignedAt, assignedAt, new Date(assignedAt.getTime() - H), t);
    expect(a.fractionUsed).toBe(0);
    expect(a.overdue).toBe(false);
  });
});
