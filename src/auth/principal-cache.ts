import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type {
  DataSource,
  EntitySubscriberInterface,
  InsertEvent,
  RemoveEvent,
  UpdateEvent,
} from 'typeorm';
import { ChangeFeed } from '../database/change-feed.js';
import { Unit } from '../units/unit.entity.js';
import { User } from '../users/user.entity.js';
import { ApiKey } from './api-key.entity.js';

/** The channel the `notify_auth_changed` trigger (migration CacheChangeNotify) speaks on. */
export const AUTH_CHANGED_CHANNEL = 'auth_changed';

/**
 * Who a credential is, kept per process for under a second (`TTL_MS`; speed, issue 15): the user
 * row (and its unit, or the API key and its unit) was read, and the JWT verified, on every
 * request. A change that can refuse or reshape a caller drops every entry:
 *
 * - at once in this process, when it goes through TypeORM (a subscriber sees the write; it drops
 *   again when the transaction commits, in case a request re-read the old row meanwhile);
 * - in every process when it commits, however it was written: triggers on users, units and
 *   api_keys `pg_notify('auth_changed')`, and each process LISTENs (`ChangeFeed`);
 * - and at the latest after `TTL_MS`, if a process missed the message (its listening connection
 *   was down): deactivation applies within a second in any case.
 *
 * A read that started before a drop is not stored (the generation moved on), so an old row
 * cannot come back after the drop. Failures (401) are not kept.
 */
@Injectable()
export class PrincipalCache implements EntitySubscriberInterface {
  /** Under a second, so that a request sent a second after a change is refused in any case. */
  static readonly TTL_MS = 750;
  private readonly entries = new Map<string, { value: unknown; until: number }>();
  private generation = 0;
  /** Transactions (by query runner) that changed an account, unit or key: drop at their commit. */
  private readonly dirty = new WeakSet<object>();

  constructor(@InjectDataSource() ds: DataSource, feed: ChangeFeed) {
    ds.subscribers.push(this);
    feed.on(AUTH_CHANGED_CHANNEL, () => this.clear());
  }

  /** The cached value of `key`, or what `load` answers (kept for up to TTL_MS if it resolves). */
  async get<T>(key: string, load: () => Promise<T>, now = Date.now()): Promise<T> {
    const hit = this.entries.get(key);
    if (hit && hit.until > now) return hit.value as T;
    const generation = this.generation;
    const value = await load();
    if (generation === this.generation) {
      // Bounded: at most one entry per caller seen within the last second.
      if (this.entries.size > 10_000) this.entries.clear();
      this.entries.set(key, { value, until: now + PrincipalCache.TTL_MS });
    }
    return value;
  }

  /** Forgets every caller (and any read still running). */
  clear(): void {
    this.generation += 1;
    this.entries.clear();
  }

  // TypeORM subscriber: writes of this process through the entity API.
  afterInsert(e: InsertEvent<unknown>): void {
    this.touched(e);
  }
  afterUpdate(e: UpdateEvent<unknown>): void {
    this.touched(e);
  }
  afterRemove(e: RemoveEvent<unknown>): void {
    this.touched(e);
  }
  afterTransactionCommit(e: { queryRunner: object }): void {
    if (this.dirty.has(e.queryRunner)) {
      this.dirty.delete(e.queryRunner);
      this.clear();
    }
  }

  private touched(e: InsertEvent<unknown> | UpdateEvent<unknown> | RemoveEvent<unknown>): void {
    const target = e.metadata?.target;
    if (target !== User && target !== Unit && target !== ApiKey) return;
    this.clear();
    if (e.queryRunner.isTransactionActive) this.dirty.add(e.queryRunner);
  }
}
