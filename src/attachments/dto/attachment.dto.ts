import { ApiProperty } from '@nestjs/swagger';
import { IMAGE_MIMES, type ImageMime } from '../image-sniffer.js';

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
}

/** The body of `POST /attachments`, for the OpenAPI document only (the route reads multipart itself). */
export class UploadAttachmentBody {
  @ApiProperty({
    type: 'string',
    format: 'binary',
    description: 'One JPEG, PNG or WEBP photo; the type is read from the bytes, not the name',
  })
  file: unknown;
}
