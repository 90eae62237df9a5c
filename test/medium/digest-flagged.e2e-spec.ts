import { PNG_1X1 } from '../support/fixtures.js';
import { bj, mediumWorld, ok, type MediumWorld } from './medium-world.js';

interface Figures {
  closed: number;
  closedFlagged: number;
}
interface StoredWeek {
  from: string;
  to: string;
  units: { unitId: string; figures: Figures }[];
  categories: { categoryId: string; figures: Figures }[];
  totals: Figures;
}

/**
 * 照片存疑 in a stored week: a week whose closures include one with a flagged photo is stored
 * (POST /reports/digests/:weekStart) and read back with the flagged count it was stored with —
 * the stored JSON and the answer of GET /reports/digests/:weekStart alike.
 *
 * Week of Monday 2026-11-09 (Beijing). Unit A gets two tasks Monday; Tuesday it submits one with
 * a photo that carries no capture data (no EXIF, nothing declared: flagged no_capture_data) and
 * one without a photo (the category requires none: not flagged); the inspector passes both the
 * same day. The week is stored the Monday after.
 */
describe('a stored week with a 照片存疑 closure', () => {
  let m: MediumWorld;

  beforeAll(async () => {
    m = await mediumWorld('2026-11-09 08:00');
  });
  afterAll(() => m.close());

  it('keeps the flagged count when stored and read back', async () => {
    m.setNow('2026-11-09 09:00');
    const create = (description: string) =>
      ok(
        m.office().post('/tasks', {
          categoryId: m.checkedCategory,
          siteId: m.w.siteA,
          unitId: m.w.unitA.unitId,
          deadline: bj('2026-11-12 18:00').toISOString(),
          description,
        }),
      );
    let flagged = await create('一号楼楼道堆物');
    let clean = await create('二号楼楼道堆物');

    m.setNow('2026-11-10 10:00');
    const upload = await m.t
      .http()
      .post('/api/v1/attachments')
      .set('authorization', `Bearer ${m.w.unitA.token}`)
      .attach('file', PNG_1X1, { filename: 'photo.png', contentType: 'image/png' });
    expect(upload.status).toBe(201);
    flagged = await ok(
      m.unitA().post(`/tasks/${flagged.id}/submissions`, {
        version: flagged.version,
        description: '已清理',
        afterPhotoIds: [upload.body.id],
      }),
    );
    clean = await ok(
      m.unitA().post(`/tasks/${clean.id}/submissions`, {
        version: clean.version,
        description: '已清理',
      }),
    );
    m.setNow('2026-11-10 15:00');
    for (const x of [flagged, clean]) {
      const closed = await ok(
        m.inspector().post(`/tasks/${x.id}/checks`, { version: x.version, result: 'pass' }),
      );
      expect(closed.status).toBe('closed');
    }
    // The database holds one flagged accepted submission and one clean one.
    const flags = (await m.t.ds.query(
      `SELECT task_id, jsonb_array_length(evidence_flags)::int AS n FROM task_submissions
        WHERE task_id = ANY($1::uuid[])`,
      [[flagged.id, clean.id]],
    )) as { task_id: string; n: number }[];
    expect(new Map(flags.map((f) => [f.task_id, f.n]))).toEqual(
      new Map([
        [flagged.id, 1],
        [clean.id, 0],
      ]),
    );

    m.setNow('2026-11-16 09:00');
    const stored = await m.office().post('/reports/digests/2026-11-09');
    expect(stored.status).toBe(201);

    // As stored: the JSON in weekly_digests.
    const [{ data }] = (await m.t.ds.query(
      `SELECT data FROM weekly_digests WHERE week_start = '2026-11-09'`,
    )) as { data: StoredWeek }[];
    const unitOf = (w: StoredWeek) => w.units.find((u) => u.unitId === m.w.unitA.unitId)!.figures;
    const categoryOf = (w: StoredWeek) =>
      w.categories.find((c) => c.categoryId === m.checkedCategory)!.figures;
    expect([data.totals, unitOf(data), categoryOf(data)]).toEqual([
      expect.objectContaining({ closed: 2, closedFlagged: 1 }),
      expect.objectContaining({ closed: 2, closedFlagged: 1 }),
      expect.objectContaining({ closed: 2, closedFlagged: 1 }),
    ]);

    // As read back, for the office and for the inspector.
    for (const who of [m.office(), m.inspector()]) {
      const res = await who.get('/reports/digests/2026-11-09');
      expect(res.status).toBe(200);
      const week = res.body as StoredWeek;
      expect([week.from, week.to]).toEqual(['2026-11-09', '2026-11-15']);
      expect([week.totals, unitOf(week), categoryOf(week)]).toEqual([
        expect.objectContaining({ closed: 2, closedFlagged: 1 }),
        expect.objectContaining({ closed: 2, closedFlagged: 1 }),
        expect.objectContaining({ closed: 2, closedFlagged: 1 }),
      ]);
    }
  });
});
