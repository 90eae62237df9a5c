import type { BulletinDocument, BulletinLetterhead } from './bulletin-model.js';
import { paragraphMarkdown } from './bulletin-text.js';
import { formatChineseDate } from './number-style.js';
import { markdownLine, plainLine } from './render-text.js';

// Issue 671 sets the footer items apart with six spaces on one line.
const FOOTER_GAP = '      ';

/** '编校：李国栋' — or nothing when the field is empty, rather than a bare label. */
function labelled(label: string, value: string | null | undefined): string {
  const text = plainLine(value);
  return text === '' ? '' : `${label}：${text}`;
}

/**
 * The 版记 lines shared with the Word renderer, so both print the same block: plain text (one
 * line each, no XML-forbidden characters), each renderer escaping it for its own format. A line
 * whose fields are all empty is '' and left out by both.
 */
export function footerLines(letterhead: BulletinLetterhead): {
  signOff: string;
  reportTo: string;
  sendTo: string;
  contact: string;
} {
  const join = (...parts: string[]) => parts.filter((p) => p !== '').join(FOOTER_GAP);
  return {
    signOff: join(
      labelled('编校', letterhead.editor),
      labelled('审核', letterhead.reviewer),
      labelled('核签', letterhead.approver),
    ),
    reportTo: labelled('报', letterhead.reportTo),
    sendTo: labelled('发', letterhead.sendTo),
    contact: join(labelled('电子邮箱', letterhead.email), labelled('电话', letterhead.phone)),
  };
}

/**
 * The bulletin as Markdown, laid out like issue 671: masthead, 第N期, office, date, one
 * `## 【heading】` per section, then the footer between `---` rules. Blocks are separated by a
 * blank line. A paragraph's bold spans become `**…**` and everything else in it is escaped, so
 * what inspectors typed cannot add headings, links, images, HTML or a forged 报/发 block; the
 * letterhead and the section headings, which the office edits per issue, are escaped whole. A
 * section without paragraphs is left out rather than printed as a bare heading.
 */
export function renderMarkdown(doc: BulletinDocument): string {
  const { letterhead } = doc;
  const footer = footerLines(letterhead);
  const blocks: string[] = [
    `# ${markdownLine(letterhead.title)}`,
    `第${doc.issueNumber}期`,
    markdownLine(letterhead.office),
    formatChineseDate(doc.date),
  ];
  for (const section of doc.sections) {
    if (section.paragraphs.length === 0) continue;
    blocks.push(
      `## 【${markdownLine(section.heading)}】`,
      ...section.paragraphs.map((p) => paragraphMarkdown(p.text)).filter((p) => p !== ''),
    );
  }
  const versionLines = [footer.signOff, footer.reportTo, footer.sendTo].filter((l) => l !== '');
  blocks.push('---', ...versionLines.map(markdownLine), '---');
  if (footer.contact !== '') blocks.push(markdownLine(footer.contact));
  return `${blocks.join('\n\n')}\n`;
}
