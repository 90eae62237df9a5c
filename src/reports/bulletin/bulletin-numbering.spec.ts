import { DomainError } from '../../common/errors/domain-error.js';
import { checkNextIssueNumber, nextIssueNumber } from './bulletin-numbering.js';

describe('nextIssueNumber', () => {
  it.each<[string, number | null, number | null, number]>([
    ['empty database, nothing set: the config file', null, null, 672],
    ['empty database, the office set 700', null, 700, 700],
    ['empty database, the office set a number below the file', null, 5, 5],
    ['after 672: 673', 672, null, 673],
    ['after 672 with 700 set: 700', 672, 700, 700],
    ['the set number already used up: after the last', 700, 700, 701],
  ])('%s', (_name, last, set, expected) => {
    expect(nextIssueNumber(last, set, 672)).toBe(expected);
  });
});

describe('checkNextIssueNumber', () => {
  it.each<[string, number, number | null, number | null, string | null]>([
    ['after everything', 680, 675, 672, null],
    ['no issue yet', 1, null, null, null],
    ['equal to a published issue', 672, 672, 672, 'ISSUE_NUMBER_NOT_AFTER_PUBLISHED'],
    ['below a published issue', 600, 673, 672, 'ISSUE_NUMBER_NOT_AFTER_PUBLISHED'],
    ['held by a draft', 673, 673, 672, 'ISSUE_NUMBER_IN_USE'],
  ])('%s', (_name, wanted, stored, published, code) => {
    let error: unknown;
    try {
      checkNextIssueNumber(wanted, { stored, published });
    } catch (e) {
      error = e;
    }
    if (code === null) expect(error).toBeUndefined();
    else {
      expect(error).toBeInstanceOf(DomainError);
      expect((error as DomainError).code).toBe(code);
      expect((error as DomainError).kind).toBe('conflict');
      expect((error as DomainError).details?.errors?.[0]?.field).toBe('issueNumber');
    }
  });
});
