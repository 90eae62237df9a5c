import { loadavg } from 'node:os';
import type { LoadReading } from './results-schema.js';

/** Above this 1-minute load average at the start, ratios and timing goals are not reported. */
export const LOAD_LIMIT = 1.5;

/**
 * The machine's load before a run starts: printed, and judged against LOAD_LIMIT. The benchmark
 * shares its cores with whatever else runs, and its goals compare figures taken one after the
 * other, so a busy start makes them not comparable. `ignore` (the `--ignore-load` flag) judges
 * anyway, for development; the result file says so.
 */
export function readLoadBefore(
  ignore: boolean,
  log: (line: string) => void,
): { before: number; comparable: boolean; finish: () => LoadReading } {
  const before = loadavg()[0];
  const comparable = before <= LOAD_LIMIT || ignore;
  log(
    `load average before the start: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' / ')} (1 / 5 / 15 min)`,
  );
  if (before > LOAD_LIMIT)
    log(
      ignore
        ? `  above ${LOAD_LIMIT}: judged anyway (--ignore-load), for development only`
        : `  above ${LOAD_LIMIT}: the machine is busy; no ratio is reported and timing goals are not judged — the figures are printed as not comparable (--ignore-load overrides, for development)`,
    );
  return {
    before,
    comparable,
    finish: () => {
      const after = loadavg()[0];
      log(
        `load average after the run: ${loadavg()
          .map((l) => l.toFixed(2))
          .join(' / ')} (1 / 5 / 15 min)${comparable ? '' : ' — figures not comparable'}`,
      );
      return {
        before,
        after,
        limit: LOAD_LIMIT,
        comparable,
        overridden: ignore && before > LOAD_LIMIT,
      };
    },
  };
}
