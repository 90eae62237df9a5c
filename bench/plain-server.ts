import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';

/**
 * The framework-cost anchor: a bare node:http handler answering what GET /health answers, on
 * the port the bench gives it. With `ANSWER_HEADERS` (a JSON object: the headers the service's
 * /health sent, read by the bench from the running service) it also sends those — the security
 * headers, Cache-Control and a fresh `x-request-id` per request, as the service does — so that
 * a run shows what the answer's headers cost without any framework.
 */
const body = JSON.stringify({ status: 'ok', info: {}, error: {}, details: {} });
const extra = JSON.parse(process.env.ANSWER_HEADERS ?? '{}') as Record<string, string>;
const withRequestId = 'x-request-id' in extra;
createServer((_req, res) => {
  res.writeHead(200, {
    ...extra,
    ...(withRequestId ? { 'x-request-id': randomUUID() } : {}),
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}).listen(Number(process.env.PORT), process.env.HOST ?? '127.0.0.1');
