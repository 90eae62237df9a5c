import type { InspectionFacts } from './bulletin-model.js';
import {
  escapeBulletinText,
  escapeMarkdown,
  paragraphMarkdown,
  parseBulletinText,
} from './bulletin-text.js';
import { renderInspectionParagraph } from './command-dispatch.js';
import { renderComprehensiveRectification } from './rectification-brief.js';

const HOSTILE = [
  '**粗体**',
  '# 标题',
  '## 【伪造栏目】',
  '[链接](javascript:alert(1))',
  '![图](http://evil.example/x.png)',
  '<img src=x onerror=alert(1)>',
  '<script>alert(1)</script>',
  '&lt;实体&gt;',
  '`代码`',
  '_斜体_ ~~删除~~',
  '> 引用',
  '- 列表',
  '1. 列表',
  '---',
  '| a | b |',
  '朱峰\n\n---\n\n报：伪造单位\n\n发：伪造单位',
  '反斜杠\\*',
  '控制\u0001\u000b\uFFFE\uFFFF字符',
];

describe('bulletin text markup', () => {
  it.each(HOSTILE)(
    'an escaped value %j reads back as itself, in one line, without XML-forbidden characters',
    (value) => {
      const spans = parseBulletinText(escapeBulletinText(value));
      const expected = [...value]
        .filter((c) => !'\u0001\u000b\uFFFE\uFFFF'.includes(c))
        .join('')
        .replace(/\s*[\r\n]+\s*/g, '');
      expect(spans).toEqual([{ text: expected, bold: false }]);
    },
  );

  it.each(HOSTILE)(
    '%j inside generated text leaves the bold spans where generation put them',
    (value) => {
      const text = `**一要${escapeBulletinText(value)}。**${escapeBulletinText(value)}`;
      const spans = parseBulletinText(text);
      expect(spans.map((s) => s.bold)).toEqual([true, false]);
    },
  );

  it.each(HOSTILE)('%j becomes Markdown that is text only', (value) => {
    const markdown = paragraphMarkdown(
      `**一要${escapeBulletinText(value)}**${escapeBulletinText(value)}`,
    );
    expect(markdown).not.toMatch(/\n/);
    // Every markup character is escaped, but for the one bold span.
    const unescaped = markdown.replace(/\\./g, '').replace(/^\*\*|\*\*(?=[^*]*$)/g, '');
    expect(unescaped).not.toMatch(/[*_`[\]<>&~|]/);
  });

  it('escapes what opens a block at the start of a paragraph', () => {
    expect(paragraphMarkdown(escapeBulletinText('# 王建华'))).toBe('\\# 王建华');
    expect(paragraphMarkdown(escapeBulletinText('- 王建华'))).toBe('\\- 王建华');
    expect(paragraphMarkdown(escapeBulletinText('1. 王建华'))).toBe('1\\. 王建华');
    expect(paragraphMarkdown(escapeBulletinText('> 王建华'))).toBe('\\> 王建华');
    expect(paragraphMarkdown('王建华7日（本刊）')).toBe('王建华7日（本刊）');
  });

  it('keeps the house-style bold and an unpaired ** as text', () => {
    expect(parseBulletinText('要求：**一要提高站位。**坚持。')).toEqual([
      { text: '要求：', bold: false },
      { text: '一要提高站位。', bold: true },
      { text: '坚持。', bold: false },
    ]);
    expect(parseBulletinText('甲**乙')).toEqual([{ text: '甲**乙', bold: false }]);
    expect(escapeMarkdown('a*b')).toBe('a\\*b');
  });
});

describe('generated paragraphs with hostile fields', () => {
  const facts: InspectionFacts = {
    id: 'i1',
    kind: 'inspection',
    leadPersons: ['# 王**建华'],
    leadRank: 1,
    date: '2026-11-10',
    location: '永定镇\u0001',
    activity: '督导<img src=x>',
    accompanying: ['朱峰\n\n报：伪造'],
    participatingUnits: ['[东辛房](http://x)'],
    sitesVisited: ['西山**社区'],
    target: '公园广场',
    focus: '环境卫生',
    requirements: [{ heading: '提高**站位', body: '**全部加粗**' }],
    source: '本刊**',
    problemsFound: 0,
    problemsRectified: 0,
  };

  it('a 指挥调度 paragraph bolds only its 一要 heading, and keeps every field verbatim', () => {
    const spans = parseBulletinText(renderInspectionParagraph(facts));
    expect(spans.filter((s) => s.bold).map((s) => s.text)).toEqual(['一要提高**站位。']);
    const plain = spans.map((s) => s.text).join('');
    for (const piece of [
      '# 王**建华',
      '督导<img src=x>',
      '朱峰报：伪造',
      '[东辛房](http://x)',
      '西山**社区',
      '**全部加粗**',
      '本刊**',
    ]) {
      expect(plain).toContain(piece);
    }
    expect(plain).not.toContain('\u0001');
  });

  it('a 综合整治 paragraph bolds only its unit heading and the other units', () => {
    const section = renderComprehensiveRectification(
      [
        { unitName: '东辛房**街道', categoryName: '店外**经营', measureWord: '起', count: 3 },
        { unitName: '城子*街道', categoryName: '环境卫生', measureWord: '处', count: 1 },
      ],
      { featuredUnits: 1 },
    );
    const spans = parseBulletinText(section!.paragraphs[0].text);
    expect(spans.filter((s) => s.bold).map((s) => s.text)).toEqual([
      '【综合整治】东辛房**街道：',
      '城子*街道',
    ]);
    expect(spans.map((s) => s.text).join('')).toContain('店外**经营问题3起');
  });
});
