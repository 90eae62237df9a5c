import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { Clock } from '../common/clock.js';
import { DomainError, invalidField } from '../common/errors/domain-error.js';
import { cursorTimestamp, decodeCursor, microsUtc, toPage } from '../common/http/pagination.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { SqlWhere } from '../database/sql-where.js';
import { signWebhook } from './webhook-signature.js';

export enum WebhookErrorCode {
  DELIVERY_NOT_FOUND = 'DELIVERY_NOT_FOUND',
  UNIT_NOT_FOUND = 'UNIT_NOT_FOUND',
}

export interface DeliveryRow {
  id: string;
  unit_id: string;
  unit_name: string;
  delivery_key: string;
  event_type: string;
  status: 'pending' | 'delivered' | 'dead';
  attempts: number;
  last_status: number | null;
  last_error: string | null;
  created_at: Date;
  delivered_at: Date | null;
}

/** Thrown when a receiver did not take a delivery; the queue retries it with backoff. */
export class WebhookDeliveryFailed extends Error {}

/**
 * Outgoing webhooks to units' own systems: a delivery row per unit and event (the delivery key
 * makes a second recording a no-op), JSON signed with the unit's secret, sent by the webhooks
 * queue with retries; after the last try it is dead and shown to the office.
 */
@Injectable()
export class WebhooksService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Records a delivery if the unit has a webhook; returns its id while it still awaits sending. */
  async record(
    em: EntityManager,
    unitId: string,
    key: string,
    type: string,
    payload: Record<string, unknown>,
  ): Promise<string | null> {
    const rows = (await em.query(
      `INSERT INTO webhook_deliveries (unit_id, delivery_key, event_type, payload)
       SELECT u.id, $2, $3, $4 FROM units u WHERE u.id = $1 AND u.webhook_url IS NOT NULL
       ON CONFLICT (unit_id, delivery_key) DO UPDATE SET delivery_key = EXCLUDED.delivery_key
       RETURNING id, status`,
      [unitId, key, type, JSON.stringify({ type, ...payload })],
    )) as { id: string; status: string }[];
    return rows[0]?.status === 'pending' ? rows[0].id : null;
  }

  /** One try. Resolves when the receiver answered 2xx; throws WebhookDeliveryFailed otherwise. */
  async deliver(id: string): Promise<'delivered' | 'skipped'> {
    const [d] = (await this.ds.query(
      `SELECT d.id, d.status, d.event_type, d.payload, u.webhook_url, u.webhook_secret
         FROM webhook_deliveries d JOIN units u ON u.id = d.unit_id WHERE d.id = $1`,
      [id],
    )) as {
      id: string;
      status: string;
      event_type: string;
      payload: unknown;
      webhook_url: string | null;
      webhook_secret: string | null;
    }[];
    // Delivered already (a job run twice) or the unit removed its webhook: nothing to send.
    if (!d || d.status !== 'pending' || !d.webhook_url) return 'skipped';
    const body = JSON.stringify({ deliveryId: d.id, ...(d.payload as object) });
    const now = this.clock.now();
    let status: number | null = null;
    let error: string;
    try {
      const res = await fetch(d.webhook_url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'chuangcheng-webhooks/1',
          'x-cc-delivery': d.id,
          'x-cc-event': d.event_type,
          'x-cc-signature': signWebhook(d.webhook_secret ?? '', body, now),
        },
        body,
        signal: AbortSignal.timeout(this.config.jobs.webhookTimeoutMs),
        redirect: 'manual',
      });
      status = res.status;
      await res.arrayBuffer().catch(() => undefined);
      if (res.ok) {
        await this.ds.query(
          `UPDATE webhook_deliveries SET status = 'delivered', attempts = attempts + 1, last_status = $2, last_error = NULL, delivered_at = $3
            WHERE id = $1 AND status = 'pending'`,
          [id, status, now],
        );
        return 'delivered';
      }
      error = `HTTP ${res.status}`;
    } catch (e) {
      error = (e as Error).message;
    }
    await this.ds.query(
      `UPDATE webhook_deliveries SET attempts = attempts + 1, last_status = $2, last_error = $3 WHERE id = $1 AND status = 'pending'`,
      [id, status, error],
    );
    throw new WebhookDeliveryFailed(`delivery ${id}: ${error}`);
  }

  async markDead(id: string): Promise<void> {
    await this.ds.query(
      `UPDATE webhook_deliveries SET status = 'dead' WHERE id = $1 AND status = 'pending'`,
      [id],
    );
  }

  /** Puts a dead delivery back to pending; returns its id to enqueue. */
  async revive(id: string): Promise<string> {
    // An UPDATE … RETURNING answers [rows, affected count] through TypeORM.
    const [rows] = (await this.ds.query(
      `UPDATE webhook_deliveries SET status = 'pending', attempts = 0, last_error = NULL WHERE id = $1 AND status = 'dead' RETURNING id`,
      [id],
    )) as [{ id: string }[], number];
    if (!rows.length)
      throw new DomainError(
        'not_found',
        WebhookErrorCode.DELIVERY_NOT_FOUND,
        '没有可重试的失败投递',
      );
    return rows[0].id;
  }

  /** Newest first, keyset-paginated on (created_at to the microsecond, id). */
  async list(q: {
    status?: string;
    limit?: number;
    cursor?: string;
  }): Promise<{ items: DeliveryRow[]; nextCursor: string | null }> {
    const limit = q.limit ?? 50;
    const where = new SqlWhere();
    if (q.status) where.add('d.status = ?', q.status);
    if (q.cursor) {
      const [at, id] = decodeCursor(q.cursor, 2);
      where.add('(d.created_at, d.id) < (?::timestamptz, ?::uuid)', cursorTimestamp(at), id);
    }
    const rows = (await this.ds.query(
      `SELECT d.id, d.unit_id, u.name AS unit_name, d.delivery_key, d.event_type, d.status, d.attempts, d.last_status, d.last_error,
              d.created_at, d.delivered_at, ${microsUtc('d.created_at')} AS cursor_at
         FROM webhook_deliveries d JOIN units u ON u.id = d.unit_id
        ${where} ORDER BY d.created_at DESC, d.id DESC LIMIT ${limit + 1}`,
      where.params,
    )) as (DeliveryRow & { cursor_at: string })[];
    return toPage(rows, limit, (r) => [r.cursor_at, r.id]);
  }

  async configure(
    unitId: string,
    url: string | null,
    secret: string | null,
  ): Promise<{ unitId: string; url: string | null; hasSecret: boolean }> {
    if (url) {
      let parsed: URL;
      try {
        parsed = new URL(url);
      } catch {
        throw invalidField('url', 'url must be an absolute http(s) URL', 'isUrl');
      }
      if (!['http:', 'https:'].includes(parsed.protocol))
        throw invalidField('url', 'url must be http or https', 'isUrl');
      if (!secret) throw invalidField('secret', '设置回调地址时必须提供签名密钥', 'isNotEmpty');
    }
    const rows = (await this.ds.query(
      'UPDATE units SET webhook_url = $2, webhook_secret = $3, updated_at = now() WHERE id = $1 RETURNING id',
      [unitId, url, url ? secret : null],
    )) as [unknown[], number];
    if (!rows[0].length)
      throw new DomainError('not_found', WebhookErrorCode.UNIT_NOT_FOUND, '单位不存在');
    return { unitId, url, hasSecret: !!url };
  }
}
