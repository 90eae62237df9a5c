import { Injectable, type ArgumentMetadata, type PipeTransform } from '@nestjs/common';
import { invalidField } from '../errors/domain-error.js';
import { DAY_FORMAT, parseDay } from './iso-time.js';

/** A day in the path (`/reports/digests/2026-11-09`), read by the one parser: else a 400 naming it. */
@Injectable()
export class ParseDay implements PipeTransform<string, string> {
  transform(value: string, metadata: ArgumentMetadata): string {
    const day = parseDay(value);
    const name = metadata.data ?? 'day';
    if (!day) throw invalidField(name, `${name} must be ${DAY_FORMAT}`, 'isDay');
    return day;
  }
}
