import { jest } from '@jest/globals';
import type { Response } from 'supertest';
import { Clock } from '../src/common/clock.js';
import { readZipEntry } from '../src/reports/bulletin/docx-text.js';
import { buildLoopWorld, type LoopWorld } from './support/fixtures.js';
import { binary } from './support/binary.js';
import { createTestApp, type TestApp } from './support/test-app.js';

/**
 * The office shapes an issue (issue 14): adds, deletes and reorders paragraphs and sections,
 * changes a draft's period, withdraws a draft, sets the next number, edits the letterhead per
 * issue and its defaults. Every test reads back what the database holds; the clock is pinned,
 * so "today" is a known day.
 */

interface Paragraph {
  key: string;
  text: string;
  generatedText: string;
  edited: boolean;
  origin: 'generated' | 'office';
}
interface Section {
  key: string;
  heading: string;
  origin: 'generated' | 'office';
  paragraphs: Paragraph[];
}
interface Bulletin {
  id: string;
  issueNumber: number;
  periodStart: string;
  periodEnd: string;
  status: string;
  version: number;
  sections: Section[];
  letterhead: Record<string, string>;
  letterheadOverrides: string[];
  withdrawal: { by: { name: string }; reason: string } | null;
}

const bj = (local: string): Date => new Date(`${local.replace(' ', 'T')}:00+08:00`);

/** The paragraphs of word/document.xml as plain text, in order. */
function docxParagraphs(docx: Buffer): string[] {
  const xml = readZipEntry(docx, 'word/document.xml').toString('utf8');
  return [...xml.matchAll(/<w:p[ >][\s\S]*?<\/w:p>/g)]
    .map((m) =>
      [...m[0].matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)]
        .map((t) => t[1])
        .join('')
        .replace(/&amp;/g, '&')
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
        .replace(/&quot;/g, '"')
        .replace(/&apos;/g, "'"),
    )
    .filter((text) => text.trim() !== '');
}

/** Requests as a signed-in user, with every method the shaping routes use. */
function asUser(t: TestApp, token: string) {
  const auth = { authorization: `Bearer ${token}` };
  return {
    get: (path: string) => t.http().get(`/api/v1${path}`).set(auth),
    post: (path: string, body: object = {}) => t.http().post(`/api/v1${path}`).set(auth).send(body),
    put: (path: string, body: object = {}) => t.http().put(`/api/v1${path}`).set(auth).send(body),
    delete: (path: string) => t.http().delete(`/api/v1${path}`).set(auth),
  };
}

/** The visible text of a paragraph: `**…**` marks dropped. */
const plain = (text: string): string => text.replace(/\*\*/g, '');

describe('shaping the 快报 (bulletin-shaping)', () => {
  let t: TestApp;
  let w: LoopWorld;
  let now: Date;
  let clock: ReturnType<typeof jest.spyOn>;
  let todayInspection: string;
  let earlierInspection: string;
  let issue672: Bulletin;

  const admin = () => asUser(t, w.admin.token);
  const ifMatch = (version: number) => `"${version}"`;
  const row = async (id: string) =>
    (
      (await t.ds.query(
        `SELECT issue_number, status, version, shape, edited, letterhead, period_start, period_end,
                withdrawal_reason, withdrawn_by
           FROM bulletins WHERE id = $1`,
        [id],
      )) as Record<string, unknown>[]
    )[0];
  const events = async (action: string) =>
    (await t.ds.query(
      `SELECT bulletin_id, issue_number, action, actor_id, reason, data FROM bulletin_events
        WHERE action = $1 ORDER BY id`,
      [action],
    )) as Record<string, unknown>[];

  async function inspection(heldOn: string, activity: string): Promise<string> {
    const res = await asUser(t, w.inspector.token).post('/inspections', {
      kind: 'inspection',
      activity,
      leadPersons: ['王建华'],
      heldOn,
      location: '永定镇',
      participatingUnitIds: [w.unitA.unitId],
    });
    expect(res.status).toBe(201);
    return res.body.id as string;
  }

  beforeAll(async () => {
    t = await createTestApp();
    w = await buildLoopWorld(t);
    // Friday 2026-11-20, 15:00 in Beijing.
    now = bj('2026-11-20 15:00');
    clock = jest.spyOn(t.app.get(Clock), 'now').mockImplementation(() => now);
    earlierInspection = await inspection('2026-11-18', '公园广场创城督导检查');
    todayInspection = await inspection('2026-11-20', '农贸市场创城督导检查');
  });
  afterAll(async () => {
    clock.mockRestore();
    await t.close();
  });

  it('continues an existing series: the admin sets the next number with a reason, audit-logged', async () => {
    const noReason = await admin().put('/bulletin-settings/next-issue-number', {
      issueNumber: 672,
    });
    expect(noReason.status).toBe(400);
    expect(noReason.body.errors.map((e: { field: string }) => e.field)).toContain('reason');
    await asUser(t, w.inspector.token)
      .put('/bulletin-settings/next-issue-number', { issueNumber: 672, reason: 'x' })
      .expect(403);
    expect(await t.ds.query('SELECT * FROM bulletin_settings')).toEqual([]);

    const res = await admin().put('/bulletin-settings/next-issue-number', {
      issueNumber: 672,
      reason: '接续原有期号（已出至第671期）',
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ nextIssueNumber: 672, nextIssueNumberSet: 672 });
    const [settings] = await t.ds.query(
      'SELECT next_issue_number, updated_by FROM bulletin_settings',
    );
    expect(settings).toEqual({ next_issue_number: 672, updated_by: w.admin.id });
    expect(await events('next_issue_number')).toEqual([
      {
        bulletin_id: null,
        issue_number: 672,
        action: 'next_issue_number',
        actor_id: w.admin.id,
        reason: '接续原有期号（已出至第671期）',
        data: { from: 672, to: 672 },
      },
    ]);
  });

  it("drafts by default up to the end of today, so today's inspection is in it", async () => {
    const res = await admin().post('/bulletins', {});
    expect(res.status).toBe(201);
    issue672 = res.body as Bulletin;
    expect(issue672.issueNumber).toBe(672);
    const dispatch = issue672.sections.find((s) => s.key === 'command_dispatch')!;
    expect(dispatch.paragraphs.map((p) => p.key).sort()).toEqual(
      [earlierInspection, todayInspection].sort(),
    );
    const stored = await row(issue672.id);
    expect(stored).toMatchObject({ issue_number: 672, status: 'draft', shape: null });
    // The end of Friday in Beijing: 16:00 UTC, not "now" (07:00 UTC).
    expect((stored.period_end as Date).toISOString()).toBe('2026-11-20T16:00:00.000Z');
    expect((stored.period_start as Date).toISOString()).toBe('2026-11-13T16:00:00.000Z');
    expect(await events('create')).toHaveLength(1);
  });

  it('adds a section and paragraphs, deletes and reorders; the database holds the shape', async () => {
    let b = issue672;
    const step = async (res: Response, status = 200): Promise<Bulletin> => {
      expect({ status: res.status, body: res.status === status ? 'ok' : res.body }).toEqual({
        status,
        body: 'ok',
      });
      expect(res.body.version).toBe(b.version + 1);
      b = res.body as Bulletin;
      return b;
    };

    // 喜报 first, with a paragraph.
    await step(
      await admin()
        .post(`/bulletins/${b.id}/sections`, { heading: '【喜报】', afterKey: null })
        .set('if-match', ifMatch(b.version)),
      201,
    );
    const goodNews = b.sections[0];
    expect(goodNews).toMatchObject({ heading: '喜报', origin: 'office', paragraphs: [] });
    await step(
      await admin().post(`/bulletins/${b.id}/paragraphs`, {
        version: b.version,
        sectionKey: goodNews.key,
        text: '日前，中央文明办对2021年全国文明城市年度测评结果进行通报。我区排名第二。',
      }),
      201,
    );
    // A paragraph of the office's at the top of 指挥调度.
    await step(
      await admin().post(`/bulletins/${b.id}/paragraphs`, {
        version: b.version,
        sectionKey: 'command_dispatch',
        afterKey: null,
        text: '**王建华出席推进会** 区创城办召开创城工作推进会。（本刊）',
      }),
      201,
    );
    const meeting = b.sections[1].paragraphs[0];
    expect(meeting).toMatchObject({ origin: 'office', generatedText: '', edited: false });
    // Its text can be edited like any paragraph.
    await step(
      await admin()
        .put(`/bulletins/${b.id}/paragraphs/${encodeURIComponent(meeting.key)}`, {
          text: '**王建华出席推进会** 区创城办召开全区创城工作推进会。（本刊）',
        })
        .set('if-match', ifMatch(b.version)),
    );
    // The earlier inspection is deleted; today's goes after the meeting.
    await step(
      await admin()
        .delete(`/bulletins/${b.id}/paragraphs/${earlierInspection}`)
        .set('if-match', ifMatch(b.version)),
    );
    // 简讯 (empty: no task closed) goes before 指挥调度 … then back, with the order sent.
    const [gn, dispatch, brief] = b.sections;
    await step(
      await admin().put(`/bulletins/${b.id}/layout`, {
        version: b.version,
        sections: [
          { key: gn.key, paragraphs: gn.paragraphs.map((p) => p.key) },
          { key: brief.key, heading: '简 讯', paragraphs: [] },
          { key: dispatch.key, paragraphs: [todayInspection, meeting.key] },
        ],
      }),
    );
    expect(b.sections.map((s) => s.heading)).toEqual(['喜报', '简 讯', '指挥调度']);
    expect(b.sections[2].paragraphs.map((p) => p.key)).toEqual([todayInspection, meeting.key]);

    // An order that leaves a paragraph out is refused, naming the field; nothing written.
    const before = await row(b.id);
    const partial = await admin().put(`/bulletins/${b.id}/layout`, {
      version: b.version,
      sections: [
        { key: gn.key, paragraphs: [] },
        { key: brief.key, paragraphs: [] },
        { key: dispatch.key, paragraphs: [todayInspection, meeting.key] },
      ],
    });
    expect(partial.status).toBe(422);
    expect(partial.body.code).toBe('LAYOUT_MISMATCH');
    expect(partial.body.errors[0].field).toBe('sections');
    const unknown = await admin().put(`/bulletins/${b.id}/layout`, {
      version: b.version,
      sections: [{ key: 'nope', paragraphs: [] }],
    });
    expect(unknown.body.errors[0]).toMatchObject({ field: 'sections.0.key', code: 'layout' });
    const missingSection = await admin().post(`/bulletins/${b.id}/paragraphs`, {
      version: b.version,
      sectionKey: 'office:nope',
      text: '正文',
    });
    expect(missingSection.status).toBe(404);
    expect(missingSection.body.code).toBe('SECTION_NOT_FOUND');
    expect(await row(b.id)).toEqual(before);

    // What the database holds: the order, the deletion, the office's texts.
    const stored = await row(b.id);
    const shape = stored.shape as {
      sections: { key: string; heading: string; paragraphs: string[] }[];
      removed: string[];
      added: Record<string, string>;
    };
    expect(shape.sections.map((s) => [s.heading, s.paragraphs])).toEqual([
      ['喜报', [b.sections[0].paragraphs[0].key]],
      ['简 讯', []],
      ['指挥调度', [todayInspection, meeting.key]],
    ]);
    expect(shape.removed).toEqual([earlierInspection]);
    expect(shape.added[meeting.key]).toBe(
      '**王建华出席推进会** 区创城办召开全区创城工作推进会。（本刊）',
    );
    expect(stored.version).toBe(b.version);
    expect((await events('add_paragraph')).length).toBe(2);
    expect(await events('delete_paragraph')).toEqual([
      expect.objectContaining({ issue_number: 672, data: { key: earlierInspection } }),
    ]);

    // Regenerating keeps the shaping: the deleted inspection does not come back.
    const again = await admin().post(`/bulletins/${b.id}/regenerate`, { version: b.version });
    expect(again.status).toBe(200);
    expect((again.body as Bulletin).sections).toEqual(b.sections);
    issue672 = again.body as Bulletin;
  });

  it('edits the letterhead and footer of this issue only', async () => {
    const res = await admin()
      .put(`/bulletins/${issue672.id}/letterhead`, {
        editor: '王五',
        sendTo: '全区各单位主要领导、信息员',
        title: '门头沟区创建全国文明城市 工作快报（增刊）',
      })
      .set('if-match', ifMatch(issue672.version));
    expect(res.status).toBe(200);
    issue672 = res.body as Bulletin;
    expect(issue672.letterhead).toMatchObject({ editor: '王五', reviewer: '张东辉' });
    expect(issue672.letterheadOverrides).toEqual(['editor', 'sendTo', 'title']);
    expect((await row(issue672.id)).letterhead).toEqual({
      editor: '王五',
      sendTo: '全区各单位主要领导、信息员',
      title: '门头沟区创建全国文明城市 工作快报（增刊）',
    });
    const bad = await admin()
      .put(`/bulletins/${issue672.id}/letterhead`, { editor: '   ', approver: 'x'.repeat(31) })
      .set('if-match', ifMatch(issue672.version));
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'approver',
      'editor',
    ]);
  });

  it('publishes: Markdown and Word hold exactly those paragraphs in that order, with the letterhead', async () => {
    const res = await admin()
      .post(`/bulletins/${issue672.id}/publish`)
      .set('if-match', ifMatch(issue672.version));
    expect(res.status).toBe(200);
    issue672 = res.body as Bulletin;
    const expected = issue672.sections.flatMap((s) => s.paragraphs.map((p) => p.text));
    expect(expected).toHaveLength(3);

    const md = await admin().get(`/bulletins/${issue672.id}?format=markdown`);
    expect(md.status).toBe(200);
    const blocks = md.text.trim().split('\n\n');
    expect(blocks.slice(0, 2)).toEqual(['# 门头沟区创建全国文明城市 工作快报（增刊）', '第672期']);
    const headingsAndParagraphs = blocks.slice(4, blocks.indexOf('---'));
    expect(headingsAndParagraphs).toEqual([
      '## 【喜报】',
      expected[0],
      '## 【指挥调度】',
      expected[1],
      expected[2],
    ]);
    expect(md.text).toContain('编校：王五');
    expect(md.text).toContain('发：全区各单位主要领导、信息员');
    // The empty 简讯 is not printed as a bare heading.
    expect(md.text).not.toContain('简 讯');

    const docx = await admin()
      .get(`/bulletins/${issue672.id}?format=docx`)
      .buffer(true)
      .parse(binary);
    expect(docx.status).toBe(200);
    const lines = docxParagraphs(docx.body as Buffer);
    const printed = expected.map(plain);
    const positions = printed.map((text) => lines.indexOf(text));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    // Nothing else between the masthead and the footer but the two headings.
    const body = lines.slice(
      lines.indexOf('【喜报】'),
      lines.findIndex((l) => l.startsWith('编校')),
    );
    expect(body).toEqual(['【喜报】', printed[0], '【指挥调度】', printed[1], printed[2]]);
    expect(lines.join('\n')).toContain('王五');
    expect(lines.join('\n')).toContain('发：全区各单位主要领导、信息员');

    // The letterhead is frozen with the issue.
    expect((await row(issue672.id)).letterhead).toMatchObject({
      editor: '王五',
      reviewer: '张东辉',
      approver: '李争三',
    });
    expect(await events('publish')).toHaveLength(1);
  });

  it('a published issue is immutable: every change is 409 BULLETIN_PUBLISHED and writes nothing', async () => {
    const before = await row(issue672.id);
    const id = issue672.id;
    const v = ifMatch(issue672.version);
    const section = issue672.sections[0].key;
    const attempts = [
      admin()
        .post(`/bulletins/${id}/paragraphs`, { sectionKey: section, text: '再加一段' })
        .set('if-match', v),
      admin().delete(`/bulletins/${id}/paragraphs/${todayInspection}`).set('if-match', v),
      admin().post(`/bulletins/${id}/sections`, { heading: '简讯' }).set('if-match', v),
      admin()
        .delete(`/bulletins/${id}/sections/${encodeURIComponent(section)}`)
        .set('if-match', v),
      admin().put(`/bulletins/${id}/layout`, { sections: [] }).set('if-match', v),
      admin().put(`/bulletins/${id}/period`, { periodEnd: '2026-11-19' }).set('if-match', v),
      admin().put(`/bulletins/${id}/letterhead`, { editor: '赵六' }).set('if-match', v),
      admin().post(`/bulletins/${id}/withdrawal`, { reason: '撤回' }).set('if-match', v),
    ];
    for (const res of await Promise.all(attempts)) {
      expect({ status: res.status, code: res.body.code }).toEqual({
        status: 409,
        code: 'BULLETIN_PUBLISHED',
      });
    }
    expect(await row(id)).toEqual(before);
    // Later defaults do not rewrite it.
    const defaults = await admin().put('/bulletin-settings/letterhead', { reviewer: '孙七' });
    expect(defaults.status).toBe(200);
    const after = await admin().get(`/bulletins/${id}`);
    expect(after.body.letterhead.reviewer).toBe('张东辉');
    await admin().put('/bulletin-settings/letterhead', { reviewer: null }).expect(200);
  });

  it('a second office user cannot set the next number at or below a published issue', async () => {
    const other = await t.signIn('admin', { username: 'office2' });
    const before = await t.ds.query('SELECT next_issue_number, updated_by FROM bulletin_settings');
    const eventsBefore = (await events('next_issue_number')).length;
    for (const issueNumber of [600, 672]) {
      const res = await asUser(t, other.token).put('/bulletin-settings/next-issue-number', {
        issueNumber,
        reason: '重新编号',
      });
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('ISSUE_NUMBER_NOT_AFTER_PUBLISHED');
      expect(res.body.errors[0].field).toBe('issueNumber');
    }
    expect(await t.ds.query('SELECT next_issue_number, updated_by FROM bulletin_settings')).toEqual(
      before,
    );
    expect(await events('next_issue_number')).toHaveLength(eventsBefore);
  });

  it('changes a draft’s period and regenerates, keeping the office’s paragraphs and deletions', async () => {
    now = bj('2026-11-27 10:00');
    const wed = await inspection('2026-11-25', '背街小巷创城督导检查');
    const thu = await inspection('2026-11-26', '社区创城督导检查');
    const res = await admin().post('/bulletins', {});
    expect(res.status).toBe(201);
    let b = res.body as Bulletin;
    expect(b.issueNumber).toBe(673);
    expect(b.periodStart).toBe('2026-11-20T16:00:00.000Z');
    expect(b.sections[0].paragraphs.map((p) => p.key).sort()).toEqual([wed, thu].sort());
    b = (
      await admin()
        .post(`/bulletins/${b.id}/paragraphs`, {
          sectionKey: 'command_dispatch',
          text: '区创城办召开调度会。（本刊）',
        })
        .set('if-match', ifMatch(b.version))
    ).body as Bulletin;
    const office = b.sections[0].paragraphs.at(-1)!;
    expect(office.origin).toBe('office');

    // Overlapping 672: refused, nothing written.
    const before = await row(b.id);
    const overlap = await admin()
      .put(`/bulletins/${b.id}/period`, { periodStart: '2026-11-19' })
      .set('if-match', ifMatch(b.version));
    expect(overlap.status).toBe(409);
    expect(overlap.body.code).toBe('BULLETIN_PERIOD_OVERLAP');
    expect(overlap.body.errors[0].field).toBe('periodStart');
    const future = await admin()
      .put(`/bulletins/${b.id}/period`, { periodEnd: '2026-11-28' })
      .set('if-match', ifMatch(b.version));
    expect(future.status).toBe(400);
    expect(future.body.errors[0]).toMatchObject({ field: 'periodEnd', code: 'notFuture' });
    expect(await row(b.id)).toEqual(before);

    // Up to Wednesday: Thursday's inspection drops out, the office's paragraph stays.
    const changed = await admin().put(`/bulletins/${b.id}/period`, {
      version: b.version,
      periodEnd: '2026-11-25',
      issueDate: '2026-11-26',
    });
    expect(changed.status).toBe(200);
    b = changed.body as Bulletin;
    expect(b.sections[0].paragraphs.map((p) => p.key)).toEqual([wed, office.key]);
    const stored = await row(b.id);
    expect((stored.period_end as Date).toISOString()).toBe('2026-11-25T16:00:00.000Z');
    expect(stored.version).toBe(b.version);
    expect(await events('change_period')).toEqual([
      expect.objectContaining({
        issue_number: 673,
        data: {
          from: { start: '2026-11-20T16:00:00.000Z', end: '2026-11-27T16:00:00.000Z' },
          to: { start: '2026-11-20T16:00:00.000Z', end: '2026-11-25T16:00:00.000Z' },
        },
      }),
    ]);
    const issued = await t.ds.query(
      `SELECT to_char(issue_date, 'YYYY-MM-DD') AS d FROM bulletins WHERE id = $1`,
      [b.id],
    );
    expect(issued).toEqual([{ d: '2026-11-26' }]);
  });

  it('withdraws the last draft: deleted, its number freed for the next', async () => {
    const [draft] = (await t.ds.query(
      `SELECT id, version FROM bulletins WHERE issue_number = 673`,
    )) as { id: string; version: number }[];
    const noReason = await admin()
      .post(`/bulletins/${draft.id}/withdrawal`, { reason: ' ' })
      .set('if-match', ifMatch(draft.version));
    expect(noReason.status).toBe(400);
    expect(noReason.body.errors[0].field).toBe('reason');

    const res = await admin()
      .post(`/bulletins/${draft.id}/withdrawal`, { reason: '时段有误，重新起草' })
      .set('if-match', ifMatch(draft.version));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ issueNumber: 673, numberFreed: true, bulletin: null });
    expect(await t.ds.query('SELECT id FROM bulletins WHERE issue_number = 673')).toEqual([]);
    expect(await events('withdraw')).toEqual([
      {
        bulletin_id: draft.id,
        issue_number: 673,
        action: 'withdraw',
        actor_id: w.admin.id,
        reason: '时段有误，重新起草',
        data: { numberFreed: true },
      },
    ]);
    const again = await admin().post('/bulletins', { periodEnd: '2026-11-26' });
    expect(again.status).toBe(201);
    expect(again.body).toMatchObject({ issueNumber: 673, periodStart: '2026-11-20T16:00:00.000Z' });
  });

  it('withdraws an earlier draft: kept as withdrawn with the reason, its number not reused', async () => {
    const later = await admin().post('/bulletins', {});
    expect(later.status).toBe(201);
    expect(later.body.issueNumber).toBe(674);
    const [draft] = (await t.ds.query(
      `SELECT id, version FROM bulletins WHERE issue_number = 673`,
    )) as { id: string; version: number }[];
    const res = await admin().post(`/bulletins/${draft.id}/withdrawal`, {
      reason: '内容并入第674期',
      version: draft.version,
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      issueNumber: 673,
      numberFreed: false,
      bulletin: { status: 'withdrawn', withdrawal: { reason: '内容并入第674期' } },
    });
    expect(await row(draft.id)).toMatchObject({
      status: 'withdrawn',
      withdrawal_reason: '内容并入第674期',
      withdrawn_by: w.admin.id,
    });
    // Shown in the list, with the reason.
    const list = await admin().get('/bulletins');
    const shown = (list.body.items as Bulletin[]).find((i) => i.issueNumber === 673)!;
    expect(shown).toMatchObject({ status: 'withdrawn', withdrawal: { reason: '内容并入第674期' } });
    // Withdrawn stays withdrawn.
    const edit = await admin()
      .post(`/bulletins/${draft.id}/publish`)
      .set('if-match', ifMatch(draft.version + 1));
    expect(edit.body.code).toBe('BULLETIN_WITHDRAWN');

    // The next number is neither 673 nor 674; the office cannot set 673 or 674 either.
    for (const issueNumber of [673, 674]) {
      const taken = await admin().put('/bulletin-settings/next-issue-number', {
        issueNumber,
        reason: '补号',
      });
      expect(taken.status).toBe(409);
      expect(taken.body.code).toBe('ISSUE_NUMBER_IN_USE');
    }
    const settings = await admin().get('/bulletin-settings');
    expect(settings.body).toMatchObject({
      nextIssueNumber: 675,
      lastPublishedNumber: 672,
      lastStoredNumber: 674,
    });
    expect(settings.body.events[0]).toMatchObject({ action: 'withdraw', issueNumber: 673 });
  });

  it('letterhead defaults change through the API, no restart; null restores the file', async () => {
    const [draft] = (await t.ds.query(`SELECT id FROM bulletins WHERE issue_number = 674`)) as {
      id: string;
    }[];
    const res = await admin().put('/bulletin-settings/letterhead', {
      approver: '周八',
      phone: '69820000',
    });
    expect(res.status).toBe(200);
    expect(res.body.letterhead).toMatchObject({ approver: '周八', phone: '69820000' });
    expect(res.body.letterheadFromFile.approver).toBe('李争三');
    const [settings] = await t.ds.query('SELECT letterhead FROM bulletin_settings');
    expect(settings.letterhead).toEqual({ approver: '周八', phone: '69820000' });
    const md = await admin().get(
      `/bulletins/${draft}?format=markdown`.replace(`${draft}`, draft.id),
    );
    expect(md.text).toContain('核签：周八');
    expect(md.text).toContain('电话：69820000');
    // The published issue keeps what it was published with.
    const old = await admin().get(`/bulletins/${issue672.id}?format=markdown`);
    expect(old.text).toContain('核签：李争三');

    await admin().put('/bulletin-settings/letterhead', { approver: null }).expect(200);
    const [restored] = await t.ds.query('SELECT letterhead FROM bulletin_settings');
    expect(restored.letterhead).toEqual({ phone: '69820000' });
    expect((await events('letterhead_defaults')).length).toBe(4);
  });
});
