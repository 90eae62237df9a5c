import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadInfoColumns } from './info-columns.js';

function configWith(value: unknown): string {
  const dir = mkdtempSync(join(tmpdir(), 'info-columns-'));
  writeFileSync(join(dir, 'info-columns.json'), JSON.stringify(value));
  return dir;
}

describe('config/info-columns.json', () => {
  it('the shipped file loads: five 栏目, 综合整治 takes the closed-task figures', () => {
    const columns = loadInfoColumns(join(process.cwd(), 'config'));
    expect(columns.briefMaxChars).toBe(200);
    expect(columns.columns.map((c) => c.name)).toEqual([
      '文明培育',
      '新时代文明实践',
      '志愿服务',
      '宣传发动',
      '综合整治',
    ]);
    expect(columns.columns.filter((c) => c.closedTaskFigures).map((c) => c.code)).toEqual([
      'rectification',
    ]);
    expect(() => columns.require('sports', 'column')).toThrow(/栏目 sports 不存在/);
  });

  it('a bad file stops the start with every problem named', () => {
    const dir = configWith({
      briefMaxChars: 0,
      columns: [
        { code: 'A', name: '', briefLabel: 'x', foldTail: 'y' },
        { code: 'b', name: 'b', briefLabel: 'b', foldTail: 'b', closedTaskFigures: true },
        { code: 'b', name: 'c', briefLabel: 'c', foldTail: 'c', closedTaskFigures: true },
      ],
    });
    expect(() => loadInfoColumns(dir)).toThrow(
      'config/info-columns.json: briefMaxChars must be a positive integer; columns[0].code must match /^[a-z0-9_]{1,32}$/; columns[0].name must be a non-empty string; columns[2].code b is repeated; at most one column may have closedTaskFigures',
    );
    expect(() => loadInfoColumns(configWith({ briefMaxChars: 10, columns: [] }))).toThrow(
      'columns must be a non-empty array',
    );
  });
});
