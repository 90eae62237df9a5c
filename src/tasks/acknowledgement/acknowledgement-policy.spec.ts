import type { AppConfig } from '../../config/app-config.js';
import { AcknowledgementPolicy, unitAssignedAt } from './acknowledgement-policy.js';
import { officeUnsignedText, unitUnsignedText } from './unsigned-escalation-text.js';

const policy = (required: boolean, limitHours = 24): AcknowledgementPolicy =>
  new AcknowledgementPolicy({ acknowledgement: { required, limitHours } } as AppConfig);

describe('AcknowledgementPolicy', () => {
  it('reads whether 签收 is required and its limit from the configuration', () => {
    expect(policy(true, 12)).toMatchObject({ required: true, limitHours: 12 });
    expect(policy(false, 48)).toMatchObject({ required: false, limitHours: 48 });
  });

  it.each<[boolean, Date | null, string]>([
    [false, null, 'not_required'],
    [false, new Date('2026-03-01T00:00:00Z'), 'not_required'],
    [true, null, 'awaited'],
    [true, new Date('2026-03-01T00:00:00Z'), 'signed'],
  ])('required %s, signed at %s: %s', (required, acknowledgedAt, state) => {
    expect(policy(required).stateOf(acknowledgedAt)).toBe(state);
  });
});

describe('unitAssignedAt', () => {
  const created = new Date('2026-03-01T00:00:00Z');
  it('is the 派遣 / 改派 time when there is one', () => {
    const assigned = new Date('2026-03-02T00:00:00Z');
    expect(unitAssignedAt({ unit_assigned_at: assigned, created_at: created })).toBe(assigned);
  });
  it('is the creation when the task was given to its unit then', () => {
    expect(unitAssignedAt({ unit_assigned_at: null, created_at: created })).toBe(created);
  });
});

describe('超时未签收 texts', () => {
  it('lists up to five numbers to the unit', () => {
    expect(unitUnsignedText(['ZG-1', 'ZG-2'], 24)).toEqual({
      title: '督办：你单位2个整改任务超时未签收',
      body: 'ZG-1、ZG-2派给你单位已超过24小时仍未签收，请立即签收并组织整改。',
    });
    const five = ['1', '2', '3', '4', '5'];
    expect(unitUnsignedText(five, 8).body).toBe(
      '1、2、3、4、5派给你单位已超过8小时仍未签收，请立即签收并组织整改。',
    );
  });

  it('cuts a longer list after five with 等, and counts all of them', () => {
    expect(unitUnsignedText(['1', '2', '3', '4', '5', '6'], 24)).toEqual({
      title: '督办：你单位6个整改任务超时未签收',
      body: '1、2、3、4、5等派给你单位已超过24小时仍未签收，请立即签收并组织整改。',
    });
  });

  it('totals the units for the office', () => {
    expect(
      officeUnsignedText([
        { unitName: '城管局', n: 2 },
        { unitName: '街道办', n: 3 },
      ]),
    ).toEqual({
      title: '督办：5 个任务超时未签收',
      body: '本次扫描新增超时未签收任务5个：城管局2个、街道办3个。',
    });
  });
});
