import { TASK_STATUSES, type TaskStatus } from '../tasks/task-lifecycle.js';
import {
  addressOf,
  isOverdue,
  open311Status,
  serviceNotice,
  statusNotes,
  taskStatusesOf,
  toOpen311Request,
  toOpen311Update,
  updateDescription,
  w3cTime,
  type Open311RequestRow,
} from './open311-mapping.js';

const NOW = new Date('2026-11-18T02:00:00Z'); // 10:00 in Beijing
const PAST = new Date('2026-11-17T02:00:00Z');
const FUTURE = new Date('2026-11-20T10:00:00Z');

describe('status mapping', () => {
  it.each<[TaskStatus, 'open' | 'closed', string]>([
    ['pending_dispatch', 'open', '待派遣'],
    ['assigned', 'open', '整改中'],
    ['submitted', 'open', '待复查'],
    ['on_hold', 'open', '挂账'],
    ['closed', 'closed', '已销号'],
    ['cancelled', 'closed', '已撤销'],
  ])('%s is %s, noted %s', (status, open311, note) => {
    expect(open311Status(status)).toBe(open311);
    expect(statusNotes(status, FUTURE, NOW)).toBe(note);
    expect(taskStatusesOf(open311)).toContain(status);
  });

  it('the two Open311 statuses split ours without overlap or gap', () => {
    const all = [...taskStatusesOf('open'), ...taskStatusesOf('closed')].sort();
    expect(all).toEqual([...TASK_STATUSES].sort());
  });

  it('notes 超期 only for a task with its unit past the deadline', () => {
    expect(statusNotes('assigned', PAST, NOW)).toBe('整改中（超期）');
    expect(statusNotes('assigned', NOW, NOW)).toBe('整改中');
    expect(statusNotes('assigned', null, NOW)).toBe('整改中');
    // Waiting for the check or parked: the unit's clock is not running.
    expect(statusNotes('submitted', PAST, NOW)).toBe('待复查');
    expect(statusNotes('on_hold', PAST, NOW)).toBe('挂账');
    expect(isOverdue('closed', PAST, NOW)).toBe(false);
  });
});

describe('w3cTime', () => {
  it.each([
    ['2026-11-18T02:00:00.000Z', '2026-11-18T10:00:00+08:00'],
    ['2026-11-18T16:30:05.999Z', '2026-11-19T00:30:05+08:00'],
    ['2026-12-31T16:00:00.000Z', '2027-01-01T00:00:00+08:00'],
  ])('%s in Beijing is %s (the same instant)', (utc, beijing) => {
    expect(w3cTime(new Date(utc))).toBe(beijing);
    expect(new Date(beijing).getTime()).toBe(Math.floor(Date.parse(utc) / 1000) * 1000);
  });
});

describe('a request', () => {
  const row: Open311RequestRow = {
    id: '6f0c1a8e-3b1f-4c1e-9a5e-2d8f0b6c7a11',
    number: 'ZG-2026-000123',
    status: 'assigned',
    service_code: 'HJ07',
    service_name: '楼道堆物',
    deadline_rule: { kind: 'work_days', days: 3 },
    description: '2单元楼道堆放纸箱',
    unit_name: '东辛房街道',
    created_at: new Date('2026-11-17T01:35:00Z'),
    updated_at: new Date('2026-11-17T01:35:00Z'),
    deadline: FUTURE,
    site_name: '西山社区',
    site_code: 'XS01',
    address: '东辛房西山路1号',
    lat: 39.94,
    lng: 116.1,
    photo_id: 'a1',
  };

  it('has the spec fields in the spec order', () => {
    const r = toOpen311Request(row, NOW, (id) => `https://x/api/v1/attachments/${id}`);
    expect(r).toEqual({
      service_request_id: 'ZG-2026-000123',
      status: 'open',
      status_notes: '整改中',
      service_name: '楼道堆物',
      service_code: 'HJ07',
      description: '2单元楼道堆放纸箱',
      agency_responsible: '东辛房街道',
      service_notice: '派遣责任单位后按「3个工作日」时限整改，逾期督办',
      requested_datetime: '2026-11-17T09:35:00+08:00',
      updated_datetime: '2026-11-17T09:35:00+08:00',
      expected_datetime: '2026-11-20T18:00:00+08:00',
      address: '西山社区 东辛房西山路1号',
      address_id: 'XS01',
      zipcode: null,
      lat: 39.94,
      long: 116.1,
      media_url: 'https://x/api/v1/attachments/a1',
    });
    expect(Object.keys(r)[0]).toBe('service_request_id');
    expect(Object.keys(r).at(-1)).toBe('media_url');
  });

  it('without a unit, deadline or photo leaves those fields null', () => {
    const r = toOpen311Request(
      { ...row, status: 'pending_dispatch', unit_name: null, deadline: null, photo_id: null },
      NOW,
      () => 'never',
    );
    expect(r).toMatchObject({
      status: 'open',
      status_notes: '待派遣',
      agency_responsible: null,
      expected_datetime: null,
      media_url: null,
    });
  });

  it.each([
    [{ site_name: '西山社区', address: '西山社区' }, '西山社区'],
    [{ site_name: null, address: '幸福路1号' }, '幸福路1号'],
    [{ site_name: '西山社区', address: null }, '西山社区'],
    [{ site_name: null, address: '  ' }, null],
  ])('address of %j is %s', (place, expected) => {
    expect(addressOf(place)).toBe(expected);
  });

  it('service_notice names the category 时限', () => {
    expect(serviceNotice({ kind: 'immediate' })).toBe(
      '派遣责任单位后按「立行立改」时限整改，逾期督办',
    );
  });
});

describe('an update', () => {
  it.each([
    [{ action: 'create', to_status: 'assigned', note: null }, '立案，整改中'],
    [
      { action: 'check_pass', to_status: 'closed', note: ' 已整改到位 ' },
      '复查通过，已销号：已整改到位',
    ],
    [{ action: 'check_fail', to_status: 'assigned', note: '' }, '复查不通过，整改中'],
    [{ action: 'mark_duplicate', to_status: 'cancelled', note: null }, '标为重复，已撤销'],
    [{ action: 'some_new_action', to_status: 'on_hold', note: null }, 'some_new_action，挂账'],
  ] as const)('%j is described as %s', (event, text) => {
    expect(updateDescription(event)).toBe(text);
  });

  it('has the fields of mySociety’s request_update', () => {
    const u = toOpen311Update(
      {
        id: '42',
        number: 'ZG-2026-000123',
        action: 'check_pass',
        to_status: 'closed',
        note: null,
        created_at: NOW,
        photo_id: null,
      },
      () => 'never',
    );
    expect(u).toEqual({
      update_id: '42',
      service_request_id: 'ZG-2026-000123',
      status: 'closed',
      updated_datetime: '2026-11-18T10:00:00+08:00',
      description: '复查通过，已销号',
      media_url: null,
    });
  });
});
