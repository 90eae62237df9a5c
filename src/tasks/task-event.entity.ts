import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  ForeignKey,
  Index,
  PrimaryGeneratedColumn,
} from 'typeorm';
import type { TaskStatus } from './task-lifecycle.js';
import { RectificationTask } from './task.entity.js';

/** One entry of a task's audit trail (留痕). Append-only: a database trigger refuses changes. */
@Entity('task_events')
@Check('task_events_actor_kind_check', "actor_kind IN ('user', 'api_key', 'system')")
@Index('ix_task_events_task_id', ['taskId', 'id'])
@Index('ix_task_events_created_at', ['createdAt'])
export class TaskEvent {
  @PrimaryGeneratedColumn('identity', { type: 'bigint' }) id: string;
  @Column({ type: 'uuid' })
  @ForeignKey(() => RectificationTask, { name: 'task_events_task_id_fkey' })
  taskId: string;
  /** A lifecycle action, or `create`. */
  @Column({ type: 'varchar', length: 32 }) action: string;
  @Column({ type: 'varchar', length: 20, nullable: true }) fromStatus: TaskStatus | null;
  @Column({ type: 'varchar', length: 20 }) toStatus: TaskStatus;
  @Column({ type: 'varchar', length: 8 }) actorKind: 'user' | 'api_key' | 'system';
  @Column({ type: 'uuid', nullable: true }) actorId: string | null;
  @Column({ type: 'varchar', length: 200 }) actorName: string;
  @Column({ type: 'varchar', length: 16, nullable: true }) actorRole: string | null;
  @Column({ type: 'text', nullable: true }) note: string | null;
  @Column({ type: 'jsonb', default: {} }) data: Record<string, unknown>;
  @Column({ type: 'uuid', array: true, default: [] }) attachmentIds: string[];
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
}
