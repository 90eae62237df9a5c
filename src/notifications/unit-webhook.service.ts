import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { Principal } from '../common/auth/principal.js';
import { Clock } from '../common/clock.js';
import { DomainError } from '../common/errors/domain-error.js';
import { dbOf } from '../database/kysely.js';
import { toAttempt, type AttemptRow } from './webhook-attempts.js';
import { webhooksRepository as webhookRows } from './webhooks.repository.js';
import { WebhookErrorCode, WebhooksService } from './webhooks.service.js';

export interface UnitWebhookView {
  unitId: string;
  url: string | null;
  hasSecret: boolean;
  createdAt: string | null;
  updatedAt: string | null;
}

export interface PingResult {
  deliveryId: string;
  delivered: boolean;
  statusCode: number | null;
  errorCategory: string | null;
  error: string | null;
  durationMs: number;
}

/**
 * What the office and the unit itself may see of a unit's webhook (never the secret), a signed
 * test `ping` sent at once, and the attempt history of a delivery.
 */
@Injectable()
export class UnitWebhookService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly webhooks: WebhooksService,
    private readonly clock: Clock,
  ) {}

  async get(p: Principal, unitId: string): Promise<UnitWebhookView> {
    this.assertVisible(p, unitId);
    const u = await webhookRows.unitWebhook(dbOf(this.ds.manager), unitId);
    if (!u) throw unitNotFound();
    return {
      unitId: u.id,
      url: u.webhook_url,
      hasSecret: u.has_secret,
      createdAt: u.webhook_created_at?.toISOString() ?? null,
      updatedAt: u.webhook_updated_at?.toISOString() ?? null,
    };
  }

  /**
   * Sends a signed `ping` now, as one delivery with one attempt (kept like any other). A ping is
   * not retried: when it fails it is dead at once, so the office sees the receiver is broken.
   */
  async ping(p: Principal, unitId: string): Promise<PingResult> {
    const view = await this.get(p, unitId);
    if (!view.url)
      throw new DomainError('conflict', WebhookErrorCode.WEBHOOK_NOT_SET, '该单位未设置回调地址');
    const now = this.clock.now();
    const id = await this.ds.transaction((em) =>
      this.webhooks.record(em, unitId, `ping:${randomUUID()}`, 'ping', {
        kind: 'ping',
        occurredAt: now.toISOString(),
        unitId,
      }),
    );
    if (!id) throw unitNotFound();
    const outcome = await this.webhooks.attempt(id);
    if (outcome === 'skipped') throw unitNotFound();
    if (!outcome.ok) await this.webhooks.markDead(id);
    return {
      deliveryId: id,
      delivered: outcome.ok,
      statusCode: outcome.statusCode,
      errorCategory: outcome.errorCategory,
      error: outcome.error,
      durationMs: Math.round(outcome.durationMs),
    };
  }

  async attempts(deliveryId: string): Promise<AttemptRow[]> {
    const db = dbOf(this.ds.manager);
    if (!(await webhookRows.exists(db, deliveryId)))
      throw new DomainError('not_found', WebhookErrorCode.DELIVERY_NOT_FOUND, '投递记录不存在');
    return (await webhookRows.attempts(db, deliveryId)).map(toAttempt);
  }

  /** The office sees every unit; a unit only itself (another unit's webhook does not exist for it). */
  private assertVisible(p: Principal, unitId: string): void {
    if (p.role === 'admin') return;
    if (p.role === 'unit' && p.unitId === unitId) return;
    throw unitNotFound();
  }
}

const unitNotFound = (): DomainError =>
  new DomainError('not_found', WebhookErrorCode.UNIT_NOT_FOUND, '单位不存在');
