import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { checkResult, type BenchResult } from './results-schema.js';

/**
 * `npm run bench:check [-- FILE …] [--strict]`
 *
 * Validates bench result files (by default every bench/results/*.json) against the one schema
 * (bench/results-schema.ts, described in bench/README.md) and prints each scenario's verdict.
 * Exits 1 when a file is unsound; with --strict also when a goal was missed or not judged (a
 * busy machine, a scenario not measured) — what a quiet run for the README must pass.
 */
const { values: args, positionals } = parseArgs({
  options: { strict: { type: 'boolean', default: false } },
  allowPositionals: true,
});
const DIR = 'bench/results';
const files = positionals.length
  ? positionals
  : readdirSync(DIR)
      .filter((f) => f.endsWith('.json'))
      .sort()
      .map((f) => join(DIR, f));

let unsound = 0;
let unmet = 0;
const num = (n: number | null | undefined, d = 2): string =>
  n === null || n === undefined ? '–' : n.toFixed(d);
for (const file of files) {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    console.log(`${file}: not JSON (${e instanceof Error ? e.message : String(e)})`);
    unsound++;
    continue;
  }
  const problems = checkResult(data);
  if (problems.length) {
    unsound++;
    console.log(`${file}: UNSOUND`);
    for (const p of problems) console.log(`  ${p}`);
    continue;
  }
  const r = data as BenchResult;
  console.log(
    `${file}: ok (${r.script}, ${r.startedAt}, ${r.data.tasks.toLocaleString('en')} tasks, load ${num(r.load.before)} → ${num(r.load.after)}${r.load.comparable ? '' : ', NOT COMPARABLE'}${r.load.overridden ? ', load guard overridden' : ''})`,
  );
  for (const s of r.scenarios) {
    if (s.met !== true) unmet++;
    const verdict = s.met === null ? 'not judged' : s.met ? 'met' : 'MISSED';
    console.log(
      `  ${s.id}: http ${num(s.http?.value)} ${s.http?.unit ?? ''} raw ${num(s.raw?.value)} ${s.raw?.unit ?? ''} ratio ${num(s.ratio)} | ${s.goal.text}: ${verdict}${s.why ? ` (${s.why})` : ''}`,
    );
  }
}
console.log(
  `${files.length} files, ${unsound} unsound; ${unmet} goals missed or not judged${args.strict ? ' (--strict)' : ''}`,
);
process.exit(unsound || (args.strict && unmet) ? 1 : 0);
