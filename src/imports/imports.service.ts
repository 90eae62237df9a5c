import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { TaskSources } from '../catalog/task-sources.js';
import type { Principal } from '../common/auth/principal.js';
import { Clock } from '../common/clock.js';
import {
  CommonErrorCode,
  DomainError,
  invalidField,
  type FieldProblem,
} from '../common/errors/domain-error.js';
import { dbOf, type Db } from '../database/kysely.js';
import { TransactionRunner } from '../database/transaction.js';
import { DeadlineService } from '../tasks/deadline/deadline.service.js';
import {
  activeCatalog,
  findBatch,
  insertBatch,
  markBatchConfirmed,
  markBatchDiscarded,
  openTasksOf,
  rememberedMapping,
  rememberMapping,
  templateCatalog,
  updateBatchMapping,
  type ImportBatchRow,
} from './data/imports.repository.js';
import type {
  ImportConfirmationDto,
  ImportMappingDto,
  ImportPreviewDto,
  ImportRowDto,
} from './dto/import.dto.js';
import { byCategory, possibleDuplicates } from './import-duplicates.js';
import { importHasErrors, importNotDraft, importNotFound } from './import-errors.js';
import {
  IMPORT_FIELD_LABELS,
  IMPORT_FIELDS,
  lookupsOf,
  mappingProblems,
  resolveRow,
  suggestMapping,
  type ImportMapping,
  type ResolvedRow,
} from './import-rows.js';
import { readSheet } from './xlsx-rows.js';
import { buildImportTemplate } from './import-template.js';
import { BatchTaskWriter } from './batch/batch-task-writer.js';

/** What an import may hold: a district's lists run to hundreds of rows, 5,000 is generous. */
export const IMPORT_LIMITS = {
  maxBytes: 5 * 1024 * 1024,
  maxRows: 5000,
  maxColumns: 50,
  maxCellChars: 2000,
} as const;

const REQUIRED: ReadonlySet<string> = new Set(['category', 'description', 'site', 'address']);

/**
 * 导入问题清单: an external list (暗访, 第三方测评, 12345 …) uploaded as .xlsx, previewed row by
 * row against the catalogue and routing, and — once the office confirms — created as tasks, all
 * rows in one transaction, set-based, writing what POST /tasks writes for each (BatchTaskWriter),
 * or none.
 */
@Injectable()
export class ImportsService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly tx: TransactionRunner,
    private readonly batch: BatchTaskWriter,
    private readonly deadlines: DeadlineService,
    private readonly sources: TaskSources,
    private readonly clock: Clock,
  ) {}

  private get db(): Db {
    return dbOf(this.ds.manager);
  }

  /** `GET /imports/template.xlsx`: our columns, an example row valid today, the drop-downs. */
  async template(): Promise<Buffer> {
    const catalog = await templateCatalog(this.db);
    return buildImportTemplate(
      { ...catalog, sources: this.sources.all.map((s) => ({ code: s.code, name: s.name })) },
      this.clock.now(),
    );
  }

  /** `POST /imports`: parse the file, keep it as a draft batch, answer its preview. */
  async upload(
    principal: Principal,
    file: { filename?: string; data: Buffer },
    sourceCode: string | undefined,
  ): Promise<ImportPreviewDto> {
    if (!sourceCode) throw invalidField('source', '请选择问题来源', 'isNotEmpty');
    const source = this.sources.require(sourceCode, 'source');
    const sheet = await readSheet(file.data, IMPORT_LIMITS);
    const mapping = suggestMapping(sheet.headers, await rememberedMapping(this.db, source.code));
    const id = await insertBatch(this.db, {
      source: source.code,
      filename: file.filename?.slice(0, 255) ?? null,
      headers: sheet.headers,
      rows: sheet.rows,
      mapping,
      createdBy: principal.id,
      now: this.clock.now(),
    });
    return this.preview(id);
  }

  /** `GET /imports/:id`: every row as it would be created now, with its errors and duplicates. */
  async preview(id: string): Promise<ImportPreviewDto> {
    const batch = await findBatch(this.db, id);
    if (!batch) throw importNotFound();
    const resolved = await this.resolveAll(this.db, batch);
    const open = byCategory(
      await openTasksOf(this.db, [
        ...new Set(resolved.flatMap((r) => (r.category ? [r.category.id] : []))),
      ]),
    );
    const rows = resolved.map((r, i) =>
      rowDto(r, batch.rows[i].cells, batch.status === 'draft' ? possibleDuplicates(r, open) : []),
    );
    return {
      id: batch.id,
      source: batch.source,
      sourceName: this.sources.nameOf(batch.source),
      status: batch.status,
      filename: batch.filename,
      headers: batch.headers,
      mapping: batch.mapping,
      fields: IMPORT_FIELDS.map((field) => ({
        field,
        label: IMPORT_FIELD_LABELS[field],
        required: REQUIRED.has(field),
      })),
      mappingProblems: mappingProblems(batch.headers, batch.mapping),
      counts: {
        rows: rows.length,
        ready: rows.filter((r) => r.errors.length === 0).length,
        withErrors: rows.filter((r) => r.errors.length > 0).length,
        possibleDuplicates: rows.filter((r) => r.possibleDuplicates.length > 0).length,
      },
      rows,
      createdAt: batch.created_at.toISOString(),
      confirmedAt: batch.confirmed_at?.toISOString() ?? null,
      taskCount: batch.task_count,
    };
  }

  /** `PUT /imports/:id/mapping`: a new mapping for the draft, remembered for its source. */
  async remap(id: string, dto: ImportMappingDto): Promise<ImportPreviewDto> {
    await this.tx.withTransaction(async (em) => {
      const db = dbOf(em);
      const batch = await findBatch(db, id, true);
      if (!batch) throw importNotFound();
      if (batch.status !== 'draft') throw importNotDraft(batch.status);
      const mapping: ImportMapping = {};
      for (const field of IMPORT_FIELDS) {
        const header = dto[field]?.trim();
        if (header) mapping[field] = header;
      }
      const problems = mappingProblems(batch.headers, mapping).filter(
        (p) => p.code !== 'isNotEmpty',
      );
      if (problems.length) {
        throw new DomainError(
          'invalid',
          CommonErrorCode.VALIDATION_FAILED,
          `${problems[0].field}: ${problems[0].message}`,
          {
            errors: problems,
          },
        );
      }
      await updateBatchMapping(db, id, mapping);
      await rememberMapping(db, batch.source, mapping, this.clock.now());
    });
    return this.preview(id);
  }

  /** `DELETE /imports/:id`: the draft is given up; nothing was created. */
  async discard(id: string): Promise<void> {
    await this.tx.withTransaction(async (em) => {
      const db = dbOf(em);
      const batch = await findBatch(db, id, true);
      if (!batch) throw importNotFound();
      if (batch.status !== 'draft') throw importNotDraft(batch.status);
      await markBatchDiscarded(db, id);
    });
  }

  /**
   * `POST /imports/:id/confirmation`: every row becomes a task in one transaction, or none does.
   * The rows are resolved again (the catalogue may have changed since the preview); any error
   * refuses the whole batch with every bad cell named. The batch row is locked, so a second
   * confirmation waits and then finds it confirmed (409).
   */
  async confirm(principal: Principal, id: string): Promise<ImportConfirmationDto> {
    return this.tx.withTransaction(async (em) => {
      const db = dbOf(em);
      const batch = await findBatch(db, id, true);
      if (!batch) throw importNotFound();
      if (batch.status !== 'draft') throw importNotDraft(batch.status);
      const mappingErrors = mappingProblems(batch.headers, batch.mapping);
      if (mappingErrors.length) throw importHasErrors(mappingErrors, batch.rows.length);
      const resolved = await this.resolveAll(db, batch);
      const bad = resolved.filter((r) => r.errors.length > 0);
      if (bad.length) throw importHasErrors(cellProblems(bad), bad.length);
      // Set-based: what createInTransaction writes per row, for all rows (batch-task-writer.ts).
      await this.batch.createAll(db, principal, resolved, batch.source, batch.id);
      const now = this.clock.now();
      await markBatchConfirmed(db, id, now, resolved.length);
      return {
        id,
        status: 'confirmed' as const,
        source: batch.source,
        taskCount: resolved.length,
        confirmedAt: now.toISOString(),
      };
    });
  }

  private async resolveAll(db: Db, batch: ImportBatchRow): Promise<ResolvedRow[]> {
    const catalog = await activeCatalog(db);
    const lookups = lookupsOf(catalog.categories, catalog.sites, catalog.units);
    const now = this.clock.now();
    const deadlineMemo = new Map<string, Date>();
    const deadlineFrom = (rule: Parameters<DeadlineService['deadlineFrom']>[1]): Date => {
      const key = JSON.stringify(rule);
      let d = deadlineMemo.get(key);
      if (!d) deadlineMemo.set(key, (d = this.deadlines.deadlineFrom(now, rule)));
      return d;
    };
    return batch.rows.map((row) =>
      resolveRow(row, batch.headers, batch.mapping, lookups, now, deadlineFrom),
    );
  }
}

/** Each bad cell as `rows.<row>.<column>`, in the problem body's `errors` (first 200). */
function cellProblems(rows: readonly ResolvedRow[]): FieldProblem[] {
  return rows
    .flatMap((r) =>
      r.errors.map((e) => ({
        field: `rows.${r.row}.${e.column ?? ''}`,
        code: e.code,
        message: `第${r.row}行${e.column ? `「${e.column}」` : ''}：${e.message}`,
      })),
    )
    .slice(0, 200);
}

const ref = (x: { id: string; name: string; code: string | null } | null) =>
  x ? { id: x.id, name: x.name, code: x.code } : null;

function rowDto(
  r: ResolvedRow,
  cells: readonly (string | number | null)[],
  duplicates: ImportRowDto['possibleDuplicates'],
): ImportRowDto {
  return {
    row: r.row,
    cells: cells.map((c) => (c === null ? null : String(c))),
    category: ref(r.category),
    site: ref(r.site),
    address: r.address,
    lat: r.lat,
    lng: r.lng,
    description: r.description,
    foundAt: r.foundAt?.toISOString() ?? null,
    unit: ref(r.unit),
    routed: r.routed,
    deadline: r.deadline?.toISOString() ?? null,
    errors: r.errors,
    possibleDuplicates: duplicates,
  };
}
