/**
 * Where the console map (一张图) takes its tiles from: configuration, never code. 天地图 (with the
 * office's key) is the official choice for government maps in China; any XYZ tile server works
 * too; with neither the map draws its markers on a blank background (tests, offline installs).
 * Positions everywhere are WGS-84 / CGCS2000 degrees, as phones and 天地图 give them; both of
 * 天地图's `_w` layers are Web Mercator, Leaflet's default projection, so no offset is applied.
 */
export interface TileLayerConfig {
  /** Leaflet URL template: `{s}` `{z}` `{x}` `{y}`. */
  url: string;
  subdomains: string[];
  attribution: string;
  /** `base` is drawn first; `labels` (天地图's 注记) on top of it. */
  kind: 'base' | 'labels';
}

export interface MapConfig {
  tiles: TileLayerConfig[];
}

const TIANDITU_SUBDOMAINS = ['0', '1', '2', '3', '4', '5', '6', '7'];
const TIANDITU_ATTRIBUTION = '© 天地图（国家地理信息公共服务平台）';

/** 天地图's WMTS GetTile URL of one Web Mercator (`_w`) layer as a Leaflet template. */
function tiandituLayer(layer: 'vec' | 'cva', key: string): string {
  return (
    `https://t{s}.tianditu.gov.cn/${layer}_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0` +
    `&LAYER=${layer}&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles` +
    `&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk=${encodeURIComponent(key)}`
  );
}

/** An http(s) URL template with {z}, {x} and {y}, and {s} (if any) in the host only. */
export function isTileUrlTemplate(v: string): boolean {
  const m = /^(https?):\/\/([^/?#\s]+)(\/[^\s]*)?$/.exec(v);
  if (!m) return false;
  const [, , host, rest = ''] = m;
  if (!/^[A-Za-z0-9.{}:-]+$/.test(host) || host.replace('{s}', '').includes('{')) return false;
  if (rest.includes('{s}')) return false;
  return ['{z}', '{x}', '{y}'].every((p) => rest.includes(p));
}

export function mapConfigOf(env: {
  MAP_TILE_URL: string;
  MAP_TILE_SUBDOMAINS: string;
  MAP_TILE_ATTRIBUTION: string;
  TIANDITU_KEY: string;
}): MapConfig {
  if (env.TIANDITU_KEY) {
    return {
      tiles: [
        {
          url: tiandituLayer('vec', env.TIANDITU_KEY),
          subdomains: TIANDITU_SUBDOMAINS,
          attribution: env.MAP_TILE_ATTRIBUTION || TIANDITU_ATTRIBUTION,
          kind: 'base',
        },
        {
          url: tiandituLayer('cva', env.TIANDITU_KEY),
          subdomains: TIANDITU_SUBDOMAINS,
          attribution: '',
          kind: 'labels',
        },
      ],
    };
  }
  if (!env.MAP_TILE_URL) return { tiles: [] };
  return {
    tiles: [
      {
        url: env.MAP_TILE_URL,
        subdomains: env.MAP_TILE_SUBDOMAINS ? env.MAP_TILE_SUBDOMAINS.split(',') : [],
        attribution: env.MAP_TILE_ATTRIBUTION,
        kind: 'base',
      },
    ],
  };
}

/**
 * The origins the browser fetches tiles from, each `{s}` spelled out: what the console's CSP
 * adds to `img-src`, and nothing more (no wildcard, no scheme-wide source).
 */
export function tileOrigins(map: MapConfig): string[] {
  const origins = map.tiles.flatMap((t) => {
    const origin = /^https?:\/\/[^/?#]+/.exec(t.url)?.[0] ?? '';
    return origin.includes('{s}')
      ? t.subdomains.map((s) => origin.replace('{s}', s))
      : origin
        ? [origin]
        : [];
  });
  return [...new Set(origins)];
}
