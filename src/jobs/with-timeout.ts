/**
 * Rejects when `p` has not settled within `ms`. bull's client queues commands while Redis is
 * unreachable, so an add can hang; callers that must not wait on Redis race it with this. The
 * command may still run later, which is why every job here is idempotent.
 */
export function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`queue did not answer within ${ms} ms`)), ms);
    }),
  ]);
}
