import type { BulletinSection, BulletinSectionKey } from './bulletin-model.js';

/**
 * The office's edits over the generated text. Both are kept: `generated` is what the data said,
 * `edited` maps a paragraph key to the office's replacement. What prints is the edited text
 * where there is one, the generated text elsewhere. Keys are stable per source (inspection id,
 * unit name), so an edit survives regeneration; an edit whose paragraph is no longer generated
 * is kept and reported as stale rather than silently dropped.
 */

export type ParagraphEdits = Record<string, string>;

export interface EffectiveParagraph {
  key: string;
  /** What prints: the edit if any, else the generated text. */
  text: string;
  generatedText: string;
  edited: boolean;
}

export interface EffectiveSection {
  key: BulletinSectionKey;
  heading: string;
  paragraphs: EffectiveParagraph[];
}

export interface EffectiveBulletin {
  sections: EffectiveSection[];
  /** Edits of paragraphs the latest generation no longer has, in key order. */
  staleEdits: { key: string; text: string }[];
}

export function applyEdits(
  generated: readonly BulletinSection[],
  edits: ParagraphEdits,
): EffectiveBulletin {
  const used = new Set<string>();
  const sections = generated.map((section) => ({
    key: section.key,
    heading: section.heading,
    paragraphs: section.paragraphs.map((p) => {
      const edit = Object.hasOwn(edits, p.key) ? edits[p.key] : undefined;
      if (edit !== undefined) used.add(p.key);
      return {
        key: p.key,
        text: edit ?? p.text,
        generatedText: p.text,
        edited: edit !== undefined,
      };
    }),
  }));
  const staleEdits = Object.keys(edits)
    .filter((key) => !used.has(key))
    .sort()
    .map((key) => ({ key, text: edits[key] }));
  return { sections, staleEdits };
}

/** The generated text of a paragraph, or undefined when no section has the key. */
export function generatedTextOf(
  generated: readonly BulletinSection[],
  key: string,
): string | undefined {
  for (const section of generated) {
    const found = section.paragraphs.find((p) => p.key === key);
    if (found) return found.text;
  }
  return undefined;
}

/**
 * Trims the office's text and joins its lines: a paragraph is one block in Markdown and one
 * paragraph in Word, and Chinese text runs on without a space where a line was broken.
 */
export function normaliseEditText(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, '').trim();
}

/**
 * The edits after the office sets paragraph `key` to `text`. Setting it back to exactly the
 * generated text removes the edit, so `edited` only ever flags a real difference.
 */
export function withEdit(
  edits: ParagraphEdits,
  key: string,
  text: string,
  generatedText: string,
): ParagraphEdits {
  const next = { ...edits };
  if (text === generatedText) delete next[key];
  else next[key] = text;
  return next;
}
