import type pg from 'pg';
import type { HttpResult } from './load.js';
import type { PgbenchResult } from './pgbench.js';
import type { Server } from './processes.js';
import type { ExportFigures } from './scenarios-console.js';

/** What every scenario gets: the running servers, credentials, ids and the run's settings. */
export interface BenchContext {
  /** The bench database. */
  url: string;
  db: pg.Client;
  api: Server;
  plain: Server;
  /**
   * When `framework` runs: the bare handler also sending the headers the service's /health sends,
   * and Fastify alone and Nest on Fastify alone, each with one route.
   */
  ceilings?: { plainWithHeaders: Server; fastify: Server; nest: Server };
  connections: number;
  seconds: number;
  year: number;
  tokens: { admin: string; inspector: string; unit: string };
  ids: {
    /** Unit B01, its user, the on-site category without photo (BC060) and a site of B01. */
    unit: string;
    unitUser: string;
    inspector: string;
    category: string;
    site: string;
  };
  log: (line: string) => void;
}

export interface Measurement {
  label: string;
  connections: number;
  http?: HttpResult;
  raw?: PgbenchResult;
}

export interface ScenarioResult {
  id: string;
  title: string;
  measurements: Measurement[];
  /** HTTP over raw: throughput share (higher is better) or latency multiple (lower is better). */
  ratio?: { value: number; meaning: string };
  skipped?: string;
  /** The ledger export's figures (downloads, not autocannon loads). */
  exports?: ExportFigures[];
  notes: string[];
}

export const bearer = (token: string): Record<string, string> => ({
  authorization: `Bearer ${token}`,
  'content-type': 'application/json',
});

export const fmt = (n: number | undefined, digits = 1): string =>
  n === undefined || Number.isNaN(n) ? '–' : n.toFixed(digits);

/** The framework scenario's measurements, by label (the report reads them by these). */
export const FRAMEWORK_CASES = {
  plain: 'node:http',
  plainWithHeaders: "node:http with the service's answer headers",
  fastify: 'Fastify alone, one route',
  nest: 'Nest on Fastify alone, one route',
  health: 'Nest GET /health',
  me: 'Nest GET /me (authenticated)',
} as const;

/** A scenario's measurement by its label. */
export const measurementOf = (ms: Measurement[], label: string): Measurement | undefined =>
  ms.find((m) => m.label === label);
