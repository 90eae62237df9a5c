import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { invalidField } from '../errors/domain-error.js';

export const toInt = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value;

/** `?active=true` arrives as text: the query booleans, converted before validation. */
export const toBool = ({ value }: { value: unknown }): unknown =>
  value === 'true' ? true : value === 'false' ? false : value;

/** Query parameters of every keyset-paginated list. */
export class PageQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;

  @ApiPropertyOptional({ description: 'Opaque cursor from the previous page (`nextCursor`)' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  cursor?: string;
}

export class PageMeta {
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'Pass as `cursor` for the next page; null on the last',
  })
  nextCursor: string | null;
}

export function encodeCursor(values: (string | number)[]): string {
  return Buffer.from(JSON.stringify(values), 'utf8').toString('base64url');
}

/** Decodes a cursor made by `encodeCursor`; anything else is a 400 naming the field. */
export function decodeCursor(cursor: string, arity: number): (string | number)[] {
  try {
    const values: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(values) &&
      values.length === arity &&
      values.every((v) => typeof v === 'string' || typeof v === 'number')
    ) {
      return values as (string | number)[];
    }
  } catch {
    // fall through to the error below
  }
  throw invalidField('cursor', 'cursor is not valid for this list', 'isCursor');
}

/**
 * A Postgres timestamp as text to the microsecond, in UTC, for a keyset cursor. A JS Date holds
 * milliseconds: a cursor made from one falls between rows written in the same millisecond and
 * skips them (76 of 80 API keys reachable with `limit=1`).
 */
export const microsUtc = (column: string): string =>
  `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

const MICROS_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

/** The timestamp of a decoded cursor as made by `microsUtc`, for `?::timestamptz`; else a 400. */
export function cursorTimestamp(value: string | number): string {
  if (typeof value === 'string' && MICROS_UTC.test(value) && !Number.isNaN(Date.parse(value))) {
    return value;
  }
  throw invalidField('cursor', 'cursor is not valid for this list', 'isCursor');
}

/** Takes `limit + 1` rows and turns them into a page and its next cursor. */
export function toPage<T>(
  rows: T[],
  limit: number,
  cursorOf: (last: T) => (string | number)[],
): { items: T[]; nextCursor: string | null } {
  const items = rows.slice(0, limit);
  const nextCursor = rows.length > limit ? encodeCursor(cursorOf(items[items.length - 1])) : null;
  return { items, nextCursor };
}
