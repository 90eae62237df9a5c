import type { NewInspection } from './api';
import type { InspectionKindChoice, LocalInspection } from './db';

/** The three kinds an inspector logs, and how each maps onto the API's `kind` and `activity`. */
export const KIND_CHOICES: { value: InspectionKindChoice; label: string }[] = [
  { value: 'inspection', label: '督导检查' },
  { value: 'survey', label: '调研' },
  { value: 'meeting', label: '会议' },
];

export const kindLabel = (k: InspectionKindChoice): string =>
  KIND_CHOICES.find((c) => c.value === k)?.label ?? k;

/** 调研 is an inspection visit by the API's two kinds (inspection | meeting); its activity says 调研. */
export function inspectionBody(i: LocalInspection): NewInspection {
  const where = i.siteNames.join('、');
  return {
    kind: i.kind === 'meeting' ? 'meeting' : 'inspection',
    activity: `创城${kindLabel(i.kind)}`,
    leadPersons: i.leadPersons,
    accompanying: i.accompanying.length ? i.accompanying : undefined,
    heldOn: i.heldOn,
    source: '本刊',
    location: where || '现场',
    siteIds: i.siteIds.length ? i.siteIds : undefined,
    participatingUnitIds: i.participatingUnitIds.length ? i.participatingUnitIds : undefined,
  };
}
