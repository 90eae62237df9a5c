/**
 * Characters XML 1.0 does not allow in a document at all, not even escaped: C0 controls other
 * than tab, line feed and carriage return, unpaired surrogates, and U+FFFE/U+FFFF. One of them in
 * a cell or a run makes Excel and Word refuse the whole file as damaged.
 */
const XML_FORBIDDEN =
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** The text without the characters XML forbids: for every value written to .xlsx and .docx. */
export function stripXmlForbidden(text: string): string {
  return text.replace(XML_FORBIDDEN, '');
}

/** A spreadsheet cell value with its text made writable to .xlsx; numbers and null pass through. */
export function xmlSafeCell<T>(cell: T): T {
  return (typeof cell === 'string' ? stripXmlForbidden(cell) : cell) as T;
}
