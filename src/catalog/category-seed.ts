import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { normaliseRule } from './categories.service.js';
import { Category } from './category.entity.js';
import { CreateCategoryDto } from './dto/category.dto.js';

/** Reads `config/categories.json`, validating each entry like the API would. */
export function readCategoryCatalog(configDir: string): CreateCategoryDto[] {
  const file = join(configDir, 'categories.json');
  const doc = JSON.parse(readFileSync(file, 'utf8')) as { categories?: unknown };
  if (!Array.isArray(doc.categories)) throw new Error(`${file}: "categories" must be an array`);
  return doc.categories.map((raw: unknown, i) => {
    const dto = plainToInstance(CreateCategoryDto, raw);
    const errors = validateSync(dto, { whitelist: true, forbidNonWhitelisted: true });
    if (errors.length) {
      const what = errors.map(
        (e) => `${e.property}: ${Object.values(e.constraints ?? {}).join(', ') || 'invalid'}`,
      );
      throw new Error(`${file}: categories[${i}] ${what.join('; ')}`);
    }
    return dto;
  });
}

/**
 * Loads the default catalog idempotently: codes not in the database are inserted; existing
 * ones keep the office's edits unless `update` is set. Runs in one transaction.
 */
export async function seedCategories(
  ds: DataSource,
  configDir: string,
  opts: { update?: boolean } = {},
): Promise<{ inserted: number; updated: number }> {
  const catalog = readCategoryCatalog(configDir);
  return ds.transaction(async (em) => {
    let inserted = 0;
    let updated = 0;
    for (const dto of catalog) {
      const values = {
        code: dto.code,
        name: dto.name,
        bulletinName: dto.bulletinName ?? null,
        groupName: dto.groupName,
        measureWord: dto.measureWord,
        deadlineRule: normaliseRule(dto.deadlineRule),
        verificationPolicy: dto.verificationPolicy ?? 'on_site',
        spotCheckRatio: dto.spotCheckRatio ?? null,
        requiresAfterPhoto: dto.requiresAfterPhoto ?? true,
        szcgItem: dto.szcgItem ?? null,
        sortOrder: dto.sortOrder ?? 100,
        quickPhrases: dto.quickPhrases ?? [],
        duplicateRadiusM: dto.duplicateRadiusM ?? 50,
        recurrenceRadiusM: dto.recurrenceRadiusM ?? 50,
      };
      const qb = em.createQueryBuilder().insert().into(Category).values(values);
      const result = opts.update
        ? await qb
            .orUpdate(
              Object.keys(values)
                .filter((k) => k !== 'code')
                .map(snake),
              ['code'],
            )
            .returning('(xmax = 0) AS inserted')
            .execute()
        : await qb.orIgnore().returning('id').execute();
      const rows = result.raw as { inserted?: boolean }[];
      if (opts.update) {
        if (rows[0]?.inserted) inserted += 1;
        else updated += 1;
      } else inserted += rows.length;
    }
    return { inserted, updated };
  });
}

const snake = (s: string): string => s.replace(/([A-Z])/g, '_$1').toLowerCase();
