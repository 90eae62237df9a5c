import type { DataSource, EntityManager } from 'typeorm';

/** Why an attempt failed, for the office's list: the receiver answered non-2xx, or never answered. */
export type AttemptErrorCategory =
  'http_status' | 'timeout' | 'network' | 'refused' | 'invalid_url';

export interface AttemptOutcome {
  ok: boolean;
  statusCode: number | null;
  errorCategory: AttemptErrorCategory | null;
  error: string | null;
  durationMs: number;
}

/** The category of a failed send (the error, or its cause, carries the socket's error code). */
export function categorize(e: unknown): AttemptErrorCategory {
  const err = e as { name?: string; code?: string; cause?: { code?: string; name?: string } };
  if (err.name === 'TimeoutError' || err.name === 'AbortError') return 'timeout';
  const code = err.cause?.code ?? err.code ?? '';
  if (code === 'ECONNREFUSED') return 'refused';
  if (code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'ETIMEDOUT') return 'timeout';
  if (code === 'ERR_INVALID_URL' || (e instanceof TypeError && /url/i.test(e.message)))
    return 'invalid_url';
  return 'network';
}

/** Appends one attempt to a delivery's history; the history is never rewritten. */
export async function recordAttempt(
  db: DataSource | EntityManager,
  deliveryId: string,
  at: Date,
  o: AttemptOutcome,
): Promise<void> {
  await db.query(
    `INSERT INTO webhook_delivery_attempts (delivery_id, attempted_at, status_code, error_category, error, duration_ms)
     VALUES ($1, $2, $3, $4, $5, $6)`,
    [deliveryId, at, o.statusCode, o.errorCategory, o.error, Math.max(0, Math.round(o.durationMs))],
  );
}

export interface AttemptRow {
  attemptedAt: string;
  statusCode: number | null;
  errorCategory: AttemptErrorCategory | null;
  error: string | null;
  durationMs: number;
}

export async function attemptsOf(db: DataSource, deliveryId: string): Promise<AttemptRow[]> {
  const rows = (await db.query(
    `SELECT attempted_at, status_code, error_category, error, duration_ms
       FROM webhook_delivery_attempts WHERE delivery_id = $1 ORDER BY id`,
    [deliveryId],
  )) as {
    attempted_at: Date;
    status_code: number | null;
    error_category: AttemptErrorCategory | null;
    error: string | null;
    duration_ms: number;
  }[];
  return rows.map((r) => ({
    attemptedAt: r.attempted_at.toISOString(),
    statusCode: r.status_code,
    errorCategory: r.error_category,
    error: r.error,
    durationMs: r.duration_ms,
  }));
}
