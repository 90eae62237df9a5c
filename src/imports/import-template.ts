import type ExcelJS from 'exceljs';
import { loadExcelJS } from '../common/heavy-modules.js';
import { officeClock } from '../common/time/office-zone.js';
import { BODY_FONT_SIZE, CELL_BORDER, HEADER_FILL } from '../common/xlsx-print.js';
import { FIELD_TIME_MAX_AGE_DAYS } from '../tasks/field-time.js';
import { IMPORT_FIELD_LABELS, IMPORT_FIELDS, type ImportField } from './import-rows.js';

/**
 * 导入模板: an .xlsx the office hands to whoever compiles a problem list (暗访, 第三方测评, 12345 …),
 * so that it comes back in our columns. The first sheet holds the header row — our fields under
 * the names the column mapping recognises, so an upload maps itself — and one example row; drop-
 * down lists of the active 问题类别 and 责任单位 (from a sheet 可选值); a sheet 填写说明 says how
 * to fill it in. 来源 is not a column: the office chooses it for the whole list when uploading.
 */

export const TEMPLATE_SHEET = '问题清单';
export const TEMPLATE_NOTES_SHEET = '填写说明';
export const TEMPLATE_LISTS_SHEET = '可选值';

/** Rows of the first sheet that get the drop-down lists and the text format (below the header). */
export const TEMPLATE_VALIDATED_ROWS = 1000;

export interface TemplateCatalog {
  /** Active categories, in the order the office lists them (group, then name). */
  categories: readonly { name: string; code: string; groupName: string }[];
  units: readonly { name: string; code: string }[];
  /** One active site for the example row (its name, address and default unit), if any. */
  exampleSite: { name: string; address: string | null; defaultUnitName: string | null } | null;
  sources: readonly { code: string; name: string }[];
}

const REQUIRED_NOTE: Readonly<Record<ImportField, string>> = {
  category: '必填',
  site: '点位、地址至少填一项',
  address: '点位、地址至少填一项',
  description: '必填',
  lng: '选填',
  lat: '选填',
  foundAt: '选填',
  unit: '选填',
  deadline: '选填',
};

const HOW_TO_FILL: Readonly<Record<ImportField, string>> = {
  category: '从下拉列表中选择，或填写类别编码；须是系统中启用的问题类别（见“可选值”表）。',
  site: '系统中点位的名称或编码。填写点位时，地址、经纬度和责任单位可按点位自动带出。',
  address: '没有对应点位时填写详细地址，不超过200字。',
  description: '问题的具体情况，不超过2000字。',
  lng: '十进制度数，如 116.1023；经度和纬度须同时填写或同时不填。',
  lat: '十进制度数，如 39.9402。',
  foundAt: `写作 2026-11-28 或 2026-11-28 09:30（北京时间）；不能晚于现在，也不能早于${FIELD_TIME_MAX_AGE_DAYS}天前。不填则为导入时间。`,
  unit: '从下拉列表中选择，或填写单位编码。不填时按点位的默认责任单位派遣；都没有则待派遣。',
  deadline:
    '写作 2026-12-05（当天24时前）或 2026-12-05 17:30，须晚于导入时间。不填则按问题类别的整改时限计算。',
};

/** Column widths (characters) of the first sheet, by field. */
const WIDTHS: Readonly<Record<ImportField, number>> = {
  category: 16,
  site: 16,
  address: 24,
  description: 40,
  lng: 12,
  lat: 12,
  foundAt: 18,
  unit: 16,
  deadline: 18,
};

const TEXT_FORMAT = '@';

const pad = (n: number): string => String(n).padStart(2, '0');
/** `YYYY-MM-DD` of an instant in Beijing time, `days` later. */
function officeDay(now: Date, days = 0): string {
  const local = officeClock(new Date(now.getTime() + days * 86_400_000));
  return `${local.getUTCFullYear()}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}`;
}

/** 1 → A. */
const letter = (n: number): string => String.fromCharCode(64 + n);

/**
 * The example row: valid as it stands on the day the template is downloaded (found today, due in
 * a week), so that a list which keeps it previews without errors — and shows every format.
 */
export function exampleRow(
  catalog: TemplateCatalog,
  now: Date,
): Record<ImportField, string | null> {
  const site = catalog.exampleSite;
  return {
    category: catalog.categories[0]?.name ?? null,
    site: site?.name ?? null,
    address: site ? site.address : '幸福路12号3号楼',
    description: '3号楼楼道堆放纸箱杂物，堵塞消防通道',
    lng: null,
    lat: null,
    // The hour just begun: today, never in the future.
    foundAt: `${officeDay(now)} ${pad(officeClock(now).getUTCHours())}:00`,
    unit: site?.defaultUnitName ?? catalog.units[0]?.name ?? null,
    deadline: officeDay(now, 7),
  };
}

function styleHeader(row: ExcelJS.Row): void {
  row.height = 22;
  row.eachCell((cell) => {
    cell.font = { bold: true, size: 11 };
    cell.alignment = { horizontal: 'center', vertical: 'middle' };
    cell.fill = HEADER_FILL;
    cell.border = CELL_BORDER;
  });
}

/** exceljs keeps a sheet's validations by address (a range too) but does not declare it. */
const validations = (sheet: ExcelJS.Worksheet) =>
  (
    sheet as unknown as {
      dataValidations: { add(address: string, v: ExcelJS.DataValidation): void };
    }
  ).dataValidations;

/** The template as an .xlsx file. */
export async function buildImportTemplate(catalog: TemplateCatalog, now: Date): Promise<Buffer> {
  const { Workbook } = await loadExcelJS();
  const book = new Workbook();
  book.creator = '创城督导整改';
  book.title = '问题清单导入模板';

  // --- 问题清单: header and example, the sheet the import reads (the first one).
  const sheet = book.addWorksheet(TEMPLATE_SHEET, {
    views: [{ state: 'frozen', xSplit: 0, ySplit: 1 }],
    pageSetup: { orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0 },
  });
  sheet.columns = IMPORT_FIELDS.map((field) => ({
    header: IMPORT_FIELD_LABELS[field],
    key: field,
    width: WIDTHS[field],
    // Times typed as text stay as typed (no locale's date format in between); the import reads
    // both text and Excel dates.
    style: ['foundAt', 'deadline'].includes(field)
      ? { numFmt: TEXT_FORMAT, font: { size: BODY_FONT_SIZE } }
      : { font: { size: BODY_FONT_SIZE } },
  }));
  const header = sheet.getRow(1);
  styleHeader(header);
  IMPORT_FIELDS.forEach((field, i) => {
    const cell = header.getCell(i + 1);
    if (REQUIRED_NOTE[field] !== '选填')
      cell.font = { bold: true, size: 11, color: { argb: 'FFC00000' } };
    cell.note = `${REQUIRED_NOTE[field]}。${HOW_TO_FILL[field]}`;
  });
  const example = sheet.addRow(exampleRow(catalog, now));
  example.eachCell({ includeEmpty: true }, (cell) => {
    cell.font = { size: BODY_FONT_SIZE, italic: true, color: { argb: 'FF595959' } };
  });

  // --- 可选值: the lists the drop-downs read (A: 问题类别, B: 分组, D: 责任单位, F: 来源).
  const lists = book.addWorksheet(TEMPLATE_LISTS_SHEET, {
    views: [{ state: 'frozen', xSplit: 0, ySplit: 1 }],
    pageSetup: { orientation: 'portrait', fitToPage: true, fitToWidth: 1, fitToHeight: 0 },
  });
  lists.columns = [
    { header: '问题类别', width: 18 },
    { header: '类别分组', width: 12 },
    { width: 3 },
    { header: '责任单位', width: 18 },
    { width: 3 },
    { header: '来源（上传时选择）', width: 20 },
  ];
  styleHeader(lists.getRow(1));
  const longest = Math.max(catalog.categories.length, catalog.units.length, catalog.sources.length);
  for (let i = 0; i < longest; i++) {
    const c = catalog.categories[i];
    lists.addRow([
      c?.name ?? null,
      c?.groupName ?? null,
      null,
      catalog.units[i]?.name ?? null,
      null,
      catalog.sources[i]?.name ?? null,
    ]);
  }

  const dropDown = (field: ImportField, listColumn: string, count: number, what: string): void => {
    if (count === 0) return;
    const column = letter(IMPORT_FIELDS.indexOf(field) + 1);
    const validation: ExcelJS.DataValidation = {
      type: 'list',
      allowBlank: true,
      formulae: [`'${TEMPLATE_LISTS_SHEET}'!$${listColumn}$2:$${listColumn}$${count + 1}`],
      showInputMessage: true,
      promptTitle: IMPORT_FIELD_LABELS[field],
      prompt: `从列表中选择${what}，也可填写编码`,
      showErrorMessage: true,
      // A warning, not a stop: the import also takes the code, which is not in the list.
      errorStyle: 'warning',
      errorTitle: `不在${what}中`,
      error: `“可选值”表中没有这个${what}；填写编码时请忽略本提示`,
    };
    // One range, not a validation per cell: cells would make 1,000 empty rows of the sheet.
    validations(sheet).add(`${column}2:${column}${TEMPLATE_VALIDATED_ROWS + 1}`, validation);
  };
  dropDown('category', 'A', catalog.categories.length, '启用的问题类别');
  dropDown('unit', 'D', catalog.units.length, '启用的责任单位');

  // --- 填写说明
  const notes = book.addWorksheet(TEMPLATE_NOTES_SHEET, {
    pageSetup: { orientation: 'portrait', fitToPage: true, fitToWidth: 1, fitToHeight: 0 },
  });
  notes.columns = [{ width: 14 }, { width: 22 }, { width: 70 }];
  const title = notes.addRow(['问题清单导入模板 填写说明']);
  notes.mergeCells('A1:C1');
  title.font = { bold: true, size: 14 };
  title.height = 26;
  const general = [
    `1. 在“${TEMPLATE_SHEET}”表中填写，每行一个问题；第1行表头请勿修改、删除或调换顺序。`,
    '2. 第2行是示例（灰色斜体），请改写为实际问题或删除，否则会作为一条问题导入。',
    '3. 至多5000行，文件不超过5 MB，只读取第一个工作表；公式只读取保存时的结果。',
    `4. 来源（${catalog.sources.map((s) => s.name).join('、')}）不在表中填写：上传时为整张清单选择。`,
    '5. 上传后系统逐行预览，错误标在对应单元格旁；确认前不会创建任何任务，有错误时一条也不导入。',
  ];
  for (const line of general) {
    const row = notes.addRow([line]);
    notes.mergeCells(`A${row.number}:C${row.number}`);
    row.alignment = { wrapText: true, vertical: 'top' };
    row.height = 18;
  }
  notes.addRow([]);
  const fieldHeader = notes.addRow(['列', '是否必填', '填写要求']);
  styleHeader(fieldHeader);
  for (const field of IMPORT_FIELDS) {
    const row = notes.addRow([
      IMPORT_FIELD_LABELS[field],
      REQUIRED_NOTE[field],
      HOW_TO_FILL[field],
    ]);
    row.eachCell((cell) => {
      cell.alignment = { wrapText: true, vertical: 'top' };
      cell.border = CELL_BORDER;
      cell.font = { size: BODY_FONT_SIZE };
    });
    row.height = HOW_TO_FILL[field].length > 38 ? 30 : 16;
  }

  return Buffer.from(await book.xlsx.writeBuffer());
}
