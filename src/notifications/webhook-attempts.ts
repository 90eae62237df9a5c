import type { AttemptHistoryRow } from './webhooks.repository.js';

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

export interface AttemptRow {
  attemptedAt: string;
  statusCode: number | null;
  errorCategory: AttemptErrorCategory | null;
  error: string | null;
  durationMs: number;
}

/** The history as the API shows it. */
export const toAttempt = (r: AttemptHistoryRow): AttemptRow => ({
  attemptedAt: r.attempted_at.toISOString(),
  statusCode: r.status_code,
  errorCategory: r.error_category,
  error: r.error,
  durationMs: r.duration_ms,
});
