import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsOptional,
  IsString,
  MaxLength,
  ValidateIf,
} from 'class-validator';
import { CHANNEL_EVENTS, type ChannelEvent } from './channel-messages.js';
import { CHANNEL_KINDS, type ChannelKind } from './channel-senders.js';

const EVENTS_DESCRIPTION =
  'assigned 新任务, returned 退回整改, deadline 时限调整, escalation 提醒/督办/通报, digest 每日明日到期/已超期汇总';

/** A channel to add, or (every field optional) to change. Secrets are write-only. */
export class ChannelInputDto {
  @ApiPropertyOptional({ enum: CHANNEL_KINDS, description: 'Required when adding; cannot change' })
  @IsOptional()
  @IsIn(CHANNEL_KINDS)
  kind?: ChannelKind;

  @ApiPropertyOptional({ example: '新桥街道整改群', maxLength: 60 })
  @IsOptional()
  @IsString()
  @MaxLength(60)
  name?: string;

  @ApiPropertyOptional({
    nullable: true,
    type: String,
    description:
      '企业微信: the robot key or its whole webhook URL; 钉钉: the access_token or the robot URL. Write-only (shown masked).',
  })
  @IsOptional()
  @ValidateIf((o: ChannelInputDto) => o.token !== null)
  @IsString()
  @MaxLength(500)
  token?: string | null;

  @ApiPropertyOptional({
    nullable: true,
    type: String,
    description: '钉钉 加签 secret (SEC…). Write-only: omitted keeps it, null removes it.',
  })
  @IsOptional()
  @ValidateIf((o: ChannelInputDto) => o.secret !== null)
  @IsString()
  @MaxLength(200)
  secret?: string | null;

  @ApiPropertyOptional({
    type: [String],
    description: 'SMS: the numbers that receive every message',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  phones?: string[];

  @ApiPropertyOptional({
    type: [String],
    description:
      "The unit's leader: @-mentioned in the group (企业微信/钉钉) and, for SMS, also texted, from 督办 on",
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(5)
  @IsString({ each: true })
  leaderPhones?: string[];

  @ApiPropertyOptional({ enum: CHANNEL_EVENTS, isArray: true, description: EVENTS_DESCRIPTION })
  @IsOptional()
  @IsArray()
  @IsIn(CHANNEL_EVENTS, { each: true })
  events?: ChannelEvent[];

  @ApiPropertyOptional() @IsOptional() @IsBoolean() active?: boolean;
}

export class ChannelDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'null: the office' })
  unitId: string | null;
  @ApiProperty({ nullable: true, type: String }) unitName: string | null;
  @ApiProperty({ enum: CHANNEL_KINDS }) kind: ChannelKind;
  @ApiProperty() name: string;
  @ApiProperty({ nullable: true, type: String, example: '****3f2a', description: 'Masked' })
  token: string | null;
  @ApiProperty({ description: 'Whether a 钉钉 加签 secret is set (never shown)' })
  hasSecret: boolean;
  @ApiProperty({ type: [String] }) phones: string[];
  @ApiProperty({ type: [String] }) leaderPhones: string[];
  @ApiProperty({ enum: CHANNEL_EVENTS, isArray: true }) events: ChannelEvent[];
  @ApiProperty() active: boolean;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
}

export class ChannelListDto {
  @ApiProperty({ type: [ChannelDto] }) items: ChannelDto[];
}

export class ChannelDeliveryDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: [...CHANNEL_EVENTS, 'test'] }) event: string;
  @ApiProperty({
    example: '【创城督导】新任务 ZG-2026-000123 楼道堆物（XX小区），请于12月3日17:00前完成整改。',
  })
  text: string;
  @ApiProperty({ description: "The unit's leader was copied" }) copyLeader: boolean;
  @ApiProperty({ enum: ['pending', 'sent', 'dead'] }) status: string;
  @ApiProperty() attempts: number;
  @ApiProperty({ nullable: true, type: String, example: 'errcode 310000: sign not match' })
  lastError: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) lastAttemptAt: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) sentAt: string | null;
}

export class ChannelDeliveryListDto {
  @ApiProperty({ type: [ChannelDeliveryDto] }) items: ChannelDeliveryDto[];
}

export class ChannelTestResultDto {
  @ApiProperty({ format: 'uuid' }) deliveryId: string;
  @ApiProperty() sent: boolean;
  @ApiProperty({ nullable: true, type: String }) error: string | null;
}
