import { registerDecorator, type ValidationOptions } from 'class-validator';
import { DAY_FORMAT, INSTANT_FORMAT, parseDay, parseInstantOrNull } from './iso-time.js';

/**
 * A day `YYYY-MM-DD` (Asia/Shanghai), a real one within the year range. The 400 names the field
 * (`code: isDay`).
 */
export function IsDay(options?: ValidationOptions): PropertyDecorator {
  return (target, key) =>
    registerDecorator({
      name: 'isDay',
      target: target.constructor,
      propertyName: String(key),
      options: { message: `$property must be ${DAY_FORMAT}`, ...options },
      validator: { validate: (value: unknown) => parseDay(value) !== null },
    });
}

/**
 * A day or a full date-time, as `parseInstant` reads it (no offset: Beijing time). The 400 names
 * the field (`code: isInstant`).
 */
export function IsInstant(options?: ValidationOptions): PropertyDecorator {
  return (target, key) =>
    registerDecorator({
      name: 'isInstant',
      target: target.constructor,
      propertyName: String(key),
      options: { message: `$property must be ${INSTANT_FORMAT}`, ...options },
      validator: { validate: (value: unknown) => parseInstantOrNull(value) !== null },
    });
}
