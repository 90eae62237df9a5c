// Plain JavaScript, the test sequencer of jest.mutation.config.js. For each mutant Stryker's
// jest runner (coverageAnalysis perTest) runs jest with a testNamePattern naming the tests that
// covered the mutant, but jest still loads every test file to find them: for an e2e file that
// is the whole app's ES module graph, seconds each, for nothing. This sequencer drops the files
// that cannot hold any of the named tests: a test's full name starts with the name of its
// outermost describe (or is the test's own name), so a file is kept when one of its describe or
// test names, written as a string literal, starts one of the names. A file with a name that is
// not a plain literal is always kept. Without a testNamePattern (the dry run, plain jest) it
// keeps everything. Per mutant, the files kept run cheapest first (see `sort`).
import Sequencer from '@jest/test-sequencer';
import { readFileSync } from 'node:fs';

const NAME_CALL = /\b(?:describe|it|test)(?:\.(?:only|skip|each\s*\([^)]*\)))?\s*\(\s*(['"`])/g;

/** The names of describe/it/test calls in a file; null when one is not a plain literal. */
function literalNames(source) {
  const names = [];
  for (const m of source.matchAll(NAME_CALL)) {
    const quote = m[1];
    const start = m.index + m[0].length;
    let i = start;
    let text = '';
    while (i < source.length && source[i] !== quote) {
      // An escape (\u2019, \'): not compared, the file is kept.
      if (source[i] === '\\') return null;
      if (quote === '`' && source[i] === '$' && source[i + 1] === '{') return null;
      text += source[i];
      i += 1;
    }
    names.push(text);
  }
  return names;
}

/** The test ids in Stryker's pattern: `(escaped id)|(escaped id)…`. */
function idsOf(pattern) {
  const body = pattern.replace(/^\(/, '').replace(/\)$/, '');
  return body.split(')|(').map((id) => id.replace(/\\(.)/g, '$1'));
}

/** The test files that may hold one of the tests `pattern` names. */
export function filesFor(tests, pattern) {
  const ids = idsOf(pattern);
  return tests.filter((test) => {
    const names = literalNames(readFileSync(test.path, 'utf8'));
    if (names === null || names.length === 0) return true;
    return ids.some((id) => names.some((n) => n && (id === n || id.startsWith(`${n} `))));
  });
}

export default class MutationSequencer extends Sequencer {
  constructor(options) {
    super(options);
    this.namePattern = options?.globalConfig?.testNamePattern;
  }

  async sort(tests) {
    if (!this.namePattern) return super.sort(tests);
    // Per mutant jest bails at the first failing file, so the cheapest files go first (jest's own
    // order is the slowest first, to keep parallel workers busy — there is one here): a file that
    // failed in the last run first (consecutive mutants of a line tend to die by the same
    // file), then by the last run's duration, shortest first; files without one last.
    const kept = filesFor(tests, this.namePattern);
    for (const test of kept) test.duration = this.time(test);
    return kept.sort((a, b) => {
      const failedA = this.hasFailed(a);
      if (failedA !== this.hasFailed(b)) return failedA ? -1 : 1;
      if ((a.duration == null) !== (b.duration == null)) return a.duration == null ? 1 : -1;
      return (a.duration ?? 0) - (b.duration ?? 0);
    });
  }
}
