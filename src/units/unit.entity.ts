import {
  Column,
  CreateDateColumn,
  Entity,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';

export const UNIT_KINDS = ['street', 'town', 'bureau', 'office'] as const;
export type UnitKind = (typeof UNIT_KINDS)[number];

/** 责任单位: a 街道, 镇, 区委办局 or the 创城办 itself, which receives rectification tasks. */
@Entity('units')
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
}
