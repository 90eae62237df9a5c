import { ConfigError, loadConfig } from '../config/app-config.js';
import { consoleCsp, CONSOLE_CSP } from '../web/console-static.js';
import { isTileUrlTemplate, tileOrigins } from './map-tiles.js';

describe('map tiles from configuration', () => {
  it('none configured: no tiles, and the console CSP as strict as ever', () => {
    const config = loadConfig({});
    expect(config.map.tiles).toEqual([]);
    expect(consoleCsp(tileOrigins(config.map))).toBe(CONSOLE_CSP);
  });

  it('an XYZ template: its origins, each subdomain spelled out, in img-src only', () => {
    const config = loadConfig({
      MAP_TILE_URL: 'https://{s}.tiles.example.cn/{z}/{x}/{y}.png',
      MAP_TILE_SUBDOMAINS: 'a,b',
      MAP_TILE_ATTRIBUTION: '© 示例',
    });
    expect(config.map.tiles).toEqual([
      {
        url: 'https://{s}.tiles.example.cn/{z}/{x}/{y}.png',
        subdomains: ['a', 'b'],
        attribution: '© 示例',
        kind: 'base',
      },
    ]);
    expect(tileOrigins(config.map)).toEqual([
      'https://a.tiles.example.cn',
      'https://b.tiles.example.cn',
    ]);
    const csp = consoleCsp(tileOrigins(config.map));
    expect(csp).toContain(
      "img-src 'self' blob: data: https://a.tiles.example.cn https://b.tiles.example.cn;",
    );
    expect(csp.replace(' https://a.tiles.example.cn https://b.tiles.example.cn', '')).toBe(
      CONSOLE_CSP,
    );
  });

  it('天地图: vector map and annotations, one origin per t0…t7', () => {
    const config = loadConfig({ TIANDITU_KEY: 'abcdef0123456789' });
    expect(config.map.tiles.map((t) => [t.kind, t.url.split('?')[0]])).toEqual([
      ['base', 'https://t{s}.tianditu.gov.cn/vec_w/wmts'],
      ['labels', 'https://t{s}.tianditu.gov.cn/cva_w/wmts'],
    ]);
    expect(tileOrigins(config.map)).toHaveLength(8);
  });

  it.each([
    ['MAP_TILE_URL', { MAP_TILE_URL: 'ftp://x/{z}/{x}/{y}' }],
    ['MAP_TILE_URL', { MAP_TILE_URL: 'https://x.cn/{z}/{x}.png' }],
    ['MAP_TILE_URL', { MAP_TILE_URL: 'https://x.cn/{s}/{z}/{x}/{y}' }],
    ['MAP_TILE_URL', { MAP_TILE_URL: "https://x.cn'/{z}/{x}/{y}" }],
    ['MAP_TILE_SUBDOMAINS', { MAP_TILE_URL: 'https://{s}.x.cn/{z}/{x}/{y}' }],
    ['MAP_TILE_SUBDOMAINS', { MAP_TILE_SUBDOMAINS: 'a b' }],
    ['TIANDITU_KEY', { TIANDITU_KEY: 'short' }],
    ['TIANDITU_KEY', { TIANDITU_KEY: 'abcdef0123', MAP_TILE_URL: 'https://x.cn/{z}/{x}/{y}' }],
  ])('refuses a bad %s', (name, env) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    try {
      loadConfig(env);
    } catch (e) {
      expect((e as ConfigError).problems.some((p) => p.startsWith(name))).toBe(true);
    }
  });

  it('reads a template host by host', () => {
    expect(isTileUrlTemplate('http://10.1.2.3:8080/tiles/{z}/{x}/{y}.png')).toBe(true);
    expect(isTileUrlTemplate('https://{s}.a.cn/{z}/{y}/{x}')).toBe(true);
    expect(isTileUrlTemplate('https://{s}{s}.a.cn/{z}/{y}/{x}')).toBe(false);
    expect(isTileUrlTemplate('https://a.cn /{z}/{x}/{y}')).toBe(false);
  });
});
