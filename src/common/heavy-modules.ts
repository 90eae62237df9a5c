import type ExcelJSModule from 'exceljs';
import type SharpModule from 'sharp';
import type UnzipperModule from 'unzipper';

/**
 * The heavy libraries, loaded on first use instead of at start-up. Each adds tens of MB of
 * resident memory to a process as soon as it is imported (measured with Node 24: exceljs
 * +39 MB, sharp +24 MB, docx +14 MB), while most requests never need them: an API process
 * that serves lists and transitions should not carry an xlsx writer, libvips and a Word
 * renderer (issue 15, the server's RSS). The first export, import, photo upload or 快报 .docx
 * pays the import once (~0.1–0.3 s); Node keeps the module afterwards.
 */
export async function loadExcelJS(): Promise<typeof ExcelJSModule> {
  return (await import('exceljs')).default;
}

export async function loadSharp(): Promise<typeof SharpModule> {
  return (await import('sharp')).default;
}

/** unzipper comes with exceljs (its streaming reader uses it); the import reads the zip with it. */
export async function loadUnzipper(): Promise<typeof UnzipperModule> {
  return (await import('unzipper')).default;
}
