import { describe, expect, it } from 'vitest';
import { moveParagraph, moveSection } from '../src/views/bulletin/layout';

const issue = [
  { key: 'good', paragraphs: [{ key: 'g1' }] },
  { key: 'dispatch', paragraphs: [{ key: 'a' }, { key: 'b' }] },
  { key: 'brief', paragraphs: [] },
];

describe('moving sections and paragraphs of a 快报', () => {
  it('moves a section up and down, not past either end', () => {
    expect(moveSection(issue, 'dispatch', -1)?.map((s) => s.key)).toEqual([
      'dispatch',
      'good',
      'brief',
    ]);
    expect(moveSection(issue, 'good', -1)).toBeNull();
    expect(moveSection(issue, 'brief', 1)).toBeNull();
  });

  it('moves a paragraph within its section, then across into the next', () => {
    expect(moveParagraph(issue, 'a', 1)).toEqual([
      { key: 'good', paragraphs: ['g1'] },
      { key: 'dispatch', paragraphs: ['b', 'a'] },
      { key: 'brief', paragraphs: [] },
    ]);
    expect(moveParagraph(issue, 'b', 1)).toEqual([
      { key: 'good', paragraphs: ['g1'] },
      { key: 'dispatch', paragraphs: ['a'] },
      { key: 'brief', paragraphs: ['b'] },
    ]);
    expect(moveParagraph(issue, 'a', -1)).toEqual([
      { key: 'good', paragraphs: ['g1', 'a'] },
      { key: 'dispatch', paragraphs: ['b'] },
      { key: 'brief', paragraphs: [] },
    ]);
    expect(moveParagraph(issue, 'g1', -1)).toBeNull();
  });
});
