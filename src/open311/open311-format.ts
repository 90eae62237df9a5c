import type { FastifyReply } from 'fastify';
import { toXmlDocument, type Open311Value } from './open311-xml.js';

/** The two formats of the spec, chosen by the resource's extension (`services.xml`). */
export type Open311Format = 'json' | 'xml';

export const CONTENT_TYPE: Record<Open311Format, string> = {
  json: 'application/json; charset=utf-8',
  xml: 'text/xml; charset=utf-8',
};

/** `requests/ZG-2026-000001.json` → `{ name: 'ZG-2026-000001', format: 'json' }`; else null. */
export function splitResource(file: string): { name: string; format: Open311Format } | null {
  const m = /^(.+)\.(json|xml)$/.exec(file);
  return m ? { name: m[1], format: m[2] as Open311Format } : null;
}

/** The format a request's path asks for; XML (the spec's required format) when it names none. */
export function formatOfPath(url: string): Open311Format {
  return url.split('?')[0].endsWith('.json') ? 'json' : 'xml';
}

/** Renders a body in the format: JSON as is, XML as `<root><item>…` with its declaration. */
export function renderOpen311(
  format: Open311Format,
  root: string,
  body: Open311Value[] | { [key: string]: Open311Value },
  item?: string,
): string {
  return format === 'json' ? JSON.stringify(body) : toXmlDocument(root, body, item);
}

export function sendOpen311(
  reply: FastifyReply,
  format: Open311Format,
  root: string,
  body: Open311Value[] | { [key: string]: Open311Value },
  item?: string,
): FastifyReply {
  return reply
    .header('content-type', CONTENT_TYPE[format])
    .send(renderOpen311(format, root, body, item));
}
