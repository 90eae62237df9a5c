import { api, shownProblem, type Schemas, type ShownProblem } from '@/api/client';

/** Every API call of the phone app, in one place, typed from the generated OpenAPI client. */

export type Category = Schemas['CategoryDto'];
export type Site = Schemas['SiteDto'];
export type Unit = Schemas['UnitDto'];
export type TaskSummary = Schemas['TaskSummaryDto'];
export type Task = Schemas['TaskDetailDto'];
export type Inspection = Schemas['InspectionDto'];
export type NearbyTask = Schemas['NearbyTaskDto'];
export type Checklist = Schemas['ChecklistDto'];

/** What one request to the server came to, as the outbox needs to tell it. */
export type Outcome<T> =
  | { kind: 'ok'; data: T }
  /** The server refused the request (4xx): retrying the same request cannot help. */
  | { kind: 'refused'; problem: ShownProblem }
  /** The session is over (401 after the refresh): the inspector has to sign in again. */
  | { kind: 'signed-out' }
  /** No network, a timeout or a server error: try again later, unchanged. */
  | { kind: 'later'; reason: string };

interface Answer<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

async function outcome<T>(call: () => Promise<Answer<T>>): Promise<Outcome<T>> {
  let answer: Answer<T>;
  try {
    answer = await call();
  } catch (e) {
    return { kind: 'later', reason: e instanceof Error ? e.message : String(e) };
  }
  const { data, error, response } = answer;
  if (response.ok) return { kind: 'ok', data: data as T };
  if (response.status === 401) return { kind: 'signed-out' };
  // 408 and 429 are the network's and the rate limiter's: the same request later may pass.
  if (response.status >= 500 || response.status === 408 || response.status === 429) {
    return { kind: 'later', reason: `HTTP ${response.status}` };
  }
  return { kind: 'refused', problem: shownProblem(error, response) };
}

const withKey = (key: string) => ({ 'idempotency-key': key }) as never;

// ---- catalog and lists ----

export async function fetchCatalog(): Promise<{
  categories: Category[];
  sites: Site[];
  units: Unit[];
  checklists: Checklist[];
}> {
  const q = { params: { query: { limit: 200 } } };
  const [c, s, u, l] = await Promise.all([
    api.GET('/api/v1/categories', q),
    api.GET('/api/v1/sites', q),
    api.GET('/api/v1/units', q),
    api.GET('/api/v1/checklists', {}),
  ]);
  if (!c.data || !s.data || !u.data || !l.data) throw new Error('catalog unavailable');
  return {
    categories: c.data.items,
    sites: s.data.items,
    units: u.data.items,
    checklists: l.data.items,
  };
}

export async function inspectionsOn(day: string): Promise<Inspection[]> {
  const { data } = await api.GET('/api/v1/inspections', {
    params: { query: { from: day, to: day, limit: 100 } },
  });
  return data?.items ?? [];
}

export type Plan = Schemas['PlanDto'];

/** The inspector's own 督导计划 covering `day` (a week's and a month's may both), with ticks. */
export async function myPlansOn(day: string): Promise<Plan[]> {
  const { data, response } = await api.GET('/api/v1/plans', {
    params: { query: { mine: true, from: day, to: day } },
  });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  return data?.items ?? [];
}

/**
 * Tasks awaiting a 复查, nearest first (`GET /tasks/checks/nearby`); without a position, the
 * server's order with the tasks without one last.
 */
export async function checksNearby(lat: number | null, lng: number | null): Promise<NearbyTask[]> {
  if (lat !== null && lng !== null) {
    const { data } = await api.GET('/api/v1/tasks/checks/nearby', {
      params: { query: { lat, lng, limit: 50 } },
    });
    return data?.items ?? [];
  }
  const { data } = await api.GET('/api/v1/tasks', {
    params: { query: { status: 'submitted', limit: 200 } as never },
  });
  return (data?.items ?? []).map((t) => ({ ...t, distanceM: null, firstBeforePhotoId: null }));
}

/** Open tasks of a category near a point (the duplicate hint); empty when it cannot be asked. */
export async function duplicatesNearby(
  categoryId: string,
  lat: number,
  lng: number,
): Promise<NearbyTask[]> {
  const near = await api
    .GET('/api/v1/tasks/nearby', { params: { query: { categoryId, lat, lng } } })
    .catch(() => null);
  return near?.data?.items ?? [];
}

export async function taskDetail(id: string): Promise<Task | null> {
  const { data } = await api.GET('/api/v1/tasks/{id}', { params: { path: { id } } });
  return data ?? null;
}

/** A photo as a blob (the `thumb` variant where the server has it). */
export async function photoBlob(id: string, thumb = true): Promise<Blob | null> {
  const r = await api
    .GET('/api/v1/attachments/{id}', {
      params: { path: { id }, query: thumb ? { variant: 'thumb' } : {} },
      parseAs: 'blob',
    })
    .catch(() => null);
  return r?.response.ok ? (r.data as Blob) : null;
}

// ---- what the outbox sends ----

export type NewInspection = Schemas['CreateInspectionDto'];

export const createInspection = (body: NewInspection, key: string) =>
  outcome<Inspection>(() =>
    api.POST('/api/v1/inspections', { body, params: { header: withKey(key) } }),
  );

export interface PhotoUpload {
  blob: Blob;
  name: string;
  capturedAt?: string;
  lat?: number;
  lng?: number;
  accuracyM?: number;
}

export const uploadPhoto = (p: PhotoUpload, key: string) =>
  outcome<Schemas['AttachmentDto']>(() =>
    api.POST('/api/v1/attachments', {
      body: { file: p.blob as unknown as string },
      headers: withKey(key),
      bodySerializer: () => {
        const fd = new FormData();
        // The phone's declared capture data (kept apart from the photo's EXIF by the server)
        // goes before the file: the server reads the fields that precede the file part.
        if (p.capturedAt) fd.append('capturedAt', p.capturedAt);
        if (p.lat !== undefined) fd.append('lat', String(p.lat));
        if (p.lng !== undefined) fd.append('lng', String(p.lng));
        if (p.accuracyM !== undefined) fd.append('accuracyM', String(Math.round(p.accuracyM)));
        fd.append('file', p.blob, p.name);
        return fd;
      },
    }),
  );

export interface NewTask {
  inspectionId?: string;
  categoryId: string;
  siteId?: string;
  address?: string;
  lat?: number;
  lng?: number;
  description: string;
  beforePhotoIds?: string[];
  foundAt?: string;
}

export const createTask = (t: NewTask, key: string) =>
  outcome<Task>(() => api.POST('/api/v1/tasks', { body: t, params: { header: withKey(key) } }));

export type NewChecklistWalk = Schemas['CreateChecklistWalkDto'];

export const createChecklistWalk = (inspectionId: string, w: NewChecklistWalk, key: string) =>
  outcome<Schemas['ChecklistWalkDto']>(() =>
    api.POST('/api/v1/inspections/{id}/checklist-walks', {
      params: { path: { id: inspectionId }, header: withKey(key) },
      body: w,
    }),
  );

export interface NewObservation {
  note?: string;
  photoIds?: string[];
  lat?: number;
  lng?: number;
  observedAt?: string;
}

export const addObservation = (taskId: string, o: NewObservation, key: string) =>
  outcome<Schemas['TaskEventDto']>(() =>
    api.POST('/api/v1/tasks/{id}/observations', {
      params: { path: { id: taskId }, header: withKey(key) },
      body: o,
    }),
  );

export interface NewCheck {
  version: number;
  result: 'pass' | 'fail';
  note?: string;
  photoIds?: string[];
}

/** 复查: the version the inspector saw goes in the body and as If-Match; a stale one is a 409. */
export const checkTask = (taskId: string, c: NewCheck, key: string) =>
  outcome<Task>(() =>
    api.POST('/api/v1/tasks/{id}/checks', {
      params: { path: { id: taskId }, header: { 'if-match': `"${c.version}"` } as never },
      headers: withKey(key),
      body: c,
    }),
  );

/**
 * Whether the server already holds this inspector's 复查 of the task (a request that reached it
 * but whose answer was lost): the task's history has a check with the same result by the same
 * user, no earlier than ten minutes before it was saved on the phone (phone clocks drift).
 */
export async function checkRecorded(c: {
  taskId: string;
  result: 'pass' | 'fail';
  userId: string;
  createdAt: string;
}): Promise<boolean> {
  const { data } = await api.GET('/api/v1/tasks/{id}/events', {
    params: { path: { id: c.taskId } },
  });
  const action = c.result === 'pass' ? 'check_pass' : 'check_fail';
  const since = Date.parse(c.createdAt) - 10 * 60_000;
  return (data?.items ?? []).some(
    (e) => e.action === action && e.actorId === c.userId && Date.parse(e.createdAt) >= since,
  );
}
