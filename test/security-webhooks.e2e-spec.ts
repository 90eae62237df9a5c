import { createServer, type Server } from 'node:http';
import { WebhooksService } from '../src/notifications/webhooks.service.js';
import { createTestApp, type TestApp } from './support/test-app.js';

/** A receiver on 127.0.0.1 answering `status`; counts what reached it. */
async function receiver(status: number): Promise<{ server: Server; port: number; hits: number[] }> {
  const hits: number[] = [];
  const server = createServer((req, res) => {
    hits.push(Date.now());
    req.resume();
    req.on('end', () => res.writeHead(status).end());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, port: (server.address() as { port: number }).port, hits };
}

describe('security: webhook targets', () => {
  describe('without an allow-list', () => {
    let t: TestApp;
    let admin: string;
    beforeAll(async () => {
      t = await createTestApp();
      admin = (await t.signIn('admin')).token;
    });
    afterAll(() => t.close());

    const storedUrl = async (unitId: string): Promise<string | null> =>
      (
        (await t.ds.query('SELECT webhook_url FROM units WHERE id = $1', [unitId])) as {
          webhook_url: string | null;
        }[]
      )[0].webhook_url;

    it.each([
      'http://127.0.0.1:8080/hook',
      'http://169.254.169.254/latest/meta-data/',
      'http://10.1.2.3/hook',
      'http://192.168.0.10/hook',
      'http://172.20.0.1/hook',
      'http://[::1]/hook',
      'http://[::ffff:127.0.0.1]/hook',
      'http://[fd00::1]/hook',
      'http://0.0.0.0/hook',
      'http://localhost:3000/hook',
      'http://2130706433/hook',
    ])('refuses %s at configuration time (422 naming url)', async (url) => {
      const unit = await t.createUnit();
      const res = await t
        .http()
        .put(`/api/v1/units/${unit.id}/webhook`)
        .set('authorization', `Bearer ${admin}`)
        .send({ url, secret: 'a-secret-of-some-length' });
      expect(res.status).toBe(422);
      expect(res.body.code).toBe('WEBHOOK_URL_FORBIDDEN');
      expect(res.body.errors).toEqual([expect.objectContaining({ field: 'url' })]);
      expect(await storedUrl(unit.id)).toBeNull();
    });

    it('refuses at delivery time what resolves to a forbidden address (DNS rebinding), sending nothing', async () => {
      const r = await receiver(200);
      try {
        const unit = await t.createUnit();
        for (const host of ['127.0.0.1', 'localhost']) {
          // As if the name had resolved to a public address when it was configured.
          await t.ds.query('UPDATE units SET webhook_url = $2, webhook_secret = $3 WHERE id = $1', [
            unit.id,
            `http://${host}:${r.port}/hook`,
            'secret',
          ]);
          const [d] = (await t.ds.query(
            `INSERT INTO webhook_deliveries (unit_id, delivery_key, event_type, payload)
             VALUES ($1, $2, 'task.create', '{}') RETURNING id`,
            [unit.id, `k-${host}`],
          )) as { id: string }[];
          await expect(t.app.get(WebhooksService).deliver(d.id)).rejects.toThrow();
          const [row] = (await t.ds.query(
            'SELECT status, attempts, last_error FROM webhook_deliveries WHERE id = $1',
            [d.id],
          )) as { status: string; attempts: number; last_error: string }[];
          expect(row).toEqual({ status: 'pending', attempts: 1, last_error: '目标地址不允许' });
        }
        expect(r.hits).toHaveLength(0);
      } finally {
        r.server.close();
      }
    });
  });

  describe('with WEBHOOK_ALLOWED_HOSTS', () => {
    let t: TestApp;
    let admin: string;
    beforeAll(async () => {
      t = await createTestApp({ WEBHOOK_ALLOWED_HOSTS: '127.0.0.1, 10.8.0.0/16 ,grid.intranet' });
      admin = (await t.signIn('admin')).token;
    });
    afterAll(() => t.close());

    const configure = (unitId: string, url: string) =>
      t
        .http()
        .put(`/api/v1/units/${unitId}/webhook`)
        .set('authorization', `Bearer ${admin}`)
        .send({ url, secret: 'a-secret-of-some-length' });

    it('accepts the listed hosts and networks, still refuses the others', async () => {
      const unit = await t.createUnit();
      await configure(unit.id, 'http://10.8.3.4/hook').expect(200);
      await configure(unit.id, 'http://127.0.0.1:9000/hook').expect(200);
      expect((await configure(unit.id, 'http://10.9.0.1/hook')).status).toBe(422);
      expect((await configure(unit.id, 'http://169.254.169.254/')).status).toBe(422);
      const [{ webhook_url }] = (await t.ds.query('SELECT webhook_url FROM units WHERE id = $1', [
        unit.id,
      ])) as { webhook_url: string }[];
      expect(webhook_url).toBe('http://127.0.0.1:9000/hook');
    });

    it('stores a short category of the failure for the office, never the raw fetch error', async () => {
      const failing = await receiver(500);
      const closed = await receiver(200);
      await new Promise((r) => closed.server.close(r));
      try {
        const unit = await t.createUnit();
        const outcomes: string[] = [];
        for (const port of [failing.port, closed.port]) {
          await configure(unit.id, `http://127.0.0.1:${port}/hook`).expect(200);
          const [d] = (await t.ds.query(
            `INSERT INTO webhook_deliveries (unit_id, delivery_key, event_type, payload)
             VALUES ($1, $2, 'task.create', '{}') RETURNING id`,
            [unit.id, `k-${port}`],
          )) as { id: string }[];
          await expect(t.app.get(WebhooksService).deliver(d.id)).rejects.toThrow();
          const [row] = (await t.ds.query(
            'SELECT last_error FROM webhook_deliveries WHERE id = $1',
            [d.id],
          )) as { last_error: string }[];
          outcomes.push(row.last_error);
        }
        expect(outcomes).toEqual(['HTTP 500', '连接被拒绝']);
        expect(failing.hits).toHaveLength(1);
      } finally {
        failing.server.close();
      }
    });
  });
});
