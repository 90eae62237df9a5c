import { ledgerOverdue, type OverdueFacts } from './ledger-overdue.js';

/** Beijing wall-clock time → instant. */
const bj = (local: string): Date => new Date(`${local}:00+08:00`);

const deadline = bj('2026-11-20 11:40');
const now = bj('2026-11-23 09:00');

const facts = (f: Partial<OverdueFacts>): OverdueFacts => ({
  status: 'assigned',
  deadline,
  submittedAt: null,
  closedAt: null,
  closedOnTime: null,
  now,
  ...f,
});

describe('ledgerOverdue (是否超期, the digest’s 按期 definition)', () => {
  it.each<[string, Partial<OverdueFacts>, boolean, number]>([
    // The field report: deadline 11:40, submitted 11:42, passed its check later — late.
    [
      'closed: submitted 2 minutes late, checked later',
      {
        status: 'closed',
        submittedAt: bj('2026-11-20 11:42'),
        closedAt: bj('2026-11-20 15:00'),
        closedOnTime: false,
      },
      true,
      2 / 60,
    ],
    [
      'closed: submitted on time, checked after the deadline — on time',
      {
        status: 'closed',
        submittedAt: bj('2026-11-20 11:40'),
        closedAt: bj('2026-11-21 09:00'),
        closedOnTime: true,
      },
      false,
      0,
    ],
    [
      'closed on submission (self_close), late',
      {
        status: 'closed',
        submittedAt: bj('2026-11-20 13:40'),
        closedAt: bj('2026-11-20 13:40'),
        closedOnTime: false,
      },
      true,
      2,
    ],
    [
      'closed late without a submission row: counted to the closure',
      { status: 'closed', closedAt: bj('2026-11-20 14:40'), closedOnTime: false },
      true,
      3,
    ],
    [
      'closed without a deadline',
      { status: 'closed', deadline: null, closedAt: bj('2026-11-20 14:40'), closedOnTime: null },
      false,
      0,
    ],
    ['open past its deadline now', { status: 'assigned' }, true, 69 + 20 / 60],
    [
      'open, deadline not yet reached',
      { status: 'assigned', now: bj('2026-11-20 11:00') },
      false,
      0,
    ],
    ['open at the deadline itself: still on time', { status: 'assigned', now: deadline }, false, 0],
    [
      'submitted late, waiting for its check',
      { status: 'submitted', submittedAt: bj('2026-11-20 12:10') },
      true,
      0.5,
    ],
    [
      'submitted on time, check pending past the deadline',
      { status: 'submitted', submittedAt: bj('2026-11-20 10:00') },
      false,
      0,
    ],
    [
      'closed late with neither a submission nor a closure time: late by nothing',
      { status: 'closed', closedOnTime: false },
      true,
      0,
    ],
    [
      'closed, on-time flag unknown (null): not overdue though past the deadline',
      { status: 'closed', closedAt: bj('2026-11-21 09:00'), closedOnTime: null },
      false,
      0,
    ],
    [
      'submitted at the deadline itself: on time',
      { status: 'submitted', submittedAt: deadline },
      false,
      0,
    ],
    [
      'submitted without a deadline',
      { status: 'submitted', deadline: null, submittedAt: bj('2026-11-20 12:10') },
      false,
      0,
    ],
    ['submitted without a submission row', { status: 'submitted' }, false, 0],
    ['open without a deadline', { status: 'assigned', deadline: null }, false, 0],
    ['on hold (挂账), past the old deadline', { status: 'on_hold' }, false, 0],
    ['pending dispatch', { status: 'pending_dispatch', deadline: null }, false, 0],
    ['cancelled', { status: 'cancelled' }, false, 0],
  ])('%s', (_case, f, overdue, hours) => {
    const verdict = ledgerOverdue(facts(f));
    expect(verdict.overdue).toBe(overdue);
    expect(verdict.overdueHours).toBeCloseTo(hours, 6);
  });
});
