import { DomainError, type FieldProblem } from '../common/errors/domain-error.js';

export enum ImportErrorCode {
  /** Absent (or created by another clerk and not visible: every office user sees every batch). */
  IMPORT_NOT_FOUND = 'IMPORT_NOT_FOUND',
  /** The upload is not an .xlsx (a zip holding a workbook) exceljs can read. */
  IMPORT_NOT_XLSX = 'IMPORT_NOT_XLSX',
  /** Confirmed or discarded already: a batch creates its tasks once. */
  IMPORT_NOT_DRAFT = 'IMPORT_NOT_DRAFT',
  /** Some rows still have errors: nothing was created. */
  IMPORT_HAS_ERRORS = 'IMPORT_HAS_ERRORS',
}

export const importNotFound = (): DomainError =>
  new DomainError('not_found', ImportErrorCode.IMPORT_NOT_FOUND, '导入批次不存在');

export const importNotDraft = (status: string): DomainError =>
  new DomainError(
    'conflict',
    ImportErrorCode.IMPORT_NOT_DRAFT,
    status === 'confirmed' ? '该批次已确认导入，不能再次导入' : '该批次已放弃，不能再导入',
    { status },
  );

/** `errors` name each bad cell as `rows.<row number>.<column header>`. */
export const importHasErrors = (errors: FieldProblem[], rowsWithErrors: number): DomainError =>
  new DomainError(
    'unprocessable',
    ImportErrorCode.IMPORT_HAS_ERRORS,
    `有 ${rowsWithErrors} 行存在错误，未导入任何问题；请修改文件或列对应后重试`,
    { errors, rowsWithErrors },
  );
