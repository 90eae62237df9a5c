import type { BulletinDocument, BulletinLetterhead } from './bulletin-model.js';
import { paragraphMarkdown } from './bulletin-text.js';
import { formatChineseDate } from './number-style.js';

// Issue 671 sets the footer items apart with six spaces on one line.
const FOOTER_GAP = '      ';

/** The footer lines shared with the Word renderer, so both print the same block. */
export function footerLines(letterhead: BulletinLetterhead): {
  signOff: string;
  reportTo: string;
  sendTo: string;
  contact: string;
} {
  return {
    signOff: [
      `编校：${letterhead.editor}`,
      `审核：${letterhead.reviewer}`,
      `核签：${letterhead.approver}`,
    ].join(FOOTER_GAP),
    reportTo: `报：${letterhead.reportTo}`,
    sendTo: `发：${letterhead.sendTo}`,
    contact: [`电子邮箱：${letterhead.email}`, `电话：${letterhead.phone}`].join(FOOTER_GAP),
  };
}

/**
 * The bulletin as Markdown, laid out like issue 671: masthead, 第N期, office, date, one
 * `## 【heading】` per section, then the footer between `---` rules. Blocks are separated by a
 * blank line. A paragraph's bold spans become `**…**` and everything else in it is escaped, so
 * what inspectors typed cannot add headings, links, images, HTML or a forged 报/发 block. A
 * section without paragraphs is left out rather than printed as a bare heading.
 */
export function renderMarkdown(doc: BulletinDocument): string {
  const { letterhead } = doc;
  const footer = footerLines(letterhead);
  const blocks: string[] = [
    `# ${letterhead.title}`,
    `第${doc.issueNumber}期`,
    letterhead.office,
    formatChineseDate(doc.date),
  ];
  for (const section of doc.sections) {
    if (section.paragraphs.length === 0) continue;
    blocks.push(
      `## 【${section.heading}】`,
      ...section.paragraphs.map((p) => paragraphMarkdown(p.text)),
    );
  }
  blocks.push('---', footer.signOff, footer.reportTo, footer.sendTo, '---', footer.contact);
  return `${blocks.join('\n\n')}\n`;
}
