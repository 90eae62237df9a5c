import { webhookBackoffMs } from './queues.js';

describe('webhookBackoffMs: the wait after the n-th failed try', () => {
  const defaults = { webhookBackoffMs: 10_000, webhookTimeoutMs: 5_000 };
  it.each([
    [1, 10_000],
    [2, 20_000],
    [3, 40_000],
    [4, 80_000],
    [5, 160_000],
  ])('doubles from the base: after try %i wait %i ms', (n, ms) => {
    expect(webhookBackoffMs(n, defaults)).toBe(ms);
  });

  it('is never shorter than the timeout plus a second, so a slow receiver is not sent the next try while still busy', () => {
    const slowTimeout = { webhookBackoffMs: 100, webhookTimeoutMs: 2_000 };
    expect([1, 2, 3, 4, 5, 6].map((n) => webhookBackoffMs(n, slowTimeout))).toEqual([
      3_000, 3_000, 3_000, 3_000, 3_000, 3_200,
    ]);
  });
});
