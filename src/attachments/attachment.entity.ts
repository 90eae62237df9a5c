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
}
