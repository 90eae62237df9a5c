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
