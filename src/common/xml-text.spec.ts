import { stripXmlForbidden, xmlSafeCell } from './xml-text.js';

describe('stripXmlForbidden', () => {
  it.each([
    ['plain 中文 text', 'plain 中文 text'],
    ['tab\tnewline\ncr\r', 'tab\tnewline\ncr\r'],
    ['nul\u0000 bell\u0007 vt\u000b ff\u000c esc\u001b', 'nul bell vt ff esc'],
    ['non-characters \uFFFE\uFFFF', 'non-characters '],
    ['lone \uD800 surrogate \uDC00', 'lone  surrogate '],
    ['pair 😀 kept', 'pair 😀 kept'],
  ])('%j → %j', (input, output) => {
    expect(stripXmlForbidden(input)).toBe(output);
  });

  it('passes numbers and null through', () => {
    expect(xmlSafeCell(3)).toBe(3);
    expect(xmlSafeCell(null)).toBeNull();
    expect(xmlSafeCell('a\u0001b')).toBe('ab');
  });
});
