import {
  Column,
  CreateDateColumn,
  Entity,
  ForeignKey,
  Index,
  PrimaryGeneratedColumn,
  Unique,
} from 'typeorm';
import { Unit } from '../units/unit.entity.js';
import { User } from '../users/user.entity.js';

/** A responsible unit's machine credential. Only a SHA-256 of the secret is kept. */
@Entity('api_keys')
@Unique('uq_api_keys_prefix', ['prefix'])
@Index('ix_api_keys_unit_id', ['unitId'])
@Index('ix_api_keys_created_by', ['createdBy'])
export class ApiKey {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'uuid' })
  @ForeignKey(() => Unit, { name: 'api_keys_unit_id_fkey' })
  unitId: string;
  @Column({ type: 'varchar', length: 100 }) name: string;
  /** Public part of the key, used to find the row without scanning hashes. */
  @Column({ type: 'varchar', length: 16 }) prefix: string;
  @Column({ type: 'char', length: 64, select: false }) keyHash: string;
  @Column({ type: 'uuid', nullable: true })
  @ForeignKey(() => User, { name: 'api_keys_created_by_fkey' })
  createdBy: string | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @Column({ type: 'timestamptz', nullable: true }) lastUsedAt: Date | null;
  @Column({ type: 'timestamptz', nullable: true }) expiresAt: Date | null;
  @Column({ type: 'timestamptz', nullable: true }) revokedAt: Date | null;
}
