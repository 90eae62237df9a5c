import type { components } from '@/api/schema';
import { LIGHT } from '@/labels';

export type MapTaskProperties = components['schemas']['MapTaskPropertiesDto'];

/** What a marker's colour says: the light of a task with the unit, else where the task stands. */
export type PinKind = 'red' | 'yellow' | 'green' | 'office' | 'closed';

export function pinKind(p: Pick<MapTaskProperties, 'status' | 'light'>): PinKind {
  if (p.status === 'closed' || p.status === 'cancelled') return 'closed';
  if (p.light) return p.light;
  // 待派遣, 待复查, 挂账, or assigned without a deadline: with the office, no light.
  return 'office';
}

export const PIN: Record<PinKind, { label: string; color: string }> = {
  red: { label: LIGHT.red.label, color: LIGHT.red.color },
  yellow: { label: LIGHT.yellow.label, color: LIGHT.yellow.color },
  green: { label: LIGHT.green.label, color: LIGHT.green.color },
  office: { label: '待派遣 / 待复查 / 挂账', color: '#2f6fde' },
  closed: { label: '已销号', color: '#8a8f98' },
};

/** The most urgent kind among a cluster's markers: a cluster shows its worst. */
const RANK: PinKind[] = ['red', 'yellow', 'green', 'office', 'closed'];
export function worstKind(kinds: PinKind[]): PinKind {
  return RANK.find((k) => kinds.includes(k)) ?? 'closed';
}

/** At this zoom and below the automatic mode shows the heat map instead of the markers. */
export const HEAT_MAX_ZOOM = 11;

export type LayerMode = 'auto' | 'markers' | 'heat';
export function showsHeat(mode: LayerMode, zoom: number): boolean {
  return mode === 'heat' || (mode === 'auto' && zoom <= HEAT_MAX_ZOOM);
}

/** The map's view as the API's bbox, widened by `pad` of its size on each side (fewer reloads on a small pan). */
export function bboxOf(
  b: { west: number; south: number; east: number; north: number },
  pad = 0.25,
): string {
  const w = (b.east - b.west) * pad;
  const h = (b.north - b.south) * pad;
  const clamp = (v: number, lim: number) => Math.max(-lim, Math.min(lim, v));
  const r = (v: number) => Math.round(v * 1e6) / 1e6;
  return [
    r(clamp(b.west - w, 180)),
    r(clamp(b.south - h, 90)),
    r(clamp(b.east + w, 180)),
    r(clamp(b.north + h, 90)),
  ].join(',');
}
