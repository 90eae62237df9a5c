import { applyEdits, generatedTextOf, normaliseEditText, withEdit } from './bulletin-edits.js';
import type { BulletinSection } from './bulletin-model.js';

const generated: BulletinSection[] = [
  {
    key: 'command_dispatch',
    heading: '指挥调度',
    paragraphs: [
      { key: 'i-1', text: '王建华9日召开会A。' },
      { key: 'i-2', text: '王建华10日召开会B。' },
    ],
  },
  {
    key: 'comprehensive_rectification',
    heading: '简讯',
    paragraphs: [{ key: 'comprehensive_rectification:永定镇', text: '**【综合整治】永定镇：**…' }],
  },
];

describe('applyEdits', () => {
  it('prints the edit where there is one and keeps the generated text beside it', () => {
    const { sections, staleEdits } = applyEdits(generated, { 'i-2': '王建华10日召开调度会。' });
    expect(sections[0].paragraphs).toEqual([
      {
        key: 'i-1',
        text: '王建华9日召开会A。',
        generatedText: '王建华9日召开会A。',
        edited: false,
      },
      {
        key: 'i-2',
        text: '王建华10日召开调度会。',
        generatedText: '王建华10日召开会B。',
        edited: true,
      },
    ]);
    expect(sections[1].paragraphs[0].edited).toBe(false);
    expect(staleEdits).toEqual([]);
  });

  it('reports edits of paragraphs no longer generated as stale, in key order', () => {
    const { staleEdits } = applyEdits(generated, { 'i-9': 'b', 'i-1': 'x', 'i-3': 'a' });
    expect(staleEdits).toEqual([
      { key: 'i-3', text: 'a' },
      { key: 'i-9', text: 'b' },
    ]);
  });

  it('is not fooled by keys inherited from Object.prototype', () => {
    const { sections } = applyEdits(
      [{ key: 'command_dispatch', heading: 'x', paragraphs: [{ key: 'toString', text: 't' }] }],
      {},
    );
    expect(sections[0].paragraphs[0]).toMatchObject({ text: 't', edited: false });
  });
});

describe('withEdit', () => {
  it('adds, replaces and, when set back to the generated text, removes an edit', () => {
    const once = withEdit({}, 'i-1', '新文本', '旧文本');
    expect(once).toEqual({ 'i-1': '新文本' });
    expect(withEdit(once, 'i-1', '再改', '旧文本')).toEqual({ 'i-1': '再改' });
    expect(withEdit(once, 'i-1', '旧文本', '旧文本')).toEqual({});
    expect(once).toEqual({ 'i-1': '新文本' });
  });
});

describe('generatedTextOf', () => {
  it('finds a paragraph in any section', () => {
    expect(generatedTextOf(generated, 'comprehensive_rectification:永定镇')).toBe(
      '**【综合整治】永定镇：**…',
    );
    expect(generatedTextOf(generated, 'nope')).toBeUndefined();
  });
});

describe('normaliseEditText', () => {
  it.each<[string, string]>([
    ['  文本。 ', '文本。'],
    ['第一行，\r\n  第二行。', '第一行，第二行。'],
    ['\n\n', ''],
  ])('%p → %p', (text, expected) => {
    expect(normaliseEditText(text)).toBe(expected);
  });
});
