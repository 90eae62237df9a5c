import type { Schemas } from '@/api/client';
import { lastWeek } from '@/composables/periods';

type Digest = Schemas['DigestDto'];

/** Where the 工作台's digest came from: the week stored on Monday 06:00, or computed now. */
export type DigestSource = 'stored' | 'live';
export interface DashboardDigest {
  digest: Digest;
  source: DigestSource;
}

/**
 * The Monday (Beijing) of the last full Monday–Sunday week — the week `GET /reports/digest`
 * counts by default (src/reports/digest/digest-period.ts, `lastFullWeek`) and the one the
 * scheduler stores the Monday after. On a Monday that is the week that ended last night.
 */
export function lastFullWeekStart(now = Date.now()): string {
  return lastWeek(now).from;
}

/**
 * The stored digest of the last full week when there is one (a read of one row), else — only on a
 * 404: no week stored yet (a new install, before Monday 06:00) — the digest computed now. Any
 * other refusal (a unit's 403) is no digest at all.
 */
export async function pickDashboardDigest(
  stored: () => Promise<{ data?: Digest; response: { status: number } }>,
  live: () => Promise<{ data?: Digest }>,
): Promise<DashboardDigest | null> {
  const s = await stored();
  if (s.data) return { digest: s.data, source: 'stored' };
  if (s.response.status !== 404) return null;
  const l = await live();
  return l.data ? { digest: l.data, source: 'live' } : null;
}
