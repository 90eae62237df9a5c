import type { ClosedTaskCount } from './bulletin-model.js';
import { renderComprehensiveRectification } from './rectification-brief.js';

function row(
  unitName: string,
  categoryName: string,
  count: number,
  measureWord = '处',
  unitRank?: number,
): ClosedTaskCount {
  return { unitName, categoryName, measureWord, count, unitRank };
}

// The closed tasks behind issue 671's 综合整治 item (环境卫生 16 is printed as 10余).
const referenceRows: ClosedTaskCount[] = [
  row('城子街道', '店外经营', 7, '起'),
  row('东辛房街道', '店外经营', 6, '起'),
  row('东辛房街道', '违规电子显示屏', 4, '处'),
  row('永定镇', '环境卫生', 5, '起'),
  row('东辛房街道', '停车秩序问题', 13, '起'),
  row('妙峰山镇', '环境卫生', 7, '起'),
  row('东辛房街道', '环境卫生', 16, '起'),
];

describe('renderComprehensiveRectification', () => {
  it.each<[string, ClosedTaskCount[], number | undefined, string[]]>([
    [
      "issue 671's item: busiest unit featured, categories by count, the rest in bold after it",
      referenceRows,
      undefined,
      [
        '**【综合整治】东辛房街道：**近日，开展环境秩序综合整治，' +
          '整治环境卫生问题10余起、停车秩序问题13起、店外经营问题6起、违规电子显示屏问题4处。' +
          '**城子街道、妙峰山镇、永定镇**也开展了相关工作。',
      ],
    ],
    [
      'two featured units; the others follow the second',
      referenceRows,
      2,
      [
        '**【综合整治】东辛房街道：**近日，开展环境秩序综合整治，' +
          '整治环境卫生问题10余起、停车秩序问题13起、店外经营问题6起、违规电子显示屏问题4处。',
        '**【综合整治】城子街道：**近日，开展环境秩序综合整治，整治店外经营问题7起。' +
          '**妙峰山镇、永定镇**也开展了相关工作。',
      ],
    ],
    [
      'every unit featured leaves no closing sentence; 0 is treated as 1',
      [row('永定镇', '非法小广告', 236, '条'), row('永定镇', '楼道堆物', 80, '车')],
      0,
      [
        '**【综合整治】永定镇：**近日，开展环境秩序综合整治，' +
          '整治非法小广告问题230余条、楼道堆物问题80车。',
      ],
    ],
    [
      'a tie on totals goes to the lower unit rank, unranked units last',
      [
        row('永定镇', '店外经营', 3, '起', 2),
        row('大峪街道', '店外经营', 3, '起'),
        row('龙泉镇', '店外经营', 3, '起', 1),
      ],
      1,
      [
        '**【综合整治】龙泉镇：**近日，开展环境秩序综合整治，整治店外经营问题3起。' +
          '**永定镇、大峪街道**也开展了相关工作。',
      ],
    ],
    [
      'duplicate unit × category rows are added up, zero rows ignored',
      [
        row('清水镇', '暴露垃圾', 9),
        row('清水镇', '暴露垃圾', 12),
        row('清水镇', '卫生死角', 21),
        row('斋堂镇', '暴露垃圾', 0),
      ],
      1,
      [
        // Equal counts fall back to pinyin: 暴露 (bao) before 卫生 (wei).
        '**【综合整治】清水镇：**近日，开展环境秩序综合整治，整治暴露垃圾问题20余处、卫生死角问题20余处。',
      ],
    ],
  ])('%s', (_name, rows, featuredUnits, expected) => {
    const section = renderComprehensiveRectification(rows, { featuredUnits });
    expect(section?.key).toBe('comprehensive_rectification');
    expect(section?.heading).toBe('简讯');
    expect(section?.paragraphs.map((p) => p.text)).toEqual(expected);
  });

  it('keys paragraphs by unit', () => {
    const section = renderComprehensiveRectification(referenceRows, { featuredUnits: 2 });
    expect(section?.paragraphs.map((p) => p.key)).toEqual([
      'comprehensive_rectification:东辛房街道',
      'comprehensive_rectification:城子街道',
    ]);
  });

  it.each<[string, ClosedTaskCount[]]>([
    ['no rows', []],
    ['only zero counts', [row('永定镇', '店外经营', 0, '起')]],
  ])('is null with %s', (_name, rows) => {
    expect(renderComprehensiveRectification(rows)).toBeNull();
  });

  it.each([-1, 2.5])('refuses a count of %p', (count) => {
    expect(() => renderComprehensiveRectification([row('永定镇', '店外经营', count)])).toThrow(
      RangeError,
    );
  });
});
