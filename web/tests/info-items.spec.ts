import { describe, expect, it } from 'vitest';
import { bodyOf, contentOf, printedLength, type InfoItemSummary } from '@/composables/infoItems';

const item = {
  id: '7d1f8c1e-0000-4000-8000-000000000001',
  column: 'civility',
  kind: null,
  title: '宣讲',
  text: '近日，开展宣讲。',
  workDate: '2026-11-20',
  photos: [{ id: 'p1', mime: 'image/jpeg', originalName: null }],
} as unknown as InfoItemSummary;

describe('信息报送 form helpers', () => {
  it('counts what prints, as the server does: whitespace and line breaks are not characters', () => {
    expect(printedLength('一是 用心\n二是\u3000用心 ')).toBe(8);
    expect(printedLength('𠮷野家')).toBe(3);
  });

  it('an item becomes form content and back; an empty 工作类型 is sent as none', () => {
    const content = contentOf(item);
    expect(content).toEqual({
      column: 'civility',
      kind: '',
      title: '宣讲',
      text: '近日，开展宣讲。',
      workDate: '2026-11-20',
      photoIds: ['p1'],
    });
    expect(bodyOf({ ...content, kind: '  ' })).toEqual({
      column: 'civility',
      kind: null,
      title: '宣讲',
      text: '近日，开展宣讲。',
      workDate: '2026-11-20',
      photoIds: ['p1'],
    });
    expect(bodyOf({ ...content, kind: ' 宣讲 ' }).kind).toBe('宣讲');
    expect(contentOf()).toMatchObject({ column: '', photoIds: [] });
  });
});
