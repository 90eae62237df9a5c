import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { invalidField } from '../common/errors/domain-error.js';

/**
 * 来源: where a task came from (督导检查, 暗访, 第三方测评, 12345, 领导交办, 媒体曝光, 单位自查 …).
 * The list is data (config/sources.json), read and checked once at start; a task stores the code.
 */
export interface TaskSource {
  code: string;
  name: string;
  /** Multiplies a due task's deductions in 综合指标值 (1 when not given; src/reports/digest/digest-figures.ts). */
  weight: number;
}

export class TaskSources {
  private readonly byCode: Map<string, TaskSource>;

  constructor(readonly all: readonly TaskSource[]) {
    this.byCode = new Map(all.map((s) => [s.code, s]));
  }

  /** The source of tasks our inspectors log (督导检查): the first in the file. */
  get defaultCode(): string {
    return this.all[0].code;
  }

  find(code: string): TaskSource | undefined {
    return this.byCode.get(code);
  }

  nameOf(code: string): string {
    return this.byCode.get(code)?.name ?? code;
  }

  /** A configured source's code, else a 400 naming `field`. */
  require(code: string, field: string): TaskSource {
    const source = this.byCode.get(code);
    if (!source) {
      throw invalidField(
        field,
        `来源 ${code} 不存在，可选：${this.all.map((s) => `${s.code}（${s.name}）`).join('、')}`,
        'isIn',
      );
    }
    return source;
  }
}

const CODE = /^[a-z0-9_]{1,32}$/;

/** Reads config/sources.json; a bad file stops the process with every problem named. */
export function loadTaskSources(dir: string): TaskSources {
  const raw: unknown = JSON.parse(readFileSync(join(dir, 'sources.json'), 'utf8'));
  const list = (raw as { sources?: unknown } | null)?.sources;
  const problems: string[] = [];
  if (!Array.isArray(list) || list.length === 0) {
    throw new Error('config/sources.json: sources must be a non-empty array');
  }
  const seen = new Set<string>();
  const sources = list.map((item: unknown, i): TaskSource => {
    const s = (item ?? {}) as Record<string, unknown>;
    if (typeof s.code !== 'string' || !CODE.test(s.code)) {
      problems.push(`sources[${i}].code must be 1–32 of a-z, 0-9, _`);
    } else if (seen.has(s.code)) {
      problems.push(`sources[${i}].code ${s.code} is listed twice`);
    } else seen.add(s.code);
    if (typeof s.name !== 'string' || s.name.trim() === '') {
      problems.push(`sources[${i}].name must be a non-empty string`);
    }
    if (
      s.weight !== undefined &&
      !(typeof s.weight === 'number' && s.weight > 0 && s.weight <= 10)
    ) {
      problems.push(`sources[${i}].weight must be a number above 0, at most 10`);
    }
    return { code: s.code as string, name: s.name as string, weight: (s.weight as number) ?? 1 };
  });
  if (problems.length) throw new Error(`config/sources.json: ${problems.join('; ')}`);
  return new TaskSources(sources);
}
