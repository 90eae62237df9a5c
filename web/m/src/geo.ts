/** The phone's position, and distances on the ground. */
export interface Position {
  lat: number;
  lng: number;
  accuracyM?: number;
}

const EARTH_RADIUS_M = 6_371_008.8;
const rad = (d: number) => (d * Math.PI) / 180;

/** Great-circle distance in metres (haversine): plenty for tens of metres to kilometres. */
export function distanceM(a: Position, b: Position): number {
  const dLat = rad(b.lat - a.lat);
  const dLng = rad(b.lng - a.lng);
  const h =
    Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** 35 m, 1.2 km: how far a place is, as a street sign would say it. */
export function distanceText(m: number | null | undefined): string {
  if (m === null || m === undefined || !Number.isFinite(m)) return '';
  return m < 1000 ? `${Math.round(m)} 米` : `${(m / 1000).toFixed(1)} 公里`;
}

/** Items with a position, nearest first; those without one keep their order at the end. */
export function byDistance<T>(
  items: T[],
  from: Position | null,
  at: (t: T) => Position | null,
): (T & { distanceM: number | null })[] {
  const withD = items.map((t) => {
    const p = at(t);
    return { ...t, distanceM: from && p ? distanceM(from, p) : null };
  });
  return withD.sort((a, b) => (a.distanceM ?? Infinity) - (b.distanceM ?? Infinity));
}

/** The phone's position now, or null when it is refused or takes too long. */
export function currentPosition(timeoutMs = 8000): Promise<Position | null> {
  if (!('geolocation' in navigator)) return Promise.resolve(null);
  return new Promise((resolve) => {
    navigator.geolocation.getCurrentPosition(
      (p) =>
        resolve({ lat: p.coords.latitude, lng: p.coords.longitude, accuracyM: p.coords.accuracy }),
      () => resolve(null),
      { enableHighAccuracy: true, timeout: timeoutMs, maximumAge: 30_000 },
    );
  });
}
