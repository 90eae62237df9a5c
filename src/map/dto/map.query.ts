import { ApiProperty, ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsDefined, IsInt, IsNumber, IsOptional, Max, Min, ValidateBy } from 'class-validator';
import { toInt } from '../../common/http/pagination.js';
import { TaskFilterQuery } from '../../tasks/dto/list-tasks.query.js';

/** A box in degrees (WGS-84 / CGCS2000): west, south, east, north. */
export interface BBox {
  minLng: number;
  minLat: number;
  maxLng: number;
  maxLat: number;
}

const NUMBER = /^\s*-?\d+(\.\d+)?\s*$/;

/** `minLng,minLat,maxLng,maxLat` as a box, or the reason it is not one. */
export function parseBbox(v: unknown): BBox | string {
  if (typeof v !== 'string') return 'must be minLng,minLat,maxLng,maxLat';
  const parts = v.split(',');
  if (parts.length !== 4 || !parts.every((p) => NUMBER.test(p))) {
    return 'must be four numbers: minLng,minLat,maxLng,maxLat';
  }
  const [minLng, minLat, maxLng, maxLat] = parts.map(Number);
  if ([minLng, maxLng].some((x) => x < -180 || x > 180)) return 'longitudes must be within ±180';
  if ([minLat, maxLat].some((x) => x < -90 || x > 90)) return 'latitudes must be within ±90';
  if (minLng > maxLng || minLat > maxLat) return 'min must not be greater than max';
  return { minLng, minLat, maxLng, maxLat };
}

const IsBbox = () =>
  ValidateBy({
    name: 'isBbox',
    validator: {
      validate: (v: unknown) => typeof parseBbox(v) !== 'string',
      defaultMessage: (args) => `bbox ${String(parseBbox(args?.value))}`,
    },
  });

const toFloat = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && NUMBER.test(value) ? Number(value) : value;

export class MapAreaQuery {
  @ApiPropertyOptional({
    description: 'Only what lies in this box: minLng,minLat,maxLng,maxLat (degrees, WGS-84)',
    example: '116.30,39.85,116.45,39.95',
  })
  @IsOptional()
  @IsBbox()
  bbox?: string;
}

export const MAP_MAX_FEATURES = 5000;

/** The task list's filters, a box, and how far back closed tasks still show. */
export class MapTasksQuery extends IntersectionType(TaskFilterQuery, MapAreaQuery) {
  @ApiPropertyOptional({
    minimum: 0,
    maximum: 365,
    default: 30,
    description: 'Closed tasks show for this many days after 销号 (0: open tasks only)',
  })
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(365)
  closedWithinDays?: number;

  @ApiPropertyOptional({
    minimum: 1,
    maximum: MAP_MAX_FEATURES,
    default: 2000,
    description:
      'At most this many features (most urgent deadline first); `truncated` says more matched',
  })
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(MAP_MAX_FEATURES)
  limit?: number;
}

/** Grid cells over at most this many: a heat map needs no finer picture. */
export const MAP_MAX_GRID_CELLS = 250_000;

export class MapGridQuery extends IntersectionType(TaskFilterQuery, MapAreaQuery) {
  @ApiProperty({ description: 'The area to count over: minLng,minLat,maxLng,maxLat' })
  @IsDefined()
  @IsBbox()
  declare bbox: string;

  @ApiPropertyOptional({ minimum: 0, maximum: 365, default: 30 })
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(365)
  closedWithinDays?: number;

  @ApiPropertyOptional({
    minimum: 0.0001,
    maximum: 10,
    description: `Cell size in degrees (default: the box's larger side / 64); at most ${MAP_MAX_GRID_CELLS} cells in the box`,
  })
  @IsOptional()
  @Transform(toFloat)
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0.0001)
  @Max(10)
  cell?: number;
}
