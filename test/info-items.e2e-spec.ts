import { extractDocxText, readZipEntry } from '../src/reports/bulletin/docx-text.js';
import { shanghaiDate } from '../src/reports/shanghai-time.js';
import { binary } from './support/binary.js';
import { createTestApp, type TestApp } from './support/test-app.js';
import { as, buildLoopWorld, uploadPhoto, type Actor, type LoopWorld } from './support/fixtures.js';

const bj = (local: string): Date => new Date(`${local.replace(' ', 'T')}:00+08:00`);

/** What units typed, with Markdown, HTML and characters XML forbids in it. */
const HOSTILE_TEXT =
  '近日，开展环境秩序综合整治**加粗**\n# 标题 <b>粗</b> [链接](http://evil.example) 覆盖商户80余家\u0001\u000b\ufffe。';
const LONG_TEXT = [
  '一是多点共建夯实阵地。在30个村居新时代文明实践站打造主题特色教育实践基地，实现新时代文明实践所（站）全覆盖。',
  '二是服务群众打造品牌。开展“文明实践课堂”“党史人人讲”等新风培育活动600余场次，举办星火工程演出等实践活动10余场次。',
].join('\n');

/**
 * 信息报送 (issue 14) end to end: units send items, the office adopts one and returns one, the
 * next 快报 prints exactly the adopted ones under their 栏目 (Markdown and Word), publishing it
 * marks them 已刊发, and the digest counts them. Another unit's item is 404 throughout.
 */
describe('信息报送 into the 快报', () => {
  let t: TestApp;
  let w: LoopWorld;
  let yongding: Actor & { unitId: string };
  let photo: string;
  let adopted: { id: string; version: number };
  let returned: { id: string; version: number };
  let long: { id: string; version: number };
  let bulletin: { id: string; version: number; issueNumber: number };

  const admin = () => as(t, w.admin.token);
  const unitA = () => as(t, w.unitA.token);
  const unitB = () => as(t, w.unitB.token);
  const put = (path: string, body: object, token: string) =>
    t.http().put(`/api/v1${path}`).set('authorization', `Bearer ${token}`).send(body);
  const count = async (sql: string, params: unknown[] = []) =>
    Number(((await t.ds.query(sql, params)) as { n: string }[])[0].n);

  beforeAll(async () => {
    t = await createTestApp();
    w = await buildLoopWorld(t);
    const yd = await t.createUnit('永定镇');
    const ydUser = await t.signIn('unit', { unitId: yd.id });
    yongding = { token: ydUser.token, id: ydUser.user.id, unitId: yd.id };
    await t.ds.query(
      `UPDATE units SET sort_order = CASE id WHEN $1 THEN 1 WHEN $2 THEN 2 ELSE 3 END`,
      [w.unitA.unitId, w.unitB.unitId],
    );
    // Closed in the week of 2026-11-09: 东辛房 2 楼道堆物, 城子 1 楼道堆物.
    const close = async (unitId: string, at: Date) => {
      const res = await admin().post('/tasks', {
        categoryId: w.categoryId,
        address: '新桥大街12号',
        description: '楼道堆物',
        unitId,
      });
      expect(res.status).toBe(201);
      await t.ds.query(
        `UPDATE tasks SET status = 'closed', closed_at = $2, closed_on_time = true WHERE id = $1`,
        [res.body.id, at],
      );
    };
    await close(w.unitA.unitId, bj('2026-11-12 10:00'));
    await close(w.unitA.unitId, bj('2026-11-13 10:00'));
    await close(w.unitB.unitId, bj('2026-11-13 11:00'));
    photo = await uploadPhoto(t, w.unitA.token);
  });
  afterAll(() => t.close());

  it('lists the 栏目 from config', async () => {
    const res = await unitA().get('/info-items/columns').expect(200);
    expect(res.body.briefMaxChars).toBe(200);
    expect(res.body.columns.map((c: { name: string }) => c.name)).toEqual([
      '文明培育',
      '新时代文明实践',
      '志愿服务',
      '宣传发动',
      '综合整治',
    ]);
  });

  it('refuses bad items with a 400 naming the field, and writes nothing', async () => {
    const otherPhoto = await uploadPhoto(t, w.unitB.token);
    const ok = {
      column: 'rectification',
      title: '整治',
      text: '近日开展整治。',
      workDate: '2026-11-12',
    };
    const cases: [object, string, string][] = [
      [{ ...ok, column: 'sports' }, 'column', 'isIn'],
      [{ ...ok, title: '  \u3000 ' }, 'title', 'isNonBlankText'],
      [{ ...ok, text: 'x'.repeat(5001) }, 'text', 'maxLength'],
      [{ ...ok, workDate: '2026-02-30' }, 'workDate', 'isDay'],
      [{ ...ok, photoIds: [otherPhoto] }, 'photoIds', 'attachmentUsable'],
      [{ ...ok, kind: 'x'.repeat(21) }, 'kind', 'maxLength'],
    ];
    for (const [body, field, code] of cases) {
      const res = await unitA().post('/info-items', body);
      expect([res.status, res.body.code]).toEqual([400, 'VALIDATION_FAILED']);
      expect(res.body.errors).toEqual(
        expect.arrayContaining([expect.objectContaining({ field, code })]),
      );
    }
    // The office does not submit; inspectors have no part in 信息报送.
    expect((await admin().post('/info-items', ok)).status).toBe(403);
    expect((await as(t, w.inspector.token).get('/info-items')).status).toBe(403);
    expect(await count(`SELECT count(*) AS n FROM info_items`)).toBe(0);
    expect(await count(`SELECT count(*) AS n FROM info_item_events`)).toBe(0);
  });

  it('a unit submits two items; they are 待审, with photos and a trail', async () => {
    const a = await unitA()
      .post('/info-items', {
        column: 'rectification',
        title: '东辛房街道开展环境秩序综合整治',
        text: HOSTILE_TEXT,
        workDate: '2026-11-12',
        photoIds: [photo],
      })
      .expect(201);
    expect(a.body).toMatchObject({
      status: 'pending',
      unitName: '东辛房街道',
      columnName: '综合整治',
      photos: [{ id: photo, mime: 'image/png' }],
      version: 1,
      ownItem: false,
    });
    expect(a.body.events).toEqual([
      expect.objectContaining({ action: 'submit', statusBefore: null, statusAfter: 'pending' }),
    ]);
    adopted = a.body;
    // The office sees the photo (and its thumbnail); another unit does not.
    expect((await admin().get(`/attachments/${photo}?variant=thumb`)).status).toBe(200);
    expect((await unitB().get(`/attachments/${photo}`)).status).toBe(404);
    const b = await unitA()
      .post('/info-items', {
        column: 'civility',
        title: '东辛房街道开展文明宣讲',
        text: '近日，开展文明宣讲活动。',
        workDate: '2026-11-13',
      })
      .expect(201);
    returned = b.body;
    const rows = await t.ds.query(
      `SELECT i.status, i.unit_id, ia.attachment_id FROM info_items i
         LEFT JOIN info_item_attachments ia ON ia.item_id = i.id ORDER BY i.submitted_at`,
    );
    expect(rows).toEqual([
      { status: 'pending', unit_id: w.unitA.unitId, attachment_id: photo },
      { status: 'pending', unit_id: w.unitA.unitId, attachment_id: null },
    ]);
  });

  it('another unit cannot see, edit, withdraw or resubmit them: 404, and its list is empty', async () => {
    expect((await unitB().get(`/info-items/${adopted.id}`)).status).toBe(404);
    const edit = await put(
      `/info-items/${adopted.id}`,
      { version: 1, column: 'civility', title: '改', text: '改。', workDate: '2026-11-12' },
      w.unitB.token,
    );
    expect([edit.status, edit.body.code]).toEqual([404, 'INFO_ITEM_NOT_FOUND']);
    expect(
      (await unitB().post(`/info-items/${adopted.id}/withdrawal`, { version: 1 })).status,
    ).toBe(404);
    const list = await unitB().get(`/info-items?unitId=${w.unitA.unitId}`).expect(200);
    expect(list.body.items).toEqual([]);
    const [row] = await t.ds.query(`SELECT title, version FROM info_items WHERE id = $1`, [
      adopted.id,
    ]);
    expect(row).toEqual({ title: '东辛房街道开展环境秩序综合整治', version: 1 });
  });

  it('the office filters its inbox by status, unit, 栏目 and date', async () => {
    const ids = async (q: string) =>
      (await admin().get(`/info-items?${q}`).expect(200)).body.items.map(
        (i: { id: string }) => i.id,
      );
    expect(await ids('status=pending')).toEqual([returned.id, adopted.id]);
    expect(await ids(`unitId=${w.unitA.unitId}&column=rectification`)).toEqual([adopted.id]);
    expect(await ids(`unitId=${w.unitB.unitId}`)).toEqual([]);
    expect(await ids('from=2026-11-13&to=2026-11-13')).toEqual([returned.id]);
    expect(await ids('status=adopted')).toEqual([]);
    const bad = await admin().get('/info-items?status=done');
    expect([bad.status, bad.body.errors[0].field]).toEqual([400, 'status']);
  });

  it('the office adopts one (If-Match, stale is 409) and returns the other with a reason', async () => {
    const stale = await admin().post(`/info-items/${adopted.id}/adoption`, { version: 9 });
    expect([stale.status, stale.body.code]).toEqual([409, 'VERSION_CONFLICT']);
    const res = await admin()
      .post(`/info-items/${adopted.id}/adoption`, { title: '东辛房街道综合整治' })
      .set('if-match', '"1"')
      .expect(200);
    expect(res.body).toMatchObject({ status: 'adopted', title: '东辛房街道综合整治', version: 2 });
    adopted = res.body;

    const noReason = await admin().post(`/info-items/${returned.id}/return`, { version: 1 });
    expect([noReason.status, noReason.body.errors[0].field]).toEqual([400, 'reason']);
    const back = await admin()
      .post(`/info-items/${returned.id}/return`, { version: 1, reason: '请补充参与人数和照片' })
      .expect(200);
    expect(back.body).toMatchObject({ status: 'returned', returnReason: '请补充参与人数和照片' });

    // The unit sees the reason; it may not touch the adopted one any more.
    const seen = await unitA().get(`/info-items/${returned.id}`).expect(200);
    expect(seen.body).toMatchObject({ status: 'returned', returnReason: '请补充参与人数和照片' });
    returned = seen.body;
    const late = await put(
      `/info-items/${adopted.id}`,
      { version: 2, column: 'rectification', title: '改', text: '改。', workDate: '2026-11-12' },
      w.unitA.token,
    );
    expect([late.status, late.body.code]).toEqual([409, 'ILLEGAL_TRANSITION']);
    const again = await admin().post(`/info-items/${returned.id}/adoption`, { version: 2 });
    expect([again.status, again.body.code]).toEqual([409, 'ILLEGAL_TRANSITION']);
    expect(again.body).toMatchObject({ status: 409, currentStatus: 'returned' });

    const events = await t.ds.query(
      `SELECT item_id, action, from_status, to_status, actor_id, note FROM info_item_events
        WHERE action IN ('adopt', 'return') ORDER BY id`,
    );
    expect(events).toEqual([
      {
        item_id: adopted.id,
        action: 'adopt',
        from_status: 'pending',
        to_status: 'adopted',
        actor_id: w.admin.id,
        note: null,
      },
      {
        item_id: returned.id,
        action: 'return',
        from_status: 'pending',
        to_status: 'returned',
        actor_id: w.admin.id,
        note: '请补充参与人数和照片',
      },
    ]);
  });

  it('a long item from another unit is adopted too', async () => {
    const res = await as(t, yongding.token)
      .post('/info-items', {
        column: 'civilization_practice',
        title: '永定镇多策并举推进新时代文明实践',
        text: LONG_TEXT.repeat(1),
        workDate: '2026-11-14',
      })
      .expect(201);
    expect(res.body.ownItem).toBe(false);
    // Long enough only once the office adds to it: its edit decides where it prints.
    const edited = await admin()
      .post(`/info-items/${res.body.id}/adoption`, {
        version: 1,
        text: `${LONG_TEXT}\n三是移风易俗共育新风。开展“抵制高价彩礼 弘扬婚嫁新风”主题宣传实践活动30余场次，广泛开展道德评议、“洁净家园”“乡村十礼”等活动1200余场次，通过微信公众号积极开展“讲文明 树新风”线上主题宣传。`,
      })
      .expect(200);
    expect(edited.body).toMatchObject({ status: 'adopted', ownItem: true });
    long = edited.body;
  });

  it('the next issue prints exactly the adopted items under their 栏目, harmlessly', async () => {
    const res = await admin()
      .post('/bulletins', { periodStart: '2026-11-09', periodEnd: '2026-11-15' })
      .expect(201);
    bulletin = res.body;
    const sections = res.body.sections as {
      key: string;
      heading: string;
      paragraphs: { key: string; text: string }[];
    }[];
    expect(sections.map((s) => [s.key, s.heading])).toEqual([
      ['command_dispatch', '指挥调度'],
      ['info:civilization_practice', '新时代文明实践'],
      ['comprehensive_rectification', '简讯'],
    ]);
    expect(sections[1].paragraphs.map((p) => p.key)).toEqual([
      `info:${long.id}`,
      `info:${long.id}:2`,
      `info:${long.id}:3`,
    ]);
    expect(sections[2].paragraphs.map((p) => p.key)).toEqual([
      `info:${adopted.id}`,
      'comprehensive_rectification:城子街道',
    ]);

    const md = (await admin().get(`/bulletins/${bulletin.id}?format=markdown`).expect(200)).text;
    const blocks = md.split('\n\n');
    const at = blocks.indexOf('## 【新时代文明实践】');
    expect(blocks.slice(at, at + 4)).toEqual([
      '## 【新时代文明实践】',
      '**永定镇多策并举推进新时代文明实践** 一是多点共建夯实阵地。在30个村居新时代文明实践站打造主题特色教育实践基地，实现新时代文明实践所（站）全覆盖。',
      '二是服务群众打造品牌。开展“文明实践课堂”“党史人人讲”等新风培育活动600余场次，举办星火工程演出等实践活动10余场次。',
      '三是移风易俗共育新风。开展“抵制高价彩礼 弘扬婚嫁新风”主题宣传实践活动30余场次，广泛开展道德评议、“洁净家园”“乡村十礼”等活动1200余场次，通过微信公众号积极开展“讲文明 树新风”线上主题宣传。（永定镇）',
    ]);
    const brief = blocks.indexOf('## 【简讯】');
    expect(blocks.slice(brief, brief + 3)).toEqual([
      '## 【简讯】',
      // The unit's text, every markup character escaped, the forbidden characters gone, and the
      // 综合整治 figures of its closed tasks joined to it.
      '**【综合整治】东辛房街道：**近日，开展环境秩序综合整治\\*\\*加粗\\*\\*# 标题 \\<b\\>粗\\</b\\> \\[链接\\](http://evil.example) 覆盖商户80余家，整治楼道堆物问题2处。',
      '**【综合整治】城子街道：**近日，开展环境秩序综合整治，整治楼道堆物问题1处。',
    ]);
    // Exactly the adopted items: the returned one is nowhere.
    expect(md).not.toContain('文明宣讲');
    expect(md).not.toContain('【文明培育】');

    const docx = (
      await admin()
        .get(`/bulletins/${bulletin.id}?format=docx`)
        .buffer(true)
        .parse(binary)
        .expect(200)
    ).body as Buffer;
    const xml = readZipEntry(docx, 'word/document.xml').toString('utf8');
    // eslint-disable-next-line no-control-regex -- looking for the characters XML forbids
    expect(xml).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/);
    expect(xml).not.toContain('<b>');
    expect(xml).toContain('&lt;b&gt;粗&lt;/b&gt;');
    const lines = (await extractDocxText(docx)).split('\n');
    const w1 = lines.indexOf('【新时代文明实践】');
    expect(lines[w1 + 1]).toBe(
      '永定镇多策并举推进新时代文明实践 一是多点共建夯实阵地。在30个村居新时代文明实践站打造主题特色教育实践基地，实现新时代文明实践所（站）全覆盖。',
    );
    const w2 = lines.indexOf('【简讯】');
    expect(w2).toBeGreaterThan(w1);
    expect(lines[w2 + 1]).toBe(
      '【综合整治】东辛房街道：近日，开展环境秩序综合整治**加粗**# 标题 <b>粗</b> [链接](http://evil.example) 覆盖商户80余家，整治楼道堆物问题2处。',
    );
    expect(lines.join('\n')).not.toContain('文明宣讲');
  });

  it('the office reorders the draft and deletes a paragraph: Markdown and Word print exactly the items, in that order', async () => {
    type Section = { key: string; paragraphs: { key: string }[] };
    const sectionsOf = (body: { sections: Section[] }) =>
      body.sections.map((x) => [x.key, x.paragraphs.map((p) => p.key)]);
    const draft = (await admin().get(`/bulletins/${bulletin.id}`).expect(200)).body as {
      version: number;
      sections: Section[];
    };
    const [dispatch, practice, brief] = draft.sections;
    const eventsBefore = await count(
      `SELECT count(*) AS n FROM bulletin_events WHERE bulletin_id = $1`,
      [bulletin.id],
    );
    // 简讯 before 新时代文明实践, and the unit's item after the generated 城子街道 paragraph.
    const moved = await put(
      `/bulletins/${bulletin.id}/layout`,
      {
        version: draft.version,
        sections: [
          { key: dispatch.key, paragraphs: dispatch.paragraphs.map((p) => p.key) },
          {
            key: brief.key,
            paragraphs: ['comprehensive_rectification:城子街道', `info:${adopted.id}`],
          },
          { key: practice.key, paragraphs: practice.paragraphs.map((p) => p.key) },
        ],
      },
      w.admin.token,
    ).expect(200);
    // Then the generated 城子街道 paragraph is deleted: what is left of 简讯 is the item.
    const deleted = await t
      .http()
      .delete(
        `/api/v1/bulletins/${bulletin.id}/paragraphs/${encodeURIComponent('comprehensive_rectification:城子街道')}`,
      )
      .set('authorization', `Bearer ${w.admin.token}`)
      .set('if-match', `"${moved.body.version}"`)
      .expect(200);
    const expected = [
      [dispatch.key, dispatch.paragraphs.map((p) => p.key)],
      ['comprehensive_rectification', [`info:${adopted.id}`]],
      ['info:civilization_practice', [`info:${long.id}`, `info:${long.id}:2`, `info:${long.id}:3`]],
    ];
    expect(sectionsOf(deleted.body)).toEqual(expected);
    // Stored so: read back anew, and one event each in the issue's trail.
    expect(sectionsOf((await admin().get(`/bulletins/${bulletin.id}`).expect(200)).body)).toEqual(
      expected,
    );
    expect(
      await count(`SELECT count(*) AS n FROM bulletin_events WHERE bulletin_id = $1`, [
        bulletin.id,
      ]),
    ).toBe(eventsBefore + 2);
    bulletin = deleted.body;

    const adoptedBlock =
      '**【综合整治】东辛房街道：**近日，开展环境秩序综合整治\\*\\*加粗\\*\\*# 标题 \\<b\\>粗\\</b\\> \\[链接\\](http://evil.example) 覆盖商户80余家，整治楼道堆物问题2处。';
    const md = (await admin().get(`/bulletins/${bulletin.id}?format=markdown`).expect(200)).text;
    const blocks = md.split('\n\n');
    const at = blocks.indexOf('## 【简讯】');
    expect(blocks.slice(at, at + 6)).toEqual([
      '## 【简讯】',
      adoptedBlock,
      '## 【新时代文明实践】',
      '**永定镇多策并举推进新时代文明实践** 一是多点共建夯实阵地。在30个村居新时代文明实践站打造主题特色教育实践基地，实现新时代文明实践所（站）全覆盖。',
      '二是服务群众打造品牌。开展“文明实践课堂”“党史人人讲”等新风培育活动600余场次，举办星火工程演出等实践活动10余场次。',
      '三是移风易俗共育新风。开展“抵制高价彩礼 弘扬婚嫁新风”主题宣传实践活动30余场次，广泛开展道德评议、“洁净家园”“乡村十礼”等活动1200余场次，通过微信公众号积极开展“讲文明 树新风”线上主题宣传。（永定镇）',
    ]);
    // The deleted paragraph and the returned item are nowhere; each item paragraph prints once.
    expect(md).not.toContain('城子街道');
    expect(md).not.toContain('文明宣讲');
    for (const text of ['覆盖商户80余家', '一是多点共建', '二是服务群众', '三是移风易俗'])
      expect(md.split(text)).toHaveLength(2);

    const docx = (
      await admin()
        .get(`/bulletins/${bulletin.id}?format=docx`)
        .buffer(true)
        .parse(binary)
        .expect(200)
    ).body as Buffer;
    const xml = readZipEntry(docx, 'word/document.xml').toString('utf8');
    // In word/document.xml: the items' paragraphs once each, in the new order, 城子街道 gone.
    const positions = [
      '【简讯】',
      '覆盖商户80余家',
      '【新时代文明实践】',
      '一是多点共建夯实阵地',
      '二是服务群众打造品牌',
      '三是移风易俗共育新风',
    ].map((text) => {
      expect(xml.split(text)).toHaveLength(2);
      return xml.indexOf(text);
    });
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    expect(xml).not.toContain('城子街道');
    const lines = (await extractDocxText(docx)).split('\n');
    const w1 = lines.indexOf('【简讯】');
    expect(lines.slice(w1, w1 + 3)).toEqual([
      '【简讯】',
      '【综合整治】东辛房街道：近日，开展环境秩序综合整治**加粗**# 标题 <b>粗</b> [链接](http://evil.example) 覆盖商户80余家，整治楼道堆物问题2处。',
      '【新时代文明实践】',
    ]);
  });

  it('publishing marks the printed items 已刊发 with the issue number; returned or cut ones stay', async () => {
    // The office edits the item's paragraph (its key is a path segment): still the item's.
    const edited = await put(
      `/bulletins/${bulletin.id}/paragraphs/${encodeURIComponent(`info:${adopted.id}`)}`,
      {
        version: bulletin.version,
        text: '**【综合整治】东辛房街道：**近日，开展环境秩序综合整治，整治楼道堆物问题2处。',
      },
      w.admin.token,
    ).expect(200);
    // The office takes the long item's section out of this issue: that item is not printed, so
    // it stays adopted and goes into the next one.
    const cut = await t
      .http()
      .delete(
        `/api/v1/bulletins/${bulletin.id}/sections/${encodeURIComponent('info:civilization_practice')}`,
      )
      .set('authorization', `Bearer ${w.admin.token}`)
      .set('if-match', `"${edited.body.version}"`)
      .expect(200);
    await admin()
      .post(`/bulletins/${bulletin.id}/publish`, { version: cut.body.version })
      .expect(200);
    const rows = await t.ds.query(
      `SELECT id, status, issue_number, bulletin_id FROM info_items ORDER BY submitted_at`,
    );
    expect(rows).toEqual([
      { id: adopted.id, status: 'published', issue_number: 672, bulletin_id: bulletin.id },
      { id: returned.id, status: 'returned', issue_number: null, bulletin_id: null },
      { id: long.id, status: 'adopted', issue_number: null, bulletin_id: null },
    ]);
    const seen = await unitA().get(`/info-items/${adopted.id}`).expect(200);
    expect(seen.body).toMatchObject({ status: 'published', issueNumber: 672 });
    expect(seen.body.events.map((e: { action: string }) => e.action)).toEqual([
      'submit',
      'adopt',
      'publish',
    ]);
    expect(seen.body.events[2]).toMatchObject({ note: '第672期', statusAfter: 'published' });
    // Published is frozen, for the office too.
    const edit = await put(
      `/info-items/${adopted.id}`,
      {
        version: seen.body.version,
        column: 'rectification',
        title: '改',
        text: '改。',
        workDate: '2026-11-12',
      },
      w.admin.token,
    );
    expect([edit.status, edit.body.code]).toEqual([409, 'ILLEGAL_TRANSITION']);
    // The next draft does not print the published one again; the one left out comes back.
    const next = await admin()
      .post('/bulletins', { periodStart: '2026-11-16', periodEnd: '2026-11-22' })
      .expect(201);
    const keys = (next.body.sections as { paragraphs: { key: string }[] }[]).flatMap((x) =>
      x.paragraphs.map((p) => p.key),
    );
    expect(keys.filter((k) => k.startsWith('info:'))).toEqual([
      `info:${long.id}`,
      `info:${long.id}:2`,
      `info:${long.id}:3`,
    ]);
  });

  it('the unit corrects and resubmits the returned item: 待审 again, the reason cleared', async () => {
    const res = await unitA()
      .post(`/info-items/${returned.id}/resubmission`, {
        version: returned.version,
        column: 'civility',
        title: '东辛房街道开展文明宣讲',
        text: '近日，开展文明宣讲活动，50余名居民参加。',
        workDate: '2026-11-13',
      })
      .expect(200);
    expect(res.body).toMatchObject({ status: 'pending', returnReason: null });
    const withdrawn = await unitA()
      .post(`/info-items/${returned.id}/withdrawal`, { version: res.body.version })
      .expect(200);
    expect(withdrawn.body.status).toBe('withdrawn');
    expect(withdrawn.body.events.map((e: { action: string }) => e.action)).toEqual([
      'submit',
      'return',
      'resubmit',
      'withdraw',
    ]);
  });

  it('the digest counts adopted items per unit', async () => {
    const today = shanghaiDate(new Date());
    const res = await admin().get(`/reports/digest?from=${today}&to=${today}`).expect(200);
    const byUnit = Object.fromEntries(
      (res.body.units as { unitName: string; infoAdopted: number }[]).map((u) => [
        u.unitName,
        u.infoAdopted,
      ]),
    );
    expect(byUnit).toMatchObject({ 东辛房街道: 1, 城子街道: 0, 永定镇: 1 });

    // The CSV prints them as its last column 信息采用; 合计 is the units' sum.
    const csv = (
      await admin().get(`/reports/digest?from=${today}&to=${today}&format=csv`).expect(200)
    ).text
      .slice(1)
      .split('\r\n\r\n')[0]
      .split('\r\n')
      .map((line) => line.split(','));
    expect(csv[0].at(-1)).toBe('信息采用');
    const shown = Object.fromEntries(csv.slice(1).map((r) => [`${r[0]}:${r[1]}`, r.at(-1)]));
    expect(shown).toMatchObject({
      '单位:东辛房街道': '1',
      '单位:城子街道': '0',
      '单位:永定镇': '1',
      '合计:全区': String(Object.values(byUnit).reduce((a, b) => a + b, 0)),
    });
  });
});
