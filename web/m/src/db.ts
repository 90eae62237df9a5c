import Dexie, { type EntityTable } from 'dexie';
import type { ShownProblem } from '@/api/client';

/**
 * Where an outbox item stands. `pending`: waits for the network; `sending`: a request is out
 * (after a crash it is sent again with the same Idempotency-Key); `synced`: the server has it;
 * `failed`: the server refused it (kept with its error until the inspector retries or drops it).
 */
export type SyncState = 'pending' | 'sending' | 'synced' | 'failed';

export type InspectionKindChoice = 'inspection' | 'survey' | 'meeting';

/** A 督导检查 on the phone: the header the inspector filled in, and its sync state. */
export interface LocalInspection {
  id: string;
  kind: InspectionKindChoice;
  heldOn: string;
  siteIds: string[];
  siteNames: string[];
  participatingUnitIds: string[];
  accompanying: string[];
  leadPersons: string[];
  /** Still being recorded (a draft); false once the inspector taps 完成. */
  open: boolean;
  state: SyncState;
  idempotencyKey: string;
  serverId?: string;
  error?: ShownProblem;
  createdAt: string;
  userId: string;
}

/** A problem found on the visit (becomes a task), or an observation added to an existing task. */
export interface LocalProblem {
  id: string;
  inspectionId: string;
  seq: number;
  categoryId: string;
  siteId?: string;
  lat?: number;
  lng?: number;
  foundAt: string;
  description: string;
  photoIds: string[];
  /** Set when the inspector chose to add to an existing task instead of opening a new one. */
  attachToTaskId?: string;
  attachToTaskNumber?: string;
  state: SyncState;
  idempotencyKey: string;
  serverId?: string;
  serverNumber?: string;
  error?: ShownProblem;
  createdAt: string;
}

/**
 * A photo kept on the phone, uploaded before the problem or check using it. The camera's file is
 * stored as it is the moment the problem is saved (`resized: false`) and replaced by its resized
 * copy right after, in the background; the outbox never uploads a photo that is not resized.
 */
export interface LocalPhoto {
  id: string;
  ownerId: string;
  blob: Blob;
  /** False while the blob is still the camera's original. */
  resized: boolean;
  width: number;
  height: number;
  capturedAt: string;
  lat?: number;
  lng?: number;
  accuracyM?: number;
  state: SyncState;
  idempotencyKey: string;
  serverId?: string;
  error?: ShownProblem;
}

/** A 复查 done on the phone, queued like the rest. */
export interface LocalCheck {
  id: string;
  taskId: string;
  taskNumber: string;
  version: number;
  result: 'pass' | 'fail';
  note?: string;
  photoIds: string[];
  state: SyncState;
  idempotencyKey: string;
  error?: ShownProblem;
  createdAt: string;
  userId: string;
  /** A request for it went out at least once (its answer may have been lost). */
  sent?: boolean;
}

/** One answer of a 按清单检查 on the phone; a 不合格 carries the photos taken for it. */
export interface LocalWalkResult {
  itemId: string;
  position: number;
  text: string;
  result: 'pass' | 'fail' | 'na';
  note?: string;
  photoIds: string[];
}

/**
 * A 按清单检查 of a site on the phone, sent after its inspection's header and its photos as one
 * request (the server raises a task per 不合格 item).
 */
export interface LocalWalk {
  id: string;
  inspectionId: string;
  siteId: string;
  siteName: string;
  checklistName: string;
  lat?: number;
  lng?: number;
  foundAt: string;
  results: LocalWalkResult[];
  state: SyncState;
  idempotencyKey: string;
  serverId?: string;
  /** The numbers of the tasks the server raised, once synced. */
  taskNumbers?: string[];
  error?: ShownProblem;
  createdAt: string;
}

export interface KeyValue {
  key: string;
  value: unknown;
}

export class PhoneDb extends Dexie {
  inspections!: EntityTable<LocalInspection, 'id'>;
  problems!: EntityTable<LocalProblem, 'id'>;
  photos!: EntityTable<LocalPhoto, 'id'>;
  checks!: EntityTable<LocalCheck, 'id'>;
  walks!: EntityTable<LocalWalk, 'id'>;
  kv!: EntityTable<KeyValue, 'key'>;

  constructor(name = 'cc-inspector') {
    super(name);
    this.version(1).stores({
      inspections: 'id, state, createdAt, userId',
      problems: 'id, inspectionId, [inspectionId+seq], state',
      photos: 'id, ownerId, state',
      checks: 'id, taskId, state, createdAt',
      kv: 'key',
    });
    // 按清单检查 (issue 16): a table of its own; nothing else changes.
    this.version(2).stores({ walks: 'id, inspectionId, state, createdAt' });
  }
}

export const db = new PhoneDb();

export const newId = (): string => crypto.randomUUID();

export async function getValue<T>(key: string): Promise<T | undefined> {
  return (await db.kv.get(key))?.value as T | undefined;
}

export async function setValue(key: string, value: unknown): Promise<void> {
  await db.kv.put({ key, value });
}
