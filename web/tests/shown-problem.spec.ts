import { describe, expect, it } from 'vitest';
import { shownProblem } from '@/api/client';

describe('shownProblem: a 4xx as the screens show it', () => {
  it('puts each field’s rule in Chinese, whatever English the validator wrote', () => {
    const shown = shownProblem(
      {
        status: 400,
        code: 'VALIDATION_FAILED',
        detail: '请求参数有误: code, lat, extra',
        errors: [
          { field: 'code', code: 'matches', message: 'code must be 1-16 of A-Z a-z 0-9 _ -' },
          { field: 'lat', code: 'isLatitude', message: 'lat must be a latitude string or number' },
          { field: 'lat', code: 'isNumber', message: 'lat must be a number' },
          {
            field: 'extra',
            code: 'whitelistValidation',
            message: 'extra is not an accepted field',
          },
        ],
      },
      new Response(null, { status: 400 }),
    );
    expect(shown.fields).toEqual({
      code: '格式不正确',
      lat: '纬度须在 -90 到 90 之间',
      extra: '不是可填写的字段',
    });
    expect(shown.detail).toBe('请求参数有误: code, lat, extra');
  });

  it('keeps a message the server already wrote in Chinese for a rule it does not know', () => {
    const shown = shownProblem({
      status: 400,
      code: 'DEADLINE_IN_PAST',
      detail: '期限已过',
      errors: [{ field: 'deadline', code: 'deadlineInPast', message: '期限必须晚于现在' }],
    });
    expect(shown.fields).toEqual({ deadline: '期限必须晚于现在' });
  });

  it('a 409 reads as someone else having acted first', () => {
    expect(shownProblem({ status: 409, code: 'VERSION_CONFLICT', detail: 'x' }).detail).toBe(
      '已被他人更新',
    );
  });
});
