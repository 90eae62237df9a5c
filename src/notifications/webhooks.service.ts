import { Inject, Injectable, Logger } from '@nestjs/common';
import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { Clock } from '../common/clock.js';
import { DomainError, invalidField } from '../common/errors/domain-error.js';
import { cursorTimestamp, decodeCursor, microsUtc, toPage } from '../common/http/pagination.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { failureCategory, postWebhook } from './webhook-post.js';
import {
  categorize,
  recordAttempt,
  type AttemptErrorCategory,
  type AttemptOutcome,
} from './webhook-attempts.js';
import { SqlWhere } from '../database/sql-where.js';
import { signWebhook } from './webhook-signature.js';
import { WebhookTargetPolicy } from './webhook-target.js';
import { idOrCodeCondition } from '../common/http/id-or-code.js';

export enum WebhookErrorCode {
  DELIVERY_NOT_FOUND = 'DELIVERY_NOT_FOUND',
  UNIT_NOT_FOUND = 'UNIT_NOT_FOUND',
  /** Loopback, link-local, private … and not in WEBHOOK_ALLOWED_HOSTS. */
  WEBHOOK_URL_FORBIDDEN = 'WEBHOOK_URL_FORBIDDEN',
  WEBHOOK_NOT_SET = 'WEBHOOK_NOT_SET',
}

/** How long configuring a webhook waits for DNS before leaving the check to the delivery. */
const CONFIGURE_DNS_TIMEOUT_MS = 2000;

const forbiddenUrl = (): DomainError =>
  new DomainError(
    'unprocessable',
    WebhookErrorCode.WEBHOOK_URL_FORBIDDEN,
    'url: 回调地址不能指向本机、内网或保留地址（如需使用内网系统，请由运维在 WEBHOOK_ALLOWED_HOSTS 中登记）',
    {
      errors: [
        { field: 'url', code: 'publicAddress', message: '回调地址不能指向本机、内网或保留地址' },
      ],
    },
  );

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
  last_attempt_at: Date | null;
  last_error_category: string | null;
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
  private readonly policy: WebhookTargetPolicy;
  private readonly logger = new Logger('Webhooks');

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.policy = new WebhookTargetPolicy(config.jobs.webhookAllowedHosts);
  }

  /** Records a delivery if the unit has a webhook and is active; returns its id while it still awaits sending. */
  async record(
    em: EntityManager,
    unitId: string,
    key: string,
    type: string,
    payload: Record<string, unknown>,
  ): Promise<string | null> {
    const rows = (await em.query(
      `INSERT INTO webhook_deliveries (unit_id, delivery_key, event_type, payload)
       SELECT u.id, $2, $3, $4 FROM units u WHERE u.id = $1 AND u.webhook_url IS NOT NULL AND u.active
       ON CONFLICT (unit_id, delivery_key) DO UPDATE SET delivery_key = EXCLUDED.delivery_key
       RETURNING id, status`,
      [unitId, key, type, JSON.stringify({ type, ...payload })],
    )) as { id: string; status: string }[];
    return rows[0]?.status === 'pending' ? rows[0].id : null;
  }

  /** One try. Resolves when the receiver answered 2xx; throws WebhookDeliveryFailed otherwise. */
  async deliver(id: string): Promise<'delivered' | 'skipped'> {
    const outcome = await this.attempt(id);
    if (outcome === 'skipped') return 'skipped';
    if (outcome.ok) return 'delivered';
    throw new WebhookDeliveryFailed(`delivery ${id}: ${outcome.error}`);
  }

  /** Sends a pending delivery once and appends the attempt to its history. */
  async attempt(id: string): Promise<AttemptOutcome | 'skipped'> {
    const [d] = (await this.ds.query(
      `SELECT d.id, d.status, d.event_type, d.payload, u.webhook_url, u.webhook_secret, u.active
         FROM webhook_deliveries d JOIN units u ON u.id = d.unit_id WHERE d.id = $1`,
      [id],
    )) as {
      id: string;
      status: string;
      event_type: string;
      payload: unknown;
      webhook_url: string | null;
      webhook_secret: string | null;
      active: boolean;
    }[];
    // Delivered already (a job run twice), the unit removed its webhook or was deactivated: nothing to send.
    if (!d || d.status !== 'pending' || !d.webhook_url || !d.active) return 'skipped';
    const body = JSON.stringify({ deliveryId: d.id, ...(d.payload as object) });
    const now = this.clock.now();
    const started = performance.now();
    let status: number | null = null;
    let error: string;
    let category: AttemptErrorCategory;
    try {
      status = await postWebhook(
        d.webhook_url,
        {
          'content-type': 'application/json',
          'user-agent': 'chuangcheng-webhooks/1',
          'x-cc-delivery': d.id,
          'x-cc-event': d.event_type,
          'x-cc-signature': signWebhook(d.webhook_secret ?? '', body, now),
        },
        body,
        this.config.jobs.webhookTimeoutMs,
        this.policy,
      );
      if (status >= 200 && status < 300) {
        const ok: AttemptOutcome = {
          ok: true,
          statusCode: status,
          errorCategory: null,
          error: null,
          durationMs: performance.now() - started,
        };
        await this.ds.transaction(async (em) => {
          await em.query(
            `UPDATE webhook_deliveries SET status = 'delivered', attempts = attempts + 1, last_status = $2, last_error = NULL, delivered_at = $3
              WHERE id = $1 AND status = 'pending'`,
            [id, status, now],
          );
          await recordAttempt(em, id, now, ok);
        });
        return ok;
      }
      error = `HTTP ${status}`;
      category = 'http_status';
    } catch (e) {
      // The office sees a category; the raw error (addresses, library detail) only reaches the logs.
      error = failureCategory(e);
      category = categorize(e);
      this.logger.warn(`delivery ${id}: ${(e as Error).message}`);
    }
    const failed: AttemptOutcome = {
      ok: false,
      statusCode: status,
      errorCategory: category,
      error,
      durationMs: performance.now() - started,
    };
    await this.ds.transaction(async (em) => {
      await em.query(
        `UPDATE webhook_deliveries SET attempts = attempts + 1, last_status = $2, last_error = $3 WHERE id = $1 AND status = 'pending'`,
        [id, status, error],
      );
      await recordAttempt(em, id, now, failed);
    });
    return failed;
  }

  /** The unit a delivery is for; null when it is no longer pending (delivered, dead, unknown). */
  async unitOf(id: string): Promise<string | null> {
    const [row] = (await this.ds.query(
      `SELECT unit_id FROM webhook_deliveries WHERE id = $1 AND status = 'pending'`,
      [id],
    )) as { unit_id: string }[];
    return row?.unit_id ?? null;
  }

  /**
   * Whether a configured host may be used: by its name or address, and by what the name resolves
   * to now. A name that does not resolve (yet) is accepted; every delivery checks again.
   */
  private async targetAllowed(hostname: string): Promise<boolean> {
    if (!this.policy.hostAllowed(hostname)) return false;
    if (this.policy.hostListed(hostname) || isIP(hostname.replace(/^\[|\]$/g, ''))) return true;
    const addresses = await Promise.race([
      dnsLookup(hostname, { all: true }).catch(() => []),
      new Promise<[]>((r) => setTimeout(() => r([]), CONFIGURE_DNS_TIMEOUT_MS).unref()),
    ]);
    return addresses.every((a) => this.policy.addressAllowed(a.address));
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
      // The attempt count and history stay: a retry adds attempts, it does not start over.
      `UPDATE webhook_deliveries SET status = 'pending' WHERE id = $1 AND status = 'dead' RETURNING id`,
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
    unitId?: string;
    limit?: number;
    cursor?: string;
  }): Promise<{ items: DeliveryRow[]; nextCursor: string | null }> {
    const limit = q.limit ?? 50;
    const where = new SqlWhere();
    if (q.status) where.add('d.status = ?', q.status);
    if (q.unitId) where.add(idOrCodeCondition('d.unit_id', 'units', q.unitId), q.unitId);
    if (q.cursor) {
      const [at, id] = decodeCursor(q.cursor, 2);
      where.add('(d.created_at, d.id) < (?::timestamptz, ?::uuid)', cursorTimestamp(at), id);
    }
    const rows = (await this.ds.query(
      `SELECT d.id, d.unit_id, u.name AS unit_name, d.delivery_key, d.event_type, d.status, d.attempts, d.last_status, d.last_error,
              d.created_at, d.delivered_at, a.attempted_at AS last_attempt_at, a.error_category AS last_error_category,
              ${microsUtc('d.created_at')} AS cursor_at
         FROM webhook_deliveries d JOIN units u ON u.id = d.unit_id
         LEFT JOIN LATERAL (SELECT attempted_at, error_category FROM webhook_delivery_attempts x
                             WHERE x.delivery_id = d.id ORDER BY x.id DESC LIMIT 1) a ON true
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
      if (!(await this.targetAllowed(parsed.hostname))) throw forbiddenUrl();
      if (!secret) throw invalidField('secret', '设置回调地址时必须提供签名密钥', 'isNotEmpty');
    }
    const rows = (await this.ds.query(
      `UPDATE units SET webhook_url = $2, webhook_secret = $3, updated_at = now(),
              webhook_created_at = CASE WHEN $2::varchar IS NULL THEN NULL ELSE coalesce(webhook_created_at, $4) END,
              webhook_updated_at = CASE WHEN $2::varchar IS NULL THEN NULL ELSE $4::timestamptz END
        WHERE id = $1 RETURNING id`,
      [unitId, url, url ? secret : null, this.clock.now()],
    )) as [unknown[], number];
    if (!rows[0].length)
      throw new DomainError('not_found', WebhookErrorCode.UNIT_NOT_FOUND, '单位不存在');
    return { unitId, url, hasSecret: !!url };
  }
}
