import { stripXmlForbidden } from '../../common/xml-text.js';

/**
 * The markup of a bulletin paragraph's `text`: `**` opens and closes a bold span, a backslash
 * makes the next character literal (`\*`, `\\`); nothing else is markup. Generated text
 * interpolates people's and units' names, sites and requirements typed by inspectors, so every
 * interpolated value goes through `escapeBulletinText`, and both renderers read the text only
 * through `parseBulletinText`: a `**` in a name stays two asterisks and never moves a bold span.
 */

export interface TextSpan {
  text: string;
  bold: boolean;
}

/**
 * A value for interpolation into paragraph text: one line (a paragraph is one block in Markdown
 * and one paragraph in Word; Chinese runs on without a space where a line was broken), without
 * the characters XML forbids, with the markup characters escaped.
 */
export function escapeBulletinText(value: string): string {
  return stripXmlForbidden(value)
    .replace(/\s*[\r\n\u2028\u2029\u0085]+\s*/g, '')
    .replace(/[\\*]/g, (c) => `\\${c}`);
}

/**
 * Splits paragraph text into spans: '**一要…。**坚持…' → [{ '一要…。', bold }, { '坚持…' }].
 * An unpaired final `**` is kept as literal text rather than bolding the rest of the paragraph.
 */
export function parseBulletinText(text: string): TextSpan[] {
  // Pieces between toggles; each piece's text has its escapes resolved.
  const pieces: string[] = [''];
  const toggles: number[] = [];
  const clean = stripXmlForbidden(text);
  for (let i = 0; i < clean.length; i++) {
    const c = clean[i];
    if (c === '\\' && i + 1 < clean.length) {
      pieces[pieces.length - 1] += clean[++i];
    } else if (c === '*' && clean[i + 1] === '*') {
      toggles.push(pieces.length);
      pieces.push('');
      i++;
    } else {
      pieces[pieces.length - 1] += c;
    }
  }
  if (toggles.length % 2 === 1) {
    // The last `**` has no partner: it is text.
    const tail = pieces.pop() ?? '';
    pieces[pieces.length - 1] += `**${tail}`;
  }
  return pieces
    .map((piece, i) => ({ text: piece, bold: i % 2 === 1 }))
    .filter((span) => span.text !== '');
}

// Inline Markdown (CommonMark and GFM): emphasis, code, links and images, HTML, entities, strikethrough.
const MARKDOWN_INLINE = /[\\`*_[\]<>&~|]/g;
// At the start of a block: headings, lists, quotes, rules, setext underlines, tables.
const MARKDOWN_BLOCK_START = /^(\s*)([#+\-=>|]|\d+(?=[.)]))/;

/** Literal text as Markdown: every character that could be read as markup is escaped. */
export function escapeMarkdown(text: string): string {
  return text.replace(MARKDOWN_INLINE, (c) => `\\${c}`);
}

/** A paragraph's spans as one Markdown block, whatever the text holds. */
export function paragraphMarkdown(text: string): string {
  const markdown = parseBulletinText(text)
    .map((span) => (span.bold ? `**${escapeMarkdown(span.text)}**` : escapeMarkdown(span.text)))
    .join('')
    .replace(/[\r\n\u2028\u2029\u0085]+/g, '')
    .trimStart();
  // '1.' or '1)' opening a block starts a list: escape its delimiter; others get a backslash first.
  return markdown.replace(MARKDOWN_BLOCK_START, (_m, space: string, lead: string) =>
    /^\d/.test(lead) ? `${space}${lead}\\` : `${space}\\${lead}`,
  );
}
