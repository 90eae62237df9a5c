import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Outcome, PhotoUpload } from '../m/src/api';
import { PhoneDb, type LocalInspection, type LocalProblem } from '../m/src/db';
import { inspectionBody } from '../m/src/inspection-body';
import { Outbox, outboxCounts, type Transport } from '../m/src/outbox';

type Call = { what: string; key: string; body?: unknown };

/** A server that answers as told, and writes down every request in order. */
function fakeServer(
  answer: (c: Call) => Outcome<unknown> | undefined = () => undefined,
  /** Tasks whose history already holds this inspector's check. */
  recordedChecks: string[] = [],
) {
  const recorded = new Set(recordedChecks);
  const calls: Call[] = [];
  let n = 0;
  const reply = <T>(c: Call, ok: T): Promise<Outcome<T>> => {
    calls.push(c);
    return Promise.resolve((answer(c) as Outcome<T> | undefined) ?? { kind: 'ok', data: ok });
  };
  const transport: Transport = {
    createInspection: (body, key) =>
      reply({ what: 'inspection', key, body }, { id: 'srv-insp' } as never),
    uploadPhoto: (p: PhotoUpload, key) =>
      reply({ what: `photo:${p.name}`, key }, { id: `srv-${p.name}` } as never),
    createTask: (t, key) =>
      reply({ what: `task:${t.description}`, key, body: t }, {
        id: `task-${++n}`,
        number: `ZG-${n}`,
      } as never),
    addObservation: (id, o, key) => reply({ what: `observation:${id}`, key, body: o }, {} as never),
    createChecklistWalk: (id, w, key) => reply({ what: `walk:${id}`, key, body: w }, {} as never),
    checkTask: (id, c, key) => reply({ what: `check:${id}`, key, body: c }, {} as never),
    checkRecorded: (c) => Promise.resolve(recorded.has(c.taskId)),
  };
  return { calls, transport };
}

const inspection = (over: Partial<LocalInspection> = {}): LocalInspection => ({
  id: 'i1',
  kind: 'inspection',
  heldOn: '2026-12-01',
  siteIds: ['site-a'],
  siteNames: ['人民公园'],
  participatingUnitIds: [],
  accompanying: [],
  leadPersons: ['张督导'],
  open: true,
  state: 'pending',
  idempotencyKey: 'key-insp',
  createdAt: '2026-12-01T01:00:00.000Z',
  userId: 'u1',
  ...over,
});
const problem = (seq: number, over: Partial<LocalProblem> = {}): LocalProblem => ({
  id: `p${seq}`,
  inspectionId: 'i1',
  seq,
  categoryId: 'cat',
  siteId: 'site-a',
  lat: 39.9,
  lng: 116.4,
  foundAt: '2026-12-01T01:05:00.000Z',
  description: `问题${seq}`,
  photoIds: [],
  state: 'pending',
  idempotencyKey: `key-p${seq}`,
  createdAt: '2026-12-01T01:05:00.000Z',
  ...over,
});
const photo = (id: string, ownerId: string) => ({
  id,
  ownerId,
  blob: new Uint8Array([1, 2, 3]) as unknown as Blob,
  resized: true,
  width: 1600,
  height: 1200,
  capturedAt: '2026-12-01T01:04:00.000Z',
  state: 'pending' as const,
  idempotencyKey: `key-${id}`,
});

let store: PhoneDb;
let dbCount = 0;
beforeEach(async () => {
  store = new PhoneDb(`test-${++dbCount}`);
  await store.inspections.add(inspection());
});

describe('the outbox', () => {
  it('sends the header, then each problem’s photos before its task, in order, each with its own key', async () => {
    await store.photos.bulkAdd([photo('a', 'p1'), photo('b', 'p1'), photo('c', 'p2')]);
    await store.problems.bulkAdd([
      problem(2, { photoIds: ['c'] }),
      problem(1, { photoIds: ['a', 'b'] }),
    ]);
    const server = fakeServer();
    expect(await new Outbox(store, server.transport).sync()).toBe('done');
    expect(server.calls.map((c) => [c.what, c.key])).toEqual([
      ['inspection', 'key-insp'],
      ['photo:a.jpg', 'key-a'],
      ['photo:b.jpg', 'key-b'],
      ['task:问题1', 'key-p1'],
      ['photo:c.jpg', 'key-c'],
      ['task:问题2', 'key-p2'],
    ]);
    const task1 = server.calls[3].body as Record<string, unknown>;
    expect(task1).toMatchObject({
      inspectionId: 'srv-insp',
      beforePhotoIds: ['srv-a.jpg', 'srv-b.jpg'],
    });
    expect(await store.problems.get('p1')).toMatchObject({ state: 'synced', serverNumber: 'ZG-1' });
    expect((await store.inspections.get('i1'))?.state).toBe('synced');
    expect(await outboxCounts(store)).toEqual({ waiting: 0, failed: 0 });
    // The server holds them now: the photos leave the phone.
    expect(await store.photos.count()).toBe(0);
  });

  it('keeps everything pending when the network drops, and resends with the same keys (nothing twice)', async () => {
    await store.photos.add(photo('a', 'p1'));
    await store.problems.bulkAdd([problem(1, { photoIds: ['a'] }), problem(2)]);
    let down = true;
    const server = fakeServer((c) =>
      down && c.what === 'task:问题1' ? { kind: 'later', reason: 'Failed to fetch' } : undefined,
    );
    const outbox = new Outbox(store, server.transport);
    expect(await outbox.sync()).toBe('offline');
    expect((await store.problems.get('p1'))?.state).toBe('pending');
    expect((await store.problems.get('p2'))?.state).toBe('pending');
    down = false;
    expect(await outbox.sync()).toBe('done');
    const whats = server.calls.map((c) => c.what);
    // The header and the photo went once (their server ids were kept); the task went again, same key.
    expect(whats.filter((w) => w === 'inspection')).toHaveLength(1);
    expect(whats.filter((w) => w === 'photo:a.jpg')).toHaveLength(1);
    expect(server.calls.filter((c) => c.what === 'task:问题1').map((c) => c.key)).toEqual([
      'key-p1',
      'key-p1',
    ]);
  });

  it('resends an item left `sending` by a closed page with the same Idempotency-Key', async () => {
    await store.inspections.update('i1', { state: 'sending' });
    const server = fakeServer();
    await new Outbox(store, server.transport).sync();
    expect(server.calls).toEqual([
      expect.objectContaining({ what: 'inspection', key: 'key-insp' }),
    ]);
  });

  it('marks a refused problem failed with its field error; the others still sync', async () => {
    await store.problems.bulkAdd([problem(1), problem(2), problem(3)]);
    const refusal = {
      kind: 'refused' as const,
      problem: {
        status: 400,
        code: 'VALIDATION_FAILED',
        detail: '问题类别不存在或已停用',
        fields: { categoryId: '问题类别不存在或已停用' },
      },
    };
    const server = fakeServer((c) => (c.what === 'task:问题2' ? refusal : undefined));
    expect(await new Outbox(store, server.transport).sync()).toBe('done');
    expect(await store.problems.get('p2')).toMatchObject({
      state: 'failed',
      error: refusal.problem,
    });
    expect((await store.problems.get('p3'))?.state).toBe('synced');
    expect(await outboxCounts(store)).toEqual({ waiting: 0, failed: 1 });
    // A failed item is not sent again until the inspector retries it.
    await new Outbox(store, server.transport).sync();
    expect(server.calls.filter((c) => c.what === 'task:问题2')).toHaveLength(1);
  });

  it('stops at a session that is over and sends nothing after it', async () => {
    await store.problems.bulkAdd([problem(1), problem(2)]);
    const server = fakeServer((c) =>
      c.what === 'task:问题1' ? { kind: 'signed-out' } : undefined,
    );
    expect(await new Outbox(store, server.transport).sync()).toBe('signed-out');
    expect(server.calls.map((c) => c.what)).toEqual(['inspection', 'task:问题1']);
    expect((await store.problems.get('p1'))?.state).toBe('pending');
  });

  it('sends an observation to the existing task instead of a new task', async () => {
    await store.photos.add(photo('a', 'p1'));
    await store.problems.add(
      problem(1, { photoIds: ['a'], attachToTaskId: 't-old', description: '又发现' }),
    );
    const server = fakeServer();
    await new Outbox(store, server.transport).sync();
    expect(server.calls.map((c) => c.what)).toEqual([
      'inspection',
      'photo:a.jpg',
      'observation:t-old',
    ]);
    expect(server.calls[2].body).toMatchObject({
      note: '又发现',
      photoIds: ['srv-a.jpg'],
      observedAt: '2026-12-01T01:05:00.000Z',
    });
  });

  it('resizes a photo still stored as the camera’s original before uploading it', async () => {
    await store.photos.add({ ...photo('a', 'p1'), resized: false });
    await store.problems.add(problem(1, { photoIds: ['a'] }));
    const resized: string[] = [];
    const server = fakeServer();
    const outbox = new Outbox(store, server.transport, async (id) => {
      resized.push(id);
      await store.photos.update(id, { resized: true });
    });
    await outbox.sync();
    expect(resized).toEqual(['a']);
    expect(server.calls.map((c) => c.what)).toEqual(['inspection', 'photo:a.jpg', 'task:问题1']);
  });

  it('queues a 复查 with the version seen; a 409 is kept as the check’s error', async () => {
    await store.problems.clear();
    await store.checks.add({
      id: 'c1',
      taskId: 't1',
      taskNumber: 'ZG-9',
      version: 4,
      result: 'fail',
      note: '仍有垃圾',
      photoIds: [],
      state: 'pending',
      idempotencyKey: 'key-c1',
      createdAt: '2026-12-01T02:00:00.000Z',
      userId: 'u1',
    });
    const conflict = {
      kind: 'refused' as const,
      problem: { status: 409, code: 'VERSION_CONFLICT', detail: '已被他人更新', fields: {} },
    };
    const server = fakeServer((c) => (c.what === 'check:t1' ? conflict : undefined));
    await new Outbox(store, server.transport).sync();
    expect(server.calls.find((c) => c.what === 'check:t1')?.body).toMatchObject({
      version: 4,
      result: 'fail',
      note: '仍有垃圾',
    });
    expect(await store.checks.get('c1')).toMatchObject({ state: 'failed', error: { status: 409 } });
  });

  it('a check sent before whose answer was lost: its 409 is synced when the history holds it, failed when not', async () => {
    await store.problems.clear();
    await store.checks.clear();
    const lost = {
      taskId: 't2',
      taskNumber: 'ZG-10',
      version: 4,
      result: 'pass' as const,
      photoIds: [],
      state: 'sending' as const,
      sent: true,
      createdAt: '2026-12-01T02:00:00.000Z',
      userId: 'u1',
    };
    await store.checks.add({ ...lost, id: 'c2', idempotencyKey: 'key-c2' });
    await store.checks.add({ ...lost, id: 'c3', taskId: 't3', idempotencyKey: 'key-c3' });
    const conflict = {
      kind: 'refused' as const,
      problem: { status: 409, code: 'VERSION_CONFLICT', detail: '已被他人更新', fields: {} },
    };
    // t2's check reached the server before; t3's was beaten by someone else's.
    const server = fakeServer((c) => (c.what.startsWith('check:') ? conflict : undefined), ['t2']);
    await new Outbox(store, server.transport).sync();
    const c2 = await store.checks.get('c2');
    expect(c2?.state).toBe('synced');
    expect(c2?.error).toBeUndefined();
    expect(await store.checks.get('c3')).toMatchObject({ state: 'failed', error: { status: 409 } });
  });
});

describe('the inspection header', () => {
  it('maps 调研 onto an inspection visit and 会议 onto a meeting', () => {
    expect(inspectionBody(inspection({ kind: 'survey' }))).toMatchObject({
      kind: 'inspection',
      activity: '创城调研',
      location: '人民公园',
      siteIds: ['site-a'],
    });
    expect(
      inspectionBody(inspection({ kind: 'meeting', siteNames: [], siteIds: [] })),
    ).toMatchObject({ kind: 'meeting', location: '现场', siteIds: undefined });
  });
});
