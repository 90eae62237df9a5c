import { inflateRawSync } from 'node:zlib';

/**
 * Reads the text back out of a .docx, so tests can check what renderDocx wrote without a zip
 * dependency. Only what a docx needs is supported: the central directory (local headers may
 * defer their sizes to a data descriptor, so they cannot be trusted alone), stored or deflated
 * entries, no ZIP64.
 */

const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const CENTRAL_DIRECTORY_ENTRY = 0x02014b50;
const LOCAL_FILE_HEADER = 0x04034b50;
const METHOD_STORED = 0;
const METHOD_DEFLATED = 8;
// The end record is 22 bytes plus a comment of at most 65535.
const MAX_END_RECORD_SEARCH = 22 + 0xffff;

function findEndOfCentralDirectory(zip: Buffer): number {
  const lowest = Math.max(0, zip.length - MAX_END_RECORD_SEARCH);
  for (let at = zip.length - 22; at >= lowest; at--) {
    if (zip.readUInt32LE(at) === END_OF_CENTRAL_DIRECTORY) return at;
  }
  throw new Error('not a zip file: no end of central directory record');
}

/** The uncompressed bytes of one entry of a zip archive. */
export function readZipEntry(zip: Buffer, name: string): Buffer {
  const end = findEndOfCentralDirectory(zip);
  const entries = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  for (let i = 0; i < entries; i++) {
    if (zip.readUInt32LE(at) !== CENTRAL_DIRECTORY_ENTRY) {
      throw new Error('corrupt zip: bad central directory entry');
    }
    const method = zip.readUInt16LE(at + 10);
    const compressedSize = zip.readUInt32LE(at + 20);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    const localOffset = zip.readUInt32LE(at + 42);
    const entryName = zip.toString('utf8', at + 46, at + 46 + nameLength);
    if (entryName === name) {
      if (zip.readUInt32LE(localOffset) !== LOCAL_FILE_HEADER) {
        throw new Error(`corrupt zip: bad local header for ${name}`);
      }
      // The local header's own name and extra field lengths may differ from the central copy.
      const dataStart =
        localOffset + 30 + zip.readUInt16LE(localOffset + 26) + zip.readUInt16LE(localOffset + 28);
      const data = zip.subarray(dataStart, dataStart + compressedSize);
      if (method === METHOD_STORED) return Buffer.from(data);
      if (method === METHOD_DEFLATED) return inflateRawSync(data);
      throw new Error(`unsupported zip compression method ${method} for ${name}`);
    }
    at += 46 + nameLength + extraLength + commentLength;
  }
  throw new Error(`zip has no entry ${name}`);
}

function decodeXmlText(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|apos|#x[0-9a-fA-F]+|#[0-9]+);/g, (_, entity: string) => {
    switch (entity) {
      case 'amp':
        return '&';
      case 'lt':
        return '<';
      case 'gt':
        return '>';
      case 'quot':
        return '"';
      case 'apos':
        return "'";
      default:
        return String.fromCodePoint(
          entity.startsWith('#x') ? parseInt(entity.slice(2), 16) : parseInt(entity.slice(1), 10),
        );
    }
  });
}

// Paragraph and table-row boundaries, table cells, text runs, and the tabs and line breaks inside
// runs. `<w:tab/>` with no attributes is a run's tab; `<w:tab w:val=… />` in `<w:tabs>` is a tab
// stop and is skipped. `<w:tr…>`/`<w:tc…>` need a space or `>` after the name, so their property
// elements (`<w:trPr>`, `<w:tcPr>`, `<w:tcW …/>`) do not match.
const WORDML_TOKEN =
  /<w:p\/>|<w:p(?:\s[^>]*)?>|<\/w:p>|<w:tr(?:\s[^>]*)?>|<\/w:tr>|<w:tc(?:\s[^>]*)?>|<\/w:tc>|<w:t(?:\s[^>]*)?>([\s\S]*?)<\/w:t>|<w:tab\/>|<w:br(?:\s[^>]*)?\/>/g;

/**
 * The text of a .docx body: `<w:t>` contents with one line per paragraph, `\t` for tabs and `\n`
 * for line breaks inside a paragraph. A table row is one line, its cells joined by `\t` (the
 * masthead's office and date sit in two cells of one row). Empty paragraphs (spacers, the anchor
 * after a floating table) are left out, and so is all formatting. Nested tables are not read.
 */
export async function extractDocxText(buf: Buffer): Promise<string> {
  const xml = readZipEntry(buf, 'word/document.xml').toString('utf8');
  const lines: string[] = [];
  let current = '';
  // Inside a table row: the cells done so far, and the paragraphs of the cell being read.
  let row: string[] | undefined;
  let cell: string[] = [];
  for (const match of xml.matchAll(WORDML_TOKEN)) {
    const token = match[0];
    if (token === '</w:p>') {
      if (row) cell.push(current);
      else if (current !== '') lines.push(current);
      current = '';
    } else if (token === '<w:p/>' || /^<w:p[\s>]/.test(token)) {
      current = '';
    } else if (token === '</w:tr>') {
      if (row) lines.push(row.join('\t'));
      row = undefined;
    } else if (token.startsWith('<w:tr')) {
      row = [];
    } else if (token === '</w:tc>') {
      row?.push(cell.filter((p) => p !== '').join('\n'));
      cell = [];
    } else if (token.startsWith('<w:tc')) {
      cell = [];
    } else if (token === '<w:tab/>') {
      current += '\t';
    } else if (token.startsWith('<w:br')) {
      current += '\n';
    } else {
      current += decodeXmlText(match[1] ?? '');
    }
  }
  return lines.join('\n');
}
