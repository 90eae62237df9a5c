import { DomainError } from '../common/errors/domain-error.js';
import {
  checklistToTasks,
  failureDescription,
  type WalkAnswer,
  type WalkItem,
} from './checklist-to-tasks.js';

const SITE = 'site-1';
const items: WalkItem[] = [
  { id: 'i1', position: 1, text: '划行归市、摊位整齐', categoryId: 'c-zx04', active: true },
  { id: 'i2', position: 2, text: '地面无积水、无垃圾', categoryId: 'c-hj11', active: true },
  { id: 'i3', position: 3, text: '公益广告张贴规范', categoryId: 'c-xc01', active: true },
  { id: 'i4', position: 4, text: '已停用的旧项', categoryId: 'c-hj01', active: false },
];
const pass = (itemId: string): WalkAnswer => ({ itemId, result: 'pass' });
const na = (itemId: string): WalkAnswer => ({ itemId, result: 'na' });
const fail = (itemId: string, extra: Partial<WalkAnswer> = {}): WalkAnswer => ({
  itemId,
  result: 'fail',
  attachmentIds: [`photo-${itemId}`],
  ...extra,
});

/** The field problem a call throws, as `field rule`. */
function problemOf(answers: WalkAnswer[]): string {
  try {
    checklistToTasks(items, answers, SITE);
  } catch (e) {
    if (!(e instanceof DomainError)) throw e;
    expect(e.kind).toBe('invalid');
    expect(e.code).toBe('VALIDATION_FAILED');
    const [p] = e.details?.errors ?? [];
    return `${p.field} ${p.code}`;
  }
  return 'no problem';
}

describe('checklistToTasks: which answers raise which tasks', () => {
  it.each<[string, WalkAnswer[], string[]]>([
    ['all pass: no task', [pass('i1'), pass('i2'), pass('i3')], []],
    ['all not applicable: no task', [na('i1'), na('i2'), na('i3')], []],
    ['one fail among pass and na', [pass('i1'), fail('i2'), na('i3')], ['i2']],
    ['every fail, in checklist order', [fail('i3'), fail('i1'), fail('i2')], ['i1', 'i2', 'i3']],
    ['item ids in another case', [pass('I1'), fail('I2'), pass('i3')], ['i2']],
  ])('%s', (_name, answers, raised) => {
    const { rows, tasks } = checklistToTasks(items, answers, SITE);
    expect(rows.map((r) => r.item.id)).toEqual(['i1', 'i2', 'i3']);
    expect(tasks.map((t) => t.itemId)).toEqual(raised);
  });

  it('a task carries the item category, the site, the text with the note, the photos and the index', () => {
    const answers = [
      pass('i1'),
      na('i3'),
      fail('i2', {
        note: '  东侧水产区积水  ',
        attachmentIds: ['p1', 'p2'],
        lat: 39.9,
        lng: 116.1,
      }),
    ];
    const { tasks } = checklistToTasks(items, answers, SITE, '2026-11-30T09:00:00+08:00');
    expect(tasks).toEqual([
      {
        index: 2,
        itemId: 'i2',
        categoryId: 'c-hj11',
        siteId: SITE,
        description: '清单检查未达标：地面无积水、无垃圾。东侧水产区积水',
        beforePhotoIds: ['p1', 'p2'],
        lat: 39.9,
        lng: 116.1,
        foundAt: '2026-11-30T09:00:00+08:00',
      },
    ]);
  });

  it('without a note or a position the task says only what the item asks', () => {
    const { tasks } = checklistToTasks(items, [fail('i1'), pass('i2'), pass('i3')], SITE);
    expect(tasks[0].description).toBe('清单检查未达标：划行归市、摊位整齐');
    expect(tasks[0]).not.toHaveProperty('lat');
    expect(tasks[0]).not.toHaveProperty('foundAt');
  });
});

describe('checklistToTasks: refused walks', () => {
  it.each<[string, WalkAnswer[], string]>([
    [
      'an item of another checklist',
      [pass('i1'), pass('i2'), pass('i3'), pass('x9')],
      'results.3.itemId itemInChecklist',
    ],
    [
      'an inactive item',
      [pass('i4'), pass('i1'), pass('i2'), pass('i3')],
      'results.0.itemId itemInChecklist',
    ],
    [
      'an item answered twice',
      [pass('i1'), pass('i2'), fail('i2'), pass('i3')],
      'results.2.itemId answeredOnce',
    ],
    [
      'a fail without photo',
      [pass('i1'), fail('i2', { attachmentIds: [] }), pass('i3')],
      'results.1.attachmentIds photoRequiredForFail',
    ],
    [
      'a fail with photos absent',
      [pass('i1'), pass('i2'), { itemId: 'i3', result: 'fail' }],
      'results.2.attachmentIds photoRequiredForFail',
    ],
    [
      'a latitude without longitude',
      [pass('i1'), pass('i2'), { ...pass('i3'), lat: 39.9 }],
      'results.2.lng latLngPair',
    ],
    ['an item left out', [pass('i1'), pass('i3')], 'results allItemsAnswered'],
    ['no answers at all', [], 'results allItemsAnswered'],
  ])('%s', (_name, answers, problem) => {
    expect(problemOf(answers)).toBe(problem);
  });

  it('names the items left unanswered, in checklist order', () => {
    try {
      checklistToTasks(items, [pass('i2')], SITE);
      throw new Error('not refused');
    } catch (e) {
      const err = e as DomainError;
      expect(err.details?.missingItemIds).toEqual(['i1', 'i3']);
      expect(err.message).toContain('1. 划行归市、摊位整齐；3. 公益广告张贴规范');
    }
  });

  it('a photo on a pass or na is kept but raises nothing', () => {
    const { rows, tasks } = checklistToTasks(
      items,
      [{ ...pass('i1'), attachmentIds: ['p'] }, na('i2'), pass('i3')],
      SITE,
    );
    expect(tasks).toEqual([]);
    expect(rows[0].answer.attachmentIds).toEqual(['p']);
  });
});

describe('failureDescription', () => {
  it.each([
    ['楼道无堆物', undefined, '清单检查未达标：楼道无堆物'],
    ['楼道无堆物', '   ', '清单检查未达标：楼道无堆物'],
    ['楼道无堆物', '3单元纸箱', '清单检查未达标：楼道无堆物。3单元纸箱'],
  ])('%s + %p', (text, note, expected) => {
    expect(failureDescription(text, note)).toBe(expected);
  });
});
