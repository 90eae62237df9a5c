import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  ForeignKey,
  Index,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { User } from '../users/user.entity.js';

/**
 * An uploaded problem list (导入问题清单) as parsed, a draft until the office confirms it (its
 * tasks are created) or discards it. Read and written through Kysely (data/imports.repository.ts);
 * the entity describes the table for the schema check and for tasks.import_batch_id's foreign key.
 */
@Entity('import_batches')
@Check('ck_import_batches_status', "status IN ('draft', 'confirmed', 'discarded')")
@Check('ck_import_batches_confirmed', "(status = 'confirmed') = (confirmed_at IS NOT NULL)")
@Index('ix_import_batches_created_by', ['createdBy'])
export class ImportBatch {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'varchar', length: 32 }) source: string;
  @Column({ type: 'varchar', length: 16, default: 'draft' }) status: string;
  @Column({ type: 'varchar', length: 255, nullable: true }) filename: string | null;
  @Column({ type: 'jsonb' }) headers: unknown;
  @Column({ type: 'jsonb' }) rows: unknown;
  @Column({ type: 'int' }) rowCount: number;
  @Column({ type: 'jsonb' }) mapping: unknown;
  @Column({ type: 'uuid' })
  @ForeignKey(() => User, { name: 'import_batches_created_by_fkey' })
  createdBy: string;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @Column({ type: 'timestamptz', nullable: true }) confirmedAt: Date | null;
  @Column({ type: 'int', nullable: true }) taskCount: number | null;
}
