import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { invalidField } from '../common/errors/domain-error.js';
import type { InfoColumn, InfoColumnsConfig } from '../reports/bulletin/info-sections.js';

/**
 * 信息报送 栏目 (config/info-columns.json): the columns a unit files an item under, their 简讯
 * label and fold phrase, and `briefMaxChars`, the length above which an adopted item prints as
 * an item of its own rather than in 简讯. Read and checked once at start.
 */
export class InfoColumns implements InfoColumnsConfig {
  readonly briefMaxChars: number;
  readonly columns: InfoColumn[];

  constructor(config: InfoColumnsConfig) {
    this.briefMaxChars = config.briefMaxChars;
    this.columns = config.columns;
  }

  nameOf(code: string): string {
    return this.columns.find((c) => c.code === code)?.name ?? code;
  }

  /** A configured 栏目 code, else a 400 naming `field` and listing the choices. */
  require(code: string, field: string): InfoColumn {
    const column = this.columns.find((c) => c.code === code);
    if (!column) {
      throw invalidField(
        field,
        `栏目 ${code} 不存在，可选：${this.columns.map((c) => `${c.code}（${c.name}）`).join('、')}`,
        'isIn',
      );
    }
    return column;
  }
}

const CODE = /^[a-z0-9_]{1,32}$/;
const TEXT_KEYS = ['name', 'briefLabel', 'foldTail'] as const;

/** Reads config/info-columns.json; a bad file stops the process with every problem named. */
export function loadInfoColumns(dir: string): InfoColumns {
  const raw = JSON.parse(readFileSync(join(dir, 'info-columns.json'), 'utf8')) as unknown;
  const problems: string[] = [];
  const obj = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  const max = obj.briefMaxChars;
  if (typeof max !== 'number' || !Number.isInteger(max) || max < 1) {
    problems.push('briefMaxChars must be a positive integer');
  }
  const list = obj.columns;
  if (!Array.isArray(list) || list.length === 0) {
    throw new Error('config/info-columns.json: columns must be a non-empty array');
  }
  const seen = new Set<string>();
  let figures = 0;
  const columns = list.map((entry: unknown, i): InfoColumn => {
    const c = (typeof entry === 'object' && entry !== null ? entry : {}) as Record<string, unknown>;
    if (typeof c.code !== 'string' || !CODE.test(c.code)) {
      problems.push(`columns[${i}].code must match ${CODE}`);
    } else if (seen.has(c.code)) {
      problems.push(`columns[${i}].code ${c.code} is repeated`);
    } else {
      seen.add(c.code);
    }
    for (const key of TEXT_KEYS) {
      if (typeof c[key] !== 'string' || (c[key] as string).trim() === '') {
        problems.push(`columns[${i}].${key} must be a non-empty string`);
      }
    }
    if (c.closedTaskFigures !== undefined && typeof c.closedTaskFigures !== 'boolean') {
      problems.push(`columns[${i}].closedTaskFigures must be a boolean`);
    }
    if (c.closedTaskFigures === true) figures += 1;
    return {
      code: String(c.code),
      name: String(c.name),
      briefLabel: String(c.briefLabel),
      foldTail: String(c.foldTail),
      closedTaskFigures: c.closedTaskFigures === true,
    };
  });
  if (figures > 1) problems.push('at most one column may have closedTaskFigures');
  if (problems.length) throw new Error(`config/info-columns.json: ${problems.join('; ')}`);
  return new InfoColumns({ briefMaxChars: max as number, columns });
}
