import {
  Check,
  Column,
  Entity,
  ForeignKey,
  Index,
  PrimaryColumn,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { User } from '../../users/user.entity.js';
import type { BulletinLetterhead } from './bulletin-model.js';

/**
 * 快报设置, one row: the next issue number the office set (an office continuing a series), and
 * the letterhead defaults it changed over config/bulletin.json. Read on every draft, so a change
 * takes effect without a restart.
 */
@Entity('bulletin_settings')
@Check('ck_bulletin_settings_singleton', 'id')
@Check('ck_bulletin_settings_next', 'next_issue_number IS NULL OR next_issue_number > 0')
@Check('ck_bulletin_settings_letterhead', "jsonb_typeof(letterhead) = 'object'")
@Index('ix_bulletin_settings_updated_by', ['updatedBy'], { where: 'updated_by IS NOT NULL' })
export class BulletinSettings {
  @PrimaryColumn({ type: 'boolean', default: true }) id: boolean;
  @Column({ type: 'int', nullable: true }) nextIssueNumber: number | null;
  @Column({ type: 'jsonb', default: {} }) letterhead: Partial<BulletinLetterhead>;
  @Column({ type: 'uuid', nullable: true })
  @ForeignKey(() => User, { name: 'bulletin_settings_updated_by_fkey' })
  updatedBy: string | null;
  @Column({ type: 'timestamptz', default: () => 'now()' }) updatedAt: Date;
}

/**
 * One entry of the 快报 trail (留痕): who drafted, shaped, published or withdrew an issue, who
 * set the next number or the letterhead defaults. Append-only (a trigger refuses changes).
 * `bulletin_id` has no foreign key: a withdrawn last draft is deleted, its trail is not.
 */
@Entity('bulletin_events')
@Index('ix_bulletin_events_bulletin', ['bulletinId', 'id'])
@Index('ix_bulletin_events_actor', ['actorId'])
export class BulletinEvent {
  @PrimaryGeneratedColumn('identity', { type: 'bigint' }) id: string;
  @Column({ type: 'uuid', nullable: true }) bulletinId: string | null;
  @Column({ type: 'int', nullable: true }) issueNumber: number | null;
  @Column({ type: 'varchar', length: 32 }) action: string;
  @Column({ type: 'uuid' })
  @ForeignKey(() => User, { name: 'bulletin_events_actor_id_fkey' })
  actorId: string;
  @Column({ type: 'varchar', length: 200 }) actorName: string;
  @Column({ type: 'text', nullable: true }) reason: string | null;
  @Column({ type: 'jsonb', default: {} }) data: Record<string, unknown>;
  @Column({ type: 'timestamptz', default: () => 'now()' }) createdAt: Date;
}
