import {
  AlignmentType,
  BorderStyle,
  Document,
  Footer,
  HeightRule,
  LineRuleType,
  OverlapType,
  Packer,
  PageNumber,
  Paragraph,
  RelativeVerticalPosition,
  Table,
  TableAnchorType,
  TableCell,
  TableLayoutType,
  TableRow,
  TextRun,
  VerticalAlignTable,
  WidthType,
} from 'docx';
import type { IBorderOptions, ITableCellBorders } from 'docx';

import type { BulletinDocument } from './bulletin-model.js';
import { parseBulletinText } from './bulletin-text.js';
import {
  BLACK,
  BODY_CHARACTER_SPACING,
  displayWidth,
  fitSize,
  FONT,
  fontsOf,
  fontTableXml,
  LINE_PITCH,
  MARGIN,
  mm,
  PAGE,
  RED,
  RULE,
  SIZE,
  TEXT_WIDTH,
} from './docx-layout.js';
import { footerLines } from './markdown-renderer.js';
import { formatChineseDate } from './number-style.js';
import { plainLine } from './render-text.js';

/** The spans of a paragraph's text (see bulletin-text.ts): bold runs come only from its markup. */
export const splitBoldSpans = parseBulletinText;
export type { TextSpan } from './bulletin-text.js';

const NO_BORDER: IBorderOptions = { style: BorderStyle.NONE, size: 0, color: 'auto' };
const rule = (size: number, color = BLACK): IBorderOptions => ({
  style: BorderStyle.SINGLE,
  size,
  color,
  space: 0,
});
const cellBorders = (top = NO_BORDER, bottom = NO_BORDER): ITableCellBorders => ({
  top,
  bottom,
  left: NO_BORDER,
  right: NO_BORDER,
});

/**
 * The 刊名 in red 方正小标宋简体, one line per whitespace-separated part of the title, as issue
 * 671 prints '门头沟区创建全国文明城市' over '工作快报'. The last part is the 刊名 proper and set
 * largest; each line is made as large as still fits the 版心 on one line.
 */
function masthead(title: string): Paragraph {
  const lines = plainLine(title).trim().split(/\s+/).filter(Boolean);
  return new Paragraph({
    alignment: AlignmentType.CENTER,
    spacing: { before: 0, after: 120 },
    children: lines.map((line, i) => {
      const last = i === lines.length - 1;
      // 初号 for the 刊名, 一号 for the lines over it; smaller only when a line would not fit.
      const sizes = last
        ? [SIZE.chu, SIZE.xiaochu, SIZE.yi, SIZE.er, SIZE.san]
        : [SIZE.yi, SIZE.er, SIZE.san, SIZE.si];
      return new TextRun({
        text: line,
        break: i === 0 ? undefined : 1,
        color: RED,
        size: fitSize(line, TEXT_WIDTH, sizes),
        font: fontsOf(FONT.title),
      });
    }),
  });
}

/**
 * 主办单位 left and the date right on one line, over the red rule: a borderless two-cell table
 * whose bottom edge is the rule. The size steps down from 三号 until both fit side by side, so the
 * date never wraps under the office name.
 */
function issuerLine(office: string, date: string): Table {
  const gap = 2;
  const size = fitSize(`${office}${'一'.repeat(gap)}${date}`, TEXT_WIDTH, [
    SIZE.san,
    SIZE.xiaosan,
    SIZE.si,
    SIZE.xiaosi,
  ]);
  const dateWidth = Math.ceil((displayWidth(date) + 1) * size * 10);
  const redRule = rule(18, RED);
  const cell = (
    text: string,
    alignment: (typeof AlignmentType)[keyof typeof AlignmentType],
    width: number,
  ) =>
    new TableCell({
      width: { size: width, type: WidthType.DXA },
      borders: cellBorders(NO_BORDER, redRule),
      margins: { top: 0, bottom: mm(3), left: 0, right: 0 },
      verticalAlign: VerticalAlignTable.BOTTOM,
      children: [
        new Paragraph({
          alignment,
          spacing: { line: LINE_PITCH, lineRule: LineRuleType.EXACT },
          children: [new TextRun({ text, size, font: fontsOf(FONT.body) })],
        }),
      ],
    });
  return new Table({
    width: { size: TEXT_WIDTH, type: WidthType.DXA },
    columnWidths: [TEXT_WIDTH - dateWidth, dateWidth],
    layout: TableLayoutType.FIXED,
    rows: [
      new TableRow({
        cantSplit: true,
        children: [
          cell(office, AlignmentType.LEFT, TEXT_WIDTH - dateWidth),
          cell(date, AlignmentType.RIGHT, dateWidth),
        ],
      }),
    ],
  });
}

/** 【heading】 in 三号黑体, kept with the paragraph after it so it never ends a page. */
function sectionHeading(heading: string): Paragraph {
  return new Paragraph({
    keepNext: true,
    keepLines: true,
    spacing: { before: LINE_PITCH / 2, line: LINE_PITCH, lineRule: LineRuleType.EXACT },
    children: [new TextRun({ text: `【${plainLine(heading)}】`, font: fontsOf(FONT.heading) })],
  });
}

function bodyParagraph(text: string): Paragraph {
  return new Paragraph({
    alignment: AlignmentType.BOTH,
    indent: { firstLine: 2 * SIZE.san * 10 },
    widowControl: true,
    spacing: { line: LINE_PITCH, lineRule: LineRuleType.EXACT },
    // Plain runs inherit the default weight rather than writing an explicit 'not bold'.
    children: splitBoldSpans(text).map(
      (span) => new TextRun(span.bold ? { text: span.text, bold: true } : span.text),
    ),
  });
}

/**
 * The 版记 (编校/审核/核签, 报, 发, contact) as GB/T 9704 sets it: 四号仿宋 between rules, the
 * first and last thick and the one between thin, one character in from either side. The table
 * floats to the bottom of the text area of the page it falls on, so it closes the last page
 * however much text is above it; Word and LibreOffice both place a floating table by tblpPr.
 */
function versionBlock(lines: ReturnType<typeof footerLines>): Table {
  const rows: { text: string; top?: IBorderOptions; bottom?: IBorderOptions; hanging?: number }[] =
    [
      { text: lines.signOff, top: rule(RULE.thick) },
      { text: lines.reportTo, hanging: 2 },
      { text: lines.sendTo, hanging: 2 },
      { text: lines.contact, top: rule(RULE.thin), bottom: rule(RULE.thick) },
    ].filter((row) => row.text !== '');
  // A row left out takes its rules with it onto its neighbour.
  if (rows.length > 0) {
    rows[0].top ??= rule(RULE.thick);
    rows[rows.length - 1].bottom ??= rule(RULE.thick);
  }
  const oneChar = SIZE.si * 10;
  return new Table({
    width: { size: TEXT_WIDTH, type: WidthType.DXA },
    columnWidths: [TEXT_WIDTH],
    layout: TableLayoutType.FIXED,
    float: {
      // Anchored to the page edge at the left margin rather than centred in the margins: LibreOffice
      // imports a floating table as a floating frame only when text could stand beside it, which it
      // judges against the page width for a page-anchored table and the text width otherwise.
      horizontalAnchor: TableAnchorType.PAGE,
      absoluteHorizontalPosition: MARGIN.left,
      verticalAnchor: TableAnchorType.MARGIN,
      relativeVerticalPosition: RelativeVerticalPosition.BOTTOM,
      overlap: OverlapType.NEVER,
      // Half a line clear of the text above when the text reaches down to it.
      topFromText: LINE_PITCH / 2,
    },
    rows: rows.map(
      (row) =>
        new TableRow({
          cantSplit: true,
          height: { value: LINE_PITCH, rule: HeightRule.ATLEAST },
          children: [
            new TableCell({
              width: { size: TEXT_WIDTH, type: WidthType.DXA },
              borders: cellBorders(row.top, row.bottom),
              margins: { top: 0, bottom: 0, left: oneChar, right: oneChar },
              verticalAlign: VerticalAlignTable.CENTER,
              children: [
                new Paragraph({
                  // 报：/发： continuation lines align under the first name, not under 报.
                  indent: row.hanging
                    ? { left: row.hanging * oneChar, hanging: row.hanging * oneChar }
                    : undefined,
                  spacing: { line: LINE_PITCH, lineRule: LineRuleType.EXACT },
                  children: [new TextRun({ text: row.text, size: SIZE.si })],
                }),
              ],
            }),
          ],
        }),
    ),
  });
}

/**
 * The page number as GB/T 9704 prints it: 四号半角宋体 digits between 一字线, '— 1 —', 7 mm under
 * the 版心; odd pages right and even pages left, one character in from the edge.
 */
function pageNumberFooter(side: 'odd' | 'even'): Footer {
  const oneChar = SIZE.si * 10;
  const run = (children: (string | (typeof PageNumber)[keyof typeof PageNumber])[]) =>
    new TextRun({ children, size: SIZE.si, font: fontsOf(FONT.song) });
  return new Footer({
    children: [
      new Paragraph({
        alignment: side === 'odd' ? AlignmentType.RIGHT : AlignmentType.LEFT,
        indent: side === 'odd' ? { right: oneChar } : { left: oneChar },
        spacing: { line: SIZE.si * 10, lineRule: LineRuleType.EXACT },
        children: [run(['— ']), run([PageNumber.CURRENT]), run([' —'])],
      }),
    ],
  });
}

/**
 * The bulletin as a Word document, the form the office prints and forwards: red 刊名 and 期号,
 * office and date over a red rule, 【heading】 sections, the 版记 at the foot of the last page and
 * page numbers on every page. Sections without paragraphs are left out, as in the Markdown.
 */
export async function renderDocx(doc: BulletinDocument): Promise<Buffer> {
  const { letterhead } = doc;
  const footer = footerLines(letterhead);
  const title = plainLine(letterhead.title);
  const children: (Paragraph | Table)[] = [
    masthead(title),
    new Paragraph({
      alignment: AlignmentType.CENTER,
      spacing: { after: 240, line: LINE_PITCH, lineRule: LineRuleType.EXACT },
      children: [new TextRun({ text: `第${doc.issueNumber}期` })],
    }),
    issuerLine(plainLine(letterhead.office), formatChineseDate(doc.date)),
  ];
  for (const section of doc.sections) {
    if (section.paragraphs.length === 0) continue;
    children.push(
      sectionHeading(section.heading),
      ...section.paragraphs.map((p) => bodyParagraph(p.text)),
    );
  }
  // A body must end in a paragraph; this one is where the floating 版记 is anchored.
  children.push(
    versionBlock(footer),
    new Paragraph({ spacing: { line: 20, lineRule: LineRuleType.EXACT }, children: [] }),
  );

  const document = new Document({
    title: `${title} 第${doc.issueNumber}期`,
    creator: plainLine(letterhead.office),
    evenAndOddHeaderAndFooters: true,
    styles: {
      default: {
        document: {
          run: {
            font: fontsOf(FONT.body),
            size: SIZE.san,
            characterSpacing: BODY_CHARACTER_SPACING,
            // Chinese for the CJK text; digits and Latin as Word writes them on a Chinese PC, which
            // also keeps LibreOffice from breaking a number across lines ('3' / '0余次').
            language: { value: 'en-US', eastAsia: 'zh-CN' },
          },
        },
      },
    },
    sections: [
      {
        properties: {
          page: {
            size: PAGE,
            // The page number's 一字线 sit 7 mm under the 版心.
            margin: { ...MARGIN, header: mm(15), footer: MARGIN.bottom - mm(7) - SIZE.si * 10 },
          },
        },
        footers: { default: pageNumberFooter('odd'), even: pageNumberFooter('even') },
        children,
      },
    ],
  });
  return Packer.toBuffer(document, false, [{ path: 'word/fontTable.xml', data: fontTableXml() }]);
}
