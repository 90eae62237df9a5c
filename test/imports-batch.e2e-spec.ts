import ExcelJS from 'exceljs';
import type { Principal } from '../src/common/auth/principal.js';
import { TransactionRunner } from '../src/database/transaction.js';
import { parseOfficeTime } from '../src/imports/import-rows.js';
import { TasksService } from '../src/tasks/tasks.service.js';
import { bj, mediumWorld, ok, type MediumWorld } from './medium/medium-world.js';

/**
 * The batched confirmation (src/imports/batch/) writes what creating the same rows one by one
 * through `TasksService.createInTransaction` writes: the same task columns, the same `create`
 * events and 反弹 `recur` events on earlier tasks, in the same order, each with its outbox row,
 * and gapless numbers. Both paths run at the same injected instant on the same rows; the
 * comparison is of what the database holds.
 */

type Row = Record<string, unknown>;
const header = [
  '问题类别',
  '点位',
  '问题地址',
  '经度',
  '纬度',
  '问题描述',
  '发现时间',
  '责任单位',
  '整改时限',
];

async function xlsx(rows: (string | number | null)[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('问题清单');
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

describe('导入确认 (batched) writes what one-by-one creation writes', () => {
  let m: MediumWorld;
  let closedBySite: string;
  let closedByPoint: string;
  let principal: Principal;
  let rows: (string | number | null)[][];

  const upload = async (file: Buffer): Promise<string> => {
    const res = await m.t
      .http()
      .post('/api/v1/imports')
      .set('authorization', `Bearer ${m.w.admin.token}`)
      .field('source', 'leader')
      .attach('file', file, { filename: '交办清单.xlsx' });
    if (res.status !== 201) throw new Error(`${res.status} ${JSON.stringify(res.body)}`);
    return res.body.id as string;
  };

  beforeAll(async () => {
    m = await mediumWorld('2026-11-16 09:00');
    const [me] = (await m.t.ds.query(`SELECT display_name FROM users WHERE id = $1`, [
      m.w.admin.id,
    ])) as { display_name: string }[];
    principal = {
      kind: 'user',
      id: m.w.admin.id,
      role: 'admin',
      unitId: null,
      displayName: me.display_name,
    };
    // Two closed tasks a new problem may come back at: one at a site, one at a position.
    const bySite = await ok(
      m.office().post('/tasks', {
        categoryId: m.checkedCategory,
        siteId: m.w.siteA,
        description: '西山社区乱堆物料',
      }),
    );
    const sub = await ok(
      m.unitA().post(`/tasks/${bySite.id}/submissions`, {
        version: bySite.version,
        description: '已清理',
      }),
    );
    await ok(
      m.inspector().post(`/tasks/${bySite.id}/checks`, { version: sub.version, result: 'pass' }),
    );
    const byPoint = await ok(
      m.office().post('/tasks', {
        categoryId: m.selfCloseCategory,
        address: '河滩路3号',
        lat: 39.9,
        lng: 116.1,
        unitId: m.w.unitB.unitId,
        description: '占道广告牌',
      }),
    );
    await ok(
      m.unitB().post(`/tasks/${byPoint.id}/submissions`, {
        version: byPoint.version,
        description: '已拆除',
      }),
    );
    closedBySite = bySite.id;
    closedByPoint = byPoint.id;
    m.setNow('2026-11-18 10:00');
    const [[checked], [selfClose]] = (await Promise.all([
      m.t.ds.query(`SELECT code FROM categories WHERE id = $1`, [m.checkedCategory]),
      m.t.ds.query(`SELECT code FROM categories WHERE id = $1`, [m.selfCloseCategory]),
    ])) as { code: string }[][];
    rows = [
      header,
      // Same site as the closed task: 反弹 by site, routed by the site's default unit.
      [checked.code, '西山社区', null, null, null, '又见乱堆物料', '2026-11-18 08:00', null, null],
      // 8 m from the closed one: 反弹 by distance, routed by the file's unit with its deadline.
      [
        selfClose.code,
        null,
        '河滩路3号旁',
        116.1,
        39.90007,
        '广告牌又立起来了',
        null,
        '城子街道',
        '2026-11-30',
      ],
      // Far away: no 反弹.
      [selfClose.code, null, '新桥大街1号', 116.2, 39.95, '新桥广告牌', null, '城子街道', null],
      // No unit anywhere: waits for dispatch; a deadline given without a unit is kept as overridden.
      [
        '楼道堆物',
        '永定楼公园',
        null,
        null,
        null,
        '公园楼道堆物',
        '2026-11-17',
        null,
        '2026-12-01',
      ],
      ['GG01', null, '西山路9号', null, null, '电线杆小广告', null, null, null],
    ];
    for (let i = 0; i < 20; i += 1) {
      rows.push(['楼道堆物', '西山社区', null, null, null, `三号楼堆物${i}`, null, null, null]);
    }
  }, 120_000);
  afterAll(() => m?.close());

  /** The tasks of a batch in number order, as comparable values (ids of the batch replaced). */
  const tasksOf = async (
    batchId: string,
  ): Promise<{ ids: string[]; numbers: number[]; rows: Row[] }> => {
    const list = (await m.t.ds.query(
      `SELECT * FROM tasks WHERE import_batch_id = $1 ORDER BY number`,
      [batchId],
    )) as Row[];
    return {
      ids: list.map((r) => r.id as string),
      numbers: list.map((r) => Number(String(r.number).slice(-6))),
      rows: list.map(({ id: _id, number: _n, import_batch_id: _b, ...rest }) => rest),
    };
  };

  /** The events the batch wrote (create on its tasks, recur on earlier ones), in id order, with outbox rows. */
  const eventsOf = async (batchId: string, ids: string[]): Promise<Row[]> => {
    const events = (await m.t.ds.query(
      `SELECT e.id::text AS id, e.task_id, e.action, e.from_status, e.to_status, e.actor_kind,
              e.actor_id, e.actor_name, e.actor_role, e.note, e.data, e.attachment_ids, e.created_at
         FROM task_events e
        WHERE e.task_id = ANY($1::uuid[]) OR e.data->>'recurrenceTaskId' = ANY($2::text[])
        ORDER BY e.id`,
      [ids, ids],
    )) as Row[];
    const outbox = (await m.t.ds.query(
      `SELECT topic, payload FROM outbox WHERE payload->>'eventId' = ANY($1::text[]) ORDER BY id`,
      [events.map((e) => e.id)],
    )) as { topic: string; payload: { eventId: string; taskId: string } }[];
    expect(outbox.map((o) => o.payload.eventId)).toEqual(events.map((e) => e.id));
    const ref = (id: unknown) =>
      ids.includes(id as string) ? `row${ids.indexOf(id as string)}` : id;
    return events.map((e, k) => {
      const data = { ...(e.data as Row) };
      if (data.importBatchId)
        data.importBatchId = data.importBatchId === batchId ? 'batch' : 'other';
      if (data.recurrenceTaskId) data.recurrenceTaskId = ref(data.recurrenceTaskId);
      return {
        ...e,
        id: undefined,
        // The transaction's now(): the two paths ran in two transactions.
        created_at: e.created_at instanceof Date,
        task_id: ref(e.task_id),
        data,
        outbox: { topic: outbox[k].topic, taskId: ref(outbox[k].payload.taskId) },
      };
    });
  };

  it('creates the same tasks, events and outbox rows as the one-by-one path, numbered in one go', async () => {
    const file = await xlsx(rows);
    const batched = await upload(file);
    const single = await upload(file);
    const [before] = (await m.t.ds.query(`SELECT last_value FROM task_number_counters`)) as {
      last_value: number;
    }[];

    const done = await m.office().post(`/imports/${batched}/confirmation`).expect(201);
    expect(done.body.taskCount).toBe(rows.length - 1);

    // The same rows, one by one through POST /tasks' own path, as the confirmation did before.
    const preview = (await m.office().get(`/imports/${single}`).expect(200)).body as {
      rows: {
        row: number;
        category: { id: string };
        site: { id: string } | null;
        address: string | null;
        lat: number | null;
        lng: number | null;
        description: string;
        foundAt: string | null;
        unit: { id: string } | null;
        routed: string;
      }[];
    };
    const tasks = m.t.app.get(TasksService);
    await m.t.app.get(TransactionRunner).withTransaction(async (em) => {
      for (const [k, r] of preview.rows.entries()) {
        const deadlineCell = rows[k + 1][8] as string | null;
        await tasks.createInTransaction(
          em,
          principal,
          {
            categoryId: r.category.id,
            siteId: r.site?.id,
            address: r.address ?? undefined,
            lat: r.lat ?? undefined,
            lng: r.lng ?? undefined,
            description: r.description,
            foundAt: r.foundAt ?? undefined,
            unitId: r.routed === 'file' ? r.unit!.id : undefined,
            deadline: deadlineCell ? parseOfficeTime(deadlineCell, true)!.toISOString() : undefined,
            source: 'leader',
          },
          null,
          `rows.${r.row}.beforePhotoIds`,
          `rows.${r.row}.foundAt`,
          single,
        );
      }
    });
    await m.t.ds.query(`UPDATE import_batches SET status = 'discarded' WHERE id = $1`, [single]);

    const a = await tasksOf(batched);
    const b = await tasksOf(single);
    expect(a.rows).toHaveLength(rows.length - 1);
    expect(a.rows).toEqual(b.rows);
    // Gapless and in row order: the batch took the next numbers in one go, the others followed.
    expect(a.numbers).toEqual(a.rows.map((_, i) => before.last_value + 1 + i));
    expect(b.numbers).toEqual(a.rows.map((_, i) => before.last_value + a.rows.length + 1 + i));
    expect(a.rows.map((r) => r.description)).toEqual(rows.slice(1).map((r) => r[5]));

    // What the rows hold, not only that both paths agree.
    expect(a.rows[0]).toMatchObject({
      status: 'assigned',
      unit_id: m.w.unitA.unitId,
      recurrence_of_id: closedBySite,
      source: 'leader',
      found_at: bj('2026-11-18 08:00'),
    });
    expect(a.rows[1]).toMatchObject({
      unit_id: m.w.unitB.unitId,
      recurrence_of_id: closedByPoint,
      deadline: new Date('2026-11-30T15:59:59.000Z'),
      deadline_overridden: true,
    });
    expect(a.rows[2].recurrence_of_id).toBeNull();
    expect(a.rows[3]).toMatchObject({
      status: 'pending_dispatch',
      unit_id: null,
      deadline: null,
      deadline_overridden: true,
    });

    const ea = await eventsOf(batched, a.ids);
    const eb = await eventsOf(single, b.ids);
    expect(ea).toEqual(eb);
    expect(ea.map((e) => `${e.action}:${e.task_id}`).slice(0, 4)).toEqual([
      'create:row0',
      `recur:${closedBySite}`,
      'create:row1',
      `recur:${closedByPoint}`,
    ]);
    expect(ea.filter((e) => e.action === 'create')).toHaveLength(rows.length - 1);
    expect(ea[1].data).toEqual({
      unitId: m.w.unitA.unitId,
      recurrenceTaskId: 'row0',
      distanceM: null,
    });
  });

  it('writes nothing when the batch fails: no task, event, outbox row or number', async () => {
    const batch = await upload(
      await xlsx([
        header,
        ['楼道堆物', '西山社区', null, null, null, '一号楼', null, '城子街道', null],
      ]),
    );
    const count = async () =>
      (await m.t.ds.query(
        `SELECT (SELECT count(*) FROM tasks)::int AS tasks, (SELECT count(*) FROM task_events)::int AS events,
                (SELECT count(*) FROM outbox)::int AS outbox, (SELECT sum(last_value) FROM task_number_counters)::int AS numbers`,
      )) as Row[];
    const before = await count();
    // The file's unit is deactivated after the preview: the row now has an error, the batch is refused whole.
    await m.t.ds.query(`UPDATE units SET active = false WHERE id = $1`, [m.w.unitB.unitId]);
    const res = await m.office().post(`/imports/${batch}/confirmation`).expect(422);
    expect(res.body.code).toBe('IMPORT_HAS_ERRORS');
    await m.t.ds.query(`UPDATE units SET active = true WHERE id = $1`, [m.w.unitB.unitId]);
    expect(await count()).toEqual(before);
  });
});
