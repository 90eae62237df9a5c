import { computed, type Ref } from 'vue';
import { useRoute, useRouter, type LocationQuery, type LocationQueryRaw } from 'vue-router';
import type { paths } from '@/api/schema';
import { STATUS_ORDER } from '@/labels';

/** The task list's filters: exactly the query parameters `GET /tasks` takes (but paging). */
export type TaskQuery = NonNullable<paths['/api/v1/tasks']['get']['parameters']['query']>;
export type TaskFilters = Omit<TaskQuery, 'limit' | 'cursor'>;

const STRING_KEYS = [
  'unitId',
  'categoryId',
  'siteId',
  'inspectionId',
  'importBatchId',
  'createdFrom',
  'createdTo',
  'closedFrom',
  'closedTo',
  'deadlineFrom',
  'deadlineTo',
  'q',
] as const;
const BOOL_KEYS = ['overdue', 'hasPendingRequest', 'rework', 'recurrence'] as const;
const ESCALATIONS = ['reminder', 'supervise', 'notify'] as const;
const SORTS = ['-createdAt', 'deadline', 'number', '-closedAt'] as const;

function first(v: LocationQuery[string]): string | undefined {
  const x = Array.isArray(v) ? v[0] : v;
  return x === null || x === undefined || x === '' ? undefined : x;
}

/** Reads filters from a URL query; unknown values are dropped, never sent to the API. */
export function filtersFromQuery(query: LocationQuery): TaskFilters {
  const f: Record<string, unknown> = {};
  const status = ([] as (string | null)[])
    .concat(query.status ?? [])
    .flatMap((s) => (s ?? '').split(','))
    .filter((s): s is TaskFilters['status'] extends (infer T)[] | undefined ? T & string : never =>
      (STATUS_ORDER as string[]).includes(s),
    );
  if (status.length) f.status = status;
  const source = ([] as (string | null)[])
    .concat(query.source ?? [])
    .flatMap((s) => (s ?? '').split(','))
    .filter(Boolean);
  if (source.length) f.source = source;
  for (const k of STRING_KEYS) {
    const v = first(query[k]);
    if (v !== undefined) f[k] = v;
  }
  for (const k of BOOL_KEYS) {
    const v = first(query[k]);
    if (v === 'true' || v === 'false') f[k] = v === 'true';
  }
  const esc = first(query.escalation);
  if (esc && (ESCALATIONS as readonly string[]).includes(esc)) f.escalation = esc;
  const sort = first(query.sort);
  if (sort && (SORTS as readonly string[]).includes(sort)) f.sort = sort;
  return f as TaskFilters;
}

/** Writes filters to a URL query: stable key order, empty values left out, status comma-joined. */
export function queryFromFilters(f: TaskFilters): LocationQueryRaw {
  const q: LocationQueryRaw = {};
  if (f.status?.length) q.status = f.status.join(',');
  if (f.source?.length) q.source = f.source.join(',');
  for (const k of STRING_KEYS) if (f[k]) q[k] = f[k];
  for (const k of BOOL_KEYS as readonly string[]) {
    const v = (f as Record<string, unknown>)[k];
    if (typeof v === 'boolean') q[k] = String(v);
  }
  if (f.escalation) q.escalation = f.escalation;
  if (f.sort && f.sort !== '-createdAt') q.sort = f.sort;
  return q;
}

/** Filters kept in the URL: reading follows the route, writing replaces the query. */
export function useTaskFilters() {
  const route = useRoute();
  const router = useRouter();
  const filters = computed(() => filtersFromQuery(route.query));
  function set(next: TaskFilters): Promise<unknown> {
    return router.replace({ query: queryFromFilters(next) });
  }
  function patch(part: Partial<TaskFilters>): Promise<unknown> {
    return set({ ...filters.value, ...part });
  }
  return { filters, set, patch };
}

type BoolKey = (typeof BOOL_KEYS)[number];
type RangeKey =
  'createdFrom' | 'createdTo' | 'deadlineFrom' | 'deadlineTo' | 'closedFrom' | 'closedTo';

/**
 * The filter bar's controls as two-way models over the filters kept in the URL: each reads its
 * filter, and writing sends the change through `patch` — an emptied control ('' or no days)
 * removes its filter. The task list and the map bind the same models.
 */
export function filterModels(
  filters: Readonly<Ref<TaskFilters>>,
  patch: (part: Partial<TaskFilters>) => unknown,
) {
  const field = <K extends 'unitId' | 'categoryId' | 'escalation' | 'sort'>(key: K) =>
    computed({
      get: () => filters.value[key] ?? '',
      set: (v: TaskFilters[K] | '') =>
        void patch({ [key]: v === '' ? undefined : v } as Partial<TaskFilters>),
    });
  /** A yes/no select: '' (cleared) leaves the filter out. */
  const flag = (key: BoolKey) =>
    computed({
      get: () => (filters.value[key] === undefined ? '' : String(filters.value[key])),
      set: (v: string) => void patch({ [key]: v === '' ? undefined : v === 'true' }),
    });
  const days = (from: RangeKey, to: RangeKey) =>
    computed({
      get: () => daysOfInstants(filters.value[from], filters.value[to]),
      set: (v: [string, string] | null) => {
        const [a, b] = instantsOfDays(v);
        void patch({ [from]: a, [to]: b });
      },
    });
  return {
    unitId: field('unitId'),
    categoryId: field('categoryId'),
    escalation: field('escalation'),
    sort: field('sort'),
    status: computed({
      get: () => filters.value.status ?? [],
      set: (v: string[]) =>
        void patch({ status: v.length ? (v as TaskFilters['status']) : undefined }),
    }),
    /** 来源: one picked in the select, any number kept in the URL. */
    source: computed({
      get: () => filters.value.source?.[0] ?? '',
      set: (v: string) => void patch({ source: v ? [v] : undefined }),
    }),
    overdue: flag('overdue'),
    hasPendingRequest: flag('hasPendingRequest'),
    recurrence: flag('recurrence'),
    createdRange: days('createdFrom', 'createdTo'),
    deadlineRange: days('deadlineFrom', 'deadlineTo'),
    closedRange: days('closedFrom', 'closedTo'),
  };
}

/** A picked day range (Beijing days, inclusive) as the API's half-open instants. */
export function instantsOfDays(
  days: [string, string] | null,
): [string, string] | [undefined, undefined] {
  if (!days) return [undefined, undefined];
  const next = new Date(`${days[1]}T00:00:00Z`);
  next.setUTCDate(next.getUTCDate() + 1);
  return [`${days[0]}T00:00:00+08:00`, `${next.toISOString().slice(0, 10)}T00:00:00+08:00`];
}

/** The inverse of `instantsOfDays` for showing a range kept in the URL. */
export function daysOfInstants(from?: string, to?: string): [string, string] | null {
  if (!from || !to) return null;
  const shift = (iso: string) => new Date(new Date(iso).getTime() + 8 * 3_600_000);
  const last = shift(to);
  last.setUTCMilliseconds(last.getUTCMilliseconds() - 1);
  return [shift(from).toISOString().slice(0, 10), last.toISOString().slice(0, 10)];
}
