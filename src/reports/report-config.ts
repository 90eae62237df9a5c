import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BulletinConfig, BulletinLetterhead } from './bulletin/bulletin-model.js';
import type { RecurrenceDeductionRule } from './digest/digest-model.js';

/**
 * The report defaults that are data (config/bulletin.json, config/digest.json), read and
 * checked once at start: a bad file stops the process with every bad key named, rather than
 * failing the first 快报 of the week.
 */

export interface DigestConfig {
  minVolume: number;
  greenShare: number;
  redShare: number;
  minRankedForCards: number;
  minRankedForRed: number;
  recurrenceDeduction: RecurrenceDeductionRule;
}

export const BULLETIN_CONFIG = Symbol('BULLETIN_CONFIG');
export const DIGEST_CONFIG = Symbol('DIGEST_CONFIG');

function readJson(dir: string, file: string): Record<string, unknown> {
  const value: unknown = JSON.parse(readFileSync(join(dir, file), 'utf8'));
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error(`config/${file}: expected a JSON object`);
  }
  return value as Record<string, unknown>;
}

function fail(file: string, problems: string[]): void {
  if (problems.length) throw new Error(`config/${file}: ${problems.join('; ')}`);
}

/** The fields of the masthead and the footer (版记), in the order the console shows them. */
export const LETTERHEAD_KEYS = [
  'title',
  'office',
  'editor',
  'reviewer',
  'approver',
  'reportTo',
  'sendTo',
  'email',
  'phone',
] as const;

/** The masthead and footer part of the bulletin config. */
export function letterheadOf(config: BulletinConfig): BulletinLetterhead {
  const entries = LETTERHEAD_KEYS.map((key) => [key, config[key]] as const);
  return Object.fromEntries(entries) as unknown as BulletinLetterhead;
}

/**
 * The letterhead an issue prints: the file's defaults, then the office's defaults (set through the
 * API, no restart), then the issue's own changes. A published issue stores its whole letterhead
 * when it is published, so a later change of the defaults does not rewrite it.
 */
export function mergeLetterhead(
  config: BulletinConfig,
  ...layers: Partial<BulletinLetterhead>[]
): BulletinLetterhead {
  const merged = letterheadOf(config);
  for (const layer of layers) {
    for (const key of LETTERHEAD_KEYS) {
      const value = layer[key];
      if (typeof value === 'string' && value.trim() !== '') merged[key] = value;
    }
  }
  return merged;
}

/**
 * `layer` changed by `changes`: a string sets a field (dropped when it equals what the field
 * would be without it, `base`), null restores the default, absent leaves it as it is.
 */
export function changeLetterhead(
  layer: Partial<BulletinLetterhead>,
  changes: Partial<Record<keyof BulletinLetterhead, string | null>>,
  base: BulletinLetterhead,
): Partial<BulletinLetterhead> {
  const next: Partial<BulletinLetterhead> = { ...layer };
  for (const key of LETTERHEAD_KEYS) {
    const value = changes[key];
    if (value === undefined) continue;
    if (value === null || value === base[key]) delete next[key];
    else next[key] = value;
  }
  return next;
}

export function loadBulletinConfig(dir: string): BulletinConfig {
  const raw = readJson(dir, 'bulletin.json');
  const problems: string[] = [];
  for (const key of LETTERHEAD_KEYS) {
    if (typeof raw[key] !== 'string' || (raw[key] as string).trim() === '') {
      problems.push(`${key} must be a non-empty string`);
    }
  }
  if (!Number.isSafeInteger(raw.firstIssueNumber) || (raw.firstIssueNumber as number) < 1) {
    problems.push('firstIssueNumber must be a positive integer');
  }
  if (!Number.isSafeInteger(raw.featuredUnits) || (raw.featuredUnits as number) < 1) {
    problems.push('featuredUnits must be a positive integer');
  }
  if (
    typeof raw.asyncGenerationDays !== 'number' ||
    !Number.isFinite(raw.asyncGenerationDays) ||
    raw.asyncGenerationDays < 0
  ) {
    problems.push('asyncGenerationDays must be a non-negative number of days');
  }
  const ranks = raw.leadRanks;
  if (
    typeof ranks !== 'object' ||
    ranks === null ||
    !Object.values(ranks).every((rank) => Number.isInteger(rank))
  ) {
    problems.push('leadRanks must map names to integers');
  }
  fail('bulletin.json', problems);
  return raw as unknown as BulletinConfig;
}

export function loadDigestConfig(dir: string): DigestConfig {
  const raw = readJson(dir, 'digest.json');
  const problems: string[] = [];
  for (const key of ['minVolume', 'minRankedForCards', 'minRankedForRed'] as const) {
    if (!Number.isSafeInteger(raw[key]) || (raw[key] as number) < 0) {
      problems.push(`${key} must be a non-negative integer`);
    }
  }
  for (const key of ['greenShare', 'redShare'] as const) {
    const share = raw[key];
    if (typeof share !== 'number' || !(share >= 0 && share <= 1)) {
      problems.push(`${key} must be a number from 0 to 1`);
    }
  }
  if ((raw.greenShare as number) + (raw.redShare as number) > 1) {
    problems.push('greenShare + redShare must not exceed 1');
  }
  // Absent: off, as in a config/ written before it existed.
  const deduction = (raw.recurrenceDeduction ?? {
    enabled: false,
    pointsPerRecurrence: 1,
    max: 10,
  }) as Record<string, unknown>;
  if (typeof deduction !== 'object' || deduction === null || Array.isArray(deduction)) {
    problems.push('recurrenceDeduction must be an object');
  } else {
    if (typeof deduction.enabled !== 'boolean') {
      problems.push('recurrenceDeduction.enabled must be true or false');
    }
    for (const key of ['pointsPerRecurrence', 'max'] as const) {
      const value = deduction[key];
      if (typeof value !== 'number' || !(value >= 0 && value <= 100)) {
        problems.push(`recurrenceDeduction.${key} must be a number from 0 to 100`);
      }
    }
  }
  fail('digest.json', problems);
  return {
    minVolume: raw.minVolume as number,
    greenShare: raw.greenShare as number,
    redShare: raw.redShare as number,
    minRankedForCards: raw.minRankedForCards as number,
    minRankedForRed: raw.minRankedForRed as number,
    recurrenceDeduction: {
      enabled: deduction.enabled as boolean,
      pointsPerRecurrence: deduction.pointsPerRecurrence as number,
      max: deduction.max as number,
    },
  };
}
