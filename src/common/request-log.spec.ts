import Fastify from 'fastify';
import { pino } from 'pino';
import { Writable } from 'node:stream';
import { registerRequestLog } from './request-log.js';

/** One line per finished request with the fields operations use; quiet polls stay out. */
describe('registerRequestLog', () => {
  async function logged(
    requests: { url: string; headers?: Record<string, string> }[],
    redact: string[] = [],
  ): Promise<Record<string, unknown>[]> {
    const lines: Record<string, unknown>[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
        done();
      },
    });
    const app = Fastify({ genReqId: () => 'req-1' });
    registerRequestLog(app, pino({ level: 'info', base: { service: 'cc' }, redact }, sink));
    app.addHook('preHandler', (request, _reply, done) => {
      (request as unknown as { principal: { id: string } }).principal = { id: 'user-1' };
      done();
    });
    app.get('/health', async () => ({ status: 'ok' }));
    app.get('/open311/v2/requests.json', async () => []);
    app.get('/boom', async (_req, reply) => reply.status(500).send({ error: 'x' }));
    for (const r of requests) await app.inject({ method: 'GET', url: r.url, headers: r.headers });
    await app.close();
    return lines;
  }

  it('writes id, method, masked URL, status, time and the caller', async () => {
    const [line] = await logged([{ url: '/open311/v2/requests.json?api_key=cck_secret&x=1' }]);
    expect(line).toMatchObject({
      level: 30,
      msg: 'request completed',
      req: { id: 'req-1', method: 'GET', url: '/open311/v2/requests.json?api_key=[redacted]&x=1' },
      res: { statusCode: 200 },
      userId: 'user-1',
    });
    expect(typeof line.responseTime).toBe('number');
    expect(JSON.stringify(line)).not.toContain('cck_secret');
  });

  it('leaves out successful health polls and logs 5xx as errors', async () => {
    const lines = await logged([{ url: '/health' }, { url: '/boom' }]);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 50, msg: 'request errored', res: { statusCode: 500 } });
  });

  it('writes its lines through the process logger without its redaction pass', async () => {
    // The process logger redacts headers, passwords and SQL parameters; a request line has none
    // of them (its URL is masked above), so it skips the walk. A path that would match shows it.
    const [line] = await logged([{ url: '/open311/v2/requests.json' }], ['req.method', '*.url']);
    expect(line).toMatchObject({
      service: 'cc',
      req: { method: 'GET', url: '/open311/v2/requests.json' },
    });
  });
});
