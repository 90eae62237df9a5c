import type { Checklist } from './api';

export type WalkChoice = 'pass' | 'fail' | 'na';

/** What the inspector has entered for one item so far. */
export interface WalkDraftAnswer {
  result?: WalkChoice;
  note: string;
  /** Photos taken for a 不合格 (keys of the shots held by the screen). */
  photos: number;
}

/**
 * What still stops a walk from being saved, by item id: an item not answered, a 不合格 without a
 * photo (the server refuses both; saying so on the phone spares a round trip that may be hours
 * later). Empty when it can be saved.
 */
export function walkDraftProblems(
  items: Checklist['items'],
  answers: Record<string, WalkDraftAnswer | undefined>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of items) {
    const a = answers[item.id];
    if (!a?.result) out[item.id] = '请选择合格、不合格或不适用';
    else if (a.result === 'fail' && a.photos === 0) out[item.id] = '不合格项须拍照';
  }
  return out;
}

/** Answers 合格 for every item not answered yet (the usual case: most items pass). */
export function passTheRest(
  items: Checklist['items'],
  answers: Record<string, WalkDraftAnswer | undefined>,
): Record<string, WalkDraftAnswer> {
  return Object.fromEntries(
    items.map((i) => {
      const a = answers[i.id] ?? { note: '', photos: 0 };
      return [i.id, a.result ? a : { ...a, result: 'pass' as const }];
    }),
  );
}

/**
 * A server field of a walk (`results.3.attachmentIds`) as the inspector reads it: the item's
 * number and text. Other fields pass through.
 */
export function walkFieldText(
  field: string,
  results: { position: number; text: string }[],
): string {
  const m = /^results\.(\d+)\./.exec(field);
  const r = m ? results[Number(m[1])] : undefined;
  return r ? `第${r.position}项“${r.text}”` : field;
}
