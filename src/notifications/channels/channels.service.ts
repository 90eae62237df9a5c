import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { Clock } from '../../common/clock.js';
import { DomainError, invalidField } from '../../common/errors/domain-error.js';
import { fromOfficeClock, officeClock, officeDay } from '../../common/time/office-zone.js';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { dbOf } from '../../database/kysely.js';
import {
  CHANNEL_EVENTS,
  digestMessage,
  testMessage,
  type ChannelEvent,
  type ChannelMessage,
} from './channel-messages.js';
import {
  CHANNEL_KINDS,
  ChannelSendError,
  sendToChannel,
  TencentSms,
  type ChannelKind,
  type SmsGateway,
} from './channel-senders.js';
import {
  channelsRepository as channels,
  type ChannelDeliveryRow,
  type ChannelOwner,
  type ChannelRow,
  type ChannelValues,
} from './channels.repository.js';

export enum ChannelErrorCode {
  CHANNEL_NOT_FOUND = 'CHANNEL_NOT_FOUND',
  CHANNEL_DELIVERY_NOT_FOUND = 'CHANNEL_DELIVERY_NOT_FOUND',
  UNIT_NOT_FOUND = 'UNIT_NOT_FOUND',
}

/** Thrown when a channel did not take a message; the queue retries it, then it is dead. */
export class ChannelDeliveryFailed extends Error {}

/** What the API shows of a channel: secrets only as a mask of their last characters. */
export interface ChannelView {
  id: string;
  unitId: string | null;
  unitName: string | null;
  kind: ChannelKind;
  name: string;
  token: string | null;
  hasSecret: boolean;
  phones: string[];
  leaderPhones: string[];
  events: ChannelEvent[];
  active: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface ChannelDeliveryView {
  id: string;
  event: string;
  text: string;
  copyLeader: boolean;
  status: string;
  attempts: number;
  lastError: string | null;
  createdAt: string;
  lastAttemptAt: string | null;
  sentAt: string | null;
}

export interface ChannelInput {
  kind?: ChannelKind;
  name?: string;
  /** 企业微信 key (or the whole webhook URL, whose `key` is taken) / 钉钉 access_token (or URL). */
  token?: string | null;
  secret?: string | null;
  phones?: string[];
  leaderPhones?: string[];
  events?: ChannelEvent[];
  active?: boolean;
}

/** `****abcd`: enough for a clerk to tell two keys apart, never enough to use one. */
export const mask = (s: string | null): string | null =>
  s ? `****${s.length > 8 ? s.slice(-4) : ''}` : null;

const PHONE = /^\+?\d{6,15}$/;

/** A pasted robot URL gives its key (企业微信 `key`, 钉钉 `access_token`); a bare key stays. */
export function tokenOf(kind: ChannelKind, value: string): string {
  const v = value.trim();
  if (!/^https?:\/\//i.test(v)) return v;
  let url: URL;
  try {
    url = new URL(v);
  } catch {
    throw invalidField('token', 'token: 无法识别的机器人地址', 'isUrl');
  }
  const key = url.searchParams.get(kind === 'wecom' ? 'key' : 'access_token');
  if (!key)
    throw invalidField(
      'token',
      kind === 'wecom' ? 'token: 地址中没有 key 参数' : 'token: 地址中没有 access_token 参数',
      'isUrl',
    );
  return key;
}

export interface Recorded {
  channelDeliveryIds: string[];
}

/**
 * Reminders where people are: 企业微信/钉钉 group robots and SMS, per unit and for the office.
 * Deliveries are recorded inside the caller's transaction (one per active channel subscribed to
 * the event; the key makes a second recording a no-op) and sent one job each, so a channel that
 * hangs or fails never delays another; failures are retried, then dead and shown to the office.
 */
@Injectable()
export class ChannelsService {
  private readonly logger = new Logger('Channels');
  private sms: SmsGateway;

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.sms = new TencentSms(config.channels.sms, () => this.clock.now());
  }

  get publicBaseUrl(): string {
    return this.config.channels.publicBaseUrl;
  }

  /** Records one delivery per matching channel of the owner, in the caller's transaction. */
  record(
    em: EntityManager,
    owner: ChannelOwner,
    key: string,
    event: ChannelEvent,
    message: ChannelMessage,
  ): Promise<string[]> {
    return channels.record(dbOf(em), owner, { key, event, message });
  }

  /** One try of a pending delivery. Throws ChannelDeliveryFailed when the channel did not take it. */
  async send(id: string): Promise<'sent' | 'skipped'> {
    const error = await this.attempt(id);
    if (error === 'skipped') return 'skipped';
    if (error === null) return 'sent';
    throw new ChannelDeliveryFailed(`channel delivery ${id}: ${error}`);
  }

  /** Sends once and records the outcome; null when sent, else the error the office sees. */
  private async attempt(id: string): Promise<string | null | 'skipped'> {
    const d = await channels.sendable(dbOf(this.ds.manager), id);
    if (!d || d.status !== 'pending' || !d.channel.active) return 'skipped';
    const now = this.clock.now();
    try {
      await sendToChannel(
        {
          kind: d.channel.kind,
          token: d.channel.token,
          secret: d.channel.secret,
          phones: d.channel.phones,
          leaderPhones: d.channel.leader_phones,
        },
        d.message,
        this.config.channels,
        this.sms,
        now,
        this.config.channels.timeoutMs,
      );
    } catch (e) {
      const error = e instanceof ChannelSendError ? e.message : '发送失败';
      // The category only: a URL would carry the robot's key.
      this.logger.warn(`channel delivery ${id} (${d.channel.kind}): ${error}`);
      await channels.markFailed(dbOf(this.ds.manager), id, now, error);
      return error;
    }
    await channels.markSent(dbOf(this.ds.manager), id, now);
    return null;
  }

  async markDead(id: string): Promise<void> {
    await channels.markDead(dbOf(this.ds.manager), id);
  }

  // --- the daily summary ---

  /**
   * The daily 明日到期/已超期 summary to every unit (and the office) with a channel subscribed
   * to it, once per owner and office day (the key carries the day). Nothing is sent to a unit
   * with nothing due tomorrow and nothing overdue.
   */
  async digest(now: Date): Promise<string[]> {
    const day = officeDay(now);
    const local = officeClock(now);
    const startOfTomorrow = fromOfficeClock(
      Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate() + 1),
    );
    const endOfTomorrow = new Date(startOfTomorrow.getTime() + 86_400_000);
    return this.ds.transaction(async (em) => {
      const db = dbOf(em);
      const owners = await channels.digestOwners(db);
      if (!owners.length) return [];
      const units = owners.filter((o): o is string => o !== null);
      const rows = await channels.dueAndOverdue(
        db,
        owners.includes(null) ? 'all' : units,
        now,
        endOfTomorrow,
        startOfTomorrow,
      );
      const ids: string[] = [];
      const send = async (owner: ChannelOwner, unitName: string | null, of: typeof rows) => {
        if (!of.length) return;
        const message = digestMessage(
          {
            day: now,
            unitName,
            overdue: of.filter((r) => r.overdue),
            dueTomorrow: of.filter((r) => !r.overdue),
          },
          this.publicBaseUrl,
        );
        const key = `digest:${owner === 'office' ? 'office' : owner.unitId}:${day}`;
        ids.push(...(await channels.record(db, owner, { key, event: 'digest', message })));
      };
      for (const unitId of units) {
        const of = rows.filter((r) => r.unit_id === unitId);
        await send({ unitId }, of[0]?.unit_name ?? null, of);
      }
      if (owners.includes(null)) await send('office', null, rows);
      return ids;
    });
  }

  // --- the office's settings ---

  async list(owner: ChannelOwner): Promise<ChannelView[]> {
    if (owner !== 'office') await this.assertUnit(owner.unitId);
    return (await channels.list(dbOf(this.ds.manager), owner)).map(toView);
  }

  async create(owner: ChannelOwner, input: ChannelInput): Promise<ChannelView> {
    if (owner !== 'office') await this.assertUnit(owner.unitId);
    if (!input.kind || !CHANNEL_KINDS.includes(input.kind))
      throw invalidField('kind', 'kind: 须为 wecom、dingtalk 或 sms', 'isIn');
    const values = this.validate(input.kind, input, null);
    const id = await channels.insert(
      dbOf(this.ds.manager),
      owner === 'office' ? null : owner.unitId,
      values,
    );
    return this.get(id);
  }

  async update(id: string, input: ChannelInput): Promise<ChannelView> {
    const current = await this.row(id);
    if (input.kind && input.kind !== current.kind)
      throw invalidField('kind', 'kind: 渠道类型不能修改，请删除后重新添加', 'immutable');
    const values = this.validate(current.kind, input, current);
    await channels.update(dbOf(this.ds.manager), id, values, this.clock.now());
    return this.get(id);
  }

  async remove(id: string): Promise<void> {
    if (!(await channels.remove(dbOf(this.ds.manager), id))) throw channelNotFound();
  }

  async get(id: string): Promise<ChannelView> {
    return toView(await this.row(id));
  }

  /** 测试发送: one message now, recorded like any other; not retried (dead at once if it fails). */
  async test(id: string): Promise<{ deliveryId: string; sent: boolean; error: string | null }> {
    const c = await this.row(id);
    const owner: ChannelOwner = c.unit_id ? { unitId: c.unit_id } : 'office';
    const [deliveryId] = await channels.record(dbOf(this.ds.manager), owner, {
      key: `test:${randomUUID()}`,
      event: 'test',
      message: testMessage(c.name, this.publicBaseUrl),
      channelId: id,
    });
    if (!deliveryId)
      throw new DomainError('conflict', 'CHANNEL_INACTIVE', '渠道已停用，启用后再测试');
    const error = await this.attempt(deliveryId);
    if (error !== null) await this.markDead(deliveryId);
    return { deliveryId, sent: error === null, error: error === 'skipped' ? '未发送' : error };
  }

  async deliveries(id: string, limit = 50): Promise<ChannelDeliveryView[]> {
    await this.row(id);
    return (await channels.deliveries(dbOf(this.ds.manager), id, limit)).map(toDeliveryView);
  }

  /** A dead delivery back to pending; returns its id to queue. */
  async revive(channelId: string, deliveryId: string): Promise<string> {
    const id = await channels.revive(dbOf(this.ds.manager), channelId, deliveryId);
    if (!id)
      throw new DomainError(
        'not_found',
        ChannelErrorCode.CHANNEL_DELIVERY_NOT_FOUND,
        '没有可重试的失败消息',
      );
    return id;
  }

  private async row(id: string): Promise<ChannelRow> {
    const c = await channels.get(dbOf(this.ds.manager), id);
    if (!c) throw channelNotFound();
    return c;
  }

  private async assertUnit(unitId: string): Promise<void> {
    const u = await dbOf(this.ds.manager)
      .selectFrom('units')
      .select('id')
      .where('id', '=', unitId)
      .executeTakeFirst();
    if (!u) throw new DomainError('not_found', ChannelErrorCode.UNIT_NOT_FOUND, '单位不存在');
  }

  /**
   * The values to store. Secrets are write-only: omitted (undefined) keeps the stored one, null
   * removes it. What each kind needs: 企业微信 a key, 钉钉 an access_token (a 加签 secret
   * optional), SMS at least one phone number.
   */
  private validate(kind: ChannelKind, i: ChannelInput, current: ChannelRow | null): ChannelValues {
    const name = i.name !== undefined ? i.name.trim() : current?.name;
    if (!name || name.length > 60)
      throw invalidField('name', 'name: 请填写 1–60 字的名称', 'length');
    const phones = (i.phones ?? current?.phones ?? []).map((p) => p.trim()).filter(Boolean);
    const leaderPhones = (i.leaderPhones ?? current?.leader_phones ?? [])
      .map((p) => p.trim())
      .filter(Boolean);
    for (const [field, list, max] of [
      ['phones', phones, 20],
      ['leaderPhones', leaderPhones, 5],
    ] as const) {
      if (list.length > max)
        throw invalidField(field, `${field}: 最多 ${max} 个号码`, 'arrayMaxSize');
      const bad = list.find((p) => !PHONE.test(p));
      if (bad) throw invalidField(field, `${field}: 号码格式不正确：${bad}`, 'isPhone');
    }
    const events = i.events ?? current?.events ?? [...CHANNEL_EVENTS];
    if (!Array.isArray(events) || events.some((e) => !CHANNEL_EVENTS.includes(e)))
      throw invalidField('events', `events: 只能是 ${CHANNEL_EVENTS.join('、')}`, 'isIn');
    let token = current?.token ?? null;
    if (i.token !== undefined)
      token = i.token === null || i.token.trim() === '' ? null : tokenOf(kind, i.token);
    if (token !== null && (token.length > 200 || /\s/.test(token)))
      throw invalidField('token', 'token: 格式不正确', 'isToken');
    let secret = current?.secret ?? null;
    if (i.secret !== undefined)
      secret = i.secret === null || i.secret.trim() === '' ? null : i.secret.trim();
    if (secret !== null && secret.length > 200)
      throw invalidField('secret', 'secret: 过长', 'maxLength');
    if (kind !== 'sms' && !token)
      throw invalidField(
        'token',
        kind === 'wecom'
          ? 'token: 请填写企业微信机器人的 key 或地址'
          : 'token: 请填写钉钉机器人的 access_token 或地址',
        'isNotEmpty',
      );
    if (kind === 'sms' && !phones.length)
      throw invalidField('phones', 'phones: 短信渠道至少需要一个接收号码', 'arrayNotEmpty');
    return {
      kind,
      name,
      token: kind === 'sms' ? null : token,
      secret: kind === 'dingtalk' ? secret : null,
      phones,
      leader_phones: leaderPhones,
      events: [...new Set(events)],
      active: i.active ?? current?.active ?? true,
    };
  }
}

const channelNotFound = (): DomainError =>
  new DomainError('not_found', ChannelErrorCode.CHANNEL_NOT_FOUND, '消息渠道不存在');

const toView = (c: ChannelRow): ChannelView => ({
  id: c.id,
  unitId: c.unit_id,
  unitName: c.unit_name,
  kind: c.kind,
  name: c.name,
  token: mask(c.token),
  hasSecret: !!c.secret,
  phones: c.phones,
  leaderPhones: c.leader_phones,
  events: c.events,
  active: c.active,
  createdAt: c.created_at.toISOString(),
  updatedAt: c.updated_at.toISOString(),
});

const toDeliveryView = (d: ChannelDeliveryRow): ChannelDeliveryView => ({
  id: d.id,
  event: d.event,
  text: d.message.text,
  copyLeader: d.message.copyLeader,
  status: d.status,
  attempts: d.attempts,
  lastError: d.last_error,
  createdAt: d.created_at.toISOString(),
  lastAttemptAt: d.last_attempt_at?.toISOString() ?? null,
  sentAt: d.sent_at?.toISOString() ?? null,
});
