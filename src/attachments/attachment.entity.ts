import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  ForeignKey,
  Index,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { oneOf } from '../database/check-expression.js';
import { Unit } from '../units/unit.entity.js';
import { IMAGE_MIMES, type ImageMime } from './image-sniffer.js';

export const UPLOADER_KINDS = ['user', 'api_key'] as const;
export type UploaderKind = (typeof UPLOADER_KINDS)[number];

/**
 * A photo kept as evidence (整改照片): what an inspector saw, what a unit did, what the check
 * found. Rows are immutable; the bytes live in AttachmentStorage under `storageKey`, addressed
 * by their SHA-256, so the same photo uploaded twice is stored once. Tasks link photos through
 * `task_attachments` with a role (before, after, check).
 */
@Entity('attachments')
@Check('attachments_mime_check', oneOf('mime', IMAGE_MIMES))
@Check('attachments_size_bytes_check', 'size_bytes > 0')
@Check('attachments_uploaded_by_kind_check', oneOf('uploaded_by_kind', UPLOADER_KINDS))
@Check(
  'ck_attachments_exif_position',
  `(exif_lat IS NULL) = (exif_lng IS NULL)
          AND (exif_lat IS NULL OR (exif_lat BETWEEN -90 AND 90 AND exif_lng BETWEEN -180 AND 180))`,
)
@Check(
  'ck_attachments_declared_position',
  `(declared_lat IS NULL) = (declared_lng IS NULL)
          AND (declared_lat IS NULL
               OR (declared_lat BETWEEN -90 AND 90 AND declared_lng BETWEEN -180 AND 180))`,
)
@Check(
  'ck_attachments_declared_accuracy',
  'declared_accuracy_m IS NULL OR (declared_accuracy_m >= 0 AND declared_lat IS NOT NULL)',
)
@Index('ix_attachments_sha256', ['sha256'])
@Index('ix_attachments_uploaded_by', ['uploadedById'])
@Index('ix_attachments_unit_id', ['unitId'])
export class Attachment {
  @PrimaryGeneratedColumn('uuid') id: string;
  /** Lowercase hex SHA-256 of the bytes; also the HTTP ETag. */
  @Column({ type: 'char', length: 64 }) sha256: string;
  /** Sniffed from the bytes, never taken from the client. */
  @Column({ type: 'varchar', length: 32 }) mime: ImageMime;
  @Column({ type: 'int' }) sizeBytes: number;
  @Column({ type: 'varchar', length: 200 }) storageKey: string;
  /** The file name the client sent, for display only. */
  @Column({ type: 'varchar', length: 255, nullable: true }) originalName: string | null;
  @Column({ type: 'varchar', length: 8 }) uploadedByKind: UploaderKind;
  /** The uploading user's or API key's id (no foreign key: it may be either). */
  @Column({ type: 'uuid' }) uploadedById: string;
  /** The uploader's unit when a unit uploaded it; null for office staff and inspectors. */
  @Column({ type: 'uuid', nullable: true })
  @ForeignKey(() => Unit, { name: 'attachments_unit_id_fkey' })
  unitId: string | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;

  /*
   * Capture facts, each kept with its source (see photo-capture.ts): what the photo's own EXIF
   * says, and what the uploading client declared. Neither is trusted over the other here; the
   * evidence rules prefer EXIF and record which source they used.
   */
  /** EXIF DateTimeOriginal (+ OffsetTimeOriginal; Beijing time when the camera wrote no offset). */
  @Column({ type: 'timestamptz', nullable: true }) exifCapturedAt: Date | null;
  @Column({ type: 'double precision', nullable: true }) exifLat: number | null;
  @Column({ type: 'double precision', nullable: true }) exifLng: number | null;
  /** What the client said: the phone's clock when the shutter fired, and its geolocation. */
  @Column({ type: 'timestamptz', nullable: true }) declaredCapturedAt: Date | null;
  @Column({ type: 'double precision', nullable: true }) declaredLat: number | null;
  @Column({ type: 'double precision', nullable: true }) declaredLng: number | null;
  /** The declared position's accuracy radius in metres (the Geolocation API's `accuracy`). */
  @Column({ type: 'double precision', nullable: true }) declaredAccuracyM: number | null;
}
