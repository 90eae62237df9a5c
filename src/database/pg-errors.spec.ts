import { QueryFailedError } from 'typeorm';
import { isDatabaseUnavailable } from './pg-errors.js';

const queryFailed = (code: string): QueryFailedError =>
  new QueryFailedError('SELECT 1', [], Object.assign(new Error('driver'), { code }));
const named = (name: string): Error => Object.assign(new Error('x'), { name });

describe('isDatabaseUnavailable', () => {
  it.each([
    ['admin shutdown (57P01)', queryFailed('57P01'), true],
    ['cannot connect now (57P03)', queryFailed('57P03'), true],
    ['connection failure (08006)', queryFailed('08006'), true],
    ['connection refused', Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }), true],
    ['connection terminated', new Error('Connection terminated unexpectedly'), true],
    ['pool timeout', new Error('timeout exceeded when trying to connect'), true],
    ['runner released mid-transaction', named('QueryRunnerAlreadyReleasedError'), true],
    ['provider released', named('QueryRunnerProviderAlreadyReleasedError'), true],
    ['unique violation (23505)', queryFailed('23505'), false],
    ['data exception (22P02)', queryFailed('22P02'), false],
    ['serialization failure (40001)', queryFailed('40001'), false],
    ['a plain bug', new TypeError('undefined is not a function'), false],
    ['not an error', 'oops', false],
  ])('%s → %s', (_, error, expected) => {
    expect(isDatabaseUnavailable(error)).toBe(expected);
  });
});
