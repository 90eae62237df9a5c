import { stripXmlForbidden } from '../common/xml-text.js';

/**
 * The values an Open311 document holds. GeoReport v2's XML is schemaless and its JSON is the
 * "Spark convention" mapping of it: an object's keys become child elements in order, a list
 * becomes repeated children named in the singular, null becomes an empty element.
 */
export type Open311Value =
  string | number | boolean | null | undefined | Open311Value[] | { [key: string]: Open311Value };

/** List elements and the element each of their items is written as (spec's examples). */
const ITEM_OF: Record<string, string> = {
  attributes: 'attribute',
  values: 'value',
  endpoints: 'endpoint',
  formats: 'format',
};

export const XML_DECLARATION = '<?xml version="1.0" encoding="utf-8"?>';

/** Text as XML character data: characters XML forbids dropped, markup characters escaped. */
export function escapeXml(text: string): string {
  return stripXmlForbidden(text)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

function element(name: string, value: Open311Value, depth: number): string {
  const pad = '  '.repeat(depth);
  if (value === null || value === undefined) return `${pad}<${name}/>`;
  if (Array.isArray(value)) {
    const item = ITEM_OF[name] ?? 'item';
    if (!value.length) return `${pad}<${name}/>`;
    const inner = value.map((v) => element(item, v, depth + 1)).join('\n');
    return `${pad}<${name}>\n${inner}\n${pad}</${name}>`;
  }
  if (typeof value === 'object') {
    const entries = Object.entries(value);
    if (!entries.length) return `${pad}<${name}/>`;
    const inner = entries.map(([k, v]) => element(k, v, depth + 1)).join('\n');
    return `${pad}<${name}>\n${inner}\n${pad}</${name}>`;
  }
  return `${pad}<${name}>${escapeXml(String(value))}</${name}>`;
}

/**
 * A whole XML document: the declaration, then `root`. A list body becomes `root` with one
 * `item` element per entry (`<services><service>…`), an object body `root` with its fields.
 */
export function toXmlDocument(
  root: string,
  body: Open311Value[] | { [key: string]: Open311Value },
  item?: string,
): string {
  const tree = Array.isArray(body)
    ? body.length
      ? `<${root}>\n${body.map((v) => element(item ?? 'item', v, 1)).join('\n')}\n</${root}>`
      : `<${root}/>`
    : element(root, body, 0);
  return `${XML_DECLARATION}\n${tree}\n`;
}
