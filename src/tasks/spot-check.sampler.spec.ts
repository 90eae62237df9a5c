import { SpotCheckSampler } from './spot-check.sampler.js';

describe('SpotCheckSampler: the 抽查 draw', () => {
  const sampler = new SpotCheckSampler();
  const share = (ratio: number, n = 20_000): number => {
    let drawn = 0;
    for (let i = 0; i < n; i++) if (sampler.drawn(ratio)) drawn += 1;
    return drawn / n;
  };

  it('never draws with ratio 0 and always with ratio 1', () => {
    expect(share(0, 5_000)).toBe(0);
    expect(share(1, 5_000)).toBe(1);
  });

  it('draws about the ratio of submissions', () => {
    // 20,000 draws: the standard deviation of the share is 0.0035 at 0.5, 0.0021 at 0.1.
    expect(share(0.5)).toBeGreaterThan(0.47);
    expect(share(0.5)).toBeLessThan(0.53);
    expect(share(0.1)).toBeGreaterThan(0.085);
    expect(share(0.1)).toBeLessThan(0.115);
  });
});
