import { DomainError } from '../../common/errors/domain-error.js';
import type { BulletinSection } from './bulletin-model.js';
import {
  addParagraph,
  addSection,
  arrange,
  layoutOf,
  normaliseHeading,
  removeParagraph,
  removeSection,
  shapeBulletin,
  type BulletinShape,
} from './bulletin-shape.js';

const gen = (dispatch: string[], brief: string[]): BulletinSection[] => [
  {
    key: 'command_dispatch',
    heading: '指挥调度',
    paragraphs: dispatch.map((k) => ({ key: k, text: `text ${k}` })),
  },
  {
    key: 'comprehensive_rectification',
    heading: '简讯',
    paragraphs: brief.map((k) => ({ key: k, text: `text ${k}` })),
  },
];

const order = (layout: BulletinShape): string[] =>
  layout.sections.map((s) => `${s.heading}:${s.paragraphs.join(',')}`);

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return e instanceof DomainError ? `${e.code}@${e.details?.errors?.[0]?.field ?? ''}` : 'other';
  }
  return undefined;
}

describe('the office shaping an issue', () => {
  const generated = gen(['a', 'b', 'c'], ['x', 'y']);

  it('without a shape, prints the generated order', () => {
    expect(order(layoutOf(generated, null))).toEqual(['指挥调度:a,b,c', '简讯:x,y']);
  });

  it('adds, deletes and reorders, and keeps it all through regeneration', () => {
    let layout = layoutOf(generated, null);
    layout = addSection(layout, { key: 'office:s1', heading: '喜报', afterKey: null });
    layout = addParagraph(layout, { key: 'office:p1', sectionKey: 'office:s1', text: '喜讯' });
    layout = addParagraph(layout, {
      key: 'office:p2',
      sectionKey: 'command_dispatch',
      afterKey: 'a',
      text: '会议',
    });
    layout = removeParagraph(layout, 'b');
    layout = arrange(layout, [
      { key: 'office:s1', paragraphs: ['office:p1'] },
      { key: 'command_dispatch', paragraphs: ['c', 'office:p2', 'a'] },
      { key: 'comprehensive_rectification', heading: '简 讯', paragraphs: ['y', 'x'] },
    ]);
    expect(order(layout)).toEqual(['喜报:office:p1', '指挥调度:c,office:p2,a', '简 讯:y,x']);

    // Regenerated: b comes back from the data but stays deleted; d is new and goes after c,
    // the generated paragraph it follows; a is gone from the data; z is new and follows y
    // (where the office put y, not at the end).
    const again = gen(['b', 'c', 'd'], ['x', 'y', 'z']);
    const shaped = shapeBulletin(again, { a: 'edited a', c: 'edited c' }, layout);
    expect(
      shaped.sections.map((s) => `${s.heading}:${s.paragraphs.map((p) => p.key).join(',')}`),
    ).toEqual(['喜报:office:p1', '指挥调度:c,d,office:p2', '简 讯:y,z,x']);
    const dispatch = shaped.sections[1].paragraphs;
    expect(dispatch.map((p) => [p.text, p.origin, p.edited])).toEqual([
      ['edited c', 'generated', true],
      ['text d', 'generated', false],
      ['会议', 'office', false],
    ]);
    // a's edit is kept and shown as stale; b's would not be (deleted with its paragraph).
    expect(shaped.staleEdits).toEqual([{ key: 'a', text: 'edited a' }]);
  });

  it('deletes a whole section; its generated paragraphs stay deleted', () => {
    let layout = layoutOf(generated, null);
    layout = addParagraph(layout, {
      key: 'office:p',
      sectionKey: 'comprehensive_rectification',
      text: 't',
    });
    layout = removeSection(layout, 'comprehensive_rectification');
    expect(layout.added).toEqual({});
    expect(order(layoutOf(gen(['a'], ['x', 'w']), layout))).toEqual(['指挥调度:a']);
  });

  it('puts a section generation newly writes after the one it follows', () => {
    const layout = layoutOf([generated[1]], null);
    expect(order(layoutOf(generated, layout))).toEqual(['指挥调度:a,b,c', '简讯:x,y']);
  });

  it.each<[string, () => unknown, string]>([
    [
      'a missing section',
      () =>
        addParagraph(layoutOf(generated, null), { key: 'office:1', sectionKey: 'nope', text: 't' }),
      'SECTION_NOT_FOUND@sectionKey',
    ],
    [
      'a paragraph not in the section',
      () =>
        addParagraph(layoutOf(generated, null), {
          key: 'office:1',
          sectionKey: 'command_dispatch',
          afterKey: 'x',
          text: 't',
        }),
      'LAYOUT_MISMATCH@afterKey',
    ],
    [
      'deleting a missing paragraph',
      () => removeParagraph(layoutOf(generated, null), 'q'),
      'PARAGRAPH_NOT_FOUND@',
    ],
    [
      'an unknown paragraph',
      () =>
        arrange(layoutOf(generated, null), [
          { key: 'command_dispatch', paragraphs: ['a', 'b', 'c', 'q'] },
          { key: 'comprehensive_rectification', paragraphs: ['x', 'y'] },
        ]),
      'LAYOUT_MISMATCH@sections.0.paragraphs.3',
    ],
    [
      'a paragraph twice',
      () =>
        arrange(layoutOf(generated, null), [
          { key: 'command_dispatch', paragraphs: ['a', 'b', 'c'] },
          { key: 'comprehensive_rectification', paragraphs: ['x', 'a'] },
        ]),
      'LAYOUT_MISMATCH@sections.1.paragraphs.1',
    ],
    [
      'a paragraph left out',
      () =>
        arrange(layoutOf(generated, null), [
          { key: 'command_dispatch', paragraphs: ['a', 'b', 'c'] },
          { key: 'comprehensive_rectification', paragraphs: ['x'] },
        ]),
      'LAYOUT_MISMATCH@sections',
    ],
    [
      'a section left out',
      () =>
        arrange(layoutOf(generated, null), [
          { key: 'command_dispatch', paragraphs: ['a', 'b', 'c', 'x', 'y'] },
        ]),
      'LAYOUT_MISMATCH@sections',
    ],
  ])('refuses %s, naming the field', (_name, fn, expected) => {
    expect(codeOf(fn)).toBe(expected);
  });

  it.each([
    ['【喜报】', '喜报'],
    [' 【 简 讯 】 ', '简 讯'],
    ['文明培育', '文明培育'],
  ])('reads the heading %j as %j', (input, expected) => {
    expect(normaliseHeading(input)).toBe(expected);
  });
});
