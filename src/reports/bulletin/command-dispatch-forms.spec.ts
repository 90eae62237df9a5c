import type { DispatchFacts } from './command-dispatch-facts.js';
import { renderInspectionParagraph } from './command-dispatch.js';

/**
 * The house-style forms of issue 14, one row per form, each with the whole paragraph written
 * out: a 推进会 convened by a body that leaders attend, a 调研 with the visited unit's officials
 * 陪同 and sites with aliases, a 督导检查 that says what it looked at, remarks, attributed and
 * numbered or unnumbered requirements, and problems counted in their categories' measure word.
 */

/** Facts as bulletin-facts.reader.ts reads a row that uses none of the house-style fields. */
function facts(overrides: Partial<DispatchFacts>): DispatchFacts {
  return {
    id: 'i-1',
    kind: 'inspection',
    leadPersons: ['王建华'],
    leadRank: 1,
    date: '2026-11-20',
    location: '',
    activity: '',
    accompanying: [],
    participatingUnits: [],
    sitesVisited: [],
    target: '',
    focus: '',
    requirements: [],
    source: '',
    problemsFound: 0,
    problemsRectified: 0,
    problemsMeasureWord: '处',
    convener: '',
    purpose: '',
    leaders: [],
    escorts: [],
    participantGroups: [],
    remarks: [],
    requirementsBy: '',
    requirementNumbering: 'yao',
    lookedAt: '',
    siteAliases: [],
    ...overrides,
  };
}

const wang = { title: '区委常委、宣传部部长', name: '王建华' };

describe('renderInspectionParagraph: the house-style forms', () => {
  it.each<[string, DispatchFacts, string]>([
    [
      '推进会 convened by the office: purpose, a leader attends, a group takes part, remarks, 一是…二是…',
      facts({
        kind: 'meeting',
        date: '2026-11-24',
        convener: '区创城办',
        activity: '全区创城工作推进会',
        purpose: '传达全市创城工作推进会精神',
        leaders: [wang],
        participantGroups: ['各镇街主要领导'],
        remarks: [
          { speaker: '王建华', verb: '指出', text: '我区创城工作取得阶段性成效' },
          { speaker: '王建华', verb: '强调', text: '要对标测评体系，补齐短板弱项。' },
        ],
        requirementsBy: '王建华',
        requirementNumbering: 'shi',
        requirements: [
          { heading: '', body: '要压实属地责任' },
          { heading: '', body: '要加强督查考核；' },
        ],
        source: '本刊',
      }),
      '11月24日，区创城办召开全区创城工作推进会，传达全市创城工作推进会精神。' +
        '区委常委、宣传部部长王建华出席会议。各镇街主要领导参加。' +
        '王建华指出，我区创城工作取得阶段性成效。王建华强调，要对标测评体系，补齐短板弱项。' +
        '王建华要求：一是要压实属地责任；二是要加强督查考核。（本刊）',
    ],
    [
      '动员部署会 convened by 区委区政府: two leaders attend, units and a group take part, 1. 2. with headings',
      facts({
        kind: 'meeting',
        date: '2026-11-24',
        convener: '区委区政府',
        activity: '创建全国文明城市工作动员部署会',
        leaders: [
          { title: '区委书记', name: '张三' },
          { title: '区长', name: '李四' },
        ],
        participatingUnits: ['区城管委', '区住建委'],
        participantGroups: ['各镇街主要领导'],
        requirementNumbering: 'digits',
        requirements: [
          { heading: '提高站位', body: '坚持高标准' },
          { heading: '压实责任', body: '逐项抓好落实' },
        ],
      }),
      '11月24日，区委区政府召开创建全国文明城市工作动员部署会。区委书记张三、区长李四出席会议。' +
        '区城管委、区住建委负责同志，各镇街主要领导参加。' +
        '会议要求：**1.提高站位。**坚持高标准。**2.压实责任。**逐项抓好落实。',
    ],
    [
      'a meeting its leader convenes (issue 671) with a purpose, a group and attributed 一要',
      facts({
        kind: 'meeting',
        date: '2022-04-07',
        activity: '社区综合治理工作组创城任务部署会',
        purpose: '传达全市创城工作会议精神。',
        accompanying: ['朱峰'],
        participatingUnits: ['区民政局', '相关镇街'],
        participantGroups: ['各社区书记'],
        requirementsBy: '王建华',
        requirements: [{ heading: '提高站位', body: '强化担当' }],
      }),
      '王建华7日召开社区综合治理工作组创城任务部署会，传达全市创城工作会议精神，朱峰参加。' +
        '区民政局及相关镇街负责同志，各社区书记参会。王建华要求：**一要提高站位。**强化担当。',
    ],
    [
      '调研 led by a titled leader: 陪同, sites with an alias joined with 和, what was looked at, one unnumbered requirement',
      facts({
        kind: 'survey',
        leaders: [wang],
        location: '永定镇',
        activity: '指导创城工作',
        escorts: [{ title: '永定镇党委书记', name: '张三' }],
        sitesVisited: ['石门营文化公园', '永定楼', '永定镇社区服务中心'],
        siteAliases: ['石门营广场', '', ''],
        lookedAt: '各项指标落实情况',
        requirementsBy: '王建华',
        requirementNumbering: 'none',
        requirements: [{ heading: '', body: '各单位要对照测评标准，立行立改' }],
        source: '本刊',
      }),
      '11月20日，区委常委、宣传部部长王建华到永定镇调研指导创城工作，永定镇党委书记张三陪同调研。' +
        '先后到石门营文化公园（石门营广场）、永定楼和永定镇社区服务中心查看各项指标落实情况。' +
        '王建华要求：各单位要对照测评标准，立行立改。（本刊）',
    ],
    [
      '调研 by name: one site, the default object, units take part, problems counted in 起',
      facts({
        kind: 'survey',
        location: '城子街道',
        activity: '调研指导创城工作',
        participatingUnits: ['区城管委'],
        sitesVisited: ['城子大街'],
        problemsFound: 3,
        problemsRectified: 2,
        problemsMeasureWord: '起',
      }),
      '王建华20日到城子街道调研指导创城工作，区城管委相关负责同志参加。' +
        '到城子大街查看创城工作落实情况。调研发现问题3起，已整改2起。',
    ],
    [
      '调研 of a kind of place: the list ends in 等 and the target',
      facts({
        kind: 'survey',
        location: '大峪街道',
        activity: '创城工作',
        sitesVisited: ['滨河公园', '永定楼广场', '黑山公园'],
        target: '公园广场',
      }),
      '王建华20日到大峪街道调研创城工作。' +
        '先后到滨河公园、永定楼广场、黑山公园等公园广场查看创城工作落实情况。',
    ],
    [
      '督导检查 that says what it looked at: 陪同检查, a group, mixed measure words as 个, a remark',
      facts({
        location: '大峪街道',
        activity: '背街小巷创城督导检查',
        escorts: [{ title: '大峪街道主任', name: '李四' }],
        participantGroups: ['区创城办督导组'],
        sitesVisited: ['新桥大街', '府前街'],
        lookedAt: '停车秩序、环境卫生',
        problemsFound: 5,
        problemsRectified: 5,
        problemsMeasureWord: '个',
        remarks: [{ speaker: '王建华', verb: '指出', text: '背街小巷是创城的难点' }],
      }),
      '王建华20日到大峪街道开展背街小巷创城督导检查，大峪街道主任李四陪同检查，区创城办督导组参加。' +
        '先后到新桥大街和府前街查看停车秩序、环境卫生等情况。检查发现问题5个，已全部整改。' +
        '王建华指出，背街小巷是创城的难点。',
    ],
    [
      "an old-style inspection, read with the reader's defaults, renders as before issue 14",
      facts({
        date: '2026-11-07',
        location: '永定镇',
        activity: '公园广场创城督导检查',
        accompanying: ['朱峰', '朱凯'],
        participatingUnits: ['区城管委', '永定镇'],
        sitesVisited: ['黑山公园', '永定楼广场', '滨河公园'],
        siteAliases: ['', '', ''],
        target: '公园广场',
        focus: '环境卫生、秩序管理',
        requirements: [
          { heading: '提高站位，强化担当', body: '坚持高标准站位，对标测评指标逐项自查自改' },
          {
            heading: '压实责任，抓好落实。',
            body: '属地街镇要建立问题台账，明确整改时限，确保立行立改。',
          },
        ],
        source: '本刊',
        problemsFound: 23,
        problemsRectified: 12,
      }),
      '王建华7日到永定镇开展公园广场创城督导检查，朱峰、朱凯，区城管委、永定镇相关负责同志参加。' +
        '先后查看了黑山公园、永定楼广场、滨河公园等公园广场，重点检查了环境卫生、秩序管理情况。' +
        '检查发现问题20余处，已整改12处。' +
        '要求：**一要提高站位，强化担当。**坚持高标准站位，对标测评指标逐项自查自改。' +
        '**二要压实责任，抓好落实。**属地街镇要建立问题台账，明确整改时限，确保立行立改。（本刊）',
    ],
    [
      "an old-style meeting, read with the reader's defaults, renders as before issue 14",
      facts({
        kind: 'meeting',
        date: '2022-04-07',
        location: '区创城办',
        activity: '社区综合治理工作组创城任务部署会',
        accompanying: ['朱峰', '朱凯'],
        participatingUnits: ['区公安分局', '相关镇街'],
        requirements: [{ heading: '提高站位，强化担当', body: '全力以赴抓好专项治理' }],
        source: '区委社会工委区民政局',
      }),
      '王建华7日召开社区综合治理工作组创城任务部署会，朱峰、朱凯参加。' +
        '区公安分局及相关镇街负责同志参会。' +
        '会议要求：**一要提高站位，强化担当。**全力以赴抓好专项治理。（区委社会工委区民政局）',
    ],
    [
      'typed markup in the new fields stays text',
      facts({
        kind: 'meeting',
        convener: '区**创城办',
        activity: '推进会',
        leaders: [{ title: '部长*', name: '王建华' }],
        remarks: [{ speaker: '王\\建华', verb: '强调', text: '**要**落实' }],
      }),
      '11月20日，区\\*\\*创城办召开推进会。部长\\*王建华出席会议。王\\\\建华强调，\\*\\*要\\*\\*落实。',
    ],
  ])('%s', (_name, f, expected) => {
    expect(renderInspectionParagraph(f)).toBe(expected);
  });
});
