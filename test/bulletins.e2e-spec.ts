import { jest } from '@jest/globals';
import { getQueueToken } from '@nestjs/bull';
import type { Queue } from 'bull';
import type { Response } from 'supertest';
import { Clock } from '../src/common/clock.js';
import { REPORTS_QUEUE } from '../src/jobs/queues.js';
import { ReportJobs } from '../src/jobs/report-jobs.service.js';
import { BulletinsService } from '../src/reports/bulletin/bulletins.service.js';
import { extractDocxText } from '../src/reports/bulletin/docx-text.js';
import { as, buildLoopWorld, type LoopWorld } from './support/fixtures.js';
import { eventually } from './support/processes.js';
import { binary } from './support/binary.js';
import { createTestApp, type TestApp } from './support/test-app.js';

interface Paragraph {
  key: string;
  text: string;
  generatedText: string;
  edited: boolean;
  origin: 'generated' | 'office';
}

interface Bulletin {
  id: string;
  issueNumber: number;
  issueDate: string;
  periodStart: string;
  periodEnd: string;
  status: string;
  version: number;
  publishedBy: { id: string; name: string } | null;
  publishedAt: string | null;
  sections: { key: string; heading: string; paragraphs: Paragraph[] }[];
  staleEdits: { key: string; text: string }[];
}

/** A Beijing wall-clock time as an instant. */
const bj = (local: string): Date => new Date(`${local.replace(' ', 'T')}:00+08:00`);

describe('the 快报 (bulletins) over HTTP', () => {
  let t: TestApp;
  let w: LoopWorld;
  let yongding: string;
  let parkingCategory: string;
  let inspectionA: string;
  let inspectionD: string;
  let meetingB: string;
  let laterInspection: string;
  let lastWeekMeeting: string;
  let first: Bulletin;

  const admin = () => as(t, w.admin.token);
  const inspector = () => as(t, w.inspector.token);
  const put = (path: string, body: object, token = w.admin.token) =>
    t.http().put(`/api/v1${path}`).set('authorization', `Bearer ${token}`).send(body);

  async function createTask(unitId: string, categoryId: string): Promise<string> {
    const res = await admin().post('/tasks', {
      categoryId,
      address: '新桥大街12号',
      description: '测试问题',
      unitId,
    });
    expect(res.status).toBe(201);
    return res.body.id as string;
  }

  async function close(taskId: string, at: Date): Promise<void> {
    await t.ds.query(
      `UPDATE tasks SET status = 'closed', closed_at = $2, closed_on_time = true WHERE id = $1`,
      [taskId, at],
    );
  }

  async function inspection(body: object): Promise<{ id: string; taskIds: string[] }> {
    const res = await inspector().post('/inspections', body);
    expect(res.status).toBe(201);
    return res.body as { id: string; taskIds: string[] };
  }

  beforeAll(async () => {
    t = await createTestApp();
    w = await buildLoopWorld(t);
    yongding = (await t.createUnit('永定镇')).id;
    await t.ds.query(
      `UPDATE units SET sort_order = CASE id WHEN $1 THEN 1 WHEN $2 THEN 2 ELSE 3 END`,
      [w.unitA.unitId, w.unitB.unitId],
    );
    const [parking] = (await t.ds.query(
      `INSERT INTO categories (code, name, bulletin_name, group_name, measure_word, deadline_rule)
       VALUES ('JX01', '机动车乱停放', '停车秩序', '街面秩序', '起', '{"kind":"work_days","days":1}') RETURNING id`,
    )) as { id: string }[];
    parkingCategory = parking.id;

    // The week of 2026-11-09 … 2026-11-15: two inspections and a meeting, and two outside it.
    const a = await inspection({
      kind: 'inspection',
      activity: '公园广场创城督导检查',
      leadPersons: ['王建华'],
      accompanying: ['朱峰', '朱凯'],
      heldOn: '2026-11-10',
      location: '永定镇',
      target: '公园广场',
      focus: '环境卫生、秩序管理',
      participatingUnitIds: [yongding, w.unitA.unitId],
      siteIds: [w.siteNoUnit, w.siteA],
      requirements: [
        { heading: '提高站位，强化担当', body: '坚持高标准站位，对标测评指标逐项自查自改' },
        {
          heading: '压实责任，抓好落实',
          body: '属地街镇要建立问题台账，明确整改时限，确保立行立改',
        },
      ],
      source: '本刊',
      tasks: [1, 2, 3].map((n) => ({
        categoryId: w.categoryId,
        siteId: w.siteA,
        description: `${n}单元楼道堆物`,
      })),
    });
    inspectionA = a.id;
    expect(a.taskIds).toHaveLength(3);
    // Two of its three problems are fixed in the week; the third later, after 673's period.
    await close(a.taskIds[0], bj('2026-11-11 10:00'));
    await close(a.taskIds[1], bj('2026-11-11 10:00'));
    await close(a.taskIds[2], bj('2026-11-19 10:00'));

    const d = await inspection({
      kind: 'inspection',
      activity: '农贸市场督导检查',
      leadPersons: ['王建华'],
      heldOn: '2026-11-12',
      location: '城子街道',
      participatingUnitIds: [w.unitB.unitId],
      requirements: [{ heading: '加强日常巡查', body: '' }],
      source: '城子街道',
      tasks: [{ categoryId: w.categoryId, address: '城子大街', description: '误报' }],
    });
    inspectionD = d.id;
    // Its only task was a mistake: cancelled tasks are not problems found.
    await t.ds.query(`UPDATE tasks SET status = 'cancelled', cancelled_at = $2 WHERE id = $1`, [
      d.taskIds[0],
      bj('2026-11-12 18:00'),
    ]);

    meetingB = (
      await inspection({
        kind: 'meeting',
        activity: '创城重点点位整改调度会',
        leadPersons: ['李明'],
        accompanying: ['赵刚'],
        heldOn: '2026-11-09',
        location: '区创城办',
        participatingUnitIds: [w.unitA.unitId, w.unitB.unitId],
        requirements: [{ heading: '立行立改', body: '对督导发现的问题逐一销号' }],
      })
    ).id;
    laterInspection = (
      await inspection({
        kind: 'inspection',
        activity: '背街小巷督导检查',
        leadPersons: ['王建华'],
        heldOn: '2026-11-16',
        location: '东辛房街道',
      })
    ).id;
    lastWeekMeeting = (
      await inspection({
        kind: 'meeting',
        activity: '上周的会',
        leadPersons: ['王建华'],
        heldOn: '2026-11-08',
        location: '区创城办',
      })
    ).id;

    // Closed in the week: 东辛房 2 楼道堆物 (above) + 3 停车秩序, 城子 3 小广告, 永定镇 1.
    for (const _ of [1, 2, 3]) {
      await close(await createTask(w.unitA.unitId, parkingCategory), bj('2026-11-13 15:00'));
    }
    await close(await createTask(w.unitB.unitId, w.selfCloseCategoryId), bj('2026-11-12 09:00'));
    await close(await createTask(w.unitB.unitId, w.selfCloseCategoryId), bj('2026-11-12 09:30'));
    // Sunday 23:30 in Beijing (15:30 UTC) is still in the week …
    await close(await createTask(w.unitB.unitId, w.selfCloseCategoryId), bj('2026-11-15 23:30'));
    // … Monday 00:30 is not.
    await close(await createTask(w.unitB.unitId, w.selfCloseCategoryId), bj('2026-11-16 00:30'));
    await close(await createTask(yongding, w.categoryId), bj('2026-11-14 11:00'));
    // Open work is not in 综合整治.
    await createTask(yongding, w.categoryId);
  });
  afterAll(() => t.close());

  it('drafts issue 672 for the seeded week, paragraph by paragraph as the office writes it', async () => {
    const res = await admin().post('/bulletins', {
      periodStart: '2026-11-09',
      periodEnd: '2026-11-15',
      issueDate: '2026-11-16',
    });
    expect(res.status).toBe(201);
    first = res.body as Bulletin;
    expect(first).toMatchObject({
      issueNumber: 672,
      issueDate: '2026-11-16',
      periodStart: '2026-11-08T16:00:00.000Z',
      periodEnd: '2026-11-15T16:00:00.000Z',
      status: 'draft',
      version: 1,
      publishedBy: null,
      staleEdits: [],
    });
    const [dispatch, brief] = first.sections;
    expect(dispatch.heading).toBe('指挥调度');
    // Lead rank (王建华 is 1 in config/bulletin.json, 李明 unranked), then date.
    expect(dispatch.paragraphs.map((p) => p.key)).toEqual([inspectionA, inspectionD, meetingB]);
    expect(dispatch.paragraphs.map((p) => p.text)).toEqual([
      '王建华10日到永定镇开展公园广场创城督导检查，朱峰、朱凯，永定镇、东辛房街道相关负责同志参加。' +
        '先后查看了永定楼公园、西山社区等公园广场，重点检查了环境卫生、秩序管理情况。' +
        '检查发现问题3处，已整改2处。' +
        '要求：**一要提高站位，强化担当。**坚持高标准站位，对标测评指标逐项自查自改。' +
        '**二要压实责任，抓好落实。**属地街镇要建立问题台账，明确整改时限，确保立行立改。（本刊）',
      '王建华12日到城子街道开展农贸市场督导检查，城子街道相关负责同志参加。' +
        '要求：**一要加强日常巡查。**（城子街道）',
      '李明9日召开创城重点点位整改调度会，赵刚参加。东辛房街道、城子街道负责同志参会。' +
        '会议要求：**一要立行立改。**对督导发现的问题逐一销号。（本刊）',
    ]);
    expect(dispatch.paragraphs.every((p) => !p.edited && p.text === p.generatedText)).toBe(true);
    expect(brief.heading).toBe('简讯');
    expect(brief.paragraphs).toEqual([
      {
        key: 'comprehensive_rectification:东辛房街道',
        text:
          '**【综合整治】东辛房街道：**近日，开展环境秩序综合整治，' +
          '整治停车秩序问题3起、楼道堆物问题2处。**城子街道、永定镇**也开展了相关工作。',
        generatedText:
          '**【综合整治】东辛房街道：**近日，开展环境秩序综合整治，' +
          '整治停车秩序问题3起、楼道堆物问题2处。**城子街道、永定镇**也开展了相关工作。',
        edited: false,
        origin: 'generated',
      },
    ]);
    const [row] = await t.ds.query(
      `SELECT issue_number, status, created_by, jsonb_array_length(generated) AS sections, edited
         FROM bulletins WHERE id = $1`,
      [first.id],
    );
    expect(row).toEqual({
      issue_number: 672,
      status: 'draft',
      created_by: w.admin.id,
      sections: 2,
      edited: {},
    });
  });

  it('gives the same text for the same period when regenerated', async () => {
    const res = await admin().post(`/bulletins/${first.id}/regenerate`, { version: 1 });
    expect(res.status).toBe(200);
    expect(res.body.version).toBe(2);
    expect(res.body.sections).toEqual(first.sections);
    first = res.body as Bulletin;
  });

  it('numbers the next issues on, with contiguous periods', async () => {
    const second = await admin().post('/bulletins', { periodEnd: '2026-11-18T12:00:00+08:00' });
    expect(second.status).toBe(201);
    expect(second.body).toMatchObject({
      issueNumber: 673,
      periodStart: first.periodEnd,
      periodEnd: '2026-11-18T04:00:00.000Z',
    });
    // The Monday 00:30 closure and the Monday inspection belong here, not to 672.
    const [dispatch, brief] = (second.body as Bulletin).sections;
    expect(dispatch.paragraphs.map((p) => p.key)).toEqual([laterInspection]);
    expect(brief.paragraphs.map((p) => p.text)).toEqual([
      '**【综合整治】城子街道：**近日，开展环境秩序综合整治，整治非法小广告问题1条。',
    ]);

    // No period given: from the last issue's end to the end of today (so today's inspections are
    // in it). "Now" is pinned so that the period stays short (a period over asyncGenerationDays
    // would be generated by a job) whenever this runs.
    const pinnedNow = new Date('2026-11-22T09:30:00Z');
    const clock = jest.spyOn(t.app.get(Clock), 'now').mockReturnValue(pinnedNow);
    let third: Response;
    try {
      third = await admin().post('/bulletins', {});
    } finally {
      clock.mockRestore();
    }
    expect(third.status).toBe(201);
    expect(third.body.issueNumber).toBe(674);
    expect(third.body.periodStart).toBe(second.body.periodEnd);
    expect(third.body.periodEnd).toBe('2026-11-22T16:00:00.000Z');

    const page1 = await inspector().get('/bulletins?limit=2');
    expect(page1.status).toBe(200);
    expect(page1.body.items.map((b: Bulletin) => b.issueNumber)).toEqual([674, 673]);
    expect(page1.body.items[0]).not.toHaveProperty('sections');
    const page2 = await inspector().get(`/bulletins?limit=2&cursor=${page1.body.nextCursor}`);
    expect(page2.body).toMatchObject({ items: [{ issueNumber: 672 }], nextCursor: null });
    const drafts = await inspector().get('/bulletins?status=published');
    expect(drafts.body.items).toEqual([]);
  });

  it('gives concurrent drafts distinct, consecutive numbers', async () => {
    // Two periods, one after the other (two default drafts on one day: the second finds the
    // day taken, as it should).
    const results = await Promise.all([
      admin().post('/bulletins', { periodStart: '2026-11-23', periodEnd: '2026-11-24' }),
      admin().post('/bulletins', { periodStart: '2026-11-25', periodEnd: '2026-11-26' }),
    ]);
    expect(results.map((r) => r.status)).toEqual([201, 201]);
    const drafts = results
      .map((r) => r.body as Bulletin)
      .sort((a, b) => a.issueNumber - b.issueNumber);
    expect(drafts.map((b) => b.issueNumber).sort()).toEqual([675, 676]);
    const rows = await t.ds.query('SELECT issue_number FROM bulletins ORDER BY issue_number');
    expect(rows.map((r: { issue_number: number }) => r.issue_number)).toEqual([
      672, 673, 674, 675, 676,
    ]);
  });

  it('refuses a period that overlaps an issue, and an end after today, taking no number', async () => {
    for (const body of [
      { periodStart: '2026-11-09', periodEnd: '2026-11-15' },
      { periodStart: '2026-11-14', periodEnd: '2026-11-16' },
      { periodStart: '2026-11-01', periodEnd: '2026-11-30' },
    ]) {
      const res = await admin().post('/bulletins', body);
      expect({ body, status: res.status, code: res.body.code }).toEqual({
        body,
        status: 409,
        code: 'BULLETIN_PERIOD_OVERLAP',
      });
      expect(res.body.errors[0].field).toBe('periodStart');
    }
    // Before every issue so far, so only the end is wrong.
    const future = await admin().post('/bulletins', {
      periodStart: '2026-01-01',
      periodEnd: '2099-06-30',
    });
    expect(future.status).toBe(400);
    expect(future.body.errors[0]).toMatchObject({ field: 'periodEnd', code: 'notFuture' });
    const rows = await t.ds.query('SELECT max(issue_number)::int AS n FROM bulletins');
    expect(rows).toEqual([{ n: 676 }]);
  });

  it('replaces a paragraph, keeping both texts, and checks the version', async () => {
    const edited = '李明9日主持召开创城重点点位整改调度会，部署下一阶段整改工作。（本刊）';
    const res = await put(`/bulletins/${first.id}/paragraphs/${meetingB}`, {
      text: `  ${edited}\n`,
      version: first.version,
    });
    expect(res.status).toBe(200);
    const paragraph = (res.body as Bulletin).sections[0].paragraphs.find((p) => p.key === meetingB);
    expect(paragraph).toEqual({
      key: meetingB,
      text: edited,
      generatedText: first.sections[0].paragraphs[2].text,
      edited: true,
      origin: 'generated',
    });
    expect(res.body.version).toBe(first.version + 1);

    const stale = await put(`/bulletins/${first.id}/paragraphs/${meetingB}`, {
      text: '又改了',
      version: first.version,
    });
    expect(stale.status).toBe(409);
    expect(stale.body).toMatchObject({
      code: 'VERSION_CONFLICT',
      currentVersion: first.version + 1,
    });

    const missing = await put(`/bulletins/${first.id}/paragraphs/no-such-paragraph`, {
      text: 'x',
      version: first.version + 1,
    });
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe('PARAGRAPH_NOT_FOUND');

    const key = encodeURIComponent('comprehensive_rectification:东辛房街道');
    await put(
      `/bulletins/${first.id}/paragraphs/${key}`,
      { text: 'x', version: 2 },
      w.inspector.token,
    ).expect(403);
    const empty = await put(`/bulletins/${first.id}/paragraphs/${key}`, {
      text: ' \n ',
      version: 2,
    });
    expect(empty.status).toBe(400);

    const [row] = await t.ds.query('SELECT generated, edited FROM bulletins WHERE id = $1', [
      first.id,
    ]);
    expect(row.edited).toEqual({ [meetingB]: edited });
    expect(row.generated[0].paragraphs[2].text).toBe(first.sections[0].paragraphs[2].text);
    first = res.body as Bulletin;
  });

  it('takes the version as If-Match too, as tasks do: a stale one writes nothing', async () => {
    const stored = async () =>
      (await t.ds.query(
        `SELECT version, status, edited, generated, published_at, updated_at FROM bulletins WHERE id = $1`,
        [first.id],
      )) as unknown[];
    const before = await stored();
    const stale = `"${first.version - 1}"`;
    const editStale = await put(`/bulletins/${first.id}/paragraphs/${meetingB}`, {
      text: '过期的修改',
    }).set('if-match', stale);
    const publishStale = await admin()
      .post(`/bulletins/${first.id}/publish`)
      .set('if-match', stale);
    const regenerateStale = await admin()
      .post(`/bulletins/${first.id}/regenerate`)
      .set('if-match', stale);
    for (const res of [editStale, publishStale, regenerateStale]) {
      expect(res.status).toBe(409);
      expect(res.body).toMatchObject({
        code: 'VERSION_CONFLICT',
        detail: '快报已被他人更新，请刷新后重试',
        currentVersion: first.version,
      });
    }
    expect(await stored()).toEqual(before);
    const garbled = await admin().post(`/bulletins/${first.id}/publish`).set('if-match', 'v3');
    expect(garbled.status).toBe(400);
    expect(await stored()).toEqual(before);

    // The current version as If-Match (weak or strong form): the same edit, then a regeneration.
    const text = first.sections[0].paragraphs.find((p) => p.key === meetingB)!.text;
    const edit = await put(`/bulletins/${first.id}/paragraphs/${meetingB}`, { text }).set(
      'if-match',
      `W/"${first.version}"`,
    );
    expect(edit.status).toBe(200);
    expect(edit.body.version).toBe(first.version + 1);
    const regenerated = await admin()
      .post(`/bulletins/${first.id}/regenerate`)
      .set('if-match', `"${first.version + 1}"`);
    expect(regenerated.status).toBe(200);
    expect(regenerated.body).toMatchObject({ status: 'draft', version: first.version + 2 });
    const [row] = (await t.ds.query('SELECT version, edited FROM bulletins WHERE id = $1', [
      first.id,
    ])) as { version: number; edited: object }[];
    expect(row).toEqual({ version: first.version + 2, edited: { [meetingB]: text } });
    expect(regenerated.body.sections).toEqual(first.sections);
    first = regenerated.body as Bulletin;
  });

  it('renders Markdown with the edit in place', async () => {
    const res = await inspector().get(`/bulletins/${first.id}?format=markdown`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/markdown; charset=utf-8/);
    const blocks = res.text.split('\n\n');
    expect(blocks.slice(0, 5)).toEqual([
      '# 门头沟区创建全国文明城市 工作快报',
      '第672期',
      '门头沟区创建全国文明城市工作领导小组办公室',
      '2026年11月16日',
      '## 【指挥调度】',
    ]);
    expect(blocks[5]).toBe(first.sections[0].paragraphs[0].text);
    expect(blocks[7]).toBe('李明9日主持召开创城重点点位整改调度会，部署下一阶段整改工作。（本刊）');
    expect(blocks[8]).toBe('## 【简讯】');
    expect(res.text).toContain('编校：李国栋      审核：张东辉      核签：李争三');
    expect(res.text).not.toContain('李明9日召开');
  });

  it('downloads a Word document whose text reads back', async () => {
    const res = await inspector()
      .get(`/bulletins/${first.id}?format=docx`)
      .buffer(true)
      .parse(binary);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe(
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    );
    expect(res.headers['content-disposition']).toBe(
      `attachment; filename="bulletin-672.docx"; filename*=UTF-8''${encodeURIComponent('快报第672期.docx')}`,
    );
    const lines = (await extractDocxText(res.body as Buffer)).split('\n');
    expect(lines.slice(0, 4)).toEqual([
      '门头沟区创建全国文明城市',
      '工作快报',
      '第672期',
      '门头沟区创建全国文明城市工作领导小组办公室\t2026年11月16日',
    ]);
    expect(lines).toContain('【指挥调度】');
    // Bold markers are formatting in Word, not text.
    expect(lines[5]).toContain('要求：一要提高站位，强化担当。坚持高标准站位');
    expect(lines).toContain(
      '李明9日主持召开创城重点点位整改调度会，部署下一阶段整改工作。（本刊）',
    );
    expect(lines.slice(-4)).toEqual([
      '编校：李国栋      审核：张东辉      核签：李争三',
      '报：首都文明办、区委、区人大、区政府、区政协领导同志',
      '发：全区各单位主要领导、创城工作主管领导、信息员',
      '电子邮箱：mtgccbxcz@bjmtg.gov.cn      电话：69822006',
    ]);
  });

  it('publishes: records who and when, then refuses every change', async () => {
    await inspector()
      .post(`/bulletins/${first.id}/publish`, { version: first.version })
      .expect(403);
    const res = await admin().post(`/bulletins/${first.id}/publish`, { version: first.version });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      status: 'published',
      version: first.version + 1,
      publishedBy: { id: w.admin.id },
    });
    expect(Date.now() - Date.parse(res.body.publishedAt)).toBeLessThan(60_000);
    const version = res.body.version as number;

    const edit = await put(`/bulletins/${first.id}/paragraphs/${inspectionA}`, {
      text: '改',
      version,
    });
    expect(edit.status).toBe(409);
    expect(edit.body.code).toBe('BULLETIN_PUBLISHED');
    const again = await admin().post(`/bulletins/${first.id}/publish`, { version });
    expect(again.body.code).toBe('BULLETIN_PUBLISHED');
    const regenerate = await admin().post(`/bulletins/${first.id}/regenerate`, { version });
    expect(regenerate.status).toBe(409);
    expect(regenerate.body.code).toBe('BULLETIN_PUBLISHED');

    const [row] = await t.ds.query(
      'SELECT status, published_by, published_at, version, edited FROM bulletins WHERE id = $1',
      [first.id],
    );
    expect(row).toMatchObject({ status: 'published', published_by: w.admin.id, version });
    expect(Object.keys(row.edited)).toEqual([meetingB]);
    const published = await inspector().get('/bulletins?status=published');
    expect(published.body.items.map((b: Bulletin) => b.issueNumber)).toEqual([672]);
  });

  it('answers bad input with a 400 naming the field, never a 500', async () => {
    const cases: [object, string][] = [
      [{ periodStart: 'last monday' }, 'periodStart'],
      [{ periodEnd: '2026-02-30' }, 'periodEnd'],
      [{ periodStart: '2026-11-20', periodEnd: '2026-11-19' }, 'periodEnd'],
      [{ issueDate: '2026-11-31' }, 'issueDate'],
      [{ issueNumber: 1 }, 'issueNumber'],
    ];
    for (const [body, field] of cases) {
      const res = await admin().post('/bulletins', body);
      expect({ field, status: res.status }).toEqual({ field, status: 400 });
      expect(res.body.errors[0].field).toBe(field);
    }
    expect((await admin().get('/bulletins/not-a-uuid')).status).toBe(400);
    expect((await admin().get(`/bulletins/${first.id}?format=pdf`)).status).toBe(400);
    expect((await admin().get('/bulletins?cursor=zzz')).status).toBe(400);
    const unknown = await admin().get('/bulletins/00000000-0000-4000-8000-000000000000');
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe('BULLETIN_NOT_FOUND');
    const noVersion = await admin().post(`/bulletins/${first.id}/publish`, {});
    expect(noVersion.status).toBe(400);
    expect(noVersion.body.errors[0].field).toBe('version');
  });

  it('is for the office and inspectors only', async () => {
    const unit = as(t, w.unitA.token);
    expect((await unit.get('/bulletins')).status).toBe(403);
    expect((await unit.get(`/bulletins/${first.id}`)).status).toBe(403);
    expect((await inspector().post('/bulletins', {})).status).toBe(403);
    expect((await inspector().get(`/bulletins/${first.id}`)).status).toBe(200);
  });

  describe('a period longer than asyncGenerationDays (31 in config/bulletin.json)', () => {
    // 2026-10-01 … 2026-11-15: 46 days, ending where issue 672 ends.
    const LONG = { periodStart: '2026-10-01', periodEnd: '2026-11-15', issueDate: '2026-11-16' };
    let longId: string;

    // Periods may not overlap, and LONG covers issue 672's week (and each test drafts it anew):
    // the issues in its way are moved ten years back, out of every period drafted here.
    async function makeRoomForLong(): Promise<void> {
      await t.ds.query(
        `UPDATE bulletins SET period_start = period_start - interval '10 years',
                              period_end = period_end - interval '10 years'
          WHERE period_start < '2026-11-15T16:00:00Z' AND period_end > '2026-09-30T16:00:00Z'`,
      );
    }

    const reportsQueue = (): Queue => t.app.get<Queue>(getQueueToken(REPORTS_QUEUE));

    async function untilDraft(id: string): Promise<Bulletin> {
      let latest: Bulletin | undefined;
      await eventually(
        async () => {
          const res = await inspector().get(`/bulletins/${id}`);
          expect(res.status).toBe(200);
          latest = res.body as Bulletin;
          return latest.status === 'draft';
        },
        20_000,
        `bulletin ${id} to be generated`,
      );
      return latest as Bulletin;
    }

    it('answers 202 with a Location, is generated by the job, and refuses changes meanwhile', async () => {
      // The test app (APP_ROLE all) runs the reports processor itself; it is held until the
      // bulletin has been seen generating, so the 409s below do not race the job.
      await reportsQueue().pause(true);
      try {
        await makeRoomForLong();
        const res = await admin().post('/bulletins', LONG);
        expect(res.status).toBe(202);
        longId = res.body.id as string;
        expect(res.headers.location).toBe(`/api/v1/bulletins/${longId}`);
        expect(res.body).toMatchObject({
          issueNumber: 677,
          periodStart: '2026-09-30T16:00:00.000Z',
          periodEnd: '2026-11-15T16:00:00.000Z',
          status: 'generating',
          version: 1,
          sections: [],
          staleEdits: [],
        });

        const polled = await inspector().get(`/bulletins/${longId}`);
        expect(polled.body).toMatchObject({ status: 'generating', version: 1, sections: [] });
        const edit = await put(`/bulletins/${longId}/paragraphs/${inspectionA}`, {
          text: '改',
          version: 1,
        });
        expect([edit.status, edit.body.code]).toEqual([409, 'BULLETIN_GENERATING']);
        const publish = await admin().post(`/bulletins/${longId}/publish`, { version: 1 });
        expect([publish.status, publish.body.code]).toEqual([409, 'BULLETIN_GENERATING']);
        const markdown = await inspector().get(`/bulletins/${longId}?format=markdown`);
        expect([markdown.status, markdown.body.code]).toEqual([409, 'BULLETIN_GENERATING']);
        const [row] = await t.ds.query(
          'SELECT status, version, published_at, edited FROM bulletins WHERE id = $1',
          [longId],
        );
        expect(row).toEqual({ status: 'generating', version: 1, published_at: null, edited: {} });

        // Regenerating a generating issue queues it again (the way out of a lost job); the first
        // job, still waiting, will find the version moved on.
        const again = await admin().post(`/bulletins/${longId}/regenerate`, { version: 1 });
        expect(again.status).toBe(202);
        expect(again.body).toMatchObject({ status: 'generating', version: 2 });
      } finally {
        await reportsQueue().resume(true);
      }

      const done = await untilDraft(longId);
      expect(done.version).toBe(3);
      const [dispatch, brief] = done.sections;
      // Lead rank then date: 王建华's three (the 8th's meeting is in this period), then 李明's.
      expect(dispatch.paragraphs.map((p) => p.key)).toEqual([
        lastWeekMeeting,
        inspectionA,
        inspectionD,
        meetingB,
      ]);
      expect(dispatch.paragraphs[0].text).toMatch(/^王建华8日召开上周的会/);
      // Nothing else happened before the 9th: the rest reads as issue 672 generated it.
      expect(dispatch.paragraphs.slice(1).map((p) => p.text)).toEqual(
        first.sections[0].paragraphs.map((p) => p.generatedText),
      );
      expect(brief.paragraphs.map((p) => p.text)).toEqual(
        first.sections[1].paragraphs.map((p) => p.generatedText),
      );

      // Another run of either job (a redelivery) changes nothing.
      const bulletins = t.app.get(BulletinsService);
      expect(await bulletins.completeGeneration(longId, 1)).toBe('skipped');
      expect(await bulletins.completeGeneration(longId, 2)).toBe('skipped');
      const [row] = await t.ds.query(
        'SELECT status, version, jsonb_array_length(generated) AS sections FROM bulletins WHERE id = $1',
        [longId],
      );
      expect(row).toEqual({ status: 'draft', version: 3, sections: 2 });
    });

    it('regenerates a long period in a job too, keeping edits', async () => {
      const edited = '李明9日召开调度会。（本刊）';
      const edit = await put(`/bulletins/${longId}/paragraphs/${meetingB}`, {
        text: edited,
        version: 3,
      });
      expect(edit.status).toBe(200);
      const res = await admin().post(`/bulletins/${longId}/regenerate`, { version: 4 });
      expect(res.status).toBe(202);
      expect(res.headers.location).toBe(`/api/v1/bulletins/${longId}`);
      expect(res.body).toMatchObject({ status: 'generating', version: 5 });

      const done = await untilDraft(longId);
      expect(done.version).toBe(6);
      const paragraph = done.sections[0].paragraphs.find((p) => p.key === meetingB);
      expect(paragraph).toMatchObject({ text: edited, edited: true });
      expect(done.staleEdits).toEqual([]);
    });

    it('generates inline (201) when Redis cannot take the job', async () => {
      // Redis not connected: nothing is queued, the draft is written within the request.
      const jobs = t.app.get(ReportJobs);
      const down = jest.spyOn(jobs, 'canEnqueue').mockReturnValue(false);
      try {
        await makeRoomForLong();
        const res = await admin().post('/bulletins', LONG);
        expect(res.status).toBe(201);
        expect(res.headers.location).toBeUndefined();
        expect(res.body).toMatchObject({ issueNumber: 678, status: 'draft', version: 1 });
        expect(res.body.sections[0].paragraphs).toHaveLength(4);
      } finally {
        down.mockRestore();
      }

      // Connected at the check, but the add fails: the committed issue is generated inline
      // rather than left waiting for a job that will not come.
      const add = jest
        .spyOn(reportsQueue(), 'add')
        .mockRejectedValueOnce(new Error('connection lost') as never);
      try {
        await makeRoomForLong();
        const res = await admin().post('/bulletins', LONG);
        expect(add).toHaveBeenCalledTimes(1);
        expect(res.status).toBe(201);
        expect(res.body).toMatchObject({ issueNumber: 679, status: 'draft', version: 2 });
        expect(res.body.sections[0].paragraphs).toHaveLength(4);
      } finally {
        add.mockRestore();
      }
    });
  });
});
