import { createTestApp, type TestApp } from './support/test-app.js';
import { as, buildLoopWorld, type LoopWorld } from './support/fixtures.js';

/**
 * Issue 14: a 推进会 and a 调研 entered through the API as the office writes them, and the
 * draft 快报's 指挥调度 paragraphs read in the house style; the new fields are checked with
 * 400s naming the field and nothing written; the console's preview gives the same text.
 */
describe('inspections in the 快报 house style', () => {
  let t: TestApp;
  let w: LoopWorld;
  let yongding: string;
  const admin = () => as(t, w.admin.token);
  const wang = { title: '区委常委、宣传部部长', name: '王建华' };

  const meeting = () => ({
    kind: 'meeting',
    activity: '全区创城工作推进会',
    heldOn: '2026-11-10',
    location: '区委第一会议室',
    convener: '区创城办',
    purpose: '传达全市创城工作推进会精神',
    leaders: [wang],
    participatingUnitIds: [yongding],
    participantGroups: ['各镇街主要领导'],
    remarks: [
      { speaker: '王建华', verb: '指出', text: '我区创城工作取得阶段性成效' },
      { speaker: '王建华', verb: '强调', text: '要对标测评体系，补齐短板弱项' },
    ],
    requirementsBy: '王建华',
    requirementNumbering: 'shi',
    requirements: [{ body: '要压实属地责任' }, { body: '要加强督查考核' }],
  });

  const survey = () => ({
    kind: 'survey',
    activity: '指导创城工作',
    heldOn: '2026-11-11',
    location: '永定镇',
    leaders: [wang],
    escorts: [{ title: '永定镇党委书记', name: '张三' }],
    visitedSites: [
      { siteId: 'SMY01', alias: '石门营广场' },
      { siteId: w.siteNoUnit },
      { siteId: w.siteA },
    ],
    lookedAt: '各项指标落实情况',
    requirementsBy: '王建华',
    requirementNumbering: 'none',
    requirements: [{ heading: '', body: '各单位要对照测评标准，立行立改' }],
  });

  const MEETING_TEXT =
    '11月10日，区创城办召开全区创城工作推进会，传达全市创城工作推进会精神。' +
    '区委常委、宣传部部长王建华出席会议。永定镇负责同志，各镇街主要领导参加。' +
    '王建华指出，我区创城工作取得阶段性成效。王建华强调，要对标测评体系，补齐短板弱项。' +
    '王建华要求：一是要压实属地责任；二是要加强督查考核。（本刊）';

  beforeAll(async () => {
    t = await createTestApp();
    w = await buildLoopWorld(t);
    yongding = (await t.createUnit('永定镇')).id;
    await t.ds.query(
      `INSERT INTO sites (code, name, kind) VALUES ('SMY01', '石门营文化公园', '公园广场')`,
    );
  });
  afterAll(() => t.close());

  const count = async (): Promise<number> =>
    ((await t.ds.query('SELECT count(*)::int AS n FROM inspections')) as { n: number }[])[0].n;

  it('refuses what does not read, naming the field, and writes nothing', async () => {
    const cases: [object, string][] = [
      [{ ...meeting(), requirementNumbering: 'none' }, 'requirementNumbering'],
      [{ ...meeting(), leaders: [{ title: ' ', name: '' }] }, 'leaders.0'],
      [{ ...meeting(), leaders: [] }, 'leadPersons'],
      [{ ...survey(), escorts: [{}] }, 'escorts.0'],
      [{ ...survey(), siteIds: [w.siteA] }, 'visitedSites'],
      [{ ...survey(), visitedSites: [{ siteId: 'NOPE1' }] }, 'visitedSites.0.siteId'],
      [{ ...survey(), requirements: [{ heading: '', body: ' ' }] }, 'requirements.0.body'],
      [
        { ...meeting(), remarks: [{ speaker: '王建华', verb: '说', text: '好' }] },
        'remarks.0.verb',
      ],
      [{ ...meeting(), participantGroups: ['各'.repeat(101)] }, 'participantGroups'],
      [{ ...meeting(), convener: '办'.repeat(101) }, 'convener'],
      [
        { ...survey(), visitedSites: [{ siteId: w.siteA, alias: '名'.repeat(101) }] },
        'visitedSites.0.alias',
      ],
      [
        { ...meeting(), remarks: Array(21).fill({ speaker: '王', verb: '指出', text: '好' }) },
        'remarks',
      ],
      [{ ...meeting(), kind: 'inspect' }, 'kind'],
    ];
    for (const [body, field] of cases) {
      const res = await admin().post('/inspections', body);
      expect({ field, status: res.status }).toEqual({ field, status: 400 });
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    expect(await count()).toBe(0);
  });

  it('stores a 推进会 and a 调研 with every house-style field', async () => {
    const m = await admin().post('/inspections', meeting());
    expect(m.status).toBe(201);
    expect(m.body).toMatchObject({
      kind: 'meeting',
      convener: '区创城办',
      purpose: '传达全市创城工作推进会精神',
      leaders: [wang],
      leadPersons: ['王建华'],
      leadRank: 1,
      participantGroups: ['各镇街主要领导'],
      requirementsBy: '王建华',
      requirementNumbering: 'shi',
      requirements: [
        { heading: '', body: '要压实属地责任' },
        { heading: '', body: '要加强督查考核' },
      ],
      escorts: [],
      lookedAt: null,
    });
    const [row] = await t.ds.query(
      `SELECT convener, leaders, remarks, participant_groups, requirement_numbering, lead_persons
         FROM inspections WHERE id = $1`,
      [m.body.id],
    );
    expect(row).toEqual({
      convener: '区创城办',
      leaders: [wang],
      remarks: meeting().remarks,
      participant_groups: ['各镇街主要领导'],
      requirement_numbering: 'shi',
      lead_persons: ['王建华'],
    });

    const s = await as(t, w.inspector.token).post('/inspections', {
      ...survey(),
      tasks: [
        { categoryId: w.categoryId, siteId: w.siteA, description: '楼道堆物' },
        { categoryId: w.selfCloseCategoryId, siteId: w.siteA, description: '小广告' },
      ],
    });
    expect(s.status).toBe(201);
    expect(s.body.visitedSites).toEqual([
      { id: expect.any(String), name: '石门营文化公园', alias: '石门营广场' },
      { id: w.siteNoUnit, name: '永定楼公园', alias: null },
      { id: w.siteA, name: '西山社区', alias: null },
    ]);
    expect(s.body.sitesVisited.map((x: { name: string }) => x.name)).toEqual([
      '石门营文化公园',
      '永定楼公园',
      '西山社区',
    ]);
    const aliases = await t.ds.query(
      `SELECT alias FROM inspection_sites WHERE inspection_id = $1 ORDER BY position`,
      [s.body.id],
    );
    expect(aliases).toEqual([{ alias: '石门营广场' }, { alias: null }, { alias: null }]);

    // An unnumbered requirement stays single on update too.
    const two = await admin().patch(`/inspections/${s.body.id}`, {
      requirements: [{ body: '甲' }, { body: '乙' }],
    });
    expect(two.status).toBe(400);
    expect(two.body.errors[0].field).toBe('requirementNumbering');
    const [still] = await t.ds.query(`SELECT requirements FROM inspections WHERE id = $1`, [
      s.body.id,
    ]);
    expect(still.requirements).toEqual([{ heading: '', body: '各单位要对照测评标准，立行立改' }]);
    expect(await count()).toBe(2);
  });

  it('previews the paragraph the form gives, for the office and inspectors only', async () => {
    const res = await admin().post('/inspections/preview-paragraph', meeting());
    expect(res.status).toBe(200);
    expect(res.body.text).toBe(MEETING_TEXT);
    expect(res.body.spans).toEqual([{ text: MEETING_TEXT, bold: false }]);
    const bold = await as(t, w.inspector.token).post('/inspections/preview-paragraph', {
      kind: 'inspection',
      activity: '创城督导检查',
      leadPersons: ['李明'],
      heldOn: '2026-11-12',
      location: '城子街道',
      requirements: [{ heading: '立行立改', body: '逐一销号' }],
    });
    expect(bold.body).toEqual({
      text: '李明12日到城子街道开展创城督导检查。要求：**一要立行立改。**逐一销号。（本刊）',
      spans: [
        { text: '李明12日到城子街道开展创城督导检查。要求：', bold: false },
        { text: '一要立行立改。', bold: true },
        { text: '逐一销号。（本刊）', bold: false },
      ],
    });
    const unit = await as(t, w.unitA.token).post('/inspections/preview-paragraph', meeting());
    expect(unit.status).toBe(403);
    const bad = await admin().post('/inspections/preview-paragraph', {
      ...survey(),
      visitedSites: [{ siteId: 'NOPE1' }],
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].field).toBe('visitedSites.0.siteId');
    expect(await count()).toBe(2);
  });

  it('drafts the 快报 with the meeting and the 调研 in the house style, problems in their measure words', async () => {
    // A visit in the old shape that says what it looked at; its problems count in 条.
    const v = await as(t, w.inspector.token).post('/inspections', {
      kind: 'inspection',
      activity: '背街小巷创城督导检查',
      leadPersons: ['王建华'],
      heldOn: '2026-11-12',
      location: '东辛房街道',
      siteIds: [w.siteA],
      lookedAt: '停车秩序、环境卫生',
      tasks: [1, 2].map((n) => ({
        categoryId: w.selfCloseCategoryId,
        siteId: w.siteA,
        description: `小广告${n}`,
      })),
    });
    expect(v.status).toBe(201);
    await t.ds.query(
      `UPDATE tasks SET status = 'closed', closed_at = '2026-11-13T10:00:00+08:00', closed_on_time = true
        WHERE id = $1`,
      [v.body.taskIds[0]],
    );

    const res = await admin().post('/bulletins', {
      periodStart: '2026-11-09',
      periodEnd: '2026-11-15',
      issueDate: '2026-11-16',
    });
    expect(res.status).toBe(201);
    const dispatch = (res.body.sections as { key: string; paragraphs: { text: string }[] }[]).find(
      (s) => s.key === 'command_dispatch',
    );
    expect(dispatch?.paragraphs.map((p) => p.text)).toEqual([
      MEETING_TEXT,
      '11月11日，区委常委、宣传部部长王建华到永定镇调研指导创城工作，永定镇党委书记张三陪同调研。' +
        '先后到石门营文化公园（石门营广场）、永定楼公园和西山社区查看各项指标落实情况。' +
        '调研发现问题2个，正在督促整改。王建华要求：各单位要对照测评标准，立行立改。（本刊）',
      '王建华12日到东辛房街道开展背街小巷创城督导检查。' +
        '到西山社区查看停车秩序、环境卫生等情况。检查发现问题2条，已整改1条。（本刊）',
    ]);
  });
});
