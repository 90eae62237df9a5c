import { loadConfig } from '../config/app-config.js';
import { dataSourceOptions } from './data-source-options.js';

describe('dataSourceOptions', () => {
  const config = loadConfig({
    DATABASE_URL: 'postgres://localhost/x',
    NODE_ENV: 'test',
    DATABASE_POOL_SIZE: '7',
  });
  const extra = (o: ReturnType<typeof dataSourceOptions>): Record<string, unknown> =>
    (o as { extra: Record<string, unknown> }).extra;

  it('opens the configured pool: its size, UTC sessions, its name', () => {
    expect(extra(dataSourceOptions(config))).toMatchObject({
      max: 7,
      options: '-c timezone=UTC',
      application_name: 'chuangcheng-all',
    });
  });

  it('a smaller pool for a tool keeps every other setting (the UTC time zone above all)', () => {
    const { max, ...rest } = extra(dataSourceOptions(config, 2));
    const { max: configured, ...same } = extra(dataSourceOptions(config));
    expect([max, configured]).toEqual([2, 7]);
    expect(rest).toEqual(same);
  });
});
