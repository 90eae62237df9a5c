import { readFileSync } from 'node:fs';

import type { BulletinConfig, BulletinDocument } from './bulletin-model.js';
import { renderDocx, splitBoldSpans } from './docx-renderer.js';
import type { TextSpan } from './docx-renderer.js';
import { extractDocxText, readZipEntry } from './docx-text.js';

const config = JSON.parse(
  readFileSync(new URL('../../../config/bulletin.json', import.meta.url), 'utf8'),
) as BulletinConfig;

const {
  firstIssueNumber: _first,
  leadRanks: _ranks,
  featuredUnits: _featured,
  ...letterhead
} = config;

const document: BulletinDocument = {
  letterhead,
  issueNumber: 672,
  date: '2026-11-22',
  sections: [
    {
      key: 'command_dispatch',
      heading: '指挥调度',
      paragraphs: [
        {
          key: 'i-1',
          text: '王建华7日召开创城任务部署会，朱峰、朱凯参加。会议要求：**一要提高站位，强化担当。**坚持高标准。**二要压实责任，抓好落实。**明确目标。（本刊）',
        },
      ],
    },
    {
      key: 'comprehensive_rectification',
      heading: '简讯',
      paragraphs: [
        {
          key: 'comprehensive_rectification:东辛房街道',
          text: '**【综合整治】东辛房街道：**近日，开展环境秩序综合整治，整治店外经营问题6起、环境卫生问题10余起。**城子街道、永定镇**也开展了相关工作。',
        },
      ],
    },
    { key: 'command_dispatch', heading: '空栏目', paragraphs: [] },
  ],
};

describe('splitBoldSpans', () => {
  it.each<[string, TextSpan[]]>([
    ['', []],
    ['plain', [{ text: 'plain', bold: false }]],
    [
      '**一要提高站位。**坚持高标准。',
      [
        { text: '一要提高站位。', bold: true },
        { text: '坚持高标准。', bold: false },
      ],
    ],
    [
      '甲**乙**丙**丁**',
      [
        { text: '甲', bold: false },
        { text: '乙', bold: true },
        { text: '丙', bold: false },
        { text: '丁', bold: true },
      ],
    ],
    [
      '甲**乙**丙**丁',
      [
        { text: '甲', bold: false },
        { text: '乙', bold: true },
        { text: '丙**丁', bold: false },
      ],
    ],
  ])('%p', (text, expected) => {
    expect(splitBoldSpans(text)).toEqual(expected);
  });
});

describe('renderDocx', () => {
  let buffer: Buffer;
  let text: string;
  let xml: string;

  beforeAll(async () => {
    buffer = await renderDocx(document);
    text = await extractDocxText(buffer);
    xml = readZipEntry(buffer, 'word/document.xml').toString('utf8');
  });

  it('is a zip (a .docx)', () => {
    expect(buffer.subarray(0, 4).toString('latin1')).toBe('PK\u0003\u0004');
  });

  it('round-trips the whole text through extractDocxText', () => {
    expect(text.split('\n')).toEqual([
      '门头沟区创建全国文明城市',
      '工作快报',
      '第672期',
      '门头沟区创建全国文明城市工作领导小组办公室\t2026年11月22日',
      '【指挥调度】',
      '王建华7日召开创城任务部署会，朱峰、朱凯参加。会议要求：一要提高站位，强化担当。坚持高标准。二要压实责任，抓好落实。明确目标。（本刊）',
      '【简讯】',
      '【综合整治】东辛房街道：近日，开展环境秩序综合整治，整治店外经营问题6起、环境卫生问题10余起。城子街道、永定镇也开展了相关工作。',
      '编校：李国栋      审核：张东辉      核签：李争三',
      '报：首都文明办、区委、区人大、区政府、区政协领导同志',
      '发：全区各单位主要领导、创城工作主管领导、信息员',
      '电子邮箱：mtgccbxcz@bjmtg.gov.cn      电话：69822006',
    ]);
  });

  it('prints the masthead big, bold and red in the title font', () => {
    const masthead = /<w:r>(?:(?!<\/w:r>).)*?<w:t[^>]*>门头沟区创建全国文明城市<\/w:t>/s.exec(xml);
    expect(masthead?.[0]).toMatch(/<w:b\/>/);
    expect(masthead?.[0]).toMatch(/<w:color w:val="FF0000"\/>/);
    expect(masthead?.[0]).toMatch(/<w:sz w:val="72"\/>/);
    expect(masthead?.[0]).toContain('方正小标宋简体');
  });

  it('draws a red rule under the office line and a rule above the footer', () => {
    expect(xml).toMatch(/<w:bottom [^>]*w:color="FF0000"/);
    expect(xml.match(/<w:top [^>]*w:color="000000"/g)).toHaveLength(2);
  });

  it.each(['一要提高站位，强化担当。', '【综合整治】东辛房街道：', '城子街道、永定镇', '【简讯】'])(
    'sets %s in a bold run',
    (bold) => {
      const run = new RegExp(`<w:r>(?:(?!</w:r>).)*?<w:t[^>]*>${bold}</w:t>`, 's').exec(xml);
      expect(run?.[0]).toMatch(/<w:b\/>/);
    },
  );

  it('sets the body text around bold spans in plain runs', () => {
    const run = /<w:r>(?:(?!<\/w:r>).)*?<w:t[^>]*>坚持高标准。<\/w:t>/s.exec(xml);
    expect(run?.[0]).toBeDefined();
    expect(run?.[0]).not.toMatch(/<w:b\/>/);
  });
});

describe('extractDocxText', () => {
  it('decodes the XML escapes of text with markup characters', async () => {
    const buffer = await renderDocx({
      ...document,
      sections: [
        {
          key: 'command_dispatch',
          heading: 'A & B',
          paragraphs: [{ key: 'x', text: '“一月一主题” <试点> & **‘口袋公园’**' }],
        },
      ],
    });
    const lines = (await extractDocxText(buffer)).split('\n');
    expect(lines).toContain('【A & B】');
    expect(lines).toContain('“一月一主题” <试点> & ‘口袋公园’');
  });
});

describe('readZipEntry', () => {
  it('fails clearly on something that is not a zip', () => {
    expect(() => readZipEntry(Buffer.from('not a zip at all, just some text'), 'a')).toThrow(
      /not a zip/,
    );
  });

  it('fails clearly on a missing entry', async () => {
    const buffer = await renderDocx(document);
    expect(() => readZipEntry(buffer, 'word/missing.xml')).toThrow(/no entry word\/missing\.xml/);
  });
});
