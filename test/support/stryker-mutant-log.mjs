// A Stryker reporter plugin (stryker.config.mjs, `appendPlugins`): appends one JSON line per
// tested mutant to reports/mutation/mutants.jsonl as the run goes, so a run stopped before its
// end (a full run takes hours on a small machine) still says which mutants survived.
import { PluginKind, declareClassPlugin } from '@stryker-mutator/api/plugin';
import { appendFileSync, mkdirSync } from 'node:fs';
import process from 'node:process';

const FILE = `reports/mutation/${process.env.MUTATION_TESTS === 'unit' ? 'unit-' : ''}mutants.jsonl`;

class MutantLogReporter {
  constructor() {
    mkdirSync('reports/mutation', { recursive: true });
  }

  onMutantTested(result) {
    const line = {
      at: new Date().toISOString(),
      id: result.id,
      status: result.status,
      file: result.fileName,
      line: result.location.start.line,
      mutator: result.mutatorName,
      replacement: result.replacement,
      killedBy: result.killedBy?.length ?? 0,
      coveredBy: result.coveredBy?.length ?? 0,
      // Which test killed it and why: a kill by a flaky or unrelated failure shows here.
      killedByTests: result.killedBy?.slice(0, 3),
      statusReason: result.statusReason?.slice(0, 300),
    };
    appendFileSync(FILE, `${JSON.stringify(line)}\n`);
  }
}

export const strykerPlugins = [
  declareClassPlugin(PluginKind.Reporter, 'mutant-log', MutantLogReporter),
];
