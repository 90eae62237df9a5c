import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { SaxesParser } from 'saxes';

import type { BulletinConfig, BulletinDocument, BulletinSection } from './bulletin-model.js';
import { displayWidth, fitSize, TEXT_WIDTH } from './docx-layout.js';
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
  asyncGenerationDays: _async,
  ...letterhead
} = config;

const section = (heading: string, ...texts: string[]): BulletinSection => ({
  key: 'command_dispatch',
  heading,
  paragraphs: texts.map((text, i) => ({ key: `${heading}-${i}`, text })),
});

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

// Issue 671's content, as the office would shape it: two pages.
const REFERENCE_SECTIONS: BulletinSection[] = [
  section(
    '喜报',
    '日前，中央文明办对2021年全国文明城市年度测评结果进行通报。我区在全国直辖市提名城区中，以总成绩94.15分排名第二，在北京市7个提名城区中排名第一。',
  ),
  section(
    '专题部署',
    '7日，区委社会工委区民政局召开社区综合治理工作组创城任务部署会，王建华出席，朱峰、朱凯参加。区委社会工委区民政局、区创城办、区公安分局、区住建委、区消防救援支队、区城管委（区城管执法局）及相关镇街负责同志参会。会上，区委社会工委区民政局对社区综合治理工作组工作方案和“一月一主题”各项任务方案进行部署。王建华要求：**一要提高站位，强化担当。**坚持讲政治、创首善、争一流的高标准站位，全力以赴抓好专项治理，要以高度的责任担当、务实的工作精神，落实好区委、区政府部署要求，如期完成各项目标任务。**二要迅速行动，全面推进。**要不等不靠，主动研究问题、创新举措，着力提升专项治理社会满意度，让群众真正看到社区创城后的良好变化。**三要压实责任，抓好落实。**始终坚持把整治责任扛在肩上、抓在手中，绝不能浅尝辄止、畏缩不前。要紧跟全区创城工作步伐，明确目标、分解任务、细化清单，把“一月一主题”组织好落实好。**四要统筹协调，形成合力。**切实加强统筹协调和指挥调度，及时掌握工作进度，全力推动工作落实。各成员单位要切实贯彻落实全区整治方案部署要求，积极主动开展整治行动，加强协调配合，形成整治合力，确保整治实效。（区委社会工委区民政局）',
  ),
  section(
    '文明培育',
    '**东辛房街道“三用心”全力做好志愿服务工作** 一是用心建设队伍，志愿服务规范化。建立“蓝心送暖”“夕阳美”“爱心暖阳”“清风行”等10余支志愿服务队，总计630余人在册，分别在环境整治、文明劝导、治安维稳、卫生保洁、助老助残、困难帮扶等多领域开展志愿服务。另外，每个社区都成立了创城志愿巡逻队，专门负责对标创城指标自查自改。',
    '二是用心开展活动，志愿服务常态化。将志愿服务与各项活动紧密结合，打造“周末清洁日”“文明清风行”“党员践承诺”“热心人在行动”“敬老义务理发日”“爱国卫生运动高潮日”等多个常态化志愿服务项目，今年以来开展各类志愿活动30余次，共计1900余人次参加，清扫楼门230余个，清理卫生死角10余处、楼道堆物20余车、小广告210余条，擦拭宣传橱窗300余个，义务理发9次，开展文明交通、垃圾分类、低碳环保等文明宣传8次。',
    '三是用心扶危助困，志愿服务温情化。通过结队帮扶、包楼照料等机制，各社区共对30余位孤寡老人和20余位残疾、病困群众提供打扫卫生、物品维修、陪伴遛弯、代买物资、送医院就医等服务。（东辛房街道）',
  ),
  section(
    '新时代文明实践',
    '**斋堂镇多策并举全力推进新时代文明实践工作** 一是多点共建夯实两级阵地。在30个村居新时代文明实践站打造红色教育基地、烈士陵园、冀热察挺进军纪念馆等主题特色教育实践基地，实现新时代文明实践所（站）全覆盖。结合群众需求和特色，推出“村级趣味运动会”“体质促进挑战赛”等文明实践主题活动。二是服务群众打造多样品牌。开展“文明实践课堂”“群众议事 理论走亲”“党史人人讲”“做新时代雷锋精神传人”等新风培育活动600余场次，举办星火工程演出等实践活动10余场次。围绕疫情防控，组建战“疫”志愿服务队30支，积极参与封闭管理、核酸检测、物资配送等志愿服务活动900余场次。三是移风易俗共育时代新风。开展“抵制高价彩礼 弘扬婚嫁新风”主题宣传实践活动30余场次。通过微信公众号，积极开展“讲文明 树新风”线上主题宣传。发挥各村村规民约、红白理事会教育引导和规范约束作用，通过建立村民议事厅、道德红黑榜等方式，广泛开展道德评议、“洁净家园”“乡村十礼”等活动1200余场次。（斋堂镇）',
  ),
  section(
    '简讯',
    '**【文明培育】区农业农村局：**近日，联合区委党校到妙峰山镇斜河涧村开展习近平新时代中国特色社会主义思想进农村宣讲活动。**区科信局、区残联、城子街道、永定镇、清水镇**也开展了相关文明培育活动。',
    '**【文明实践】区税务局：**近日，组织机关干部到莲石湖公园开展“永定奋进向未来 科学防疫我先行”志愿服务活动，清理2.5公里路面垃圾杂物。**区残联**也开展了相关活动。',
    '**【综合整治】东辛房街道：**近日，开展环境秩序综合整治，围绕疫情防控、牌匾规范、“门前三包”等开展专项检查10余次，覆盖商户80余家，整治店外经营问题6起、违规电子显示屏4处、停车秩序问题13起、环境卫生问题10余起。**城子街道、妙峰山镇、永定镇**也开展了相关工作。',
  ),
];

const DISPATCH =
  '王建华9日到永定镇调研指导创城工作，先后到石门营文化公园（石门营广场）、永定镇政府周边和冯村北里社区查看各项指标落实情况，永定镇主要负责同志陪同。王建华要求：各单位要对照测评体系逐项自查，发现问题立行立改，确保整改到位。（本刊）';

/** The 1-, 2- and 3-page issues the layout is checked on (and previewed in LibreOffice). */
export const SAMPLES: Record<string, BulletinDocument> = {
  'one-page': {
    letterhead,
    issueNumber: 672,
    date: '2026-11-25',
    sections: [
      section('指挥调度', DISPATCH),
      { ...REFERENCE_SECTIONS[4], paragraphs: REFERENCE_SECTIONS[4].paragraphs.slice(1, 2) },
    ],
  },
  'issue-671': { letterhead, issueNumber: 671, date: '2022-04-07', sections: REFERENCE_SECTIONS },
  'three-page': {
    letterhead,
    issueNumber: 673,
    date: '2026-12-02',
    sections: [
      section('指挥调度', DISPATCH, DISPATCH),
      ...REFERENCE_SECTIONS.slice(0, 2),
      REFERENCE_SECTIONS[4],
    ],
  },
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

describe('layout helpers', () => {
  it('measures CJK as one character width and ASCII as half', () => {
    expect(displayWidth('2026年11月25日')).toBe(7);
    expect(displayWidth('门头沟区')).toBe(4);
  });

  it('steps the size down until the text fits the 版心', () => {
    // 21 characters plus a 7.5-character date and a 2-character gap: 三号 is too wide for 156 mm.
    const line = '门头沟区创建全国文明城市工作领导小组办公室一一2026年11月25日';
    expect(fitSize(line, TEXT_WIDTH, [32, 30, 28, 24])).toBe(28);
    expect(fitSize('短', TEXT_WIDTH, [32, 28])).toBe(32);
    expect(fitSize('长'.repeat(100), TEXT_WIDTH, [32, 28])).toBe(28);
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

  it.each(['一要提高站位，强化担当。', '【综合整治】东辛房街道：', '城子街道、永定镇'])(
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

/** The XML of one part of a .docx. */
const part = (buf: Buffer, name: string): string => readZipEntry(buf, name).toString('utf8');

/** Each `<w:tbl>…</w:tbl>` of a part, in order (the 快报 has no nested tables). */
const tables = (xml: string): string[] => xml.match(/<w:tbl>[\s\S]*?<\/w:tbl>/g) ?? [];

/** Each `<w:p>…</w:p>` of a part that holds `text`. */
const paragraphsWith = (xml: string, text: string): string[] =>
  (xml.match(/<w:p>(?:(?!<\/w:p>)[\s\S])*<\/w:p>/g) ?? []).filter((p) => p.includes(text));

describe('renderDocx layout (GB/T 9704 as a 快报 applies it)', () => {
  let buffer: Buffer;
  let xml: string;

  beforeAll(async () => {
    buffer = await renderDocx(document);
    xml = part(buffer, 'word/document.xml');
  });

  it('sets A4 with 天头 37 mm, 订口 28 mm and a 156 × 225 mm 版心', () => {
    expect(xml).toContain('<w:pgSz w:w="11906" w:h="16838" w:orient="portrait"/>');
    const margins = /<w:pgMar ([^>]*)\/>/.exec(xml)?.[1] ?? '';
    const attr = (name: string) => Number(new RegExp(`w:${name}="(\\d+)"`).exec(margins)?.[1]);
    expect(attr('top')).toBe(2098); // 37 mm
    expect(attr('left')).toBe(1587); // 28 mm
    expect((11906 - attr('left') - attr('right')) / (1440 / 25.4)).toBeCloseTo(156, 0);
    expect((16838 - attr('top') - attr('bottom')) / (1440 / 25.4)).toBeCloseTo(225, 0);
  });

  it('sets the body in 三号仿宋 on a fixed 28 pt pitch, 28 characters to the line, in Chinese', () => {
    const defaults = /<w:docDefaults>[\s\S]*<\/w:docDefaults>/.exec(
      part(buffer, 'word/styles.xml'),
    )?.[0];
    expect(defaults).toContain('w:eastAsia="仿宋_GB2312"');
    expect(defaults).toContain('w:ascii="仿宋_GB2312"');
    expect(defaults).toContain('<w:sz w:val="32"/>');
    expect(defaults).toContain('<w:lang w:val="en-US" w:eastAsia="zh-CN"/>');
    // 28 characters of 16 pt less the spacing fit the 156 mm line (in twips).
    const spacing = Number(/<w:spacing w:val="(-\d+)"\/>/.exec(defaults ?? '')?.[1]);
    expect(28 * (320 + spacing)).toBeLessThanOrEqual(TEXT_WIDTH);
    expect(27 * (320 + spacing) + 320).toBeGreaterThan(TEXT_WIDTH - 320);
    const [body] = paragraphsWith(xml, '坚持高标准。');
    expect(body).toContain('<w:spacing w:line="560" w:lineRule="exact"/>');
    expect(body).toContain('<w:ind w:firstLine="640"/>');
    expect(body).toContain('<w:widowControl/>');
  });

  it('prints the 刊名 red in 方正小标宋简体, the 刊名 proper largest, without faux bold', () => {
    const [masthead] = paragraphsWith(xml, '工作快报');
    expect(masthead).toContain('w:eastAsia="方正小标宋简体"');
    expect(masthead.match(/<w:color w:val="FF0000"\/>/g)).toHaveLength(2);
    expect(masthead).not.toMatch(/<w:b\/>/);
    const size = (text: string) =>
      Number(
        new RegExp(`<w:sz w:val="(\\d+)"/>(?:(?!</w:r>)[\\s\\S])*<w:t[^>]*>${text}</w:t>`).exec(
          masthead,
        )?.[1],
      );
    expect(size('工作快报')).toBe(84); // 初号
    expect(size('门头沟区创建全国文明城市')).toBe(52); // 一号
  });

  it('puts the office left and the date right in one row over a red rule, at a size where both fit', () => {
    const [issuer] = tables(xml);
    expect(issuer).toContain('门头沟区创建全国文明城市工作领导小组办公室');
    expect(issuer).toContain('2026年11月22日');
    expect(issuer.match(/<w:tc>/g)).toHaveLength(2);
    expect(issuer).not.toContain('<w:tblpPr');
    const widths = [...issuer.matchAll(/<w:gridCol w:w="(\d+)"\/>/g)].map((m) => Number(m[1]));
    expect(widths.reduce((a, b) => a + b)).toBe(TEXT_WIDTH);
    // 四号: 21 characters of office and 7 of date at 14 pt fit the columns; 三号 would not.
    const size = Number(/<w:sz w:val="(\d+)"\/>/.exec(issuer)?.[1]);
    expect(size).toBe(28);
    expect(21 * size * 10).toBeLessThanOrEqual(widths[0]);
    expect(7 * size * 10).toBeLessThanOrEqual(widths[1]);
    expect(issuer).toMatch(/<w:jc w:val="right"\/>(?:(?!<\/w:p>)[\s\S])*2026年11月22日/);
    expect(issuer.match(/<w:bottom w:val="single" w:color="FF0000"/g)).toHaveLength(2);
    expect(issuer).toContain('<w:tblLayout w:type="fixed"/>');
  });

  it('sets 【heading】 in 黑体 and keeps it with the paragraph after it', () => {
    const [heading] = paragraphsWith(xml, '【指挥调度】');
    expect(heading).toContain('w:eastAsia="黑体"');
    expect(heading).toContain('<w:keepNext/>');
  });

  it('floats the 版记 to the foot of the text area, between a thick, a thin and a thick rule', () => {
    const all = tables(xml);
    const block = all[all.length - 1];
    expect(block).toMatch(/<w:tblpPr [^>]*w:vertAnchor="margin"/);
    expect(block).toMatch(/<w:tblpPr [^>]*w:tblpYSpec="bottom"/);
    expect(block).toContain('<w:tblOverlap w:val="never"/>');
    // Nothing but the empty anchor paragraph after it: it closes the last page.
    const after = xml.slice(xml.lastIndexOf('</w:tbl>') + '</w:tbl>'.length);
    expect(after.replace(/<w:sectPr>[\s\S]*<\/w:sectPr>/, '')).not.toContain('<w:t');
    const rows = block.match(/<w:tr>[\s\S]*?<\/w:tr>/g) ?? [];
    expect(rows.map((r) => /<w:t[^>]*>([^<]*)<\/w:t>/.exec(r)?.[1])).toEqual([
      '编校：李国栋      审核：张东辉      核签：李争三',
      '报：首都文明办、区委、区人大、区政府、区政协领导同志',
      '发：全区各单位主要领导、创城工作主管领导、信息员',
      '电子邮箱：mtgccbxcz@bjmtg.gov.cn      电话：69822006',
    ]);
    const rules = (row: string) =>
      [...row.matchAll(/<w:(top|bottom) w:val="single" w:color="000000" w:sz="(\d+)"/g)].map(
        (m) => `${m[1]}:${m[2]}`,
      );
    expect(rows.map(rules)).toEqual([['top:8'], [], [], ['top:6', 'bottom:8']]);
    // 四号, and 报：/发： wrap under the first name.
    expect(rows[0]).toContain('<w:sz w:val="28"/>');
    expect(rows[1]).toContain('<w:ind w:left="560" w:hanging="560"/>');
  });

  it('numbers the pages — 1 —: odd pages right, even pages left, in 四号宋体', () => {
    const sect = /<w:sectPr>[\s\S]*<\/w:sectPr>/.exec(xml)?.[0] ?? '';
    expect(sect).toMatch(/<w:footerReference w:type="default"/);
    expect(sect).toMatch(/<w:footerReference w:type="even"/);
    expect(part(buffer, 'word/settings.xml')).toContain('<w:evenAndOddHeaders/>');
    const footers = ['word/footer1.xml', 'word/footer2.xml'].map((name) => part(buffer, name));
    for (const footer of footers) {
      const text = footer
        .replace(/<w:instrText[^>]*>([^<]*)<\/w:instrText>/g, '{$1}')
        .replace(/<w:t[^>]*>([^<]*)<\/w:t>/g, '$1')
        .replace(/<[^>]+>/g, '');
      expect(text).toBe('— {PAGE} —');
      expect(footer).toContain('<w:fldChar w:fldCharType="begin"/>');
      expect(footer).toContain('w:eastAsia="宋体"');
      expect(footer).toContain('<w:sz w:val="28"/>');
    }
    const [odd, even] = footers;
    expect([odd, even].map((f) => /<w:jc w:val="(\w+)"\/>/.exec(f)?.[1]).sort()).toEqual([
      'left',
      'right',
    ]);
    const rels = part(buffer, 'word/_rels/document.xml.rels');
    const target = (type: string) => {
      const id = new RegExp(`<w:footerReference w:type="${type}" r:id="(\\w+)"`).exec(sect)?.[1];
      return new RegExp(`Id="${id}"[^>]*Target="([^"]+)"`).exec(rels)?.[1];
    };
    expect(part(buffer, `word/${target('default')}`)).toContain('<w:jc w:val="right"/>');
    expect(part(buffer, `word/${target('even')}`)).toContain('<w:jc w:val="left"/>');
  });

  it('names each font with a Windows fallback in the font table', () => {
    const fonts = part(buffer, 'word/fontTable.xml');
    const altName = (name: string) =>
      new RegExp(`<w:font w:name="${name}"><w:altName w:val="([^"]+)"/>`).exec(fonts)?.[1];
    expect(altName('方正小标宋简体')).toBe('宋体');
    expect(altName('仿宋_GB2312')).toBe('仿宋');
    expect(altName('楷体_GB2312')).toBe('楷体');
    expect(altName('黑体')).toBe('SimHei');
    expect(altName('宋体')).toBe('SimSun');
    expect(fonts.match(/<w:charset w:val="86"\/>/g)?.length).toBe(fonts.match(/<w:font /g)?.length);
    // Every font a run names is in the table.
    const named = new Set(
      [xml, part(buffer, 'word/styles.xml'), part(buffer, 'word/footer1.xml')].flatMap((x) =>
        [...x.matchAll(/w:eastAsia="([^"]+)"/g)].map((m) => m[1]).filter((f) => f !== 'zh-CN'),
      ),
    );
    for (const font of named) expect(fonts).toContain(`<w:font w:name="${font}">`);
    expect(part(buffer, 'word/_rels/document.xml.rels')).toContain('Target="fontTable.xml"');
    expect(part(buffer, '[Content_Types].xml')).toContain('/word/fontTable.xml');
  });

  it('leaves out 版记 fields that are empty, and a row whose fields all are', async () => {
    const buf = await renderDocx({
      ...document,
      letterhead: { ...letterhead, reviewer: '', approver: ' ', email: '', phone: '' },
    });
    const all = tables(part(buf, 'word/document.xml'));
    const rows = all[all.length - 1].match(/<w:tr>[\s\S]*?<\/w:tr>/g) ?? [];
    expect(rows).toHaveLength(3);
    expect(rows[0]).toContain('>编校：李国栋</w:t>');
    // The closing thick rule moves onto the last row left.
    expect(rows[2]).toMatch(/<w:bottom w:val="single" w:color="000000" w:sz="8"/);
  });
});

describe('renderDocx with hostile text', () => {
  const HOSTILE =
    'A & B <w:t>x</w:t> ]]> \u0001\u0008\u000b\u000c\u001f\uFFFE\uFFFF\uD800 lone\uDC00 ok😀';
  let buffer: Buffer;

  beforeAll(async () => {
    buffer = await renderDocx({
      letterhead: {
        ...letterhead,
        title: `门头沟区\u0001 工作快报<script>`,
        office: `办公室\n\n${HOSTILE}`,
        editor: HOSTILE,
        reportTo: '<w:p>报</w:p>',
      },
      issueNumber: 9,
      date: '2026-11-22',
      sections: [section(`指挥\uFFFF调度 & <b>`, `**${HOSTILE}**${HOSTILE}`)],
    });
  });

  it.each([
    'word/document.xml',
    'word/styles.xml',
    'word/fontTable.xml',
    'word/footer1.xml',
    'word/footer2.xml',
    'docProps/core.xml',
  ])('writes %s as well-formed XML', (name) => {
    const parser = new SaxesParser();
    parser.on('error', (e) => {
      throw e;
    });
    expect(() => parser.write(part(buffer, name)).close()).not.toThrow();
  });

  it('keeps the text, escaped, without the characters XML forbids', async () => {
    const clean = 'A & B <w:t>x</w:t> ]]>  lone ok😀';
    const lines = (await extractDocxText(buffer)).split('\n');
    expect(lines.slice(0, 3)).toEqual(['门头沟区', '工作快报<script>', '第9期']);
    expect(lines[3]).toBe(`办公室${clean}\t2026年11月22日`);
    expect(lines).toContain('【指挥调度 & <b>】');
    expect(lines).toContain(`${clean}${clean}`);
    expect(lines).toContain(`编校：${clean}      审核：张东辉      核签：李争三`);
    expect(lines).toContain('报：<w:p>报</w:p>');
    const xml = part(buffer, 'word/document.xml');
    expect(xml).toContain('A &amp; B &lt;w:t&gt;x&lt;/w:t&gt;');
    // eslint-disable-next-line no-control-regex -- looking for control characters is the point
    expect(xml).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\uFFFE\uFFFF]/);
    expect(part(buffer, 'docProps/core.xml')).not.toContain('\u0001');
  });
});

describe('renderDocx on 1-, 2- and 3-page issues', () => {
  const rendered: Record<string, Buffer> = {};

  beforeAll(async () => {
    for (const [name, doc] of Object.entries(SAMPLES)) rendered[name] = await renderDocx(doc);
    // BULLETIN_PREVIEW_DIR=/tmp/x writes them out, to convert with soffice and look at.
    const dir = process.env.BULLETIN_PREVIEW_DIR;
    if (dir) {
      mkdirSync(dir, { recursive: true });
      for (const [name, buf] of Object.entries(rendered))
        writeFileSync(join(dir, `${name}.docx`), buf);
    }
  });

  it.each(Object.keys(SAMPLES))('writes well-formed XML for %s', (name) => {
    for (const part of ['word/document.xml', 'word/fontTable.xml', 'word/footer1.xml']) {
      const parser = new SaxesParser();
      parser.on('error', (e) => {
        throw e;
      });
      expect(() =>
        parser.write(readZipEntry(rendered[name], part).toString('utf8')).close(),
      ).not.toThrow();
    }
  });
});
