import { checkBodyShape } from './body-shape.js';

describe('checkBodyShape', () => {
  const limits = { maxMembers: 10, maxDepth: 3 };
  it.each([
    ['a scalar', 'x', 'ok'],
    ['null', null, 'ok'],
    ['a flat object at the limit', Object.fromEntries([...Array(10)].map((_, i) => [i, i])), 'ok'],
    [
      'one key too many',
      Object.fromEntries([...Array(11)].map((_, i) => [i, i])),
      'too_many_members',
    ],
    ['array elements count too', { a: [...Array(10)].map(() => 1) }, 'too_many_members'],
    ['depth at the limit', { a: { b: [] } }, 'ok'],
    ['one level too deep', { a: { b: [[]] } }, 'too_deep'],
  ])('%s → %s', (_name, value, verdict) => {
    expect(checkBodyShape(value, limits)).toBe(verdict);
  });

  it('walks 100,000 nested arrays without overflowing the stack', () => {
    const deep = JSON.parse('['.repeat(100_000) + ']'.repeat(100_000)) as unknown;
    expect(checkBodyShape(deep)).toBe('too_deep');
  });
});
