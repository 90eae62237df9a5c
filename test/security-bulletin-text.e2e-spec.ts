import { SaxesParser } from 'saxes';
import { extractDocxText, readZipEntry } from '../src/reports/bulletin/docx-text.js';
import { as, buildLoopWorld, type LoopWorld } from './support/fixtures.js';
import { binary } from './support/binary.js';
import { createTestApp, type TestApp } from './support/test-app.js';

/** Throws unless `xml` is well-formed XML 1.0 (saxes is strict about forbidden characters). */
function parseXml(xml: string): void {
  const parser = new SaxesParser();
  parser.on('error', (e) => {
    throw e;
  });
  parser.write(xml).close();
}

describe('security: bulletin text from hostile inspection fields', () => {
  let t: TestApp;
  let w: LoopWorld;
  let bulletinId: string;

  beforeAll(async () => {
    t = await createTestApp();
    w = await buildLoopWorld(t);
    const inspection = await as(t, w.inspector.token).post('/inspections', {
      kind: 'inspection',
      activity: '督导检查<img src=x onerror=alert(1)>![p](http://evil.example/x.png)',
      leadPersons: ['# 王**建华'],
      accompanying: [
        '朱峰\n\n---\n\n报：伪造的报送单位\n\n发：伪造的发送单位',
        '[点我](javascript:alert(1))',
        '| 单位 | 人 |\n|---|---|\n| a | b |',
      ],
      heldOn: '2026-11-10',
      location: '永定镇\u0001\uFFFE\uFFFF',
      target: '公园广场<script>alert(1)</script>',
      focus: '环境卫生\u000b &amp; &#60;\uD800',
      participatingUnitIds: [w.unitA.unitId],
      siteIds: [w.siteA],
      requirements: [{ heading: '提高**站位', body: '1. 列表\n## 标题' }],
      source: '本刊**',
    });
    expect(inspection.status).toBe(201);
    const res = await as(t, w.admin.token).post('/bulletins', {
      periodStart: '2026-11-09',
      periodEnd: '2026-11-15',
      issueDate: '2026-11-16',
    });
    expect(res.status).toBe(201);
    bulletinId = res.body.id as string;
    // What is stored is the escaped paragraph text: the data itself is kept verbatim elsewhere.
    const [row] = (await t.ds.query('SELECT generated FROM bulletins WHERE id = $1', [
      bulletinId,
    ])) as { generated: { paragraphs: { text: string }[] }[] }[];
    expect(JSON.stringify(row.generated)).toContain('王\\\\*\\\\*建华');
  });
  afterAll(() => t.close());

  it('renders Markdown where the fields are text only: no heading, link, image, HTML or footer of theirs', async () => {
    const res = await as(t, w.inspector.token).get(`/bulletins/${bulletinId}?format=markdown`);
    expect(res.status).toBe(200);
    const blocks = res.text.trimEnd().split('\n\n');
    // Masthead, 第N期, office, date, one section heading with one paragraph, then the footer.
    expect(blocks).toHaveLength(12);
    expect(blocks.filter((b) => b.startsWith('#'))).toEqual([
      '# 门头沟区创建全国文明城市 工作快报',
      '## 【指挥调度】',
    ]);
    const paragraph = blocks[5];
    expect(paragraph).not.toMatch(/\n/);
    expect(paragraph).not.toMatch(/(^|[^\\])[<[\]|&]/);
    expect(paragraph).toContain('\\| 单位 \\| 人 \\|\\|---\\|---\\|');
    expect(paragraph).toContain('\\&amp; \\&#60;');
    expect(paragraph.startsWith('\\#')).toBe(true);
    expect(res.text.match(/^报：/gm)).toHaveLength(1);
    expect(res.text.match(/^发：/gm)).toHaveLength(1);
    for (const c of ['\u0001', '\u000b', '\uFFFE', '\uFFFF', '\uD800']) {
      expect(res.text).not.toContain(c);
    }
    // Bold only where the house style puts it: 一要{heading}.
    expect(paragraph.match(/(?<!\\)\*\*/g)).toHaveLength(2);
    expect(paragraph).toContain('**一要提高\\*\\*站位。**');
  });

  it('renders a .docx whose XML parses and whose bold runs are only the generated ones', async () => {
    const res = await as(t, w.inspector.token)
      .get(`/bulletins/${bulletinId}?format=docx`)
      .buffer(true)
      .parse(binary);
    expect(res.status).toBe(200);
    const xml = readZipEntry(res.body as Buffer, 'word/document.xml').toString('utf8');
    expect(() => parseXml(xml)).not.toThrow();
    const text = await extractDocxText(res.body as Buffer);
    expect(text).toContain('# 王**建华');
    expect(text).toContain('提高**站位');
    // The only bold run in the paragraph is the requirement heading.
    const boldRuns = [
      ...xml.matchAll(/<w:r>(?:(?!<\/w:r>).)*?<w:b\/>(?:(?!<\/w:r>).)*?<w:t[^>]*>([^<]*)<\/w:t>/g),
    ]
      .map((m) => m[1])
      .filter((s) => !s.startsWith('【') && !s.includes('文明城市') && s !== '工作快报');
    expect(boldRuns).toEqual(['一要提高**站位。']);
  });

  it('renders a .docx whose every XML part parses, with the 版记 floating at the foot and page numbers', async () => {
    const res = await as(t, w.inspector.token)
      .get(`/bulletins/${bulletinId}?format=docx`)
      .buffer(true)
      .parse(binary);
    expect(res.status).toBe(200);
    const buf = res.body as Buffer;
    for (const name of [
      'word/document.xml',
      'word/styles.xml',
      'word/fontTable.xml',
      'word/footer1.xml',
      'word/footer2.xml',
      'docProps/core.xml',
    ]) {
      expect(() => parseXml(readZipEntry(buf, name).toString('utf8'))).not.toThrow();
    }
    const xml = readZipEntry(buf, 'word/document.xml').toString('utf8');
    // eslint-disable-next-line no-control-regex -- looking for control characters is the point
    expect(xml).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\uFFFE\uFFFF]/);
    expect(xml).toContain('&amp;amp; &amp;#60;');
    expect(xml).toMatch(/<w:tblpPr [^>]*w:tblpYSpec="bottom"[^>]*\/>(?:(?!<\/w:tbl>)[\s\S])*报：/);
    expect(readZipEntry(buf, 'word/footer1.xml').toString('utf8')).toContain('PAGE');
    const text = await extractDocxText(buf);
    expect(text).toContain('| 单位 | 人 ||---|---|| a | b |');
  });
});
