import { csvField } from '../../common/csv.js';
import { LedgerOutput } from './ledger-output.js';
import {
  DEFAULT_LEDGER_CONTEXT,
  LEDGER_COLUMNS,
  formatLedgerRow,
  type LedgerCell,
  type LedgerFormatContext,
  type LedgerRow,
} from './ledger-row.js';

export { csvField };
function csvLine(cells: readonly LedgerCell[]): string {
  return `${cells.map(csvField).join(',')}\r\n`;
}

/** Lines are batched into chunks of about this size: one write per row would be slow. */
const CSV_CHUNK_CHARS = 64 * 1024;

/**
 * Writes the ledger as CSV: UTF-8 with a BOM (without it Excel on Chinese Windows reads the file
 * as GBK and shows mojibake), CRLF line ends, RFC 4180 quoting. Waits for 'drain' whenever `out`
 * is full, ends `out` and resolves with the number of data rows once it has finished.
 *
 * If `rows` or `out` fails, the error is rethrown and `out` is left open: ending it would hand
 * the client a truncated ledger that looks complete. The caller destroys it.
 */
export async function writeLedgerCsv(
  rows: AsyncIterable<LedgerRow>,
  out: NodeJS.WritableStream,
  ctx: LedgerFormatContext = DEFAULT_LEDGER_CONTEXT,
): Promise<number> {
  const output = new LedgerOutput(out);
  try {
    let chunk = `\uFEFF${csvLine(LEDGER_COLUMNS.map((c) => c.header))}`;
    let count = 0;
    for await (const row of rows) {
      chunk += csvLine(formatLedgerRow(row, ctx));
      count += 1;
      if (chunk.length >= CSV_CHUNK_CHARS) {
        await output.write(chunk);
        chunk = '';
      }
    }
    await output.write(chunk);
    await output.end();
    return count;
  } finally {
    output.release();
  }
}
