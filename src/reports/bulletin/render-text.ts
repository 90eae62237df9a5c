import { stripXmlForbidden } from '../../common/xml-text.js';
import { escapeBulletinText, paragraphMarkdown } from './bulletin-text.js';

/**
 * Text that is not paragraph markup (letterhead fields, section headings, names) as the renderers
 * print it: without the characters XML forbids and on one line. A line break typed into a field
 * would otherwise start a new block in Markdown and is whitespace noise in Word.
 */
export function plainLine(text: string | null | undefined): string {
  return stripXmlForbidden(text ?? '')
    .replace(/\s*[\r\n\u2028\u2029\u0085]+\s*/g, '')
    .trim();
}

/**
 * Literal text as one Markdown line: every character that could be read as markup is escaped,
 * including a heading, list, quote, rule or table at its start, so a field can print as text only.
 */
export function markdownLine(text: string | null | undefined): string {
  return paragraphMarkdown(escapeBulletinText(plainLine(text)));
}
