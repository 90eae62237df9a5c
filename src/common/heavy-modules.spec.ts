import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/**
 * The heavy libraries load on first use (heavy-modules.ts): no module that the service imports
 * when it starts may import them statically, or every process carries them again. Walks the
 * static imports from src/main.ts (type-only imports and `import()` are not followed).
 */
const HEAVY = ['exceljs', 'sharp', 'docx', 'unzipper'];
const SRC = resolve(process.cwd(), 'src');

function staticImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const found: string[] = [];
  // `import x from 'm'`, `import { a } from 'm'`, `export { a } from 'm'`, `import 'm'`; not
  // `import type …` and not `import { type A, type B }` when every name is a type.
  const pattern = /^(import|export)\s+(?!type\s)([^;]*?)\s*from\s+'([^']+)'|^import\s+'([^']+)'/gms;
  for (const m of text.matchAll(pattern)) {
    const names = m[2];
    const spec = m[3] ?? m[4];
    if (names !== undefined) {
      const braced = /^\{([^}]*)\}$/.exec(names.trim());
      const allTypes =
        braced !== null &&
        braced[1]
          .split(',')
          .map((n) => n.trim())
          .filter(Boolean)
          .every((n) => n.startsWith('type '));
      if (allTypes) continue;
    }
    found.push(spec);
  }
  return found;
}

function reachable(entry: string): Map<string, string[]> {
  const seen = new Map<string, string[]>();
  const queue: [string, string[]][] = [[entry, []]];
  while (queue.length) {
    const [file, path] = queue.shift()!;
    if (seen.has(file)) continue;
    seen.set(file, path);
    for (const spec of staticImports(file)) {
      if (spec.startsWith('.')) {
        queue.push([join(dirname(file), spec.replace(/\.js$/, '.ts')), [...path, file]]);
      } else {
        seen.set(`pkg:${spec}`, [...path, file]);
      }
    }
  }
  return seen;
}

describe('heavy modules', () => {
  const graph = reachable(join(SRC, 'main.ts'));

  it('walks the start-up import graph (the walk itself works)', () => {
    expect(graph.has(join(SRC, 'app.module.ts'))).toBe(true);
    expect(graph.has(join(SRC, 'tasks/tasks.service.ts'))).toBe(true);
    expect(graph.has('pkg:kysely')).toBe(true);
  });

  it.each(HEAVY)('%s is not imported at start-up', (pkg) => {
    const path = graph.get(`pkg:${pkg}`);
    expect(path?.map((f) => f.slice(SRC.length + 1))).toBeUndefined();
  });
});
