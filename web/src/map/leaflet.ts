import L from 'leaflet';
import 'leaflet/dist/leaflet.css';
import 'leaflet.markercluster/dist/MarkerCluster.css';

/**
 * Leaflet with its two plugins. leaflet.markercluster and leaflet.heat are UMD scripts that
 * extend the global `L`, so `L` is made global before they are loaded (dynamically, so that the
 * order is certain). Everything is bundled by Vite: no script or style from another origin.
 */
let loaded: Promise<typeof L> | undefined;
export function loadLeaflet(): Promise<typeof L> {
  loaded ??= (async () => {
    (globalThis as unknown as { L: typeof L }).L = L;
    await import('leaflet.markercluster');
    await import('leaflet.heat');
    return L;
  })();
  return loaded;
}
