import { plainToInstance } from 'class-transformer';
import { IsString, validateSync } from 'class-validator';
import { IsNonBlankText, NormalisedText, normaliseText } from './plain-text.js';

class Named {
  @IsString() @IsNonBlankText() name: string;
  @NormalisedText() notes?: string;
  @IsString({ each: true }) @IsNonBlankText({ each: true }) leads: string[];
}

describe('normaliseText', () => {
  it.each([
    ['  东辛房街道  ', '东辛房街道'],
    ['\u3000东辛房街道\u3000', '东辛房街道'],
    ['\n\t东辛房街道\r\n', '东辛房街道'],
    ['东辛房\u200B街道', '东辛房街道'],
    ['\uFEFF东辛房街道\u200C\u200D', '东辛房街道'],
    ['\u200B \u3000\u200B', ''],
    ['东辛房 街道', '东辛房 街道'],
    ['东\u200D辛房', '东辛房'],
    ['\u200D👨\u200D👩\u200D👧\u200D', '👨\u200D👩\u200D👧'],
    ['🏳️\u200D🌈', '🏳️\u200D🌈'],
  ])('%p → %p', (input, expected) => {
    expect(normaliseText(input)).toBe(expected);
  });
});

describe('@IsNonBlankText', () => {
  const check = (plain: object): { value: Named; fields: string[] } => {
    const value = plainToInstance(Named, plain);
    return { value, fields: validateSync(value).map((e) => e.property) };
  };

  it.each(['', '   ', '\u3000\u3000', '\n\r\n', '\u200B', '\uFEFF\u200B \u3000'])(
    'refuses %p as a name',
    (name) => {
      expect(check({ name, leads: ['王建华'] }).fields).toEqual(['name']);
    },
  );

  it('refuses a blank element of a list', () => {
    expect(check({ name: '甲', leads: ['王建华', '\u3000'] }).fields).toEqual(['leads']);
  });

  it('stores what it accepts normalised', () => {
    const { value, fields } = check({
      name: ' 城子\u200B街道\u3000',
      notes: '  备注\n',
      leads: [' 王建华 '],
    });
    expect(fields).toEqual([]);
    expect(value).toMatchObject({ name: '城子街道', notes: '备注', leads: ['王建华'] });
  });

  it('leaves a non-string to the type check', () => {
    expect(check({ name: 42, leads: [] }).fields).toEqual(['name']);
  });
});
