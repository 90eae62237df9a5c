import { Transform } from 'class-transformer';
import { registerDecorator, type ValidationOptions } from 'class-validator';

// Zero-width space, non-joiner, joiner and the byte-order mark: invisible, so two names that
// look the same may differ by one of them. A joiner inside an emoji sequence (👨‍👩‍👧) is part of
// the emoji and stays.
const INVISIBLE =
  /[\u200B\u200C\uFEFF]|(?<![\p{Extended_Pictographic}\u{FE0F}\p{Emoji_Modifier}])\u200D|\u200D(?!\p{Extended_Pictographic})/gu;

/**
 * Text as the office means it: invisible characters removed, then trimmed. `String.trim` removes
 * every Unicode space and line break at the ends, the full-width space U+3000 included.
 */
export function normaliseText(value: string): string {
  return value.replace(INVISIBLE, '').trim();
}

const normalise = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string'
    ? normaliseText(value)
    : Array.isArray(value)
      ? value.map((v: unknown) => (typeof v === 'string' ? normaliseText(v) : v))
      : value;

/**
 * Optional or free text (notes, a target, a requirement's body): normalised, may be empty. Works
 * on a string or each string of an array.
 */
export function NormalisedText(): PropertyDecorator {
  return Transform(normalise);
}

/**
 * Required text: a name, a description, a reason. Normalised first (so a name is stored the
 * same on create and update), then it must not be empty: `"   "`, full-width spaces, line breaks
 * or zero-width characters alone are a 400 naming the field (`code: isNonBlankText`). Pair it
 * with `@IsString()` and `@MaxLength()`, which then measure the normalised text.
 */
export function IsNonBlankText(options?: ValidationOptions): PropertyDecorator {
  return (target, key) => {
    Transform(normalise)(target, key);
    registerDecorator({
      name: 'isNonBlankText',
      target: target.constructor,
      propertyName: String(key),
      options: { message: `$property must not be blank`, ...options },
      validator: { validate: (value: unknown) => typeof value === 'string' && value.length > 0 },
    });
  };
}
