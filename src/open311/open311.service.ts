import { Injectable } from '@nestjs/common';
import type { Principal } from '../common/auth/principal.js';
import {
  CommonErrorCode,
  DomainError,
  invalidField,
  type FieldProblem,
} from '../common/errors/domain-error.js';
import { createValidationPipe } from '../common/errors/validation.js';
import { idempotencyKeyOf } from '../common/http/idempotency-key.js';
import { CreateTaskDto } from '../tasks/dto/create-task.dto.js';
import { Clock } from '../common/clock.js';
import { describeRule } from '../tasks/deadline/deadline.js';
import { TasksService } from '../tasks/tasks.service.js';
import { toOpen311Request, toOpen311Update } from './open311-mapping.js';
import { parseRequestsQuery, parseWindow } from './open311-query.js';
import { Open311Reader, type Open311ServiceRow } from './open311.reader.js';
import { officeMinute } from '../common/time/office-zone.js';
import type { Open311Value } from './open311-xml.js';

/** Our create fields under the names the spec gives them (for error messages). */
const SPEC_FIELD: Record<string, string> = {
  categoryId: 'service_code',
  siteId: 'address_id',
  address: 'address_string',
  lat: 'lat',
  lng: 'long',
  description: 'description',
};

const validation = createValidationPipe();

/** A field of a form-encoded or JSON body: a string (trimmed), a number, or absent. */
function field(body: Record<string, unknown>, name: string): string | number | undefined {
  const v = body[name];
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v === 'number') return v;
  if (typeof v !== 'string') throw invalidField(name, '只能出现一次，且须为文本', 'single');
  return v.trim() === '' ? undefined : v;
}

function coordinate(body: Record<string, unknown>, name: 'lat' | 'long'): number | undefined {
  const v = field(body, name);
  if (v === undefined) return undefined;
  const n = typeof v === 'number' ? v : /^-?\d+(\.\d+)?$/.test(v.trim()) ? Number(v) : NaN;
  const limit = name === 'lat' ? 90 : 180;
  if (!Number.isFinite(n) || Math.abs(n) > limit) {
    throw invalidField(name, `须为 WGS84 十进制度数（-${limit} 到 ${limit}）`, 'coordinate');
  }
  return n;
}

function text(body: Record<string, unknown>, name: string): string | undefined {
  const v = field(body, name);
  return v === undefined ? undefined : String(v);
}

/** A DomainError from the task path with its fields under the spec's names. */
function inSpecTerms(e: unknown): unknown {
  if (!(e instanceof DomainError) || !e.details?.errors) return e;
  const errors: FieldProblem[] = e.details.errors.map((p) => ({
    ...p,
    field: SPEC_FIELD[p.field] ?? p.field,
  }));
  const message = errors.map((p) => `${p.field}: ${p.message}`).join('; ');
  return new DomainError(e.kind, e.code, message, { ...e.details, errors });
}

type Body = { [key: string]: Open311Value };
/** Makes a photo's address (the REST API's authenticated download) from its id. */
export type MediaUrl = (attachmentId: string) => string;

/** One `service`: a 问题类别 (category), fields in the spec's order. */
function toService(c: Open311ServiceRow): Body {
  const rule = `整改时限：${describeRule(c.deadline_rule)}`;
  return {
    service_code: c.code,
    service_name: c.name,
    description: c.szcg_item ? `${rule}；数字城管：${c.szcg_item}` : rule,
    metadata: false,
    type: 'realtime',
    keywords: c.quick_phrases.length ? c.quick_phrases.join(', ') : null,
    group: c.group_name,
  };
}

const notFound = (field: string, what: string): DomainError =>
  new DomainError('not_found', CommonErrorCode.NOT_FOUND, `${field}: ${what}不存在`);

/**
 * GeoReport v2 over our tasks. Reads are scoped like GET /tasks (open311.reader.ts); a POSTed
 * service request becomes a task through the same path as POST /tasks.
 */
@Injectable()
export class Open311Service {
  constructor(
    private readonly tasks: TasksService,
    private readonly reader: Open311Reader,
    private readonly clock: Clock,
  ) {}

  /** GET services: the active categories. */
  async services(): Promise<Body[]> {
    return (await this.reader.services()).map(toService);
  }

  /** GET services/{code}: no extra attributes (every service has `metadata` false). */
  async serviceDefinition(code: string): Promise<Body> {
    const [service] = await this.reader.services(code);
    if (!service) throw notFound('service_code', '问题类别');
    return { service_code: service.code, attributes: [] };
  }

  async requests(
    principal: Principal,
    query: Record<string, unknown>,
    media: MediaUrl,
  ): Promise<Body[]> {
    const now = this.clock.now();
    const rows = await this.reader.requests(principal, parseRequestsQuery(query, now));
    return rows.map((r) => toOpen311Request(r, now, media));
  }

  /** GET requests/{id}: a list of one, as the spec shows; another unit's task is not found. */
  async request(principal: Principal, id: string, media: MediaUrl): Promise<Body[]> {
    const row = await this.reader.request(principal, id);
    if (!row) throw notFound('service_request_id', '服务请求');
    return [toOpen311Request(row, this.clock.now(), media)];
  }

  async updates(
    principal: Principal,
    query: Record<string, unknown>,
    media: MediaUrl,
  ): Promise<Body[]> {
    const rows = await this.reader.updates(principal, parseWindow(query, this.clock.now()));
    return rows.map((u) => toOpen311Update(u, media));
  }

  async create(
    principal: Principal,
    body: Record<string, unknown>,
    idempotencyHeader: string | undefined,
  ): Promise<{ [key: string]: Open311Value }[]> {
    // Same rule as POST /tasks: the office and inspectors log problems; a unit's key reports back.
    if (principal.role === 'unit') {
      throw new DomainError(
        'forbidden',
        CommonErrorCode.FORBIDDEN,
        '责任单位的 API 密钥不能登记问题，请使用创城办或督导员的凭据',
      );
    }
    const key = idempotencyKeyOf(idempotencyHeader);
    const serviceCode = text(body, 'service_code');
    if (!serviceCode) throw invalidField('service_code', '必须填写问题类别编码', 'required');
    const lat = coordinate(body, 'lat');
    const lng = coordinate(body, 'long');
    if ((lat === undefined) !== (lng === undefined)) {
      throw invalidField(lat === undefined ? 'lat' : 'long', 'lat 和 long 须同时提供', 'pair');
    }
    const addressString = text(body, 'address_string');
    const addressId = text(body, 'address_id');
    if (lat === undefined && !addressString && !addressId) {
      throw invalidField(
        'lat',
        '须提供位置：lat 和 long、address_string 或 address_id',
        'location',
      );
    }
    const description = text(body, 'description');
    if (!description) throw invalidField('description', '必须填写问题描述', 'required');
    const raw = {
      categoryId: serviceCode,
      siteId: addressId,
      // Coordinates alone still need words for the 台账 and the 快报.
      address:
        addressString ?? (addressId ? undefined : `经纬度 ${lat?.toFixed(6)}, ${lng?.toFixed(6)}`),
      lat,
      lng,
      description,
    };
    try {
      const dto = (await validation.transform(raw, {
        type: 'body',
        metatype: CreateTaskDto,
      })) as CreateTaskDto;
      const task = await this.tasks.create(principal, dto, key);
      return [
        {
          service_request_id: task.number,
          service_notice: task.unit
            ? `已派${task.unit.name}${task.deadline ? `，请于 ${officeMinute(new Date(task.deadline))} 前整改` : ''}`
            : '待创城办派遣责任单位',
          account_id: null,
        },
      ];
    } catch (e) {
      throw inSpecTerms(e);
    }
  }
}
