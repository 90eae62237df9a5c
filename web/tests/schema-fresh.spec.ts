import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const top = resolve(__dirname, '../..');

describe('the generated API types', () => {
  it('are what openapi-typescript makes of the committed openapi.json (run `npm run api:types` when this fails)', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'cc-types-')), 'schema.d.ts');
    execFileSync(join(top, 'node_modules/.bin/openapi-typescript'), ['openapi.json', '-o', out], {
      cwd: top,
      stdio: 'pipe',
    });
    const fresh = readFileSync(out, 'utf8');
    const committed = readFileSync(join(top, 'web/src/api/schema.d.ts'), 'utf8');
    expect(committed === fresh).toBe(true);
  }, 60_000);
});
