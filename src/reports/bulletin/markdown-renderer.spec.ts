import { readFileSync } from 'node:fs';

import type { BulletinConfig, BulletinDocument, BulletinLetterhead } from './bulletin-model.js';
import { renderMarkdown } from './markdown-renderer.js';

const configText = readFileSync(new URL('../../../config/bulletin.json', import.meta.url), 'utf8');
const config = JSON.parse(configText) as BulletinConfig;

const letterheadKeys: (keyof BulletinLetterhead)[] = [
  'title',
  'office',
  'editor',
  'reviewer',
  'approver',
  'reportTo',
  'sendTo',
  'email',
  'phone',
];

function letterheadOf(c: BulletinConfig): BulletinLetterhead {
  const { firstIssueNumber: _first, leadRanks: _ranks, featuredUnits: _featured, ...rest } = c;
  return rest;
}

const sampleDocument: BulletinDocument = {
  letterhead: letterheadOf(config),
  issueNumber: config.firstIssueNumber,
  date: '2026-11-22',
  sections: [
    {
      key: 'command_dispatch',
      heading: '指挥调度',
      paragraphs: [
        {
          key: 'i-1',
          text: '王建华7日到永定镇开展公园广场创城督导检查，永定镇相关负责同志参加。检查发现问题6处，已全部整改。要求：**一要提高站位，强化担当。**坚持高标准。（本刊）',
        },
        { key: 'i-2', text: '王建华9日召开创城工作调度会，各街镇负责同志参会。（本刊）' },
      ],
    },
    {
      key: 'comprehensive_rectification',
      heading: '简讯',
      paragraphs: [
        {
          key: 'comprehensive_rectification:东辛房街道',
          text: '**【综合整治】东辛房街道：**近日，开展环境秩序综合整治，整治店外经营问题6起。**永定镇**也开展了相关工作。',
        },
      ],
    },
  ],
};

describe('config/bulletin.json', () => {
  it('holds a complete letterhead and the generation defaults', () => {
    for (const key of letterheadKeys) {
      expect(typeof config[key]).toBe('string');
      expect(config[key].length).toBeGreaterThan(0);
    }
    expect(config.firstIssueNumber).toBe(672);
    expect(config.featuredUnits).toBe(1);
    expect(Object.values(config.leadRanks).every((rank) => Number.isInteger(rank))).toBe(true);
  });
});

describe('renderMarkdown', () => {
  it('lays out a whole issue like issue 671', () => {
    expect(renderMarkdown(sampleDocument)).toBe(
      [
        '# 门头沟区创建全国文明城市 工作快报',
        '',
        '第672期',
        '',
        '门头沟区创建全国文明城市工作领导小组办公室',
        '',
        '2026年11月22日',
        '',
        '## 【指挥调度】',
        '',
        '王建华7日到永定镇开展公园广场创城督导检查，永定镇相关负责同志参加。检查发现问题6处，已全部整改。要求：**一要提高站位，强化担当。**坚持高标准。（本刊）',
        '',
        '王建华9日召开创城工作调度会，各街镇负责同志参会。（本刊）',
        '',
        '## 【简讯】',
        '',
        '**【综合整治】东辛房街道：**近日，开展环境秩序综合整治，整治店外经营问题6起。**永定镇**也开展了相关工作。',
        '',
        '---',
        '',
        '编校：李国栋      审核：张东辉      核签：李争三',
        '',
        '报：首都文明办、区委、区人大、区政府、区政协领导同志',
        '',
        '发：全区各单位主要领导、创城工作主管领导、信息员',
        '',
        '---',
        '',
        '电子邮箱：mtgccbxcz@bjmtg.gov.cn      电话：69822006',
        '',
      ].join('\n'),
    );
  });

  it('leaves out a section without paragraphs', () => {
    const markdown = renderMarkdown({
      ...sampleDocument,
      sections: [{ key: 'command_dispatch', heading: '指挥调度', paragraphs: [] }],
    });
    expect(markdown).not.toContain('指挥调度');
    expect(markdown).toContain('2026年11月22日\n\n---\n\n编校：');
  });
});

describe('renderMarkdown with hostile text', () => {
  // What the office or a unit could type into the letterhead, a heading or a paragraph.
  const hostile: BulletinDocument = {
    letterhead: {
      ...letterheadOf(config),
      title: '快报\n\n# 伪造的刊名\n<script>alert(1)</script>',
      office: '[点我](javascript:alert(1))',
      editor: '**粗体** _斜体_ `代码` ~~删除~~',
      reviewer: '![图](http://evil.example/x.png)',
      approver: '李争三\u0001\u000b\uFFFE\uFFFF\uD800',
      reportTo: '<img src=x onerror=alert(1)> &amp; &#60;',
      sendTo: '| 单位 | 人 |\n|---|---|\n| a | b |',
      email: '1. 列表',
      phone: '    缩进的代码块',
    },
    issueNumber: 9,
    date: '2026-11-22',
    sections: [
      {
        key: 'command_dispatch',
        heading: '指挥调度】\n\n## 【伪造',
        paragraphs: [
          { key: 'a', text: '# 标题\\*\\* [链接](http://x) <b>粗</b> | 表 |' },
          { key: 'b', text: '> 引用\n---\n=== ' },
          { key: 'c', text: '- 列表 + 加 \\\\ 反斜杠' },
        ],
      },
    ],
  };
  let markdown: string;
  let blocks: string[];

  beforeAll(() => {
    markdown = renderMarkdown(hostile);
    blocks = markdown.trimEnd().split('\n\n');
  });

  it('keeps the block structure: one title, one section heading, one 版记', () => {
    // Title, 第N期, office, date, heading, 3 paragraphs, ---, 3 版记 lines, ---, contact.
    expect(blocks).toHaveLength(14);
    expect(blocks.every((b) => !b.includes('\n'))).toBe(true);
    expect(markdown.match(/^#/gm)).toEqual(['#', '#']);
    expect(blocks[0].startsWith('# ')).toBe(true);
    expect(blocks[4].startsWith('## 【')).toBe(true);
    expect(markdown.match(/^---$/gm)).toHaveLength(2);
    expect(markdown.match(/^报：/gm)).toHaveLength(1);
    expect(markdown.match(/^发：/gm)).toHaveLength(1);
  });

  it('escapes every character Markdown could read as a link, image, HTML, emphasis, code or table', () => {
    for (const block of blocks) {
      // Each of these, where it appears, is preceded by a backslash.
      expect(block).not.toMatch(/(^|[^\\])[[\]<>`|_~&]/);
      expect(block.replace(/^#+ /, '')).not.toMatch(/(^|[^\\])\*/);
    }
    expect(markdown).toContain('\\[点我\\](javascript:alert(1))');
    expect(markdown).toContain('!\\[图\\](http://evil.example/x.png)');
    expect(markdown).toContain('\\<img src=x onerror=alert(1)\\> \\&amp; \\&#60;');
    expect(markdown).toContain('发：\\| 单位 \\| 人 \\|\\|---\\|---\\|\\| a \\| b \\|');
  });

  it('escapes block markers at the start of a line and removes the characters XML forbids', () => {
    // A '#' inside a line starts nothing.
    expect(blocks[0]).toBe('# 快报# 伪造的刊名\\<script\\>alert(1)\\</script\\>');
    expect(blocks[4]).toBe('## 【指挥调度】## 【伪造】');
    expect(blocks[5]).toBe('\\# 标题\\*\\* \\[链接\\](http://x) \\<b\\>粗\\</b\\> \\| 表 \\|');
    expect(blocks[6]).toBe('\\> 引用---=== ');
    expect(blocks[7]).toBe('\\- 列表 + 加 \\\\ 反斜杠');
    expect(blocks[9]).toBe(
      '编校：\\*\\*粗体\\*\\* \\_斜体\\_ \\`代码\\` \\~\\~删除\\~\\~      审核：!\\[图\\](http://evil.example/x.png)      核签：李争三',
    );
    expect(blocks[13]).toBe('电子邮箱：1. 列表      电话：缩进的代码块');
    for (const c of ['\u0001', '\u000b', '\uFFFE', '\uFFFF', '\uD800'])
      expect(markdown).not.toContain(c);
  });

  it('leaves out empty 版记 fields and lines', () => {
    const md = renderMarkdown({
      ...sampleDocument,
      letterhead: {
        ...letterheadOf(config),
        reviewer: '',
        approver: '',
        sendTo: ' ',
        email: '',
        phone: '',
      },
    });
    expect(md).toContain('\n\n编校：李国栋\n\n报：');
    expect(md).not.toMatch(/审核|核签|发：|电子邮箱|电话/);
    expect(md.endsWith('领导同志\n\n---\n')).toBe(true);
  });
});
