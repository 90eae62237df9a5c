/**
 * Plain data in and out of bulletin (工作快报) generation. The services that query the database map
 * their rows into these shapes; the renderers never see an entity, so they stay pure and testable.
 */

/** One 督导检查 or 调度会 in the period, with the facts its paragraph is written from. */
export interface InspectionFacts {
  id: string;
  kind: 'inspection' | 'meeting';
  /** Who led it, most senior first, e.g. ['王建华']. */
  leadPersons: string[];
  /** Lower is more senior; the section lists the most senior leads first. */
  leadRank: number;
  /** YYYY-MM-DD, the Asia/Shanghai calendar day. */
  date: string;
  /** Where an inspection went, e.g. '永定镇'. Not written for a meeting (the house style omits it). */
  location: string;
  /** What was done, e.g. '公园广场创城督导检查', '社区综合治理工作组创城任务部署会'. */
  activity: string;
  /** People named individually as 陪同/参加, e.g. ['朱峰', '朱凯']. */
  accompanying: string[];
  /** Units whose 负责同志 took part; an entry starting with 相关 (e.g. '相关镇街') is joined with 及. */
  participatingUnits: string[];
  sitesVisited: string[];
  /** The kind of place the sites are, e.g. '公园广场' (read as '查看了A、B等公园广场'). */
  target: string;
  /** What was looked at, e.g. '环境卫生、秩序管理'; may be empty. */
  focus: string;
  /** 要求, in order; each becomes '一要{heading}。{body}'. */
  requirements: { heading: string; body: string }[];
  /** '本刊' or the unit that reported it; written in brackets at the end. */
  source: string;
  problemsFound: number;
  problemsRectified: number;
}

/** Tasks closed in the period for one unit × category (one row of an SQL aggregate). */
export interface ClosedTaskCount {
  unitName: string;
  /** Lower comes first when two units closed the same number of tasks. */
  unitRank?: number;
  /** The bulletin label of the category, e.g. '店外经营' or '停车秩序'. */
  categoryName: string;
  /** 量词: 处, 起, 条, 家 … */
  measureWord: string;
  count: number;
}

/** The fixed masthead and distribution block of the 快报. */
export interface BulletinLetterhead {
  /** e.g. '门头沟区创建全国文明城市 工作快报'; a space marks the masthead's line break. */
  title: string;
  office: string;
  /** 编校 */
  editor: string;
  /** 审核 */
  reviewer: string;
  /** 核签 */
  approver: string;
  /** 报: who it is reported up to. */
  reportTo: string;
  /** 发: who it is sent out to. */
  sendTo: string;
  email: string;
  phone: string;
}

/** Shape of config/bulletin.json: the letterhead plus the defaults generation needs. */
export interface BulletinConfig extends BulletinLetterhead {
  /** The issue number to use when no bulletin has been stored yet. */
  firstIssueNumber: number;
  /** Seniority of lead persons by name, for ordering the 指挥调度 section. */
  leadRanks: Record<string, number>;
  /** How many units get their own 综合整治 paragraph. */
  featuredUnits: number;
}

export type BulletinSectionKey = 'command_dispatch' | 'comprehensive_rectification';

export interface BulletinParagraph {
  /** Stable per source (inspection id, unit name) so edits can be matched on regeneration. */
  key: string;
  /** Chinese text; `**…**` marks bold spans, nothing else is markup. */
  text: string;
}

export interface BulletinSection {
  key: BulletinSectionKey;
  /** Without the 【】 brackets, e.g. '指挥调度', '简讯'. */
  heading: string;
  paragraphs: BulletinParagraph[];
}

export interface BulletinDocument {
  letterhead: BulletinLetterhead;
  issueNumber: number;
  /** YYYY-MM-DD, the issue date. */
  date: string;
  sections: BulletinSection[];
}
