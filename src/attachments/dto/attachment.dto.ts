import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { PHOTO_VARIANTS, type PhotoVariant } from '../evidence/photo-variants.js';
import { IMAGE_MIMES, type ImageMime } from '../image-sniffer.js';

/** When and where, as one source tells it; null where that source says nothing. */
export class CaptureFactsDto {
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) capturedAt: string | null;
  @ApiProperty({ nullable: true, type: Number, example: 39.91 }) lat: number | null;
  @ApiProperty({ nullable: true, type: Number, example: 116.17 }) lng: number | null;
}

export class DeclaredCaptureDto extends CaptureFactsDto {
  @ApiProperty({
    nullable: true,
    type: Number,
    description: 'Accuracy radius, metres',
    example: 12,
  })
  accuracyM: number | null;
}

/**
 * 拍摄信息, each fact with its source: `exif` is what the photo's own metadata says (read on the
 * server at upload), `declared` what the uploading client said (its clock and geolocation).
 */
export class PhotoCaptureDto {
  @ApiProperty({
    type: CaptureFactsDto,
    description: 'From the photo (EXIF DateTimeOriginal and GPS)',
  })
  exif: CaptureFactsDto;
  @ApiProperty({ type: DeclaredCaptureDto, description: 'Declared by the client on upload' })
  declared: DeclaredCaptureDto;
}

/** What a caller may know about a photo: not who uploaded it nor where it is stored. */
export class AttachmentDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({
    example: '9f2c4e1a7b3d5f60a8c1e2d4b6f8a0c3e5d7f9b1a2c4e6f8d0b2a4c6e8f0a2b4',
    description: 'Lowercase hex SHA-256 of the bytes; the download ETag',
  })
  sha256: string;
  @ApiProperty({ enum: IMAGE_MIMES, description: 'Sniffed from the bytes', example: 'image/jpeg' })
  mime: ImageMime;
  @ApiProperty({ example: 183204 }) sizeBytes: number;
  @ApiProperty({ nullable: true, type: String, example: '整改前.jpg' })
  originalName: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: Date;
  @ApiProperty({ type: PhotoCaptureDto }) capture: PhotoCaptureDto;
}

/** The body of `POST /attachments`, for the OpenAPI document only (the route reads multipart itself). */
export class UploadAttachmentBody {
  @ApiProperty({
    type: 'string',
    format: 'binary',
    description: 'One JPEG, PNG or WEBP photo; the type is read from the bytes, not the name',
  })
  file: unknown;
  @ApiPropertyOptional({
    format: 'date-time',
    description: 'When the client says the photo was taken (no offset: Beijing time)',
    example: '2026-12-01T10:32:00+08:00',
  })
  capturedAt?: string;
  @ApiPropertyOptional({
    description: 'Where the client says it was taken (with lng)',
    example: 39.91,
  })
  lat?: number;
  @ApiPropertyOptional({
    description: 'Where the client says it was taken (with lat)',
    example: 116.17,
  })
  lng?: number;
  @ApiPropertyOptional({ description: 'Accuracy radius of lat/lng, metres', example: 12 })
  accuracyM?: number;
}

/** `GET /attachments/:id?variant=`: the original (default), a thumbnail or the 水印 copy. */
export class PhotoVariantQuery {
  @ApiPropertyOptional({
    enum: PHOTO_VARIANTS,
    default: 'original',
    description:
      'original: the bytes uploaded; thumb: JPEG ≤ 320 px, < 30 KB; watermarked: JPEG with 水印',
  })
  @IsOptional()
  @IsIn(PHOTO_VARIANTS)
  variant?: PhotoVariant;
}
