import { invalidField } from '../common/errors/domain-error.js';
import type { DispatchFacts } from '../reports/bulletin/command-dispatch-facts.js';
import type { CreateInspectionDto, UpdateInspectionDto } from './dto/inspection.dto.js';
import type {
  Remark,
  Requirement,
  RequirementNumbering,
  TitledPerson,
} from './inspection.entity.js';
import type { HouseStyleColumns } from './inspections.repository.js';

/**
 * The house-style fields of an inspection (issue 14): checked beyond what the DTO's decorators
 * can say (a person needs a title or a name, a requirement a heading or a body, an unnumbered
 * requirement is a single one), each refusal a 400 naming the field.
 */

const blank = (s: string | undefined | null): boolean => (s ?? '').trim() === '';

function people(list: { title?: string; name?: string }[], field: string): TitledPerson[] {
  return list.map((p, i) => {
    if (blank(p.title) && blank(p.name)) {
      throw invalidField(`${field}.${i}`, '请填写职务或姓名', 'isNonBlankText');
    }
    return { title: (p.title ?? '').trim(), name: (p.name ?? '').trim() };
  });
}

export function requirementsOf(list: { heading?: string; body: string }[]): Requirement[] {
  return list.map((r, i) => {
    if (blank(r.heading) && blank(r.body)) {
      throw invalidField(`requirements.${i}.body`, '要求的标题和内容不能都为空', 'isNonBlankText');
    }
    return { heading: (r.heading ?? '').trim(), body: r.body.trim() };
  });
}

/** 'none' is one requirement written without a number: two of them would read as one. */
export function checkNumbering(numbering: RequirementNumbering, count: number): void {
  if (numbering === 'none' && count > 1) {
    throw invalidField('requirementNumbering', '不编号时只能有一条要求', 'singleRequirement');
  }
}

/** The lead persons: as given, else the leaders' names (or titles); at least one. */
export function leadPersonsOf(
  leadPersons: string[] | undefined,
  leaders: TitledPerson[] | undefined,
): string[] {
  const given = (leadPersons ?? []).map((s) => s.trim()).filter((s) => s !== '');
  if (given.length > 0) return given;
  const fromLeaders = (leaders ?? []).map((p) => p.name || p.title).filter((s) => s !== '');
  if (fromLeaders.length === 0) {
    throw invalidField('leadPersons', '请填写带队（出席）领导：leadPersons 或 leaders', 'required');
  }
  return fromLeaders;
}

const orNull = (s: string | undefined): string | null => (blank(s) ? null : s!.trim());

/** The columns of a new inspection's house-style fields. */
export function houseStyleOf(dto: CreateInspectionDto): HouseStyleColumns {
  const numbering = dto.requirementNumbering ?? 'yao';
  checkNumbering(numbering, dto.requirements?.length ?? 0);
  return {
    convener: orNull(dto.convener),
    purpose: orNull(dto.purpose),
    leaders: people(dto.leaders ?? [], 'leaders'),
    escorts: people(dto.escorts ?? [], 'escorts'),
    participantGroups: (dto.participantGroups ?? []).map((g) => g.trim()),
    remarks: remarksOf(dto.remarks ?? []),
    requirementsBy: orNull(dto.requirementsBy),
    requirementNumbering: numbering,
    lookedAt: orNull(dto.lookedAt),
  };
}

/** The columns an update changes: only the fields it gives ('' clears a text field). */
export function houseStyleChanges(dto: UpdateInspectionDto): Partial<HouseStyleColumns> {
  const set: Partial<HouseStyleColumns> = {};
  if (dto.convener !== undefined) set.convener = orNull(dto.convener);
  if (dto.purpose !== undefined) set.purpose = orNull(dto.purpose);
  if (dto.leaders !== undefined) set.leaders = people(dto.leaders, 'leaders');
  if (dto.escorts !== undefined) set.escorts = people(dto.escorts, 'escorts');
  if (dto.participantGroups !== undefined) {
    set.participantGroups = dto.participantGroups.map((g) => g.trim());
  }
  if (dto.remarks !== undefined) set.remarks = remarksOf(dto.remarks);
  if (dto.requirementsBy !== undefined) set.requirementsBy = orNull(dto.requirementsBy);
  if (dto.requirementNumbering !== undefined) set.requirementNumbering = dto.requirementNumbering;
  if (dto.lookedAt !== undefined) set.lookedAt = orNull(dto.lookedAt);
  return set;
}

function remarksOf(list: Remark[]): Remark[] {
  return list.map((r) => ({ speaker: r.speaker.trim(), verb: r.verb, text: r.text.trim() }));
}

/** The visited sites as given: `visitedSites` (with aliases) or `siteIds`, never both. */
export function visitedSitesOf(dto: {
  siteIds?: string[];
  visitedSites?: { siteId: string; alias?: string }[];
}): VisitedSitesInput | undefined {
  if (dto.siteIds !== undefined && dto.visitedSites !== undefined) {
    throw invalidField('visitedSites', 'siteIds 和 visitedSites 只能填写一个', 'exclusive');
  }
  if (dto.visitedSites) {
    return {
      field: 'visitedSites',
      sites: dto.visitedSites.map((s) => ({ ref: s.siteId, alias: orNull(s.alias) })),
    };
  }
  return (
    dto.siteIds && { field: 'siteIds', sites: dto.siteIds.map((ref) => ({ ref, alias: null })) }
  );
}

/** Sites by reference with their aliases, and the field they came in (to name it in an error). */
export interface VisitedSitesInput {
  field: 'siteIds' | 'visitedSites';
  sites: { ref: string; alias: string | null }[];
}

/** The facts of the paragraph a form would give, before it is saved (no problems counted yet). */
export function previewFacts(
  dto: CreateInspectionDto,
  units: string[],
  sites: { name: string; alias: string | null }[],
): DispatchFacts {
  const style = houseStyleOf(dto);
  return {
    id: 'preview',
    kind: dto.kind,
    leadPersons: leadPersonsOf(dto.leadPersons, style.leaders),
    leadRank: 0,
    date: dto.heldOn,
    location: dto.location,
    activity: dto.activity,
    accompanying: dto.accompanying ?? [],
    participatingUnits: units,
    sitesVisited: sites.map((s) => s.name),
    siteAliases: sites.map((s) => s.alias ?? ''),
    target: dto.target ?? '',
    focus: dto.focus ?? '',
    requirements: requirementsOf(dto.requirements ?? []),
    source: dto.source?.trim() || '本刊',
    problemsFound: 0,
    problemsRectified: 0,
    convener: style.convener ?? '',
    purpose: style.purpose ?? '',
    leaders: style.leaders,
    escorts: style.escorts,
    participantGroups: style.participantGroups,
    remarks: style.remarks,
    requirementsBy: style.requirementsBy ?? '',
    requirementNumbering: style.requirementNumbering,
    lookedAt: style.lookedAt ?? '',
  };
}
