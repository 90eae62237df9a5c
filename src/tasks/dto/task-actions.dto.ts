import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  Min,
  ValidateIf,
} from 'class-validator';
import { VERIFICATION_POLICIES, type VerificationPolicy } from '../../catalog/category.entity.js';
import { MAX_PHOTOS } from './create-task.dto.js';
import { IsDay, IsInstant } from '../../common/time/time.validators.js';
import { IsIdOrCode } from '../../common/http/id-or-code.js';
import { IsNonBlankText, NormalisedText } from '../../common/text/plain-text.js';

/** Every action carries the version the client saw; a stale one is a 409 and changes nothing. */
export class VersionedDto {
  @ApiPropertyOptional({
    description:
      'The task `version` the client last saw; required unless sent as `If-Match` (neither: 400 VERSION_REQUIRED)',
    minimum: 1,
    example: 3,
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  version?: number;
}

const Note = (): PropertyDecorator => (target, key) => {
  ApiPropertyOptional({ maxLength: 2000 })(target, key);
  IsOptional()(target, key);
  NormalisedText()(target, key);
  IsString()(target, key);
  MaxLength(2000)(target, key);
};
const Reason = (): PropertyDecorator => (target, key) => {
  ApiProperty({ maxLength: 2000 })(target, key);
  IsString()(target, key);
  IsNonBlankText()(target, key);
  MaxLength(2000)(target, key);
};
const OptionalDeadline =
  (description: string): PropertyDecorator =>
  (target, key) => {
    ApiPropertyOptional({ format: 'date-time', description })(target, key);
    IsOptional()(target, key);
    IsInstant()(target, key);
  };
const Photos =
  (description: string): PropertyDecorator =>
  (target, key) => {
    ApiPropertyOptional({ type: [String], format: 'uuid', description })(target, key);
    IsOptional()(target, key);
    IsArray()(target, key);
    ArrayMaxSize(MAX_PHOTOS)(target, key);
    IsUUID('all', { each: true })(target, key);
  };

export class DispatchDto extends VersionedDto {
  @ApiProperty({ description: "A UUID, or the row's code (e.g. HJ07)" })
  @IsIdOrCode()
  unitId: string;
  @OptionalDeadline('Override the deadline computed from the category') deadline?: string;
  @Note() note?: string;
}

export class ReassignDto extends DispatchDto {}

export class SubmissionDto extends VersionedDto {
  @ApiProperty({ example: '已清理楼道堆物，张贴提示' })
  @IsString()
  @IsNonBlankText()
  @MaxLength(2000)
  description: string;

  @Photos('After-photos (整改后照片); at least one unless the category says otherwise')
  afterPhotoIds?: string[];
}

export class CheckDto extends VersionedDto {
  @ApiProperty({ enum: ['pass', 'fail'] }) @IsIn(['pass', 'fail']) result: 'pass' | 'fail';
  @Note() note?: string;
  @Photos('Photos taken at the check') photoIds?: string[];
  @OptionalDeadline('For `fail`: the new deadline (default: the category 时限 from now)')
  deadline?: string;
}

export class ExtensionRequestDto extends VersionedDto {
  @ApiProperty({ format: 'date-time' }) @IsInstant() requestedDeadline: string;
  @Reason() reason: string;
}

export class ExtensionDecisionDto extends VersionedDto {
  @ApiProperty() @IsBoolean() approve: boolean;
  @OptionalDeadline('When approving: the granted deadline (default: the requested one)')
  deadline?: string;
  @Note() note?: string;
}

export class DisputeDto extends VersionedDto {
  @Reason() reason: string;
}

export class DisputeDecisionDto extends VersionedDto {
  @ApiProperty({
    description: 'true: not the unit’s task, back to dispatch; false: stays with the unit',
  })
  @IsBoolean()
  uphold: boolean;
  @Note() note?: string;
}

export class HoldDto extends VersionedDto {
  @Reason() reason: string;
  @ApiProperty({ example: '2027-03-01', description: 'When to look at it again' })
  @IsDay()
  reviewOn: string;
}

export class ResumeDto extends VersionedDto {
  @OptionalDeadline('Default: the category 时限 from now') deadline?: string;
  @Note() note?: string;
}

export class CancelDto extends VersionedDto {
  @Reason() reason: string;
}

export class DuplicateDto extends VersionedDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID() duplicateOfId: string;
  @Note() note?: string;
}

export class ReopenDto extends VersionedDto {
  @Reason() reason: string;
  @Photos('Photos showing the problem is back') photoIds?: string[];
  @OptionalDeadline('Default: the category 时限 from now') deadline?: string;
}

export class DeadlineOverrideDto extends VersionedDto {
  @ApiProperty({ format: 'date-time' }) @IsInstant() deadline: string;
  @Reason() reason: string;
}

export class TaskSettingsDto extends VersionedDto {
  @ApiPropertyOptional({
    enum: VERIFICATION_POLICIES,
    nullable: true,
    description: 'null: back to the category policy',
  })
  @ValidateIf(
    (o: TaskSettingsDto) => o.verificationPolicy !== null && o.verificationPolicy !== undefined,
  )
  @IsIn(VERIFICATION_POLICIES)
  verificationPolicy?: VerificationPolicy | null;
}
