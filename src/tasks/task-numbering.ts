import type { EntityManager } from 'typeorm';

/** The calendar year in Asia/Shanghai (UTC+8, no DST). */
export const shanghaiYear = (at: Date): number =>
  new Date(at.getTime() + 8 * 3_600_000).getUTCFullYear();

export const formatTaskNumber = (year: number, seq: number): string =>
  `ZG-${year}-${String(seq).padStart(6, '0')}`;

/**
 * Next task number of the year, `ZG-2026-000123`. The counter row is updated inside the
 * creating transaction: concurrent creates queue on its row lock, and a rolled-back create
 * gives its number back, so numbers have no gaps.
 */
export async function nextTaskNumber(em: EntityManager, at: Date): Promise<string> {
  const year = shanghaiYear(at);
  const [row] = (await em.query(
    `INSERT INTO task_number_counters (year, last_value) VALUES ($1, 1)
     ON CONFLICT (year) DO UPDATE SET last_value = task_number_counters.last_value + 1
     RETURNING last_value`,
    [year],
  )) as { last_value: number }[];
  return formatTaskNumber(year, row.last_value);
}
