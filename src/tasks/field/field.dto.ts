import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsInt,
  IsLatitude,
  IsLongitude,
  IsNumber,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { toInt } from '../../common/http/pagination.js';
import { IsIdOrCode } from '../../common/http/id-or-code.js';
import { NormalisedText } from '../../common/text/plain-text.js';
import { IsInstant } from '../../common/time/time.validators.js';
import { MAX_PHOTOS } from '../dto/create-task.dto.js';
import { TaskSummaryDto } from '../dto/task-output.dto.js';

/** `?lat=39.9` arrives as text: a plain decimal becomes a number, anything else stays to fail. */
const toNumber = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : value;

/** The phone's position, as query parameters. */
export class PositionQuery {
  @ApiProperty({ example: 39.94, minimum: -90, maximum: 90 })
  @Transform(toNumber)
  @IsNumber()
  @IsLatitude()
  lat: number;

  @ApiProperty({ example: 116.1, minimum: -180, maximum: 180 })
  @Transform(toNumber)
  @IsNumber()
  @IsLongitude()
  lng: number;
}

/** `GET /tasks/nearby`: open tasks of a category near the phone (the duplicate hint). */
export class NearbyTasksQuery extends PositionQuery {
  @ApiProperty({ description: "The category's UUID or code (e.g. HJ07)" })
  @IsIdOrCode()
  categoryId: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 20 })
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;
}

/** `GET /tasks/checks/nearby`: tasks awaiting a 复查, nearest first. */
export class NearbyChecksQuery extends PositionQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;
}

export class NearbyTaskDto extends TaskSummaryDto {
  @ApiProperty({
    nullable: true,
    type: Number,
    example: 23.4,
    description: 'Metres from the given point (great-circle); null for a task without a position',
  })
  distanceM: number | null;

  @ApiProperty({
    nullable: true,
    type: String,
    format: 'uuid',
    description: 'The first before-photo (整改前照片), for a thumbnail: GET /attachments/{id}',
  })
  firstBeforePhotoId: string | null;
}

export class NearbyTaskListDto {
  @ApiProperty({ type: [NearbyTaskDto] }) items: NearbyTaskDto[];
  @ApiProperty({ example: 50, description: 'The radius searched (the category’s), in metres' })
  radiusM: number;
}

export class NearbyCheckListDto {
  @ApiProperty({ type: [NearbyTaskDto] }) items: NearbyTaskDto[];
}

/**
 * 补充现场记录: what an inspector saw of an open task (e.g. the problem is still there, or found
 * again while logging a new one nearby). A note, photos, or both.
 */
export class CreateObservationDto {
  @ApiPropertyOptional({ example: '问题仍然存在，纸箱增多', maxLength: 2000 })
  @IsOptional()
  @IsString()
  @NormalisedText()
  @MaxLength(2000)
  note?: string;

  @ApiPropertyOptional({
    type: [String],
    format: 'uuid',
    maxItems: MAX_PHOTOS,
    description: 'Uploaded photos (POST /attachments); they join the task’s before-photos',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_PHOTOS)
  @IsUUID('all', { each: true })
  photoIds?: string[];

  @ApiPropertyOptional({ example: 39.94, description: 'Where it was observed (with lng)' })
  @IsOptional()
  @IsNumber()
  @IsLatitude()
  lat?: number;

  @ApiPropertyOptional({ example: 116.1, description: 'Where it was observed (with lat)' })
  @IsOptional()
  @IsNumber()
  @IsLongitude()
  lng?: number;

  @ApiPropertyOptional({
    format: 'date-time',
    description:
      'When it was observed (the phone’s time): at most 5 minutes ahead, 30 days ago. Default: now',
  })
  @IsOptional()
  @IsInstant()
  observedAt?: string;
}
