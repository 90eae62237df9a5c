import type { ResolvedRow } from './import-rows.js';

/** An open task an imported row may repeat (疑似重复), and why it is suspected. */
export interface PossibleDuplicate {
  id: string;
  number: string;
  description: string;
  /** Same 点位, same 地址 text, or within the category's duplicate radius. */
  reason: 'site' | 'address' | 'nearby';
  distanceM: number | null;
}

export interface OpenTask {
  id: string;
  number: string;
  category_id: string;
  site_id: string | null;
  address: string | null;
  lat: number | null;
  lng: number | null;
  description: string;
}

const EARTH_RADIUS_M = 6_371_008.8;
const rad = (deg: number): number => (deg * Math.PI) / 180;

/** Great-circle distance in metres (haversine), as the phone's duplicate hint measures it. */
export function distanceM(aLat: number, aLng: number, bLat: number, bLng: number): number {
  const dLat = rad(bLat - aLat);
  const dLng = rad(bLng - aLng);
  const h =
    Math.sin(dLat / 2) ** 2 + Math.cos(rad(aLat)) * Math.cos(rad(bLat)) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

const normAddress = (s: string): string => s.replace(/\s+/g, '');

/** Open tasks grouped by category, so that each row looks only at its own category's. */
export function byCategory(tasks: readonly OpenTask[]): Map<string, OpenTask[]> {
  const map = new Map<string, OpenTask[]>();
  for (const t of tasks) {
    const list = map.get(t.category_id);
    if (list) list.push(t);
    else map.set(t.category_id, [t]);
  }
  return map;
}

/**
 * Open tasks of the row's category at the same site, at the same address, or within the
 * category's `duplicateRadiusM` — nearest first, at most `limit`. A flag for the clerk, not an
 * error: a second problem at one site is often real.
 */
export function possibleDuplicates(
  row: ResolvedRow,
  openByCategory: ReadonlyMap<string, readonly OpenTask[]>,
  limit = 3,
): PossibleDuplicate[] {
  if (!row.category) return [];
  const found: PossibleDuplicate[] = [];
  for (const t of openByCategory.get(row.category.id) ?? []) {
    const distance =
      row.lat !== null && row.lng !== null && t.lat !== null && t.lng !== null
        ? distanceM(row.lat, row.lng, t.lat, t.lng)
        : null;
    const reason: PossibleDuplicate['reason'] | null =
      row.site && t.site_id === row.site.id
        ? 'site'
        : row.address && t.address && normAddress(row.address) === normAddress(t.address)
          ? 'address'
          : distance !== null && distance <= row.category.duplicateRadiusM
            ? 'nearby'
            : null;
    if (reason) {
      found.push({
        id: t.id,
        number: t.number,
        description: t.description,
        reason,
        distanceM: distance === null ? null : Math.round(distance),
      });
    }
  }
  return found
    .sort((a, b) => (a.distanceM ?? Infinity) - (b.distanceM ?? Infinity))
    .slice(0, limit);
}
