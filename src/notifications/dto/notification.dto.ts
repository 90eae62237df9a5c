import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsOptional,
  IsString,
  MaxLength,
  MinLength,
  ValidateIf,
} from 'class-validator';
import { PageQuery, toBool } from '../../common/http/pagination.js';
import { IsIdOrCode } from '../../common/http/id-or-code.js';

export class ListNotificationsQuery extends PageQuery {
  @ApiPropertyOptional() @IsOptional() @Transform(toBool) @IsBoolean() unread?: boolean;
}

export class NotificationDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({
    enum: ['user', 'office'],
    description:
      'office: one shared row for all of the office; read by one clerk, it is read for the office',
  })
  audience: 'user' | 'office';
  @ApiProperty({ example: 'assigned' }) kind: string;
  @ApiProperty({ example: '新整改任务 ZG-2026-000123' }) title: string;
  @ApiProperty({
    example: '楼道堆物：2单元楼道堆放纸箱、旧家具（新桥大街12号楼2单元），整改时限11月25日18:00。',
  })
  body: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) taskId: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) readAt: string | null;
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'Office rows: the clerk who marked it read',
  })
  readBy: string | null;
}

export class NotificationPageDto {
  @ApiProperty({ type: [NotificationDto] }) items: NotificationDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
  @ApiProperty({ description: 'Unread notifications in all' }) unread: number;
}

export class MarkedDto {
  @ApiProperty() marked: number;
}

export class WebhookConfigDto {
  @ApiProperty({
    nullable: true,
    type: String,
    example: 'https://grid.example.gov.cn/hooks/chuangcheng',
    description: 'null removes the webhook',
  })
  @ValidateIf((o: WebhookConfigDto) => o.url !== null)
  @IsString()
  @MaxLength(500)
  url: string | null;

  @ApiPropertyOptional({
    minLength: 16,
    description: 'HMAC-SHA256 key the receiver verifies `X-CC-Signature` with',
  })
  @IsOptional()
  @IsString()
  @MinLength(16)
  @MaxLength(200)
  secret?: string;
}

export class WebhookConfigResultDto {
  @ApiProperty({ format: 'uuid' }) unitId: string;
  @ApiProperty({ nullable: true, type: String }) url: string | null;
  @ApiProperty() hasSecret: boolean;
}

export class UnitWebhookDto {
  @ApiProperty({ format: 'uuid' }) unitId: string;
  @ApiProperty({ nullable: true, type: String }) url: string | null;
  @ApiProperty({ description: 'Whether a signing secret is set (the secret is never shown)' })
  hasSecret: boolean;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) createdAt: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) updatedAt: string | null;
}

const ERROR_CATEGORIES = ['http_status', 'timeout', 'network', 'refused', 'invalid_url'];

export class PingResultDto {
  @ApiProperty({ format: 'uuid', description: 'The ping is kept as a delivery with its attempt' })
  deliveryId: string;
  @ApiProperty() delivered: boolean;
  @ApiProperty({ nullable: true, type: Number }) statusCode: number | null;
  @ApiProperty({ nullable: true, type: String, enum: ERROR_CATEGORIES })
  errorCategory: string | null;
  @ApiProperty({ nullable: true, type: String }) error: string | null;
  @ApiProperty() durationMs: number;
}

export class DeliveryAttemptDto {
  @ApiProperty({ format: 'date-time' }) attemptedAt: string;
  @ApiProperty({ nullable: true, type: Number }) statusCode: number | null;
  @ApiProperty({ nullable: true, type: String, enum: ERROR_CATEGORIES })
  errorCategory: string | null;
  @ApiProperty({ nullable: true, type: String }) error: string | null;
  @ApiProperty() durationMs: number;
}

export class DeliveryAttemptListDto {
  @ApiProperty({ type: [DeliveryAttemptDto] }) items: DeliveryAttemptDto[];
}

export class ListDeliveriesQuery extends PageQuery {
  @ApiPropertyOptional({ enum: ['pending', 'delivered', 'dead'] })
  @IsOptional()
  @IsIn(['pending', 'delivered', 'dead'])
  status?: 'pending' | 'delivered' | 'dead';

  @ApiPropertyOptional({ description: "Only this unit's deliveries: a UUID, or the unit's code" })
  @IsOptional()
  @IsIdOrCode()
  unitId?: string;
}

export class DeliveryDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) unitId: string;
  @ApiProperty() unitName: string;
  @ApiProperty() eventType: string;
  @ApiProperty({ enum: ['pending', 'delivered', 'dead'], example: 'delivered' }) status: string;
  @ApiProperty({ example: 1 }) attempts: number;
  @ApiProperty({ nullable: true, type: Number, example: 200 }) lastStatus: number | null;
  @ApiProperty({ nullable: true, type: String, example: null }) lastError: string | null;
  @ApiProperty({ nullable: true, type: String, enum: ERROR_CATEGORIES, example: null })
  lastErrorCategory: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String })
  lastAttemptAt: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) deliveredAt: string | null;
}

export class DeliveryListDto {
  @ApiProperty({ type: [DeliveryDto] }) items: DeliveryDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}
