import { Injectable, type ArgumentMetadata, type PipeTransform } from '@nestjs/common';
import { invalidField } from '../errors/domain-error.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A path id must be a UUID; anything else is a 400 naming the parameter, never a database error. */
@Injectable()
export class ParseId implements PipeTransform<string, string> {
  transform(value: string, metadata: ArgumentMetadata): string {
    if (typeof value !== 'string' || !UUID.test(value)) {
      throw invalidField(
        metadata.data ?? 'id',
        `${metadata.data ?? 'id'} must be a UUID`,
        'isUuid',
      );
    }
    return value.toLowerCase();
  }
}
