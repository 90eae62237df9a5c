import type { SourceCountRow } from './digest-source.reader.js';

/**
 * The 来源 rows of the digest: the outcome rows of the main aggregate (digest.reader.ts) joined
 * with the 新增 counts, one row per (unit or district, source) with any figure.
 */
export function mergeSourceCounts(
  outcomes: Omit<SourceCountRow, 'raised'>[],
  raised: { unitId: string | null; source: string; raised: number }[],
): SourceCountRow[] {
  const byKey = new Map<string, SourceCountRow>();
  const keyOf = (r: { unitId: string | null; source: string }) =>
    JSON.stringify([r.unitId, r.source]);
  for (const r of outcomes) byKey.set(keyOf(r), { ...r, raised: 0 });
  for (const r of raised) {
    const row = byKey.get(keyOf(r));
    if (row) row.raised = r.raised;
    else byKey.set(keyOf(r), { ...r, closed: 0, closedOnTime: 0, openOverdue: 0 });
  }
  return [...byKey.values()].filter((r) => r.raised || r.closed || r.openOverdue);
}
