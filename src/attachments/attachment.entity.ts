import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { ImageMime } from './image-sniffer.js';

export const UPLOADER_KINDS = ['user', 'api_key'] as const;
export type UploaderKind = (typeof UPLOADER_KINDS)[number];

/**
 * A photo kept as evidence (整改照片): what an inspector saw, what a unit did, what the check
 * found. Rows are immutable; the bytes live in AttachmentStorage under `storageKey`, addressed
 * by their SHA-256, so the same photo uploaded twice is stored once. Tasks link photos through
 * `task_attachments` with a role (before, after, check).
 */
@Entity('attachments')
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
  @Column({ type: 'uuid', nullable: true }) unitId: string | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
}
