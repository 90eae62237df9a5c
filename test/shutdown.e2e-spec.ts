import { connect, type Socket } from 'node:net';
import { createTestApp, type TestApp } from './support/test-app.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Reads from the socket until it closes; returns everything received. */
const readAll = (socket: Socket): Promise<string> =>
  new Promise((resolve) => {
    let data = '';
    socket.on('data', (chunk) => (data += chunk.toString('utf8')));
    socket.on('close', () => resolve(data));
  });

describe('a request arriving while the server drains (SIGTERM)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
    await t.app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(() => t.close().catch(() => undefined));

  it('gets a 503 problem body with Retry-After and Connection: close, not Fastify’s own JSON', async () => {
    const { port } = t.app.getHttpServer().address() as { port: number };
    const socket = connect(port, '127.0.0.1');
    await new Promise<void>((r) => socket.once('connect', () => r()));
    const received = readAll(socket);
    // The request has started (the connection is not idle) but not reached the routes yet.
    socket.write('GET /health HTTP/1.1\r\nHost: localhost\r\n');
    await sleep(100);
    const closing = t.app.close();
    await sleep(300);
    socket.write('Connection: keep-alive\r\n\r\n');
    const raw = await received;
    await closing;

    const [head, body] = raw.split('\r\n\r\n');
    expect(head).toMatch(/^HTTP\/1\.1 503/);
    expect(head.toLowerCase()).toContain('connection: close');
    expect(head.toLowerCase()).toContain('retry-after: 5');
    expect(head.toLowerCase()).toContain('content-type: application/problem+json');
    expect(JSON.parse(body)).toMatchObject({ status: 503, code: 'SHUTTING_DOWN' });
  });
});

describe('a client sending its body a byte at a time', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ HTTP_REQUEST_TIMEOUT_MS: '1500', HTTP_HEADERS_TIMEOUT_MS: '1000' });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(() => t.close());

  it('is answered 408 and its connection closed once the request timeout has passed', async () => {
    const { port } = t.app.getHttpServer().address() as { port: number };
    const socket = connect(port, '127.0.0.1');
    await new Promise<void>((r) => socket.once('connect', () => r()));
    const received = readAll(socket);
    const started = Date.now();
    socket.write(
      'POST /api/v1/auth/login HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n{',
    );
    const trickle = setInterval(() => {
      if (!socket.destroyed) socket.write(' ');
    }, 200);
    const raw = await received;
    clearInterval(trickle);
    const heldMs = Date.now() - started;
    expect(raw).toMatch(/^HTTP\/1\.1 408/);
    expect(raw).toContain('"code":"REQUEST_TIMEOUT"');
    expect(heldMs).toBeLessThan(8000);
  });
});
