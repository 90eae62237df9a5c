import type { BulletinSection, ClosedTaskCount } from './bulletin-model.js';
import {
  briefParagraphs,
  composeInfoSections,
  ownItemParagraphs,
  briefKey,
  printedInfoItemIds,
  joinFigures,
  type AdoptedInfoItem,
  type InfoColumn,
  type InfoColumnsConfig,
} from './info-sections.js';

const CIVILITY: InfoColumn = {
  code: 'civility',
  name: '文明培育',
  briefLabel: '文明培育',
  foldTail: '相关文明培育活动',
};
const PRACTICE: InfoColumn = {
  code: 'practice',
  name: '新时代文明实践',
  briefLabel: '文明实践',
  foldTail: '相关活动',
};
const RECTIFICATION: InfoColumn = {
  code: 'rectification',
  name: '综合整治',
  briefLabel: '综合整治',
  foldTail: '相关工作',
  closedTaskFigures: true,
};
const CONFIG: InfoColumnsConfig = {
  briefMaxChars: 60,
  columns: [CIVILITY, PRACTICE, RECTIFICATION],
};

// Units in the order of units.sort_order: bureaus, then streets, then towns.
const RANK: Record<string, number> = {
  区农业农村局: 1,
  区科信局: 2,
  区残联: 3,
  区税务局: 4,
  城子街道: 10,
  东辛房街道: 11,
  永定镇: 20,
  清水镇: 21,
  妙峰山镇: 22,
};

let seq = 0;
function item(
  unitName: string,
  column: string,
  body: string,
  extra: Partial<AdoptedInfoItem> = {},
): AdoptedInfoItem {
  seq += 1;
  return {
    id: `i${seq}`,
    unitName,
    unitRank: RANK[unitName] ?? 100,
    column,
    kind: null,
    title: `${unitName}信息`,
    body,
    adoptedAt: new Date(Date.UTC(2026, 10, 20, 0, seq)),
    ...extra,
  };
}

const XUANJIANG =
  '近日，联合区委党校到妙峰山镇斜河涧村开展习近平新时代中国特色社会主义思想进农村宣讲活动。';

describe('简讯 folding', () => {
  const cases: {
    name: string;
    column: InfoColumn;
    items: AdoptedInfoItem[];
    expected: string[];
  }[] = [
    {
      name: 'one item: its text under the 栏目 label, nothing folded',
      column: CIVILITY,
      items: [item('区农业农村局', 'civility', XUANJIANG)],
      expected: [`**【文明培育】区农业农村局：**${XUANJIANG}`],
    },
    {
      name: 'issue 671: the longest text leads, the others by unit order, each once',
      column: CIVILITY,
      items: [
        item('永定镇', 'civility', '近日，开展宣讲。'),
        item('区残联', 'civility', '近日，开展文明宣讲活动。'),
        item('区农业农村局', 'civility', XUANJIANG),
        item('清水镇', 'civility', '开展宣讲'),
        item('城子街道', 'civility', '近日，开展宣讲活动'),
        item('区科信局', 'civility', '近日，开展宣讲。'),
        item('永定镇', 'civility', '又一次宣讲。'),
      ],
      expected: [
        `**【文明培育】区农业农村局：**${XUANJIANG}**区科信局、区残联、城子街道、永定镇、清水镇**也开展了相关文明培育活动。`,
      ],
    },
    {
      name: 'a text without a closing stop gets one',
      column: PRACTICE,
      items: [
        item('区税务局', 'practice', '近日，组织机关干部到莲石湖公园清理2.5公里路面垃圾杂物'),
        item('区残联', 'practice', '近日，清理垃圾。'),
      ],
      expected: [
        '**【文明实践】区税务局：**近日，组织机关干部到莲石湖公园清理2.5公里路面垃圾杂物。**区残联**也开展了相关活动。',
      ],
    },
    {
      name: 'different 工作类型 in one 栏目 are separate paragraphs, in adoption order',
      column: CIVILITY,
      items: [
        item('区科信局', 'civility', '近日，开展宣讲活动。', { kind: '宣讲' }),
        item('城子街道', 'civility', '近日，组织志愿者清扫楼门30个。', { kind: '志愿服务' }),
        item('永定镇', 'civility', '近日，开展宣讲。', { kind: '宣讲' }),
        item('清水镇', 'civility', '近日，清扫楼门。', { kind: ' 志愿服务 ' }),
      ],
      expected: [
        '**【文明培育】区科信局：**近日，开展宣讲活动。**永定镇**也开展了相关文明培育活动。',
        '**【文明培育】城子街道：**近日，组织志愿者清扫楼门30个。**清水镇**也开展了相关文明培育活动。',
      ],
    },
    {
      name: 'equal lengths: the earlier adopted leads',
      column: PRACTICE,
      items: [
        item('永定镇', 'practice', '近日，开展活动。'),
        item('区残联', 'practice', '近日，开展实践。'),
      ],
      expected: ['**【文明实践】永定镇：**近日，开展活动。**区残联**也开展了相关活动。'],
    },
    {
      name: 'markup and line breaks in what units typed stay text',
      column: PRACTICE,
      items: [item('区*税务局', 'practice', '近日，**清理**\n垃圾 # 标题\r\n[链接](x)')],
      expected: ['**【文明实践】区\\*税务局：**近日，\\*\\*清理\\*\\*垃圾 # 标题[链接](x)。'],
    },
  ];

  it.each(cases)('$name', ({ column, items, expected }) => {
    expect(briefParagraphs(column, items).map((p) => p.text)).toEqual(expected);
  });

  it('lists every item it prints, so publishing marks the folded ones too; the key stays short', () => {
    const a = item('区农业农村局', 'civility', XUANJIANG, {
      id: '7d1f8c1e-0000-4000-8000-00000000000a',
    });
    const b = item('永定镇', 'civility', '近日，开展宣讲。', {
      id: '7d1f8c1e-0000-4000-8000-00000000000b',
    });
    const c = item('区农业农村局', 'civility', '近日，再次宣讲。', {
      id: '7d1f8c1e-0000-4000-8000-00000000000c',
    });
    const [p] = briefParagraphs(CIVILITY, [a, b, c]);
    expect(p.infoItemIds).toEqual([a.id, c.id, b.id]);
    expect(p.key).toMatch(new RegExp(`^info:${a.id}\\+[0-9a-f]{8}$`));
    // The key follows the set of items, not their order; one more item folded in changes it.
    expect(briefKey([a.id, b.id, c.id])).toBe(p.key);
    expect(briefKey([a.id, b.id])).not.toBe(p.key);
    expect(briefKey([a.id])).toBe(`info:${a.id}`);
    // Forty units folded together still make a key far below the 200 characters of a path key.
    const many = Array.from({ length: 40 }, (_, i) =>
      item(`单位${i}`, 'civility', `近日，开展活动${i}。`),
    );
    expect(briefParagraphs(CIVILITY, many)[0].key.length).toBeLessThan(60);

    const sections: BulletinSection[] = [
      { key: 'info:civility', heading: '文明培育', paragraphs: ownItemParagraphs(a) },
      { key: 'comprehensive_rectification', heading: '简讯', paragraphs: [p] },
    ];
    expect(printedInfoItemIds(sections, new Set([p.key, 'comprehensive_rectification:x']))).toEqual(
      [a.id, c.id, b.id],
    );
    // A paragraph the issue no longer shows does not count.
    expect(printedInfoItemIds(sections, new Set([`info:${a.id}`]))).toEqual([a.id]);
    expect(printedInfoItemIds(sections, new Set())).toEqual([]);
  });
});

describe('综合整治 figures join the unit’s own item', () => {
  it('joins after the text, replacing its final stop', () => {
    expect(joinFigures('近日，开展专项检查10余次，覆盖商户80余家。', '店外经营问题6起')).toBe(
      '近日，开展专项检查10余次，覆盖商户80余家，整治店外经营问题6起。',
    );
    expect(joinFigures('近日，开展检查；', '环境卫生问题3处')).toBe(
      '近日，开展检查，整治环境卫生问题3处。',
    );
  });

  const closed: ClosedTaskCount[] = [
    { unitName: '东辛房街道', unitRank: 11, categoryName: '店外经营', measureWord: '起', count: 6 },
    {
      unitName: '东辛房街道',
      unitRank: 11,
      categoryName: '停车秩序',
      measureWord: '起',
      count: 13,
    },
    { unitName: '城子街道', unitRank: 10, categoryName: '环境卫生', measureWord: '处', count: 4 },
    { unitName: '妙峰山镇', unitRank: 22, categoryName: '环境卫生', measureWord: '处', count: 2 },
    { unitName: '永定镇', unitRank: 20, categoryName: '小广告', measureWord: '条', count: 1 },
  ];
  const generated: BulletinSection[] = [
    { key: 'command_dispatch', heading: '指挥调度', paragraphs: [{ key: 'x', text: '会议。' }] },
    {
      key: 'comprehensive_rectification',
      heading: '简讯',
      paragraphs: [{ key: 'comprehensive_rectification:东辛房街道', text: '生成的统计。' }],
    },
  ];

  it('a unit with an item gets its figures joined; the rest keep the statistics paragraph', () => {
    const own = item(
      '东辛房街道',
      'rectification',
      '近日，开展环境秩序综合整治，围绕疫情防控、牌匾规范等开展专项检查10余次，覆盖商户80余家。',
    );
    const folded = item('清水镇', 'rectification', '近日，开展整治。');
    const sections = composeInfoSections(generated, [own, folded], closed, CONFIG, {
      featuredUnits: 1,
    });
    expect(sections.map((s) => s.key)).toEqual(['command_dispatch', 'comprehensive_rectification']);
    expect(sections[1].paragraphs.map((p) => p.text)).toEqual([
      '**【综合整治】东辛房街道：**近日，开展环境秩序综合整治，围绕疫情防控、牌匾规范等开展专项检查10余次，覆盖商户80余家，整治停车秩序问题13起、店外经营问题6起。**清水镇**也开展了相关工作。',
      '**【综合整治】城子街道：**近日，开展环境秩序综合整治，整治环境卫生问题4处。**妙峰山镇、永定镇**也开展了相关工作。',
    ]);
  });

  it('a unit with figures is never folded away: it leads its own paragraph', () => {
    const a = item('清水镇', 'rectification', '近日，开展了一次很长很长的环境秩序综合整治行动。');
    const b = item('永定镇', 'rectification', '近日，开展整治。');
    const c = item('区残联', 'rectification', '近日，开展整治行动。');
    const sections = composeInfoSections(generated, [a, b, c], closed, CONFIG, {
      featuredUnits: 1,
    });
    expect(sections[1].paragraphs.map((p) => p.text)).toEqual([
      '**【综合整治】清水镇：**近日，开展了一次很长很长的环境秩序综合整治行动。',
      '**【综合整治】永定镇：**近日，开展整治，整治小广告问题1条。**区残联**也开展了相关工作。',
      '**【综合整治】东辛房街道：**近日，开展环境秩序综合整治，整治停车秩序问题13起、店外经营问题6起。**城子街道、妙峰山镇**也开展了相关工作。',
    ]);
  });
});

describe('placement', () => {
  const generated: BulletinSection[] = [
    { key: 'command_dispatch', heading: '指挥调度', paragraphs: [] },
    { key: 'comprehensive_rectification', heading: '简讯', paragraphs: [] },
  ];

  it('without items the sections are unchanged', () => {
    expect(composeInfoSections(generated, [], [], CONFIG, { featuredUnits: 1 })).toBe(generated);
  });

  it('long items are sections of their own by 栏目, before 简讯; short ones go into 简讯', () => {
    const long = item(
      '东辛房街道',
      'civility',
      '一是用心建设队伍，志愿服务规范化。建立10余支志愿服务队，总计630余人在册。\n\n二是用心开展活动，志愿服务常态化。今年以来开展各类志愿活动30余次。',
      { title: '东辛房街道“三用心”全力做好志愿服务工作' },
    );
    const practice = item(
      '斋堂镇',
      'practice',
      '一是多点共建夯实两级阵地。在30个村居新时代文明实践站打造主题特色教育实践基地，实现全覆盖。结合群众需求，推出“村级趣味运动会”等主题活动。',
      { title: '斋堂镇多策并举全力推进新时代文明实践工作' },
    );
    const short = item('区农业农村局', 'civility', XUANJIANG);
    const shortPractice = item('区税务局', 'practice', '近日，清理2.5公里路面垃圾杂物。');
    const sections = composeInfoSections(
      generated,
      [practice, short, long, shortPractice],
      [],
      CONFIG,
      { featuredUnits: 1 },
    );
    expect(sections.map((s) => [s.key, s.heading])).toEqual([
      ['command_dispatch', '指挥调度'],
      ['info:civility', '文明培育'],
      ['info:practice', '新时代文明实践'],
      ['comprehensive_rectification', '简讯'],
    ]);
    expect(sections[1].paragraphs).toEqual([
      {
        key: `info:${long.id}`,
        infoItemIds: [long.id],
        text: '**东辛房街道“三用心”全力做好志愿服务工作** 一是用心建设队伍，志愿服务规范化。建立10余支志愿服务队，总计630余人在册。',
      },
      {
        key: `info:${long.id}:2`,
        infoItemIds: [long.id],
        text: '二是用心开展活动，志愿服务常态化。今年以来开展各类志愿活动30余次。（东辛房街道）',
      },
    ]);
    expect(sections[2].paragraphs.map((p) => p.text)).toEqual([
      '**斋堂镇多策并举全力推进新时代文明实践工作** 一是多点共建夯实两级阵地。在30个村居新时代文明实践站打造主题特色教育实践基地，实现全覆盖。结合群众需求，推出“村级趣味运动会”等主题活动。（斋堂镇）',
    ]);
    expect(sections[3].paragraphs.map((p) => p.text)).toEqual([
      `**【文明培育】区农业农村局：**${XUANJIANG}`,
      '**【文明实践】区税务局：**近日，清理2.5公里路面垃圾杂物。',
    ]);
  });

  it('the threshold counts printed characters: exactly briefMaxChars is still 简讯', () => {
    const body = `${'字'.repeat(59)}。`;
    const atLimit = item('永定镇', 'civility', `${body} \n`);
    const over = item('清水镇', 'civility', `${body}多`);
    const sections = composeInfoSections(generated, [atLimit, over], [], CONFIG, {
      featuredUnits: 1,
    });
    expect(sections.map((s) => s.key)).toEqual([
      'command_dispatch',
      'info:civility',
      'comprehensive_rectification',
    ]);
    expect(sections[1].paragraphs.map((p) => p.key)).toEqual([`info:${over.id}`]);
    expect(sections[2].paragraphs.map((p) => p.key)).toEqual([`info:${atLimit.id}`]);
  });

  it('an item whose 栏目 left the config still prints, under its code', () => {
    const stray = item('永定镇', 'old_column', '近日，开展活动。');
    const sections = composeInfoSections(generated, [stray], [], CONFIG, { featuredUnits: 1 });
    expect(sections[1].paragraphs.map((p) => p.text)).toEqual([
      '**【old_column】永定镇：**近日，开展活动。',
    ]);
  });
});
