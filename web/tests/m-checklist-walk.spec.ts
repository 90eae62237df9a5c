import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Checklist, Outcome } from '../m/src/api';
import { passTheRest, walkDraftProblems, walkFieldText } from '../m/src/checklist-walk';
import { PhoneDb, type LocalWalk } from '../m/src/db';
import { Outbox, outboxCounts, type Transport } from '../m/src/outbox';

type Call = { what: string; key: string; body?: unknown };

/** A server that answers as told and writes down every request in order. */
function fakeServer(answer: (c: Call) => Outcome<unknown> | undefined = () => undefined) {
  const calls: Call[] = [];
  const reply = <T>(c: Call, ok: T): Promise<Outcome<T>> => {
    calls.push(c);
    return Promise.resolve((answer(c) as Outcome<T> | undefined) ?? { kind: 'ok', data: ok });
  };
  const transport: Transport = {
    createInspection: (body, key) =>
      reply({ what: 'inspection', key, body }, { id: 'srv-insp' } as never),
    uploadPhoto: (p, key) =>
      reply({ what: `photo:${p.name}`, key }, { id: `srv-${p.name}` } as never),
    createTask: (t, key) => reply({ what: 'task', key, body: t }, {} as never),
    addObservation: (_id, o, key) => reply({ what: 'observation', key, body: o }, {} as never),
    createChecklistWalk: (id, w, key) =>
      reply({ what: `walk:${id}`, key, body: w }, {
        id: 'srv-walk',
        results: w.results.map((r, i) => ({
          ...r,
          taskNumber: r.result === 'fail' ? `ZG-${i + 1}` : null,
        })),
      } as never),
    checkTask: (_id, c, key) => reply({ what: 'check', key, body: c }, {} as never),
    checkRecorded: () => Promise.resolve(false),
  };
  return { calls, transport };
}

const walk = (over: Partial<LocalWalk> = {}): LocalWalk => ({
  id: 'w1',
  inspectionId: 'i1',
  siteId: 'site-a',
  siteName: '和平社区',
  checklistName: '社区检查清单',
  lat: 39.9,
  lng: 116.4,
  foundAt: '2026-12-01T01:10:00.000Z',
  results: [
    {
      itemId: 'it1',
      position: 1,
      text: '楼道无堆物',
      result: 'fail',
      note: '纸箱',
      photoIds: ['a'],
    },
    { itemId: 'it2', position: 2, text: '无小广告', result: 'na', photoIds: [] },
    { itemId: 'it3', position: 3, text: '垃圾分类设施', result: 'fail', photoIds: ['b', 'c'] },
    { itemId: 'it4', position: 4, text: '公益广告', result: 'pass', photoIds: [] },
  ],
  state: 'pending',
  idempotencyKey: 'key-w1',
  createdAt: '2026-12-01T01:10:00.000Z',
  ...over,
});
const photo = (id: string, ownerId = 'w1') => ({
  id,
  ownerId,
  blob: new Uint8Array([1, 2, 3]) as unknown as Blob,
  resized: true,
  width: 1600,
  height: 1200,
  capturedAt: '2026-12-01T01:09:00.000Z',
  state: 'pending' as const,
  idempotencyKey: `key-${id}`,
});

let store: PhoneDb;
let n = 0;
beforeEach(async () => {
  store = new PhoneDb(`walk-test-${++n}`);
  await store.inspections.add({
    id: 'i1',
    kind: 'inspection',
    heldOn: '2026-12-01',
    siteIds: ['site-a'],
    siteNames: ['和平社区'],
    participatingUnitIds: [],
    accompanying: [],
    leadPersons: ['张督导'],
    open: true,
    state: 'pending',
    idempotencyKey: 'key-insp',
    createdAt: '2026-12-01T01:00:00.000Z',
    userId: 'u1',
  });
  await store.photos.bulkAdd([photo('a'), photo('b'), photo('c')]);
});

describe('the outbox and 按清单检查', () => {
  it('sends the header, then the fails’ photos, then the walk with its key; keeps the raised numbers', async () => {
    await store.walks.add(walk());
    const server = fakeServer();
    expect(await new Outbox(store, server.transport).sync()).toBe('done');
    expect(server.calls.map((c) => [c.what, c.key])).toEqual([
      ['inspection', 'key-insp'],
      ['photo:a.jpg', 'key-a'],
      ['photo:b.jpg', 'key-b'],
      ['photo:c.jpg', 'key-c'],
      ['walk:srv-insp', 'key-w1'],
    ]);
    expect(server.calls[4].body).toEqual({
      siteId: 'site-a',
      foundAt: '2026-12-01T01:10:00.000Z',
      results: [
        {
          itemId: 'it1',
          result: 'fail',
          note: '纸箱',
          attachmentIds: ['srv-a.jpg'],
          lat: 39.9,
          lng: 116.4,
        },
        { itemId: 'it2', result: 'na', note: undefined, attachmentIds: undefined },
        {
          itemId: 'it3',
          result: 'fail',
          note: undefined,
          attachmentIds: ['srv-b.jpg', 'srv-c.jpg'],
          lat: 39.9,
          lng: 116.4,
        },
        { itemId: 'it4', result: 'pass', note: undefined, attachmentIds: undefined },
      ],
    });
    expect(await store.walks.get('w1')).toMatchObject({
      state: 'synced',
      serverId: 'srv-walk',
      taskNumbers: ['ZG-1', 'ZG-3'],
    });
    expect((await store.inspections.get('i1'))?.state).toBe('synced');
    expect(await store.photos.count()).toBe(0);
    expect(await outboxCounts(store)).toEqual({ waiting: 0, failed: 0 });
  });

  it('offline: the walk waits (counted), then goes once with the same key; the photos are not sent twice', async () => {
    await store.walks.add(walk());
    let down = true;
    const server = fakeServer((c) =>
      down && c.what.startsWith('walk:') ? { kind: 'later', reason: 'Failed to fetch' } : undefined,
    );
    const outbox = new Outbox(store, server.transport);
    expect(await outbox.sync()).toBe('offline');
    expect((await store.walks.get('w1'))?.state).toBe('pending');
    expect((await outboxCounts(store)).waiting).toBeGreaterThanOrEqual(1);
    down = false;
    expect(await outbox.sync()).toBe('done');
    const walks = server.calls.filter((c) => c.what.startsWith('walk:'));
    expect(walks.map((c) => c.key)).toEqual(['key-w1', 'key-w1']);
    expect(server.calls.filter((c) => c.what === 'photo:a.jpg')).toHaveLength(1);
    expect((await store.walks.get('w1'))?.state).toBe('synced');
  });

  it('a refused walk is failed with the server’s field error and not sent again; the inspection still settles', async () => {
    await store.walks.add(walk());
    const refusal = {
      kind: 'refused' as const,
      problem: {
        status: 400,
        code: 'VALIDATION_FAILED',
        detail: 'results.1.itemId: 该项不在此类点位的检查清单中',
        fields: { 'results.1.itemId': '该项不在此类点位的检查清单中' },
      },
    };
    const server = fakeServer((c) => (c.what.startsWith('walk:') ? refusal : undefined));
    await new Outbox(store, server.transport).sync();
    expect(await store.walks.get('w1')).toMatchObject({ state: 'failed', error: refusal.problem });
    expect(await outboxCounts(store)).toEqual({ waiting: 0, failed: 1 });
    await new Outbox(store, server.transport).sync();
    expect(server.calls.filter((c) => c.what.startsWith('walk:'))).toHaveLength(1);
    expect(walkFieldText('results.1.itemId', walk().results)).toBe('第2项“无小广告”');
  });

  it('a photo the server refuses fails the walk before it is sent', async () => {
    await store.walks.add(walk());
    const server = fakeServer((c) =>
      c.what === 'photo:b.jpg'
        ? {
            kind: 'refused',
            problem: {
              status: 415,
              code: 'ATTACHMENT_NOT_AN_IMAGE',
              detail: '不是图片',
              fields: {},
            },
          }
        : undefined,
    );
    await new Outbox(store, server.transport).sync();
    expect((await store.walks.get('w1'))?.state).toBe('failed');
    expect(server.calls.some((c) => c.what.startsWith('walk:'))).toBe(false);
  });
});

describe('a walk being filled in', () => {
  const items = [1, 2, 3].map((p) => ({
    id: `it${p}`,
    position: p,
    text: `项${p}`,
    active: true,
  })) as unknown as Checklist['items'];

  it.each([
    [
      'nothing answered',
      {},
      {
        it1: '请选择合格、不合格或不适用',
        it2: '请选择合格、不合格或不适用',
        it3: '请选择合格、不合格或不适用',
      },
    ],
    [
      'a fail without photo',
      {
        it1: { result: 'fail', note: '', photos: 0 },
        it2: { result: 'pass', note: '', photos: 0 },
        it3: { result: 'na', note: '', photos: 0 },
      },
      { it1: '不合格项须拍照' },
    ],
    [
      'all answered, the fail with a photo',
      {
        it1: { result: 'fail', note: '', photos: 1 },
        it2: { result: 'pass', note: '', photos: 0 },
        it3: { result: 'na', note: '', photos: 0 },
      },
      {},
    ],
  ] as const)('%s', (_name, answers, problems) => {
    expect(walkDraftProblems(items, answers as never)).toEqual(problems);
  });

  it('其余全部合格 answers only the items left open', () => {
    const out = passTheRest(items, { it2: { result: 'fail', note: 'x', photos: 1 } });
    expect(Object.fromEntries(Object.entries(out).map(([k, v]) => [k, v.result]))).toEqual({
      it1: 'pass',
      it2: 'fail',
      it3: 'pass',
    });
    expect(out.it2.note).toBe('x');
  });
});
