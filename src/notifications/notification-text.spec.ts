import { NOTIFICATION_ROUTES, routeOf } from './notification-routing.js';
import {
  notificationText,
  officeEscalationText,
  shanghaiDay,
  shanghaiDeadline,
  unitEscalationText,
  type TaskFacts,
} from './notification-text.js';

const task: TaskFacts = {
  number: 'ZG-2026-000123',
  categoryName: '楼道堆物',
  description: '楼道堆放杂物',
  place: '西山社区',
  deadline: new Date('2026-12-04T09:30:00Z'),
  unitName: '东辛房街道',
};

describe('dates in Asia/Shanghai', () => {
  it.each([
    ['2026-12-09T16:00:00Z', '2026年12月10日', '2026年12月10日'],
    ['2026-12-10T15:59:00Z', '2026年12月10日', '2026年12月10日'],
    ['2026-12-10T09:30:00Z', '2026年12月10日', '2026年12月10日17:30'],
    ['2026-12-31T16:30:00Z', '2027年1月1日', '2027年1月1日00:30'],
  ])('%s → %s / %s', (iso, day, deadline) => {
    expect(shanghaiDay(new Date(iso))).toBe(day);
    expect(shanghaiDeadline(new Date(iso))).toBe(deadline);
  });
});

describe('task notification text', () => {
  it.each([
    [
      'extension_requested',
      { note: '需协调产权单位', requestedDeadline: new Date('2026-12-10T15:59:00Z') },
      'ZG-2026-000123 申请延期至 2026年12月10日',
      '东辛房街道申请延期。楼道堆物：楼道堆放杂物（西山社区），整改时限2026年12月4日17:30。说明：需协调产权单位。',
    ],
    [
      'extension_approved',
      { note: null, deadline: new Date('2026-12-10T15:59:00Z') },
      'ZG-2026-000123 延期申请已批准',
      '新的整改时限2026年12月10日。',
    ],
    [
      'deadline_changed',
      { note: '集中整治', deadline: new Date('2026-12-08T10:00:00Z') },
      'ZG-2026-000123 整改时限调整为 2026年12月8日18:00',
      '楼道堆物：楼道堆放杂物（西山社区），整改时限2026年12月8日18:00。说明：集中整治。',
    ],
    [
      'reassigned_away',
      { note: null, unitToName: '城子街道' },
      'ZG-2026-000123 已改派至城子街道',
      '楼道堆物：楼道堆放杂物（西山社区）。该任务已不再由你单位整改。',
    ],
    [
      'held',
      { note: '涉及工程', holdReviewOn: '2027-03-01' },
      'ZG-2026-000123 已挂账',
      '楼道堆物：楼道堆放杂物（西山社区）。暂停整改计时，2027年3月1日复核。说明：涉及工程。',
    ],
    [
      'awaiting_check',
      { note: '已清理' },
      'ZG-2026-000123 已整改反馈，待复查',
      '东辛房街道已反馈整改情况。楼道堆物：楼道堆放杂物（西山社区）。说明：已清理。',
    ],
  ] as const)('%s', (kind, facts, title, body) => {
    expect(notificationText(kind, task, facts)).toEqual({ title, body });
  });
});

describe('escalation text', () => {
  const at = (n: number, level: 'reminder' | 'supervise' | 'notify') => ({
    number: `ZG-2026-${String(n).padStart(6, '0')}`,
    level,
    deadline: new Date('2026-12-04T09:30:00Z'),
  });

  it('a unit: highest level first, every task listed', () => {
    expect(unitEscalationText([at(1, 'reminder'), at(2, 'supervise'), at(3, 'supervise')])).toEqual(
      {
        title: '督办：你单位3个整改任务（督办2个，提醒1个）',
        body:
          '督办：ZG-2026-000002、ZG-2026-000003已超期，请立即整改并反馈。' +
          '提醒：ZG-2026-000001即将到期，请抓紧整改。',
      },
    );
  });

  it('a unit with many tasks: the first 20 named, the count given', () => {
    const text = unitEscalationText(Array.from({ length: 25 }, (_, i) => at(i + 1, 'notify')));
    expect(text.title).toBe('通报：你单位25个整改任务（通报25个）');
    expect(text.body).toMatch(/ZG-2026-000020等25个任务长期超期未整改，将予以通报。$/);
    expect(text.body).not.toContain('ZG-2026-000021');
  });

  it('the office: one line per level', () => {
    expect(
      officeEscalationText('supervise', [
        { unitName: '东辛房街道', n: 30 },
        { unitName: '城子街道', n: 2 },
      ]),
    ).toEqual({
      title: '督办：32 个任务已超期',
      body: '本次扫描新超期32个任务：东辛房街道30个、城子街道2个。',
    });
  });
});

describe('routing table', () => {
  it('says for every action who hears of it; the office only of work it must take up', () => {
    const office = Object.keys(NOTIFICATION_ROUTES).filter(
      (action) => routeOf(action, { toStatus: 'assigned' }).office,
    );
    expect(office.sort()).toEqual(['dispute', 'request_extension']);
    expect(routeOf('submit', { toStatus: 'submitted' })).toEqual({ inspector: 'awaiting_check' });
    expect(routeOf('submit', { toStatus: 'closed' })).toEqual({});
    expect(routeOf('create', { toStatus: 'pending_dispatch' })).toEqual({});
    expect(routeOf('set_verification_policy', { toStatus: 'assigned' })).toEqual({});
  });
});
