import type { InspectionFacts } from './bulletin-model.js';
import { renderCommandDispatch, renderInspectionParagraph } from './command-dispatch.js';

function facts(overrides: Partial<InspectionFacts>): InspectionFacts {
  return {
    id: 'i-1',
    kind: 'inspection',
    leadPersons: ['王建华'],
    leadRank: 1,
    date: '2026-11-07',
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
    ...overrides,
  };
}

// Issue 671's 专题部署 meeting, field by field. The generated text differs from the printed one
// only in '，' for the extracted space after 部署会 and in the free-text '会上，…' sentence, which
// is not a fact we hold.
const referenceMeeting = facts({
  kind: 'meeting',
  date: '2022-04-07',
  location: '区创城办',
  activity: '社区综合治理工作组创城任务部署会',
  accompanying: ['朱峰', '朱凯'],
  participatingUnits: [
    '区委社会工委区民政局',
    '区创城办',
    '区公安分局',
    '区住建委',
    '区消防救援支队',
    '区城管委(区城管执法局)',
    '相关镇街',
  ],
  requirements: [
    {
      heading: '提高站位，强化担当',
      body: '坚持讲政治、创首善、争一流的高标准站位，全力以赴抓好专项治理，要以高度的责任担当、务实的工作精神，落实好区委、区政府部署要求，如期完成各项目标任务',
    },
    {
      heading: '迅速行动，全面推进。',
      body: '要不等不靠，主动研究问题、创新举措，着力提升专项治理社会满意度，让群众真正看到社区创城后的良好变化。',
    },
    {
      heading: '压实责任，抓好落实，',
      body: '始终坚持把整治责任扛在肩上、抓在手中，绝不能浅尝辄止、畏缩不前。要紧跟全区创城工作步伐，明确目标、分解任务、细化清单，把“一月一主题”组织好落实好。',
    },
    {
      heading: ' 统筹协调，形成合力 ',
      body: '切实加强统筹协调和指挥调度，及时掌握工作进度，全力推动工作落实。各成员单位要切实贯彻落实全区整治方案部署要求，积极主动开展整治行动，加强协调配合，形成整治合力，确保整治实效。',
    },
  ],
  source: '区委社会工委区民政局',
});

describe('renderInspectionParagraph', () => {
  it.each<[string, InspectionFacts, string]>([
    [
      'an inspection with people, units, sites, focus, problems and requirements',
      facts({
        location: '永定镇',
        activity: '公园广场创城督导检查',
        accompanying: ['朱峰', '朱凯'],
        participatingUnits: ['区城管委', '永定镇'],
        sitesVisited: ['黑山公园', '永定楼广场', '滨河公园'],
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
      'an inspection whose problems were all rectified, one site, no requirements',
      facts({
        leadPersons: ['李明', '赵刚'],
        date: '2026-11-10',
        location: '大峪街道',
        activity: '背街小巷环境整治督导检查',
        participatingUnits: ['大峪街道'],
        sitesVisited: ['新桥南大街'],
        target: '背街小巷',
        focus: '环境卫生情况',
        source: '大峪街道',
        problemsFound: 6,
        problemsRectified: 6,
      }),
      '李明、赵刚10日到大峪街道开展背街小巷环境整治督导检查，大峪街道相关负责同志参加。' +
        '查看了新桥南大街等背街小巷，重点检查了环境卫生情况。检查发现问题6处，已全部整改。（大峪街道）',
    ],
    [
      'an inspection where more were rectified than found is written as all rectified',
      facts({
        location: '城子街道',
        activity: '农贸市场督导检查',
        accompanying: ['朱峰'],
        problemsFound: 4,
        problemsRectified: 5,
        source: '本刊',
      }),
      '王建华7日到城子街道开展农贸市场督导检查，朱峰参加。检查发现问题4处，已全部整改。（本刊）',
    ],
    [
      'an inspection with no one else, no sites, nothing rectified yet and a plain requirement',
      facts({
        date: '2026-11-12',
        activity: '夜间市容秩序创城督导检查',
        focus: '占道经营、店外经营',
        requirements: [
          { heading: '加强夜间巡查；', body: '' },
          { heading: '', body: '建立长效机制' },
        ],
        problemsFound: 16,
      }),
      '王建华12日开展夜间市容秩序创城督导检查。重点检查了占道经营、店外经营情况。' +
        '检查发现问题10余处，正在督促整改。要求：**一要加强夜间巡查。**二要建立长效机制。',
    ],
    [
      'an inspection with units ending in 相关… does not say 相关 twice',
      facts({
        location: '潭柘寺镇',
        activity: '农村人居环境督导检查',
        participatingUnits: ['区农业农村局', '相关村'],
        sitesVisited: ['平原村', '鲁家滩村'],
        target: '村庄',
        source: '本刊',
      }),
      '王建华7日到潭柘寺镇开展农村人居环境督导检查，区农业农村局及相关村负责同志参加。' +
        '先后查看了平原村、鲁家滩村等村庄。（本刊）',
    ],
    [
      "issue 671's meeting",
      referenceMeeting,
      '王建华7日召开社区综合治理工作组创城任务部署会，朱峰、朱凯参加。' +
        '区委社会工委区民政局、区创城办、区公安分局、区住建委、区消防救援支队、区城管委(区城管执法局)及相关镇街负责同志参会。' +
        '会议要求：**一要提高站位，强化担当。**坚持讲政治、创首善、争一流的高标准站位，全力以赴抓好专项治理，要以高度的责任担当、务实的工作精神，落实好区委、区政府部署要求，如期完成各项目标任务。' +
        '**二要迅速行动，全面推进。**要不等不靠，主动研究问题、创新举措，着力提升专项治理社会满意度，让群众真正看到社区创城后的良好变化。' +
        '**三要压实责任，抓好落实。**始终坚持把整治责任扛在肩上、抓在手中，绝不能浅尝辄止、畏缩不前。要紧跟全区创城工作步伐，明确目标、分解任务、细化清单，把“一月一主题”组织好落实好。' +
        '**四要统筹协调，形成合力。**切实加强统筹协调和指挥调度，及时掌握工作进度，全力推动工作落实。各成员单位要切实贯彻落实全区整治方案部署要求，积极主动开展整治行动，加强协调配合，形成整治合力，确保整治实效。' +
        '（区委社会工委区民政局）',
    ],
    [
      'a meeting with units only; sites and focus are not written for a meeting',
      facts({
        kind: 'meeting',
        date: '2026-11-03',
        location: '区创城办',
        activity: '创城重点点位整改调度会',
        participatingUnits: ['区城管委', '各街镇'],
        sitesVisited: ['黑山公园'],
        focus: '环境卫生',
        requirements: [{ heading: '对账销号', body: '逐项核实整改结果' }],
        source: '本刊',
      }),
      '王建华3日召开创城重点点位整改调度会，区城管委、各街镇负责同志参会。' +
        '会议要求：**一要对账销号。**逐项核实整改结果。（本刊）',
    ],
    [
      'a meeting with nobody listed',
      facts({ kind: 'meeting', activity: '创城工作专题会' }),
      '王建华7日召开创城工作专题会。',
    ],
  ])('%s', (_name, input, expected) => {
    expect(renderInspectionParagraph(input)).toBe(expected);
  });

  it('numbers the requirements on past ten', () => {
    const requirements = Array.from({ length: 11 }, (_, i) => ({
      heading: `第${i + 1}条`,
      body: '',
    }));
    const text = renderInspectionParagraph(facts({ activity: '检查', requirements }));
    expect(text).toContain('**十要第10条。****十一要第11条。**');
  });

  it('refuses a date that is not YYYY-MM-DD', () => {
    expect(() => renderInspectionParagraph(facts({ date: '2026/11/07' }))).toThrow(RangeError);
  });
});

describe('renderCommandDispatch', () => {
  it('orders by lead rank, then date, then id, and keys paragraphs by inspection id', () => {
    const section = renderCommandDispatch([
      facts({ id: 'c', leadRank: 2, date: '2026-11-01', activity: '会A', kind: 'meeting' }),
      facts({ id: 'b', leadRank: 1, date: '2026-11-09', activity: '会B', kind: 'meeting' }),
      facts({ id: 'z', leadRank: 1, date: '2026-11-02', activity: '会C', kind: 'meeting' }),
      facts({ id: 'a', leadRank: 1, date: '2026-11-09', activity: '会D', kind: 'meeting' }),
    ]);
    expect(section.key).toBe('command_dispatch');
    expect(section.heading).toBe('指挥调度');
    expect(section.paragraphs).toEqual([
      { key: 'z', text: '王建华2日召开会C。' },
      { key: 'a', text: '王建华9日召开会D。' },
      { key: 'b', text: '王建华9日召开会B。' },
      { key: 'c', text: '王建华1日召开会A。' },
    ]);
  });

  it('gives an empty section for an empty period', () => {
    expect(renderCommandDispatch([]).paragraphs).toEqual([]);
  });
});
