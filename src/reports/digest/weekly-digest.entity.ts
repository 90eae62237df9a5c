import { Check, Column, Entity, PrimaryColumn } from 'typeorm';
import type { Digest } from './digest-model.js';

/**
 * 综合评价周报 as stored on the Monday after the week: the figures are frozen then, so last
 * week's digest reads the same tomorrow whatever happens to the tasks since.
 */
@Entity('weekly_digests')
@Check('weekly_digests_week_start_check', 'extract(isodow FROM week_start) = 1')
export class WeeklyDigest {
  /** The Monday (Shanghai) the week starts on. */
  @PrimaryColumn({ type: 'date' }) weekStart: string;
  @Column({ type: 'jsonb' }) data: Digest;
  @Column({ type: 'timestamptz', default: () => 'now()' }) generatedAt: Date;
}
