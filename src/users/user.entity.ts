import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  ForeignKey,
  Index,
  PrimaryGeneratedColumn,
  Unique,
  UpdateDateColumn,
} from 'typeorm';

import { ROLES, type Role } from '../common/auth/principal.js';
import { oneOf } from '../database/check-expression.js';
import { Unit } from '../units/unit.entity.js';

/** A person who signs in: office staff (admin), an inspector, or a unit's user. */
@Entity('users')
@Unique('uq_users_username', ['username'])
@Check('users_username_check', 'username = lower(username)')
@Check('users_role_check', oneOf('role', ROLES))
@Check('ck_users_unit_role', "(role = 'unit') = (unit_id IS NOT NULL)")
@Index('ix_users_unit_id', ['unitId'])
export class User {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'varchar', length: 64 }) username: string;
  @Column({ type: 'varchar', length: 100 }) displayName: string;
  @Column({ type: 'varchar', length: 16 }) role: Role;
  /** Set exactly when role = unit (a database check enforces it). */
  @Column({ type: 'uuid', nullable: true })
  @ForeignKey(() => Unit, { name: 'users_unit_id_fkey' })
  unitId: string | null;
  @Column({ type: 'varchar', length: 32, nullable: true }) phone: string | null;
  @Column({ type: 'text', select: false }) passwordHash: string;
  @Column({ type: 'boolean', default: true }) active: boolean;
  @Column({ type: 'timestamptz', nullable: true }) lastLoginAt: Date | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt: Date;
}
