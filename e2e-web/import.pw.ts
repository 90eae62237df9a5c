import ExcelJS from 'exceljs';
import { expect, shot, signIn, sql, test } from './support/fixtures';

/** 导入问题清单: the office uploads a 12345 list, sees a bad cell in red, fixes the file, confirms. */
test('导入问题清单: errors at their cells, then all rows created with their source', async ({
  page,
  env,
}) => {
  const [cat] = await sql<{ name: string }>('SELECT name FROM categories WHERE id = $1', [
    env.categoryId,
  ]);
  const file = async (rows: (string | null)[][]) => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('清单');
    ws.addRow(['问题类别', '点位', '问题地址', '问题描述']);
    for (const r of rows) ws.addRow(r);
    return {
      name: '12345工单.xlsx',
      mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      buffer: Buffer.from(await wb.xlsx.writeBuffer()),
    };
  };
  const good = [
    [cat.name, env.siteA.name, null, '导入测试：楼道堆放杂物'],
    [cat.name, null, '导入测试路8号', '导入测试：门前堆物'],
  ];

  await signIn(page, env.users.admin);
  await page.goto('/imports');
  // The template: our columns, the example row below them.
  const [template] = await Promise.all([
    page.waitForEvent('download'),
    page.getByText('下载导入模板').click(),
  ]);
  expect(template.suggestedFilename()).toBe('问题清单导入模板.xlsx');
  const book = new ExcelJS.Workbook();
  await book.xlsx.readFile(await template.path());
  expect(book.worksheets[0].getRow(1).values).toEqual([
    undefined,
    '问题类别',
    '点位',
    '地址',
    '问题描述',
    '经度',
    '纬度',
    '发现时间',
    '责任单位',
    '整改时限',
  ]);
  expect(book.worksheets[0].rowCount).toBe(2);
  await page.getByTestId('import-source').click();
  await page.getByRole('option', { name: '12345' }).click();
  await page
    .getByLabel('选择文件')
    .setInputFiles(await file([...good, ['不存在的类别', null, null, '导入测试：写错的行']]));
  await page.getByRole('button', { name: '上传并预览' }).click();
  await expect(page.getByText('有错误 1')).toBeVisible();
  const bad = page.locator('td.cell-error');
  await expect(bad).toHaveCount(2);
  await expect(bad.first()).toContainText('没有名称或编码为“不存在的类别”的启用类别');
  await expect(page.getByRole('button', { name: /确认导入/ })).toBeDisabled();
  await shot(page, 'import-errors-1366');
  await page.setViewportSize({ width: 375, height: 812 });
  await shot(page, 'import-errors-375');
  await page.setViewportSize({ width: 1366, height: 768 });

  await page.getByLabel('选择文件').setInputFiles(await file(good));
  await page.getByRole('button', { name: '上传并预览' }).click();
  await expect(page.getByText('可导入 2')).toBeVisible();
  await shot(page, 'import-ready-1366');
  await page.getByRole('button', { name: '确认导入 2 行' }).click();
  await page.getByRole('dialog').getByRole('button', { name: '确认导入' }).click();
  await expect(page.getByText('已创建 2 个任务')).toBeVisible();
  await page.getByRole('link', { name: '查看任务' }).click();
  await expect(page.getByText('导入测试：楼道堆放杂物')).toBeVisible();
  await expect(page.getByText('导入测试：门前堆物')).toBeVisible();
  await shot(page, 'import-tasks-1366');

  const rows = await sql<{ source: string; n: number }>(
    `SELECT source, count(*)::int AS n FROM tasks WHERE description LIKE '导入测试：%' GROUP BY source`,
  );
  expect(rows).toEqual([{ source: 'hotline', n: 2 }]);
});
