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
import { Unit } from '../units/unit.entity.js';

/** 点位: a place inspectors visit (社区, 公园广场, 医院, 道路 …) and the unit answerable for it. */
@Entity('sites')
@Unique('uq_sites_name', ['name'])
@Check('ck_sites_code', `code ~ '^[A-Za-z0-9_-]{1,32}$'`)
@Check('sites_lat_check', 'lat BETWEEN -90 AND 90')
@Check('sites_lng_check', 'lng BETWEEN -180 AND 180')
@Index('ix_sites_default_unit_id', ['defaultUnitId'])
@Index('ix_sites_kind', ['kind'])
@Index('uq_sites_code', ['code'], { unique: true, where: 'code IS NOT NULL' })
export class Site {
  @PrimaryGeneratedColumn('uuid') id: string;
  /** Optional code units' own systems know the site by (see `IsIdOrCode`); never a UUID. */
  @Column({ type: 'varchar', length: 32, nullable: true }) code: string | null;
  @Column({ type: 'varchar', length: 100 }) name: string;
  @Column({ type: 'varchar', length: 20 }) kind: string;
  @Column({ type: 'varchar', length: 200, nullable: true }) address: string | null;
  @Column({ type: 'double precision', nullable: true }) lat: number | null;
  @Column({ type: 'double precision', nullable: true }) lng: number | null;
  @Column({ type: 'uuid', nullable: true })
  @ForeignKey(() => Unit, { name: 'sites_default_unit_id_fkey' })
  defaultUnitId: string | null;
  @Column({ type: 'boolean', default: true }) active: boolean;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt: Date;
}
