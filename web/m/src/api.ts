import { api, shownProblem, type Schemas, type ShownProblem } from '@/api/client';

/**
 * Every API call of the phone app, in one place, so that the shapes of the routes being added
 * alongside it (nearby tasks, observations, `foundAt`, photo capture data) can be adjusted at one
 * spot. Calls that the server of this build may not know yet are switched by `FEATURES`.
 */
export const FEATURES = {
  /** `POST /tasks` accepts `foundAt` (the server refuses unknown fields until it does). */
  taskFoundAt: false,
  /** Send `capturedAt`, `lat`, `lng`, `accuracyM` with each photo (read by the evidence rules). */
  photoCaptureFields: true,
};

export type Category = Schemas['CategoryDto'] & {
  quickPhrases?: string[];
  duplicateRadiusM?: number;
};
export type Site = Schemas['SiteDto'];
export type Unit = Schemas['UnitDto'];
export type TaskSummary = Schemas['TaskSummaryDto'];
export type Task = Schemas['TaskDetailDto'];
export type Inspection = Schemas['InspectionDto'];
export type NearbyTask = TaskSummary & { distanceM?: number };

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

/** A route of the API that this build's generated types do not list yet. */
type Loose = {
  GET: (path: string, init?: unknown) => Promise<Answer<unknown>>;
  POST: (path: string, init?: unknown) => Promise<Answer<unknown>>;
};
const loose = api as unknown as Loose;

// ---- catalog and lists ----

export async function fetchCatalog(): Promise<{
  categories: Category[];
  sites: Site[];
  units: Unit[];
}> {
  const q = { params: { query: { limit: 200 } } };
  const [c, s, u] = await Promise.all([
    api.GET('/api/v1/categories', q),
    api.GET('/api/v1/sites', q),
    api.GET('/api/v1/units', q),
  ]);
  if (!c.data || !s.data || !u.data) throw new Error('catalog unavailable');
  return { categories: c.data.items, sites: s.data.items, units: u.data.items };
}

export async function inspectionsOn(day: string): Promise<Inspection[]> {
  const { data } = await api.GET('/api/v1/inspections', {
    params: { query: { from: day, to: day, limit: 100 } },
  });
  return data?.items ?? [];
}

/** Tasks awaiting a 复查, nearest first: the server's own route, or the plain list sorted here. */
export async function checksNearby(lat: number | null, lng: number | null): Promise<NearbyTask[]> {
  if (lat !== null && lng !== null) {
    const near = await loose
      .GET('/api/v1/tasks/checks/nearby', { params: { query: { lat, lng, limit: 50 } } })
      .catch(() => null);
    if (near?.response.ok) {
      const body = near.data as { items?: NearbyTask[] } | NearbyTask[];
      return Array.isArray(body) ? body : (body.items ?? []);
    }
  }
  const { data } = await api.GET('/api/v1/tasks', {
    params: { query: { status: 'submitted', limit: 200 } as never },
  });
  return (data?.items ?? []) as NearbyTask[];
}

/** Open tasks of a category near a point (the duplicate hint); empty where the route is missing. */
export async function duplicatesNearby(
  categoryId: string,
  lat: number,
  lng: number,
): Promise<NearbyTask[]> {
  const near = await loose
    .GET('/api/v1/tasks/nearby', { params: { query: { categoryId, lat, lng } } })
    .catch(() => null);
  if (!near?.response.ok) return [];
  const body = near.data as { items?: NearbyTask[] } | NearbyTask[];
  return Array.isArray(body) ? body : (body.items ?? []);
}

export async function taskDetail(id: string): Promise<Task | null> {
  const { data } = await api.GET('/api/v1/tasks/{id}', { params: { path: { id } } });
  return data ?? null;
}

/** A photo as a blob (the `thumb` variant where the server has it). */
export async function photoBlob(id: string, thumb = true): Promise<Blob | null> {
  const query = thumb ? { variant: 'thumb' } : {};
  const r = await loose
    .GET(`/api/v1/attachments/${id}`, { params: { query }, parseAs: 'blob' })
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
        // Declared capture data goes before the file (a server reading one file part sees
        // fields that precede it; this build accepts and ignores them, mobile-pwa.pw.ts checks).
        if (FEATURES.photoCaptureFields) {
          if (p.capturedAt) fd.append('capturedAt', p.capturedAt);
          if (p.lat !== undefined) fd.append('lat', String(p.lat));
          if (p.lng !== undefined) fd.append('lng', String(p.lng));
          if (p.accuracyM !== undefined) fd.append('accuracyM', String(Math.round(p.accuracyM)));
        }
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

export const createTask = (t: NewTask, key: string) => {
  const { foundAt, ...rest } = t;
  const body = FEATURES.taskFoundAt && foundAt ? { ...rest, foundAt } : rest;
  return outcome<Task>(() =>
    api.POST('/api/v1/tasks', { body: body as never, params: { header: withKey(key) } }),
  );
};

export interface NewObservation {
  note?: string;
  photoIds?: string[];
  lat?: number;
  lng?: number;
  observedAt?: string;
}

export const addObservation = (taskId: string, o: NewObservation, key: string) =>
  outcome<unknown>(() =>
    loose.POST(`/api/v1/tasks/${taskId}/observations`, { body: o, headers: withKey(key) }),
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
