import {
  AlignmentType,
  BorderStyle,
  Document,
  LineRuleType,
  Packer,
  Paragraph,
  Tab,
  TabStopType,
  TextRun,
} from 'docx';
import type { IBorderOptions } from 'docx';

import { stripXmlForbidden } from '../../common/xml-text.js';
import type { BulletinDocument } from './bulletin-model.js';
import { parseBulletinText } from './bulletin-text.js';
import { footerLines } from './markdown-renderer.js';
import { formatChineseDate } from './number-style.js';

// Fonts are only names in the file; Word substitutes when the printer's PC lacks them. These are
// the ones Chinese government documents are set in (GB/T 9704).
const TITLE_FONT = '方正小标宋简体';
const HEADING_FONT = '黑体';
const BODY_FONT = '仿宋_GB2312';

const RED = 'FF0000';
const BLACK = '000000';

// Sizes are in half-points: 小初 36 pt masthead, 三号 16 pt body, 四号 14 pt footer.
const TITLE_SIZE = 72;
const BODY_SIZE = 32;
const FOOTER_SIZE = 28;

// A4 with the GB/T 9704 margins (3.7 / 3.5 / 2.8 / 2.6 cm), in twips.
const PAGE_WIDTH = 11906;
const PAGE_HEIGHT = 16838;
const MARGIN = { top: 2098, bottom: 1984, left: 1588, right: 1474 };
const TEXT_WIDTH = PAGE_WIDTH - MARGIN.left - MARGIN.right;

// Two body characters of first-line indent, and the fixed 28 pt line pitch of official documents.
const FIRST_LINE_INDENT = 2 * BODY_SIZE * 10;
const LINE_PITCH = 560;

const RED_RULE: IBorderOptions = { style: BorderStyle.SINGLE, size: 18, color: RED, space: 4 };
const FOOTER_RULE: IBorderOptions = { style: BorderStyle.SINGLE, size: 8, color: BLACK, space: 4 };

/** The spans of a paragraph's text (see bulletin-text.ts): bold runs come only from its markup. */
export const splitBoldSpans = parseBulletinText;
export type { TextSpan } from './bulletin-text.js';

/** The masthead splits at whitespace into lines, as issue 671 prints '…文明城市' over '工作快报'. */
function masthead(title: string): Paragraph {
  const lines = title.trim().split(/\s+/);
  return new Paragraph({
    alignment: AlignmentType.CENTER,
    spacing: { after: 240 },
    children: lines.map(
      (line, i) =>
        new TextRun({
          text: line,
          break: i === 0 ? undefined : 1,
          bold: true,
          color: RED,
          size: TITLE_SIZE,
          font: TITLE_FONT,
        }),
    ),
  });
}

function bodyParagraph(text: string): Paragraph {
  return new Paragraph({
    alignment: AlignmentType.BOTH,
    indent: { firstLine: FIRST_LINE_INDENT },
    spacing: { line: LINE_PITCH, lineRule: LineRuleType.EXACT },
    // Plain runs inherit the default weight rather than writing an explicit 'not bold'.
    children: splitBoldSpans(text).map(
      (span) => new TextRun(span.bold ? { text: span.text, bold: true } : span.text),
    ),
  });
}

/**
 * The bulletin as a Word document, the form the office prints and forwards: red masthead, 第N期,
 * office and date over a red rule, 【heading】 sections, then the sign-off and distribution block
 * under a black rule. Sections without paragraphs are left out, as in the Markdown.
 */
export async function renderDocx(doc: BulletinDocument): Promise<Buffer> {
  const { letterhead } = doc;
  const footer = footerLines(letterhead);
  const children: Paragraph[] = [
    masthead(letterhead.title),
    new Paragraph({
      alignment: AlignmentType.CENTER,
      children: [new TextRun({ text: `第${doc.issueNumber}期` })],
    }),
    new Paragraph({
      tabStops: [{ type: TabStopType.RIGHT, position: TEXT_WIDTH }],
      border: { bottom: RED_RULE },
      spacing: { before: 240, after: 360 },
      children: [
        new TextRun({ text: letterhead.office }),
        new TextRun({ children: [new Tab(), formatChineseDate(doc.date)] }),
      ],
    }),
  ];
  for (const section of doc.sections) {
    if (section.paragraphs.length === 0) continue;
    children.push(
      new Paragraph({
        spacing: { before: 240, after: 120 },
        keepNext: true,
        children: [new TextRun({ text: `【${section.heading}】`, bold: true, font: HEADING_FONT })],
      }),
      ...section.paragraphs.map((p) => bodyParagraph(p.text)),
    );
  }
  const footerRun = (text: string): TextRun =>
    new TextRun({ text: stripXmlForbidden(text), size: FOOTER_SIZE });
  children.push(
    new Paragraph({
      border: { top: FOOTER_RULE },
      spacing: { before: 480 },
      keepNext: true,
      children: [footerRun(footer.signOff)],
    }),
    new Paragraph({ keepNext: true, children: [footerRun(footer.reportTo)] }),
    new Paragraph({ keepNext: true, children: [footerRun(footer.sendTo)] }),
    new Paragraph({ border: { top: FOOTER_RULE }, children: [footerRun(footer.contact)] }),
  );

  const document = new Document({
    title: `${letterhead.title} 第${doc.issueNumber}期`,
    creator: letterhead.office,
    styles: { default: { document: { run: { font: BODY_FONT, size: BODY_SIZE } } } },
    sections: [
      {
        properties: { page: { size: { width: PAGE_WIDTH, height: PAGE_HEIGHT }, margin: MARGIN } },
        children,
      },
    ],
  });
  return Packer.toBuffer(document);
}
