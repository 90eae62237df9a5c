import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  PrimaryGeneratedColumn,
  Unique,
  UpdateDateColumn,
} from 'typeorm';
import { oneOf } from '../database/check-expression.js';

export const UNIT_KINDS = ['street', 'town', 'bureau', 'office'] as const;
export type UnitKind = (typeof UNIT_KINDS)[number];

/** 责任单位: a 街道, 镇, 区委办局 or the 创城办 itself, which receives rectification tasks. */
@Entity('units')
@Unique('uq_units_code', ['code'])
@Unique('uq_units_name', ['name'])
@Check('units_kind_check', oneOf('kind', UNIT_KINDS))
export class Unit {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'varchar', length: 32 }) code: string;
  @Column({ type: 'varchar', length: 100 }) name: string;
  @Column({ type: 'varchar', length: 16 }) kind: UnitKind;
  /** Ordering in lists and bulletins (lower first). */
  @Column({ type: 'int', default: 100 }) sortOrder: number;
  @Column({ type: 'boolean', default: true }) active: boolean;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt: Date;
  /**
   * The unit's webhook, read and written by SQL in WebhooksService only: never loaded with the
   * entity (the secret must not leave in a response) and never written by a `save`.
   */
  @Column({
    type: 'varchar',
    length: 500,
    nullable: true,
    select: false,
    insert: false,
    update: false,
  })
  webhookUrl?: string | null;
  @Column({
    type: 'varchar',
    length: 200,
    nullable: true,
    select: false,
    insert: false,
    update: false,
  })
  webhookSecret?: string | null;
  /** When the webhook was first set, and last changed (WebhooksService writes both). */
  @Column({ type: 'timestamptz', nullable: true, select: false, insert: false, update: false })
  webhookCreatedAt?: Date | null;
  @Column({ type: 'timestamptz', nullable: true, select: false, insert: false, update: false })
  webhookUpdatedAt?: Date | null;
}
