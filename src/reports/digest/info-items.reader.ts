import { sql } from 'kysely';
import type { Db } from '../../database/kysely.js';

/**
 * 信息报送 in the digest: per unit, the items the office adopted (采用) in [start, end), those
 * since printed (已刊发) included and those returned since not. A 创城 office ranks 信息报送 too;
 * the figure is reported beside the 综合指标值, not part of it.
 */
export async function readAdoptedInfoItems(
  db: Db,
  start: Date,
  end: Date,
): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('info_items')
    .select(['unit_id', sql<number>`count(*)::int`.as('adopted')])
    .where('status', 'in', ['adopted', 'published'])
    .where('adopted_at', '>=', start)
    .where('adopted_at', '<', end)
    .groupBy('unit_id')
    .execute();
  return new Map(rows.map((r) => [r.unit_id, r.adopted]));
}
