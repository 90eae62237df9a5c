import type { InspectionFacts } from './bulletin-model.js';

/**
 * The facts a 指挥调度 paragraph is written from: InspectionFacts (bulletin-model.ts) plus what
 * the house style needs (issue 14). Every addition is optional, so facts built before it (and
 * rows written before it) give the paragraph they always gave.
 */

/** A person as the text names them: title then name ('区委常委、宣传部部长' + '王建华'). */
export interface TitledName {
  title: string;
  name: string;
}

export interface RemarkFacts {
  speaker: string;
  /** 指出, 强调, 表示 … written as 'X指出，…'. */
  verb: string;
  text: string;
}

/** 一要 (yao), 一是 (shi), 1. (digits), or a single unnumbered requirement (none). */
export type RequirementNumberingFacts = 'yao' | 'shi' | 'digits' | 'none';

export interface DispatchFacts extends Omit<InspectionFacts, 'kind'> {
  /** A 调研 (survey) is a visit written '到永定镇调研指导创城工作'. */
  kind: InspectionFacts['kind'] | 'survey';
  /** The body that convened a meeting: '4月7日，区创城办召开…', its leaders then 出席. */
  convener?: string;
  /** A meeting's purpose: '…推进会，传达全市创城工作推进会精神。' */
  purpose?: string;
  /** Leaders with titles; when given they stand for leadPersons in the text. */
  leaders?: TitledName[];
  /** Officials of the visited unit: '永定镇党委书记张三陪同调研'. */
  escorts?: TitledName[];
  /** Participants that are not units: '各镇街主要领导'. */
  participantGroups?: string[];
  remarks?: RemarkFacts[];
  /** 'X要求：' instead of '会议要求：' / '要求：'. */
  requirementsBy?: string;
  requirementNumbering?: RequirementNumberingFacts;
  /** What a visit looked at: '先后到A、B和C查看各项指标落实情况'. */
  lookedAt?: string;
  /** Aliases of sitesVisited, index by index ('' for none): 石门营文化公园（石门营广场）. */
  siteAliases?: string[];
  /** 量词 of the problems found: the categories' common one, or '个' when they differ. */
  problemsMeasureWord?: string;
}
