/** The inbox texts of 超时未签收 (督办 of a task its unit has not signed for in time). */

/** To the unit: its tasks, by number. */
export function unitUnsignedText(
  numbers: string[],
  limitHours: number,
): { title: string; body: string } {
  const listed = numbers.length > 5 ? `${numbers.slice(0, 5).join('、')}等` : numbers.join('、');
  return {
    title: `督办：你单位${numbers.length}个整改任务超时未签收`,
    body: `${listed}派给你单位已超过${limitHours}小时仍未签收，请立即签收并组织整改。`,
  };
}

/** To the office: how many, by unit. */
export function officeUnsignedText(byUnit: { unitName: string; n: number }[]): {
  title: string;
  body: string;
} {
  const total = byUnit.reduce((s, u) => s + u.n, 0);
  const units = byUnit.map((u) => `${u.unitName}${u.n}个`).join('、');
  return {
    title: `督办：${total} 个任务超时未签收`,
    body: `本次扫描新增超时未签收任务${total}个：${units}。`,
  };
}
