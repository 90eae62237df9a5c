import { Injectable } from '@nestjs/common';
import { randomInt } from 'node:crypto';

/** The 抽查 draw: whether one submission is picked for an on-site check. Replaceable in tests. */
@Injectable()
export class SpotCheckSampler {
  drawn(ratio: number): boolean {
    return randomInt(1_000_000) < Math.round(ratio * 1_000_000);
  }
}
