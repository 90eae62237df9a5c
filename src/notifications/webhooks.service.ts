import { Inject, Injectable, Logger } from '@nestjs/common';
import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { dbOf } from '../database/kysely.js';
import { Clock } from '../common/clock.js';
import { DomainError, invalidField } from '../common/errors/domain-error.js';
import { cursorTimestamp, decodeCursor, toPage } from '../common/http/pagination.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { failureCategory, postWebhook } from './webhook-post.js';
import { categorize, type AttemptErrorCategory, type AttemptOutcome } from './webhook-attempts.js';
import {
  webhooksRepository as deliveries,
  type DeliveryRow,
  type DeliveryStatus,
} from './webhooks.repository.js';
import { signWebhook } from './webhook-signature.js';
import { WebhookTargetPolicy } from './webhook-target.js';
import { isUuid } from '../common/http/id-or-code.js';

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

export type { DeliveryRow } from './webhooks.repository.js';

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
    const row = await deliveries.record(dbOf(em), {
      unitId,
      key,
      type,
      payload: { type, ...payload },
    });
    return row?.status === 'pending' ? row.id : null;
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
    const d = await deliveries.sendable(dbOf(this.ds.manager), id);
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
          const db = dbOf(em);
          await deliveries.countAttempt(db, id, { delivered: now, status, error: null });
          await deliveries.appendAttempt(db, id, now, ok);
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
      const db = dbOf(em);
      await deliveries.countAttempt(db, id, { delivered: null, status, error });
      await deliveries.appendAttempt(db, id, now, failed);
    });
    return failed;
  }

  /** The unit a delivery is for; null when it is no longer pending (delivered, dead, unknown). */
  async unitOf(id: string): Promise<string | null> {
    return deliveries.pendingUnit(dbOf(this.ds.manager), id);
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
    await deliveries.markDead(dbOf(this.ds.manager), id);
  }

  /** Puts a dead delivery back to pending; returns its id to enqueue. */
  async revive(id: string): Promise<string> {
    // The attempt count and history stay: a retry adds attempts, it does not start over.
    const revived = await deliveries.revive(dbOf(this.ds.manager), id);
    if (!revived)
      throw new DomainError(
        'not_found',
        WebhookErrorCode.DELIVERY_NOT_FOUND,
        '没有可重试的失败投递',
      );
    return revived;
  }

  /** Newest first, keyset-paginated on (created_at to the microsecond, id). */
  async list(q: {
    status?: DeliveryStatus;
    unitId?: string;
    limit?: number;
    cursor?: string;
  }): Promise<{ items: DeliveryRow[]; nextCursor: string | null }> {
    const limit = q.limit ?? 50;
    let before: [string, string] | undefined;
    if (q.cursor) {
      const [at, id] = decodeCursor(q.cursor, 2);
      before = [cursorTimestamp(at), String(id)];
    }
    const rows = await deliveries.list(dbOf(this.ds.manager), {
      status: q.status || undefined,
      unit: q.unitId ? (isUuid(q.unitId) ? { id: q.unitId } : { code: q.unitId }) : undefined,
      before,
      limit: limit + 1,
    });
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
    const found = await deliveries.configure(dbOf(this.ds.manager), unitId, {
      url,
      secret,
      now: this.clock.now(),
    });
    if (!found) throw new DomainError('not_found', WebhookErrorCode.UNIT_NOT_FOUND, '单位不存在');
    return { unitId, url, hasSecret: !!url };
  }
}
