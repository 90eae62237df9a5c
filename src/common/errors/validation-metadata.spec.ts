import { getMetadataStorage, IsInt, IsString, MaxLength, validate } from 'class-validator';
import { memoizeValidationMetadata } from './validation-metadata.js';

describe('memoizeValidationMetadata', () => {
  const storage = getMetadataStorage();
  const lookedUp: string[] = [];
  // Count the library's own look-ups under the memo.
  const original = storage.getTargetValidationMetadatas.bind(storage);
  storage.getTargetValidationMetadatas = (target, ...rest) => {
    lookedUp.push((target as { name: string }).name);
    return original(target, ...rest);
  };
  memoizeValidationMetadata(storage);
  memoizeValidationMetadata(storage); // idempotent: one memo, not two

  class Report {
    @IsString() @MaxLength(5) title!: string;
    @IsInt({ groups: ['strict'] }) count!: unknown;
  }
  const report = (title: unknown, count: unknown) => Object.assign(new Report(), { title, count });
  const failing = async (o: object, groups?: string[]) =>
    (await validate(o, groups ? { groups } : {})).map((e) => e.property).sort();

  beforeEach(() => {
    lookedUp.length = 0;
  });

  it('looks a class up once and keeps validating it the same', async () => {
    expect(await failing(report('长长长长长长', 'x'))).toEqual(['count', 'title']);
    expect(await failing(report('短', 'x'))).toEqual(['count']);
    expect(await failing(report(7, 1))).toEqual(['title']);
    expect(lookedUp.filter((n) => n === 'Report')).toEqual(['Report']);
  });

  it('keeps each set of validation options apart', async () => {
    // With groups, only the rules of those groups apply; without, every rule.
    expect(await failing(report('长长长长长长', 'x'), ['strict'])).toEqual(['count']);
    expect(await failing(report('长长长长长长', 'x'))).toEqual(['count', 'title']);
    expect(await failing(report('长长长长长长', 1), ['strict'])).toEqual([]);
    expect(await failing(report('长长长长长长', 1))).toEqual(['title']);
    // Only the grouped look-up is new: the ungrouped one is kept from the first test.
    expect(lookedUp).toEqual(['Report']);
  });

  it('drops what it kept when a rule is registered later', async () => {
    await failing(report('短', 1));
    expect(lookedUp).toEqual([]);
    class LongReport extends Report {
      @IsInt() pages!: unknown;
    }
    const long = Object.assign(new LongReport(), { title: '长长长长长长', count: 1, pages: 'x' });
    expect(await failing(long)).toEqual(['pages', 'title']);
    expect(await failing(report('短', 'x'))).toEqual(['count']);
    expect(lookedUp).toEqual(['LongReport', 'Report']);
  });
});
