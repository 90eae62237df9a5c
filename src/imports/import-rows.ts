import type { DeadlineRule } from '../tasks/deadline/deadline.js';
import { FIELD_TIME_MAX_AGE_DAYS, FIELD_TIME_MAX_SKEW_MS } from '../tasks/field-time.js';
import { fromOfficeClock } from '../common/time/office-zone.js';
import type { ImportCell } from './xlsx-rows.js';

/**
 * 导入问题清单, the pure part: which of the file's columns feeds which of our fields, and each row
 * as the task it would create — or the errors, per cell, that stop it. No database here: the
 * catalogue arrives as lookups loaded once per batch, so 5,000 rows cost no query each.
 */

/** Our fields a column can feed (类别, 点位, 地址, 问题描述, 经度, 纬度, 发现时间, 责任单位, 整改时限). */
export const IMPORT_FIELDS = [
  'category',
  'site',
  'address',
  'description',
  'lng',
  'lat',
  'foundAt',
  'unit',
  'deadline',
] as const;
export type ImportField = (typeof IMPORT_FIELDS)[number];

export const IMPORT_FIELD_LABELS: Readonly<Record<ImportField, string>> = {
  category: '问题类别',
  site: '点位',
  address: '地址',
  description: '问题描述',
  lng: '经度',
  lat: '纬度',
  foundAt: '发现时间',
  unit: '责任单位',
  deadline: '整改时限',
};

/** Field → the header text of the file's column feeding it. Kept per batch and per source. */
export type ImportMapping = Partial<Record<ImportField, string>>;

/** Header texts the office's lists use, per field, for a first guess at the mapping. */
const SYNONYMS: Readonly<Record<ImportField, readonly string[]>> = {
  category: ['问题类别', '类别', '问题类型', '类型', '问题分类', '类别编码'],
  site: ['点位', '点位名称', '检查点位', '点位编码'],
  address: ['地址', '问题地址', '详细地址', '位置', '问题位置', '具体位置'],
  description: ['问题描述', '描述', '问题内容', '具体问题', '问题', '存在问题'],
  lng: ['经度', 'lng', 'longitude'],
  lat: ['纬度', 'lat', 'latitude'],
  foundAt: ['发现时间', '发现日期', '检查时间', '检查日期', '时间', '日期'],
  unit: ['责任单位', '单位', '属地单位', '承办单位'],
  deadline: ['整改时限', '整改期限', '完成时限', '时限', '期限'],
};

const norm = (s: string): string => s.replace(/\s+/g, '').toLowerCase();

/**
 * The mapping to offer for a file: the source's remembered one where its headers are in the file,
 * then, for fields still open, a header that is one of the field's usual names.
 */
export function suggestMapping(
  headers: readonly string[],
  remembered: ImportMapping | null,
): ImportMapping {
  const mapping: ImportMapping = {};
  const taken = new Set<string>();
  for (const field of IMPORT_FIELDS) {
    const header = remembered?.[field];
    if (header && headers.includes(header) && !taken.has(header)) {
      mapping[field] = header;
      taken.add(header);
    }
  }
  for (const field of IMPORT_FIELDS) {
    if (mapping[field]) continue;
    const names = SYNONYMS[field].map(norm);
    const header = headers.find((h) => !taken.has(h) && names.includes(norm(h)));
    if (header) {
      mapping[field] = header;
      taken.add(header);
    }
  }
  return mapping;
}

/** A mapping's own errors (a header not in the file, one column for two fields, 类别 unmapped). */
export function mappingProblems(
  headers: readonly string[],
  mapping: ImportMapping,
): { field: string; code: string; message: string }[] {
  const problems: { field: string; code: string; message: string }[] = [];
  const used = new Map<string, ImportField>();
  for (const field of IMPORT_FIELDS) {
    const header = mapping[field];
    if (header === undefined) continue;
    if (!headers.includes(header)) {
      problems.push({
        field: `mapping.${field}`,
        code: 'unknownColumn',
        message: `表格中没有“${header}”列`,
      });
    } else if (used.has(header)) {
      problems.push({
        field: `mapping.${field}`,
        code: 'columnUsedTwice',
        message: `“${header}”列已对应${IMPORT_FIELD_LABELS[used.get(header)!]}`,
      });
    } else used.set(header, field);
  }
  for (const field of ['category', 'description'] as const) {
    if (!mapping[field]) {
      problems.push({
        field: `mapping.${field}`,
        code: 'isNotEmpty',
        message: `请指定${IMPORT_FIELD_LABELS[field]}对应的列`,
      });
    }
  }
  if (!mapping.site && !mapping.address) {
    problems.push({
      field: 'mapping.site',
      code: 'isNotEmpty',
      message: '请指定点位或地址对应的列',
    });
  }
  return problems;
}

export interface CatalogCategory {
  id: string;
  code: string;
  name: string;
  deadlineRule: DeadlineRule;
  duplicateRadiusM: number;
}
export interface CatalogSite {
  id: string;
  code: string | null;
  name: string;
  address: string | null;
  lat: number | null;
  lng: number | null;
  defaultUnitId: string | null;
}
export interface CatalogUnit {
  id: string;
  code: string;
  name: string;
}

/** The active catalogue, by code and by name (a clerk writes either). */
export interface ImportLookups {
  categories: ReadonlyMap<string, CatalogCategory>;
  sites: ReadonlyMap<string, CatalogSite>;
  units: ReadonlyMap<string, CatalogUnit>;
  unitById: ReadonlyMap<string, CatalogUnit>;
}

export function lookupsOf(
  categories: readonly CatalogCategory[],
  sites: readonly CatalogSite[],
  units: readonly CatalogUnit[],
): ImportLookups {
  const index = <T extends { code: string | null; name: string }>(items: readonly T[]) => {
    const map = new Map<string, T>();
    // Names first, codes last: a code wins over a name that happens to read the same.
    for (const item of items) map.set(norm(item.name), item);
    for (const item of items) if (item.code) map.set(norm(item.code), item);
    return map;
  };
  return {
    categories: index(categories),
    sites: index(sites),
    units: index(units),
    unitById: new Map(units.map((u) => [u.id, u])),
  };
}

/** One cell's problem, named by the file's column header. */
export interface RowError {
  /** The column header as in the file; null for a problem of the row as a whole. */
  column: string | null;
  field: ImportField | null;
  code: string;
  message: string;
}

/** A row as the task it would create. */
export interface ResolvedRow {
  row: number;
  category: CatalogCategory | null;
  site: CatalogSite | null;
  address: string | null;
  lat: number | null;
  lng: number | null;
  description: string | null;
  foundAt: Date | null;
  unit: CatalogUnit | null;
  /** How the unit was found: the file's 责任单位 column, the site's default unit, or none. */
  routed: 'file' | 'site' | 'none';
  /** The file's 整改时限, when it gives one. */
  deadlineGiven: Date | null;
  /** The deadline the task would get (the file's, else the category's 时限 from now). */
  deadline: Date | null;
  errors: RowError[];
}

const DATE_TEXT =
  /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[ T]+(\d{1,2})[:：时](\d{1,2})(?:[:：分](\d{1,2})秒?)?)?$/;

/**
 * A time in a cell: `2026-11-28`, `2026/11/28 09:30`, `2026年11月28日` … read as Beijing time
 * (the parser already turned Excel date cells into such text). A bare day is its start, or for a
 * deadline its end (整改时限 12月5日 means by the end of that day). Null when it is not a time.
 */
export function parseOfficeTime(value: ImportCell, endOfDay = false): Date | null {
  if (value === null || typeof value === 'number') return null;
  const m = DATE_TEXT.exec(value.trim());
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const dayOnly = m[4] === undefined;
  const [h, mi, s] = dayOnly
    ? endOfDay
      ? [23, 59, 59]
      : [0, 0, 0]
    : [Number(m[4]), Number(m[5]), Number(m[6] ?? 0)];
  const wall = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  // Date.UTC rolls 2026-02-30 over to March: such a day is not a day.
  if (wall.getUTCMonth() !== mo - 1 || wall.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) {
    return null;
  }
  return fromOfficeClock(wall);
}

const text = (v: ImportCell): string | null => (v === null ? null : String(v).trim() || null);

/**
 * One row as the task it would create, or its errors. `deadlineFrom` computes the category's
 * 时限 from `now` (the deadline service); the same rules as POST /tasks apply, checked here so
 * that the preview names them per cell.
 */
export function resolveRow(
  source: { row: number; cells: readonly ImportCell[] },
  headers: readonly string[],
  mapping: ImportMapping,
  lookups: ImportLookups,
  now: Date,
  deadlineFrom: (rule: DeadlineRule) => Date,
): ResolvedRow {
  const errors: RowError[] = [];
  const cell = (field: ImportField): ImportCell => {
    const header = mapping[field];
    if (!header) return null;
    const i = headers.indexOf(header);
    return i < 0 ? null : (source.cells[i] ?? null);
  };
  const fail = (field: ImportField | null, code: string, message: string): void => {
    errors.push({ column: field ? (mapping[field] ?? null) : null, field, code, message });
  };

  const categoryText = text(cell('category'));
  const category = categoryText ? (lookups.categories.get(norm(categoryText)) ?? null) : null;
  if (!categoryText) fail('category', 'isNotEmpty', '问题类别为空');
  else if (!category)
    fail('category', 'unknownCategory', `没有名称或编码为“${categoryText}”的启用类别`);

  const siteText = text(cell('site'));
  const site = siteText ? (lookups.sites.get(norm(siteText)) ?? null) : null;
  if (siteText && !site) fail('site', 'unknownSite', `没有名称或编码为“${siteText}”的启用点位`);

  const address = text(cell('address'));
  if (address && address.length > 200) fail('address', 'maxLength', '地址不能超过200字');
  if (!siteText && !address)
    fail(mapping.site ? 'site' : 'address', 'siteOrAddressRequired', '点位和地址至少填写一项');

  const description = text(cell('description'));
  if (!description) fail('description', 'isNotEmpty', '问题描述为空');
  else if (description.length > 2000) fail('description', 'maxLength', '问题描述不能超过2000字');

  const coordinate = (field: 'lat' | 'lng', limit: number): number | null => {
    const v = cell(field);
    if (v === null) return null;
    const n = typeof v === 'number' ? v : Number(v.trim());
    if (!Number.isFinite(n)) {
      fail(field, 'isNumber', `${IMPORT_FIELD_LABELS[field]}不是数字`);
      return null;
    }
    if (Math.abs(n) > limit) {
      fail(
        field,
        field === 'lat' ? 'isLatitude' : 'isLongitude',
        `${IMPORT_FIELD_LABELS[field]}超出范围`,
      );
      return null;
    }
    return n;
  };
  const lat = coordinate('lat', 90);
  const lng = coordinate('lng', 180);
  if (
    (lat === null) !== (lng === null) &&
    !errors.some((e) => e.field === 'lat' || e.field === 'lng')
  ) {
    fail(lat === null ? 'lat' : 'lng', 'latLngTogether', '经度和纬度须同时填写');
  }

  // Null: not in the file; the task takes the time it is created, as POST /tasks does.
  let foundAt: Date | null = null;
  const foundCell = cell('foundAt');
  if (foundCell !== null) {
    foundAt = parseOfficeTime(foundCell);
    if (!foundAt)
      fail(
        'foundAt',
        'isInstant',
        `发现时间“${foundCell}”不是日期，应写作 2026-11-28 或 2026-11-28 09:30`,
      );
    else if (foundAt.getTime() > now.getTime() + FIELD_TIME_MAX_SKEW_MS) {
      fail('foundAt', 'tooFarInFuture', '发现时间不能晚于当前时间');
    } else if (foundAt.getTime() < now.getTime() - FIELD_TIME_MAX_AGE_DAYS * 86_400_000) {
      fail('foundAt', 'tooOld', `发现时间不能早于${FIELD_TIME_MAX_AGE_DAYS}天前`);
    }
  }

  const unitText = text(cell('unit'));
  let unit: CatalogUnit | null = null;
  let routed: ResolvedRow['routed'] = 'none';
  if (unitText) {
    unit = lookups.units.get(norm(unitText)) ?? null;
    if (!unit) fail('unit', 'unknownUnit', `没有名称或编码为“${unitText}”的启用单位`);
    else routed = 'file';
  } else if (site?.defaultUnitId) {
    // A deactivated default unit routes nowhere, as in POST /tasks: the office dispatches.
    unit = lookups.unitById.get(site.defaultUnitId) ?? null;
    if (unit) routed = 'site';
  }

  const deadlineCell = cell('deadline');
  let deadlineGiven: Date | null = null;
  if (deadlineCell !== null) {
    deadlineGiven = parseOfficeTime(deadlineCell, true);
    if (!deadlineGiven) fail('deadline', 'isInstant', `整改时限“${deadlineCell}”不是日期`);
    else if (deadlineGiven <= now) fail('deadline', 'deadlineNotInFuture', '整改时限已过');
  }
  const deadline = unit
    ? (deadlineGiven ?? (category ? deadlineFrom(category.deadlineRule) : null))
    : null;

  return {
    row: source.row,
    category,
    site,
    address: address ?? site?.address ?? null,
    lat: lat ?? site?.lat ?? null,
    lng: lng ?? site?.lng ?? null,
    description,
    foundAt,
    unit,
    routed,
    deadlineGiven,
    deadline,
    errors,
  };
}
