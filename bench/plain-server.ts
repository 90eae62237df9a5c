import { createServer } from 'node:http';

/**
 * The framework-cost anchor: a bare node:http handler answering what GET /health answers, on
 * the port the bench gives it.
 */
const body = JSON.stringify({ status: 'ok', info: {}, error: {}, details: {} });
createServer((_req, res) => {
  res.writeHead(200, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}).listen(Number(process.env.PORT), process.env.HOST ?? '127.0.0.1');
