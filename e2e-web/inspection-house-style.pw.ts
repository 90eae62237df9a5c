import type { Page } from '@playwright/test';
import { expect, shot, signIn, sql, test } from './support/fixtures';

/** Opens an Element Plus select by its accessible name (its placeholder covers the input). */
const select = (page: Page, name: string) =>
  page.locator('.el-select', { has: page.getByRole('combobox', { name }) }).click();

/**
 * Issue 14: the office enters a 推进会 and a 调研 with what the 快报's house style needs, and
 * reads the 指挥调度 paragraph live beside the form, as the draft 快报 will write it.
 */
test('会议 and 调研: the office enters the house-style fields and reads the paragraph live', async ({
  page,
  env,
}) => {
  await signIn(page, env.users.admin);
  await page.goto('/inspections/new');
  await page.locator('.el-radio-button', { hasText: /^会议$/ }).click();
  await page.getByLabel('会议名称（如：全区创城工作推进会）').fill('全区创城工作推进会');
  await page.getByLabel('召开单位（如：区创城办）').fill('区创城办');
  const day = page.locator('.el-date-editor input');
  await day.fill('2026-11-24');
  await day.press('Enter');
  await page
    .getByLabel('会议主旨（如：传达全市创城工作推进会精神）')
    .fill('传达全市创城工作推进会精神');
  await page.getByLabel('出席领导（多人用顿号分隔）').fill('王建华');
  await page.getByLabel('王建华的职务').fill('区委常委、宣传部部长');
  await page.getByLabel('会议地点').fill('区委第一会议室');
  await select(page, '参加的群体');
  await page.getByRole('option', { name: '各镇街主要领导', exact: true }).click();
  await page.keyboard.press('Escape');
  await page.getByRole('button', { name: '添加讲话' }).click();
  await page.getByLabel('讲话1内容').fill('我区创城工作取得阶段性成效');
  await page.getByRole('button', { name: '添加讲话' }).click();
  await page.getByLabel('讲话2内容').fill('要对标测评体系，补齐短板弱项');
  await page.getByLabel('要求提出人').fill('王建华');
  await select(page, '要求编号');
  await page.getByRole('option', { name: '一是…二是…' }).click();
  await page.getByRole('button', { name: '添加要求' }).click();
  await page.getByLabel('要求1内容').fill('要压实属地责任');
  await page.getByRole('button', { name: '添加要求' }).click();
  await page.getByLabel('要求2内容').fill('要加强督查考核');
  await expect(page.getByTestId('paragraph-preview')).toHaveText(
    '11月24日，区创城办召开全区创城工作推进会，传达全市创城工作推进会精神。' +
      '区委常委、宣传部部长王建华出席会议。各镇街主要领导参加。' +
      '王建华指出，我区创城工作取得阶段性成效。王建华强调，要对标测评体系，补齐短板弱项。' +
      '王建华要求：一是要压实属地责任；二是要加强督查考核。（本刊）',
  );
  await shot(page, 'inspection-meeting-form-1366');
  await page.getByRole('button', { name: '保存' }).click();
  await expect(page.getByRole('heading', { name: '全区创城工作推进会' })).toBeVisible();
  const id = page.url().split('/').pop()!;
  const [row] = await sql<Record<string, unknown>>(
    `SELECT kind, convener, leaders, participant_groups, requirement_numbering, requirements_by
       FROM inspections WHERE id = $1`,
    [id],
  );
  expect(row).toEqual({
    kind: 'meeting',
    convener: '区创城办',
    leaders: [{ title: '区委常委、宣传部部长', name: '王建华' }],
    participant_groups: ['各镇街主要领导'],
    requirement_numbering: 'shi',
    requirements_by: '王建华',
  });
  await expect(page.getByTestId('paragraph-preview')).toContainText(
    '区创城办召开全区创城工作推进会',
  );
  await shot(page, 'inspection-meeting-detail-1366');

  await page.goto('/inspections/new');
  await page.locator('.el-radio-button', { hasText: /^调研$/ }).click();
  await page.getByLabel('调研内容（如：指导创城工作）').fill('指导创城工作');
  await page.getByLabel('带队领导（多人用顿号分隔）').fill('王建华');
  await page.getByLabel('王建华的职务').fill('区委常委、宣传部部长');
  await page.getByLabel('地点', { exact: true }).fill('永定镇');
  const day2 = page.locator('.el-date-editor input');
  await day2.fill('2026-11-25');
  await day2.press('Enter');
  await page.getByRole('button', { name: '添加陪同人员' }).click();
  await page.getByLabel('陪同人员1职务').fill('永定镇党委书记');
  await page.getByLabel('陪同人员1姓名').fill('张三');
  await select(page, '查看点位');
  await page.getByRole('option', { name: env.siteA.name, exact: true }).click();
  await page.getByRole('option', { name: env.siteB.name, exact: true }).click();
  await page.keyboard.press('Escape');
  await page.getByLabel(`${env.siteA.name}的别名`).fill('文化广场');
  await page
    .getByLabel('查看内容（如：各项指标落实情况；停车秩序、环境卫生）')
    .fill('各项指标落实情况');
  await page.getByRole('button', { name: '添加要求' }).click();
  await select(page, '要求编号');
  await page.getByRole('option', { name: '不编号（一条）' }).click();
  await page.getByLabel('要求提出人').fill('王建华');
  await page.getByLabel('要求1内容').fill('各单位要对照测评标准，立行立改');
  await expect(page.getByTestId('paragraph-preview')).toHaveText(
    '11月25日，区委常委、宣传部部长王建华到永定镇调研指导创城工作，永定镇党委书记张三陪同调研。' +
      `先后到${env.siteA.name}（文化广场）和${env.siteB.name}查看各项指标落实情况。` +
      '王建华要求：各单位要对照测评标准，立行立改。（本刊）',
  );
  await shot(page, 'inspection-survey-form-1366');
  await page.getByRole('button', { name: '保存' }).click();
  await expect(page.getByRole('heading', { name: '指导创城工作' })).toBeVisible();
  const survey = page.url().split('/').pop()!;
  const sites = await sql<{ alias: string | null }>(
    `SELECT alias FROM inspection_sites WHERE inspection_id = $1 ORDER BY position`,
    [survey],
  );
  expect(sites).toEqual([{ alias: '文化广场' }, { alias: null }]);
  await expect(page.getByTestId('paragraph-preview')).toContainText('（文化广场）');
  await shot(page, 'inspection-survey-detail-1366');
});
